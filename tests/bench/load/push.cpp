#include "tests/bench/load/clock.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/results.hpp"
#include "tests/bench/load/scenarios.hpp"

#include <fmt/format.h>

#include <fstream>

#include <unistd.h>

namespace ask::bench {
namespace {

struct alert_state {
    int received = 0;
    std::int64_t last_us = 0; ///< latency to the latest dashboard so far
};

struct trial { // outlives the trial: late deliveries land here
    std::vector<alert_state> alerts;
    latencies each;
    std::size_t deliveries = 0;
};

constexpr int backlog_rate = 2500; ///< background items per second while the backlog is built

std::string alert_text(std::uint64_t seq) {
    return format_marker({seq, now_us()}) + " " + std::string(200, 'x');
}

} // namespace

void finish() {
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(0);
}

void record(const args& a, const std::string& kind, double x, double y, double delivered) {
    append_result(a.str("out"), {a.str("scenario"), a.str("who"), a.str("side"), kind, x, y, delivered});
}

std::unique_ptr<push_target> make_target(net::io_context& ioc, const args& a) {
    target_options o;
    o.host = a.str("host", "127.0.0.1");
    o.port = static_cast<std::uint16_t>(a.num("port", 0));
    o.number_base = static_cast<std::uint64_t>(a.num("number-base", 0));
    auto peer = a.str("peer");
    if (peer == "node")
        return make_node_target(ioc, o);
    if (peer == "mqtt")
        return make_mqtt_target(ioc, o);
    if (peer != "ask")
        throw std::runtime_error("--peer must be ask, node or mqtt");
    o.duty_user = a.str("duty-user", "duty");
    o.idle_user = a.str("idle-user", "idle");
    o.password = a.str("password");
    o.twilio_token = a.str("twilio-token");
    std::ifstream tokens(a.str("residents"));
    for (std::string line; std::getline(tokens, line);)
        if (!line.empty())
            o.resident_tokens.push_back(line);
    return make_ask_target(ioc, o);
}

net::awaitable<void> run_push(net::io_context& ioc, const args& a) {
    const int dashboards = static_cast<int>(a.num("dashboards", 10)), idle = static_cast<int>(a.num("idle", 0));
    const double rate = a.num("rate", 50), secs = a.num("secs", 5), bg_rate = a.num("bg-rate", 0);
    const auto backlog = static_cast<std::uint64_t>(a.num("backlog", 0));
    const bool urgent = a.num("urgent", 0) != 0, last = a.str("metric", "delivery") == "last";
    const auto sent = static_cast<std::uint64_t>(rate * secs);
    auto target = make_target(ioc, a);
    auto t = std::make_shared<trial>();
    t->alerts.resize(sent);
    co_await target->open_dashboards(dashboards, [t](int, const marker& m, std::int64_t at) {
        if (m.seq >= t->alerts.size())
            return;
        auto& s = t->alerts[m.seq];
        ++s.received;
        s.last_us = std::max(s.last_us, at - m.t0_us);
        t->each.add(at - m.t0_us);
        ++t->deliveries;
    });
    co_await target->open_idle(idle);
    latencies lag;
    if (backlog > 0) {
        auto* tp = target.get();
        std::vector<paced_stream> build{{backlog_rate, backlog, [tp](std::uint64_t i) { tp->background(i); }}};
        co_await pace(ioc, std::move(build), lag);
        for (int waited = 0; target->background_done < backlog && waited < 60000; waited += 10)
            co_await pause(ioc, 10);
        co_await pause(ioc, 2000); // the dashboards read the backlog's alerts
    }
    auto* tp = target.get();
    std::vector<paced_stream> streams{
        {rate, sent, [tp, urgent](std::uint64_t i) { tp->publish(alert_text(i), urgent); }},
        {bg_rate, static_cast<std::uint64_t>(bg_rate * secs), [tp, backlog](std::uint64_t i) { tp->background(backlog + i); }}};
    lag = {};
    co_await pace(ioc, std::move(streams), lag);
    const auto expected = sent * static_cast<std::uint64_t>(dashboards);
    for (int waited = 0; t->deliveries < expected && waited < 3000; waited += 10)
        co_await pause(ioc, 10);

    latencies to_last;
    for (const auto& s : t->alerts)
        if (s.received == dashboards)
            to_last.add(s.last_us);
    const double delivered = expected ? 100.0 * static_cast<double>(t->deliveries) / static_cast<double>(expected) : 0;
    auto each = t->each.summarize(), lastd = to_last.summarize();
    fmt::print("  {} {}: each {}; last {}; delivered {:.1f}%; publish failures {}; background {} sent, {} failed; "
               "idle open {}/{}; pacing lag p99 {:.2f} ms\n",
               a.str("scenario"), a.str("who"), describe(each), describe(lastd), delivered, target->publish_failures,
               target->background_sent, target->background_failures, target->idle_open(), idle,
               lag.summarize().p99 / 1000.0);
    std::fflush(stdout);
    auto figure = last ? lastd : each;
    record(a, "lat", static_cast<double>(figure.p50),
                                 static_cast<double>(figure.p99), delivered);
    finish();
}

} // namespace ask::bench
