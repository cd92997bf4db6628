// Statistics for coordinators' reports: what came in, how it ended, and how fast staff
// acknowledged, reached and resolved residents. Pure: computed from stored requests and their logs.
#pragma once

#include "server/store/requests.hpp"

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ask {

/// p50/p90/max of a duration in milliseconds over `count` requests (nearest-rank percentiles).
struct duration_summary {
    std::size_t count = 0;
    protocol::millis p50 = 0;
    protocol::millis p90 = 0;
    protocol::millis max = 0;
};

/// How fast a set of requests was answered, each duration from the request's arrival.
struct response_times {
    duration_summary to_acknowledge; ///< to the first acknowledgement: a give-back does not undo a response
    duration_summary to_contact; ///< to the first `contacted` step, or a resolve as called_back before one
    duration_summary to_resolve;
    // The 60 s target. A request staff could not be expected to acknowledge within 60 s is left out of
    // the share, unless they did: one that arrived while the office was closed by its calendar, and one
    // its resident cancelled within 60 s with no one having acknowledged it. One cancelled unacknowledged
    // after longer waited in vain: it counts, as missed.
    std::size_t acknowledged_within_60s = 0;
    std::size_t within_60s_counted = 0; ///< the share's denominator: total less the two left out below
    std::size_t left_out_arrived_while_closed = 0;
    std::size_t left_out_cancelled_within_60s = 0;
    std::optional<double> share_acknowledged_within_60s; ///< of within_60s_counted; absent when it is 0
};

struct stats_report {
    protocol::millis from = 0; ///< UTC, inclusive
    protocol::millis to = 0;   ///< UTC, exclusive
    std::string first_day;     ///< the same period as office-local dates, YYYY-MM-DD, both included
    std::string last_day;
    std::size_t total = 0;
    std::map<std::string, std::size_t> by_priority, by_channel, by_state, by_outcome;
    response_times all;
    /// The same for "urgent" and "normal" (both always present), by each request's priority now: a
    /// repeat press raises a normal request to urgent.
    std::map<std::string, response_times> by_priority_times;
};

/// Whether the office was open at a UTC instant, by its calendar.
using office_open_fn = std::function<bool(protocol::millis)>;

stats_report compute_stats(const std::vector<store::request_history>&, protocol::millis from,
                           protocol::millis to, const office_open_fn& office_open);

/// `{"from","to","first_day","last_day","total","by_priority":{…},…,"to_acknowledge":{"count","p50_s","p90_s","max_s"},…,
/// "acknowledged_within_60s","within_60s_counted","within_60s_left_out":{"arrived_while_closed",
/// "cancelled_within_60s"},"share_acknowledged_within_60s","by_priority_times":{"urgent":{…},"normal":{…}}}`,
/// each of by_priority_times holding the same fields as the whole, from to_acknowledge on.
std::string stats_json(const stats_report&);
/// The same as `metric,value` rows (a header line first), for spreadsheets; by_priority_times as
/// `priority.urgent.to_acknowledge.p50_s` and so on.
std::string stats_csv(const stats_report&);

} // namespace ask
