#include "server/store/resident_views.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

result<void> record_views(database& db, const std::vector<resident_view>& views) {
    auto stmt = db.prepare("INSERT OR IGNORE INTO resident_views (resident_id, staff_id, day, first_at) "
                           "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM residents WHERE id = ?1) "
                           "AND EXISTS (SELECT 1 FROM staff WHERE id = ?2)");
    if (!stmt)
        return stmt.error();
    for (const auto& v : views) {
        stmt->reset();
        stmt->bind(1, v.resident_id).bind(2, v.staff_id).bind(3, view_day(v.at)).bind(4, v.at);
        if (auto done = stmt->step(); !done)
            return done.error();
    }
    return {};
}

result<std::vector<resident_view_record>> views_of_resident(database& db, std::int64_t resident_id) {
    return all<resident_view_record>(
        db,
        "SELECT v.staff_id, s.username, s.display_name, s.role, v.day, v.first_at FROM resident_views v "
        "JOIN staff s ON s.id = v.staff_id WHERE v.resident_id = ?1 ORDER BY v.day, v.first_at, v.staff_id",
        [&](statement& s) { s.bind(1, resident_id); },
        [](statement& s) {
            resident_view_record v;
            v.staff_id = s.column_int(0);
            v.staff_username = s.column_text(1);
            v.staff_name = s.column_text(2);
            v.staff_role =
                protocol::staff_role_from_string(s.column_text(3)).value_or(protocol::staff_role::staff);
            v.day = s.column_int(4);
            v.first_at = s.column_int(5);
            return v;
        });
}

result<int> forget_views_before(database& db, millis before, int batch) {
    auto done =
        run_sql(db,
                "DELETE FROM resident_views WHERE (resident_id, staff_id, day) IN (SELECT resident_id, "
                "staff_id, day FROM resident_views WHERE day < ?1 ORDER BY day LIMIT ?2)",
                [&](statement& s) { s.bind(1, view_day(before)).bind(2, std::int64_t{batch}); });
    if (!done)
        return done.error();
    return db.changes();
}

} // namespace ask::store
