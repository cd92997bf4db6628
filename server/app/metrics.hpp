// Counters for GET /metrics in the Prometheus text format. I/O thread only.
#pragma once

#include "protocol/types.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

namespace ask {

class metrics {
public:
    void request_created(protocol::channel, protocol::priority);
    /// Time from creation to the first acknowledgement, in milliseconds.
    void acknowledged_after(protocol::millis elapsed);
    /// An HTTP request answered 503 not_confirmed: its work went past the reply deadline.
    void answered_not_confirmed() { ++not_confirmed_; }
    /// A resident's press refused past the allowance (app/press_guard.hpp), by its wire code:
    /// too_many_presses or too_many_new_requests.
    void press_refused(const std::string& reason) { ++presses_refused_[reason]; }

    struct gauges {
        std::size_t open_alerts;
        std::size_t staff_connections;
        std::size_t resident_connections;
        bool storage_available;     ///< the store thread's last write worked (store::writer::storage_ok)
        std::uint64_t store_commits; ///< transactions committed since start
        std::uint64_t store_jobs;    ///< store jobs run since start, whatever their result
        std::uint64_t store_refused; ///< store jobs refused unrun since start: the queue was full
        std::size_t store_queued;    ///< store jobs waiting now
        std::size_t store_running;   ///< store jobs in the group being run now
        std::size_t views_waiting;   ///< records of staff shown a resident's card not yet stored (view_log)
        std::uint64_t views_lost;    ///< such records dropped since start (view_log::lost)
        std::uint64_t upkeep_passes; ///< passes of the upkeep loop completed since start
        std::uint64_t sign_in_checks; ///< checks of live sign-ins completed since start (application)
    };
    /// The whole exposition, version 0.0.4 text format.
    std::string render(const gauges&) const;

private:
    static constexpr std::array<double, 10> ack_buckets_seconds{1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600};
    std::map<std::pair<protocol::channel, protocol::priority>, std::uint64_t> requests_;
    std::array<std::uint64_t, ack_buckets_seconds.size()> ack_counts_{};
    std::uint64_t ack_total_ = 0;
    std::uint64_t not_confirmed_ = 0;
    /// By reason; both reasons are shown from the start, at 0, so a rate over them needs no series to appear.
    std::map<std::string, std::uint64_t> presses_refused_{{"too_many_new_requests", 0},
                                                          {"too_many_presses", 0}};
    double ack_sum_seconds_ = 0;
};

} // namespace ask
