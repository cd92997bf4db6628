// How a request is read from the database: the columns and joins every query that returns a
// request_record selects, and the one function that reads them. Internal to the store: requests.cpp
// writes requests, request_reads.cpp reads them.
#pragma once

#include "server/store/requests.hpp"

#include <string>
#include <string_view>

namespace ask::store {

// What read_request reads: a request (r), its resident (p), who acknowledged (s) and contacted (c) it.
inline constexpr std::string_view request_columns = R"sql(
SELECT r.id, r.office_id, r.client_request_id, r.priority, r.channel, r.state, r.message, r.created_at,
       r.notify_count, r.acked_at, r.outcome, r.note, r.resolved_by, r.resolved_at,
       p.id, p.name, p.phone, p.address, p.needs,
       s.id, s.display_name,
       r.contacted_at, c.id, c.display_name, r.repeat_count,
       r.ladder_started_at, r.ladder_cycle, r.ladder_next_step, r.ack_reminders, p.unknown_sender,
       r.latest_message
)sql";
/// How many columns request_columns selects: a query's own columns after them start at this index.
inline constexpr int request_column_count = 31;
inline constexpr std::string_view staff_joins = R"sql(
LEFT JOIN staff AS s ON s.id = r.acked_by
LEFT JOIN staff AS c ON c.id = r.contacted_by
)sql";

/// request_columns from requests (r) and residents (p), with staff_joins; add WHERE and ORDER BY.
inline const std::string select_request =
    std::string(request_columns) + "FROM requests AS r JOIN residents AS p ON p.id = r.resident_id" +
    std::string(staff_joins);

// Urgent first, then oldest, then id: the one queue order of the whole system.
inline constexpr std::string_view queue_order = " ORDER BY (r.priority = 'normal'), r.created_at, r.id";

/// Reads a row selected with request_columns.
request_record read_request(const statement&);

} // namespace ask::store
