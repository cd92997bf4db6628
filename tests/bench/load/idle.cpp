#include "tests/bench/load/clock.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/scenarios.hpp"

#include <fmt/format.h>

#include <fstream>

namespace ask::bench {
namespace {

/// The process's resident set in bytes (VmRSS in /proc/PID/status), 0 if unreadable.
double vm_rss(const std::string& pid) {
    std::ifstream status("/proc/" + pid + "/status");
    for (std::string line; std::getline(status, line);)
        if (line.starts_with("VmRSS:"))
            return std::stod(line.substr(6)) * 1024;
    return 0;
}

} // namespace

net::awaitable<void> run_idle(net::io_context& ioc, const args& a) {
    const int n = static_cast<int>(a.num("n", 1000));
    const auto pid = a.str("pid");
    auto target = make_target(ioc, a);
    co_await target->open_idle(0); // logins and publisher first: not part of the per-connection figure
    co_await pause(ioc, 1000);
    const double before = vm_rss(pid);
    const auto start = now_us();
    co_await target->open_idle(n);
    const double connect_s = static_cast<double>(now_us() - start) / 1e6;
    co_await pause(ioc, static_cast<int>(a.num("settle-ms", 5000)));
    const double after = vm_rss(pid);
    const auto open = target->idle_open();
    const double per = (after - before) / n;
    fmt::print("  {} {}: {} connections in {:.1f} s; VmRSS {:.1f} -> {:.1f} MB; {:.0f} B/conn; {} still open\n",
               a.str("scenario"), a.str("who"), n, connect_s, before / 1e6, after / 1e6, per, open);
    std::fflush(stdout);
    record(a, "mem", per, static_cast<double>(n), 100.0 * static_cast<double>(open) / n);
    finish();
}

} // namespace ask::bench
