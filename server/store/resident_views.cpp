#include "server/store/resident_views.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

result<void> record_view(database& db, std::int64_t resident_id, std::int64_t staff_id,
                         std::int64_t request_id, protocol::millis at) {
    return run_sql(
        db, "INSERT INTO resident_views (resident_id, staff_id, request_id, at) VALUES (?1, ?2, ?3, ?4)",
        [&](statement& s) { s.bind(1, resident_id).bind(2, staff_id).bind(3, request_id).bind(4, at); });
}

result<std::vector<resident_view>> views_of_resident(database& db, std::int64_t resident_id) {
    return all<resident_view>(
        db,
        "SELECT v.at, v.request_id, v.staff_id, s.display_name FROM resident_views AS v "
        "JOIN staff AS s ON s.id = v.staff_id WHERE v.resident_id = ?1 ORDER BY v.at, v.id",
        [&](statement& s) { s.bind(1, resident_id); },
        [](const statement& s) {
            return resident_view{s.column_int(0), s.column_int(1), s.column_int(2), s.column_text(3)};
        });
}

result<int> forget_views_before(database& db, protocol::millis cutoff) {
    auto done =
        run_sql(db, "DELETE FROM resident_views WHERE at < ?1", [&](statement& s) { s.bind(1, cutoff); });
    if (!done)
        return done.error();
    return db.changes();
}

} // namespace ask::store
