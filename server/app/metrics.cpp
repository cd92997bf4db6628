#include "server/app/metrics.hpp"

#include <fmt/format.h>

#include <string_view>

namespace ask {

void metrics::request_created(protocol::channel c, protocol::priority p) { ++requests_[{c, p}]; }

void metrics::acknowledged_after(protocol::millis elapsed) {
    double seconds = static_cast<double>(elapsed) / 1000.0;
    for (std::size_t i = 0; i < ack_buckets_seconds.size(); ++i)
        if (seconds <= ack_buckets_seconds[i])
            ++ack_counts_[i];
    ++ack_total_;
    ack_sum_seconds_ += seconds;
}

namespace {

// One series without labels: its HELP and TYPE lines and its value.
void single(std::string& out, std::string_view name, std::string_view type, std::string_view help,
            std::uint64_t value) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n{} {}\n", name, help, name, type, name, value);
}

} // namespace

std::string metrics::render(const gauges& g) const {
    std::string out;
    out += "# HELP ask_requests_total Requests accepted since start, by channel and priority.\n";
    out += "# TYPE ask_requests_total counter\n";
    for (auto c : {protocol::channel::web, protocol::channel::button, protocol::channel::sms})
        for (auto p : {protocol::priority::urgent, protocol::priority::normal}) {
            auto it = requests_.find({c, p});
            out += fmt::format("ask_requests_total{{channel=\"{}\",priority=\"{}\"}} {}\n", protocol::to_string(c),
                               protocol::to_string(p), it == requests_.end() ? 0 : it->second);
        }
    out += "# HELP ask_open_alerts Requests not yet resolved or cancelled.\n# TYPE ask_open_alerts gauge\n";
    out += fmt::format("ask_open_alerts {}\n", g.open_alerts);
    out += "# HELP ask_websocket_connections Open WebSocket connections by kind.\n";
    out += "# TYPE ask_websocket_connections gauge\n";
    out += fmt::format("ask_websocket_connections{{kind=\"staff\"}} {}\n", g.staff_connections);
    out += fmt::format("ask_websocket_connections{{kind=\"resident\"}} {}\n", g.resident_connections);
    // What an operator alerts on when the disk fills or turns read-only (every write is refused with
    // 503 meanwhile), and the store's group size: jobs per commit.
    single(out, "ask_storage_available", "gauge",
           "1 while writes commit, 0 from a write the storage refused until one works.", g.storage_available ? 1 : 0);
    single(out, "ask_store_commits_total", "counter", "Transactions the store thread committed since start.",
           g.store_commits);
    single(out, "ask_store_jobs_total", "counter", "Store jobs run since start, committed or failed.", g.store_jobs);
    // A stalled store shows as a group that stays running and a growing queue, then as refusals
    // (503) once the queue holds [store] queue_max.
    single(out, "ask_store_running_jobs", "gauge", "Store jobs in the group the store thread is running now.",
           g.store_running);
    single(out, "ask_store_queue_jobs", "gauge", "Store jobs waiting for the store thread now.", g.store_queued);
    single(out, "ask_store_refused_total", "counter",
           "Store jobs refused unrun since start because the queue was full.", g.store_refused);
    // The record of who was shown a resident's card (RODO) waits here while the store cannot take it.
    single(out, "ask_views_waiting", "gauge", "Records of staff shown a resident's card, not yet stored.",
           g.views_waiting);
    single(out, "ask_views_lost_total", "counter",
           "Records of staff shown a resident's card dropped since start: too many waited for the store.",
           g.views_lost);
    // The upkeep loop (long texts, the record above, retention) passes every second; a count that stops
    // means it is stuck.
    single(out, "ask_upkeep_passes_total", "counter", "Passes of the upkeep loop completed since start.",
           g.upkeep_passes);
    single(out, "ask_sign_in_checks_total", "counter",
           "Checks of live sign-ins completed since start: one follows each second in which another process "
           "(an askd command) committed to the database, or a check that failed or was owed.",
           g.sign_in_checks);
    single(out, "ask_http_not_confirmed_total", "counter",
           "HTTP requests answered 503 not_confirmed since start: no answer within the reply deadline.",
           not_confirmed_);
    // A stuck button or a script shows here first; its presses are refused and stored nowhere else.
    out +=
        "# HELP ask_presses_refused_total Residents' presses refused past the press allowance since start, "
        "by reason (the 429's code); none of them was stored.\n";
    out += "# TYPE ask_presses_refused_total counter\n";
    for (const auto& [reason, count] : presses_refused_)
        out += fmt::format("ask_presses_refused_total{{reason=\"{}\"}} {}\n", reason, count);
    out += "# HELP ask_time_to_acknowledge_seconds Time from a request to its acknowledgement.\n";
    out += "# TYPE ask_time_to_acknowledge_seconds histogram\n";
    for (std::size_t i = 0; i < ack_buckets_seconds.size(); ++i)
        out += fmt::format("ask_time_to_acknowledge_seconds_bucket{{le=\"{}\"}} {}\n", ack_buckets_seconds[i],
                           ack_counts_[i]);
    out += fmt::format("ask_time_to_acknowledge_seconds_bucket{{le=\"+Inf\"}} {}\n", ack_total_);
    out += fmt::format("ask_time_to_acknowledge_seconds_sum {}\n", ack_sum_seconds_);
    out += fmt::format("ask_time_to_acknowledge_seconds_count {}\n", ack_total_);
    return out;
}

} // namespace ask
