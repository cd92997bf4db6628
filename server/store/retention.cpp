#include "server/store/retention.hpp"

#include "server/store/sql.hpp"

#include <string>

namespace ask::store {
namespace {

// The batch of closed requests due, oldest first, by the index requests_closed_by_age.
const std::string due_requests = "SELECT id FROM requests WHERE state IN ('resolved', 'cancelled') "
                                 "AND coalesce(resolved_at, created_at) < ?1 "
                                 "ORDER BY coalesce(resolved_at, created_at), id LIMIT ?2";

} // namespace

result<forgotten_requests> forget_closed_requests(database& db, protocol::millis closed_before, int batch) {
    auto bind = [&](statement& s) { s.bind(1, closed_before).bind(2, std::int64_t{batch}); };
    // The history first: its rows refer to the request (the trigger lets them go, as it is closed).
    if (auto r = run_sql(db, "DELETE FROM request_events WHERE request_id IN (" + due_requests + ")", bind);
        !r)
        return r.error();
    if (auto r =
            run_sql(db, "DELETE FROM incomplete_text_parts WHERE request_id IN (" + due_requests + ")", bind);
        !r)
        return r.error();
    if (auto r = run_sql(db, "DELETE FROM requests WHERE id IN (" + due_requests + ")", bind); !r)
        return r.error();
    forgotten_requests out;
    out.requests = db.changes();
    if (out.requests == 0)
        return out;
    auto left_alone =
        run_sql(db,
                "DELETE FROM residents WHERE unknown_sender = 1 AND sms_opt_out = 0 AND NOT EXISTS "
                "(SELECT 1 FROM requests WHERE requests.resident_id = residents.id)",
                no_parameters);
    if (!left_alone)
        return left_alone.error();
    out.unknown_senders = db.changes();
    return out;
}

} // namespace ask::store
