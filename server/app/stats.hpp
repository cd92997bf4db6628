// Statistics for coordinators' reports: what came in, how it ended, and how fast staff
// acknowledged, reached and resolved residents. Pure: computed from stored requests.
#pragma once

#include "server/store/requests.hpp"

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

struct stats_report {
    protocol::millis from = 0; ///< UTC, inclusive
    protocol::millis to = 0;   ///< UTC, exclusive
    std::string first_day;     ///< the same period as office-local dates, YYYY-MM-DD, both included
    std::string last_day;
    std::size_t total = 0;
    std::map<std::string, std::size_t> by_priority, by_channel, by_state, by_outcome;
    duration_summary to_acknowledge, to_contact, to_resolve; ///< each from the request's arrival
    std::size_t acknowledged_within_60s = 0;
    std::optional<double> share_acknowledged_within_60s; ///< of all requests; absent when there are none
};

stats_report compute_stats(const std::vector<store::request_record>&, protocol::millis from, protocol::millis to);

/// `{"from","to","first_day","last_day","total","by_priority":{…},…,"to_acknowledge":{"count","p50_s","p90_s","max_s"},…}`.
std::string stats_json(const stats_report&);
/// The same as `metric,value` rows (a header line first), for spreadsheets.
std::string stats_csv(const stats_report&);

} // namespace ask
