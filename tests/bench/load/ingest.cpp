#include "tests/bench/load/clock.hpp"
#include "tests/bench/load/http_pool.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/scenarios.hpp"
#include "tests/bench/load/twilio_webhook.hpp"

#include <fmt/format.h>

namespace ask::bench {
namespace {

struct step_state { // outlives its step: late answers land here, not in the next step
    latencies lat;
    std::uint64_t answered = 0, ok = 0;
};

// One signed Twilio text from a number never seen before. nginx gets the same request: only
// askd checks the signature.
void send_text(http_pool& pool, const std::string& host_port, const std::string& token, std::uint64_t number,
               const std::shared_ptr<step_state>& st) {
    twilio_text t{fmt::format("http://{}/webhooks/sms/twilio", host_port), token, fmt::format("SMbench{:012}", number),
                  fmt::format("+485{:08}", number), "+48732100200", fmt::format("Prosze o telefon, tekst {}", number)};
    auto t0 = now_us();
    pool.submit(twilio_request(host_port, t), [st, t0](int status, std::string) {
        st->lat.add(now_us() - t0);
        ++st->answered;
        st->ok += (status >= 200 && status < 300) ? 1 : 0;
    });
}

} // namespace

net::awaitable<void> run_ingest(net::io_context& ioc, const args& a) {
    const auto host = a.str("host", "127.0.0.1");
    const auto port = static_cast<std::uint16_t>(a.num("port", 0));
    const auto host_port = fmt::format("{}:{}", host, port);
    const double secs = a.num("secs", 2), limit_us = a.num("p99-ms", 10) * 1000, factor = a.num("factor", 1.5);
    const double max_rate = a.num("max", 100000);
    const auto token = a.str("twilio-token", "x"), who = a.str("who");
    auto number = static_cast<std::uint64_t>(a.num("number-base", 0));
    http_pool pool(ioc, host, port, static_cast<int>(a.num("connections", 64)));
    co_await pool.start();

    // Up by `factor` from --start while steps pass; if the first step fails, down by halves
    // to --min until one passes (then the figure is that rate; 0 when none did).
    double best_rate = 0, best_p99 = 0, delivered = 0; // delivered: % answered 2xx at the figure's step
    const double min_rate = a.num("min", 10);
    for (double rate = a.num("start", 1000); rate <= max_rate && rate >= min_rate;
         rate = best_rate > 0 ? rate * factor : rate / 2) {
        latencies lag;
        auto total = static_cast<std::uint64_t>(rate * secs);
        auto st = std::make_shared<step_state>();
        std::vector<paced_stream> streams{
            {rate, total, [&, st](std::uint64_t) { send_text(pool, host_port, token, ++number, st); }}};
        co_await pace(ioc, std::move(streams), lag);
        for (int waited = 0; st->answered < total && waited < 3000; waited += 10)
            co_await pause(ioc, 10);
        auto sum = st->lat.summarize();
        bool pass = st->ok == total && sum.p99 < limit_us;
        fmt::print("  {} {:.0f}/s: {} ok of {}; {}; pacing lag p99 {:.2f} ms -> {}\n", who, rate, st->ok, total,
                   describe(sum), lag.summarize().p99 / 1000.0, pass ? "pass" : "FAIL");
        std::fflush(stdout);
        if (!pass && best_rate > 0)
            break;
        delivered = 100.0 * static_cast<double>(st->ok) / static_cast<double>(total);
        // A failed step leaves a backlog queued in the pool and the server: the next (slower) step
        // starts only once every answer is in, so it measures its own rate and not the residue.
        for (int waited = 0; (st->answered < total || pool.queued() > 0) && waited < 120000; waited += 10)
            co_await pause(ioc, 10);
        if (st->answered < total) {
            fmt::print("  {}: {} answers still missing after 2 minutes; stopping\n", who, total - st->answered);
            break;
        }
        co_await pause(ioc, 500);
        if (!pass)
            continue;
        best_rate = rate;
        best_p99 = static_cast<double>(sum.p99);
    }
    record(a, "rate", best_rate, best_p99, delivered);
    finish();
}

} // namespace ask::bench
