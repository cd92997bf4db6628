#include "server/store/replies.hpp"

#include "server/store/error.hpp"
#include "server/store/sql.hpp"

namespace ask::store {

namespace {

// `no_longer_true`: the member the answer says has the request does not hold it now (it waits again, is
// held by another, or is closed: held means acknowledged or contacted), or the request is not found.
const std::string select_kept =
    "SELECT r.id, r.office_id, r.staff_id, coalesce(s.phone, r.phone), coalesce(r.request_id, 0), r.text, "
    "r.decided_at, r.taken_by, r.staff_id IS NOT NULL AND (s.disabled_at IS NOT NULL OR s.phone = ''), "
    "r.taken_by IS NOT NULL AND (q.id IS NULL "
    "OR NOT ((q.state = 'acknowledged' OR q.state = 'contacted') AND q.acked_by IS r.taken_by)), r.send_key "
    "FROM unsent_replies r LEFT JOIN staff s ON s.id = r.staff_id "
    "LEFT JOIN requests q ON q.id = r.request_id";

unsent_reply kept_from(const statement& s) {
    unsent_reply r;
    r.id = s.column_int(0);
    r.office_id = s.column_int(1);
    r.staff_id = s.column_optional_int(2);
    r.phone = s.column_text(3);
    r.request_id = s.column_int(4);
    r.text = s.column_text(5);
    r.decided_at = s.column_int(6);
    r.taken_by = s.column_optional_int(7);
    r.staff_gone = s.column_int(8) != 0;
    r.no_longer_true = s.column_int(9) != 0;
    r.send_key = s.column_text(10);
    return r;
}

} // namespace

result<kept_reply> keep_reply(database& db, const unsent_reply& reply) {
    // The request as it is now, in the answer's office: an answer may name one that never was, or another
    // office's ("999a": no such request).
    auto kept = all<kept_reply>(
        db,
        "INSERT INTO unsent_replies (office_id, staff_id, phone, request_id, text, decided_at, taken_by, "
        "send_key) "
        "VALUES (?1, ?2, ?3, (SELECT id FROM requests WHERE id = ?4 AND office_id = ?1), ?5, ?6, ?7, ?8) "
        "RETURNING id, coalesce(request_id, 0)",
        [&](statement& s) {
            s.bind(1, reply.office_id).bind(2, reply.staff_id).bind(3, reply.phone);
            s.bind(4, reply.request_id).bind(5, reply.text).bind(6, reply.decided_at);
            s.bind(7, reply.taken_by).bind(8, reply.send_key);
        },
        [](const statement& s) {
            return kept_reply{s.column_int(0), s.column_int(1)};
        });
    if (!kept)
        return kept.error();
    if (kept->empty()) // an INSERT that fails says so; this would be SQLite breaking RETURNING's contract
        return make_error_code(errc::unavailable);
    return kept->front();
}

result<void> forget_reply(database& db, std::int64_t id) {
    return run_sql(db, "DELETE FROM unsent_replies WHERE id = ?1", [&](statement& s) { s.bind(1, id); });
}

result<std::vector<unsent_reply>> unsent_replies(database& db) {
    return all<unsent_reply>(db, select_kept + " ORDER BY r.id", no_parameters, kept_from);
}

result<std::optional<unsent_reply>> unsent_reply_now(database& db, std::int64_t id) {
    return one<unsent_reply>(
        db, select_kept + " WHERE r.id = ?1", [id](statement& s) { s.bind(1, id); }, kept_from);
}

} // namespace ask::store
