#include "server/store/staff_texts.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

result<std::int64_t> keep_staff_text(database& db, const unsent_staff_text& text, protocol::millis now) {
    auto done =
        run_sql(db,
                "INSERT INTO unsent_staff_texts (request_id, staff_id, phone, situation, about_waiting, "
                "decided_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                [&](statement& s) {
                    s.bind(1, text.request_id).bind(2, text.staff_id).bind(3, text.phone);
                    s.bind(4, text.situation).bind(5, std::int64_t{text.about_waiting ? 1 : 0});
                    s.bind(6, now);
                });
    if (!done)
        return done.error();
    return db.last_insert_rowid();
}

result<void> forget_staff_text(database& db, std::int64_t id) {
    return run_sql(db, "DELETE FROM unsent_staff_texts WHERE id = ?1", [&](statement& s) { s.bind(1, id); });
}

result<std::vector<unsent_staff_text>> unsent_staff_texts(database& db) {
    return all<unsent_staff_text>(
        db,
        "SELECT t.id, t.request_id, t.staff_id, t.phone, t.situation, t.about_waiting, "
        "t.staff_id IS NOT NULL AND (s.id IS NULL OR s.disabled_at IS NOT NULL) "
        "FROM unsent_staff_texts t LEFT JOIN staff s ON s.id = t.staff_id ORDER BY t.id",
        no_parameters, [](const statement& s) {
            unsent_staff_text t;
            t.id = s.column_int(0);
            t.request_id = s.column_int(1);
            t.staff_id = s.column_optional_int(2);
            t.phone = s.column_text(3);
            t.situation = s.column_text(4);
            t.about_waiting = s.column_int(5) != 0;
            t.staff_gone = s.column_int(6) != 0;
            return t;
        });
}

} // namespace ask::store
