#include "server/store/staff_texts.hpp"

#include "server/store/sql.hpp"

#include <array>

namespace ask::store {
namespace {

constexpr std::array<const char*, 4> kind_names{"step", "follow_up", "by_hand", "after_hours"};

staff_text_kind kind_from(const std::string& name) {
    for (std::size_t i = 0; i < kind_names.size(); ++i)
        if (name == kind_names[i])
            return static_cast<staff_text_kind>(i);
    return staff_text_kind::step; // the table's CHECK allows no other name
}

} // namespace

result<std::int64_t> keep_staff_text(database& db, const unsent_staff_text& text, protocol::millis now) {
    auto done =
        run_sql(db,
                "INSERT INTO unsent_staff_texts (request_id, staff_id, phone, kind, decided_in, held_by, "
                "situation, decided_at, send_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                [&](statement& s) {
                    s.bind(1, text.request_id).bind(2, text.staff_id).bind(3, text.phone);
                    s.bind(4, kind_names[static_cast<std::size_t>(text.kind)]);
                    s.bind(5, protocol::to_string(text.decided_in)).bind(6, text.held_by);
                    s.bind(7, text.situation).bind(8, now).bind(9, text.send_key);
                });
    if (!done)
        return done.error();
    return db.last_insert_rowid();
}

result<void> forget_staff_text(database& db, std::int64_t id) {
    return run_sql(db, "DELETE FROM unsent_staff_texts WHERE id = ?1", [&](statement& s) { s.bind(1, id); });
}

namespace {

// A kept text with its member's phone as it is now and whether the member can still be texted (not when
// the account is disabled, removed or has no phone).
const std::string select_kept =
    "SELECT t.id, t.request_id, t.staff_id, coalesce(s.phone, t.phone), t.kind, t.decided_in, "
    "t.held_by, t.situation, "
    "t.staff_id IS NOT NULL AND (s.id IS NULL OR s.disabled_at IS NOT NULL OR s.phone = ''), "
    "t.staff_id IS NOT NULL OR (SELECT a.office_id FROM staff a WHERE a.phone = t.phone AND a.phone <> '' "
    "AND a.disabled_at IS NULL ORDER BY a.id LIMIT 1) = (SELECT q.office_id FROM requests q WHERE q.id = "
    "t.request_id), t.send_key "
    "FROM unsent_staff_texts t LEFT JOIN staff s ON s.id = t.staff_id";

unsent_staff_text kept_from(const statement& s) {
    unsent_staff_text t;
    t.id = s.column_int(0);
    t.request_id = s.column_int(1);
    t.staff_id = s.column_optional_int(2);
    t.phone = s.column_text(3);
    t.kind = kind_from(s.column_text(4));
    t.decided_in =
        protocol::request_state_from_string(s.column_text(5)).value_or(protocol::request_state::notifying);
    t.held_by = s.column_optional_int(6);
    t.situation = s.column_text(7);
    t.staff_gone = s.column_int(8) != 0;
    t.replies_taken = s.column_int(9) != 0;
    t.send_key = s.column_text(10);
    return t;
}

} // namespace

result<std::vector<unsent_staff_text>> unsent_staff_texts(database& db) {
    return all<unsent_staff_text>(db, select_kept + " ORDER BY t.id", no_parameters, kept_from);
}

result<std::optional<unsent_staff_text>> unsent_staff_text_now(database& db, std::int64_t id) {
    return one<unsent_staff_text>(
        db, select_kept + " WHERE t.id = ?1", [id](statement& s) { s.bind(1, id); }, kept_from);
}

} // namespace ask::store
