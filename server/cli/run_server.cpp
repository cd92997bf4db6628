#include "server/cli/commands.hpp"
#include "server/cli/stop_watchdog.hpp"

#include "server/app/application.hpp"
#include "server/http/server.hpp"
#include "server/logging.hpp"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <malloc.h>

#include <csignal>
#include <cstdlib>

namespace ask::cli {
namespace {

// SIGTERM must end the process within 5 s: connections get this long to close cleanly.
constexpr auto shutdown_grace = std::chrono::seconds(4);
// The store gets this long to finish its commits as askd stops (stop_watchdog); it takes milliseconds
// unless it has stalled.
constexpr auto store_stop_limit = std::chrono::seconds(10);

// glibc hands the free top of the heap back to the kernel once it passes 128 KiB, and askd's
// bursts take it back at once (brk, then a page fault per page): an alert to 1,000 dashboards
// allocates a thousand socket sends together and frees them together, every time. Measured on
// that fan-out: a third of the I/O thread's CPU, a fifth of the last dashboard's latency. The
// heap now keeps up to 64 MiB of free top and grows 16 MiB at a time (untouched pages cost no
// memory). Fixing the threshold also ends glibc's own moving of it.
void keep_heap_for_bursts() {
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}

} // namespace

config resolve(const config_source& src) {
    config cfg;
    if (!src.config_path.empty())
        cfg = load_config(src.config_path);
    if (!src.listen.empty())
        set_listen(cfg, src.listen, "--listen");
    if (!src.db_path.empty())
        cfg.db_path = src.db_path;
    return cfg;
}

int serve(const config& cfg) {
    keep_heap_for_bursts();
    net::io_context ioc{1};
    application app(ioc, cfg);
    web::server front(app);
    front.listen();
    app.start();
    auto endpoint = front.local_endpoint();
    spdlog::info("listening on http://{}:{}", endpoint.address().to_string(), endpoint.port());
    if (cfg.keep_closed_days == 0)
        spdlog::warn("closed requests are kept for ever: set [privacy] keep_closed_days to your office's "
                     "retention period (RODO)");
    auto today =
        std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()).time_since_epoch().count();
    if (cfg.accessibility.review_overdue(today))
        spdlog::warn("the accessibility statement (/dostepnosc) was prepared or last reviewed on {}: the act "
                     "wants it updated by 31 March every year. Review it against the version running and set "
                     "[accessibility] prepared to the day you did",
                     cfg.accessibility.prepared);
    if (auto missing = cfg.accessibility.missing(); !missing.empty())
        spdlog::warn("the accessibility statement (/dostepnosc, required by law) says \"nie podano\" for "
                     "[accessibility] {}: set them for your office",
                     fmt::join(missing, ", "));
    if (cfg.accessibility.entity.empty() && cfg.offices.size() > 1)
        spdlog::warn(
            "the accessibility statement (/dostepnosc) names the first office, {}, as the body publishing "
            "the pages of all {} offices: set [accessibility] entity to the body that does",
            cfg.offices.front().name, cfg.offices.size());
    if (cfg.gateways.smsapi.enabled && cfg.gateways.smsapi.webhook_key.empty())
        spdlog::error(
            "SMSAPI: no [gateways.smsapi] webhook_key: every text SMSAPI forwards (residents' and "
            "staff replies) is refused with 403; sending works. Set it and give SMSAPI callback URLs "
            "ending in ?key=<it>");

    bool stopping = false;
    stop_watchdog watchdog(store_stop_limit);
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](const error_code& ec, int signal) {
        if (ec)
            return;
        spdlog::info("signal {}: stopping (no new connections; finishing commits)", signal);
        stopping = true;
        watchdog.arm();
        front.stop();
        app.stop();
        watchdog.disarm();
    });
    while (!stopping && ioc.run_one() > 0) {
    }
    // Drain: pending commits complete and sockets close; past the grace period, stop regardless.
    auto deadline = std::chrono::steady_clock::now() + shutdown_grace;
    while (std::chrono::steady_clock::now() < deadline && ioc.run_one_until(deadline) > 0) {
    }
    if (!ioc.stopped()) {
        // A peer that never answers the close frame must not hold the exit. Every commit has
        // already finished (app.stop() joined the store thread), so nothing accepted is lost;
        // exiting here skips destroying coroutine frames that still point into app and front.
        spdlog::warn("stopped with connections still closing after {} s", shutdown_grace.count());
        spdlog::shutdown();
        std::_Exit(0);
    }
    spdlog::info("stopped");
    return 0;
}

} // namespace ask::cli
