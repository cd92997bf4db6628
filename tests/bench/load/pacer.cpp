#include "tests/bench/load/pacer.hpp"

#include "tests/bench/load/clock.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <limits>

namespace ask::bench {

net::awaitable<void> pace(net::io_context& ioc, std::vector<paced_stream> streams, latencies& lag) {
    std::vector<std::uint64_t> fired(streams.size(), 0);
    const std::int64_t start = now_us();
    auto due = [&](std::size_t s) {
        return start + static_cast<std::int64_t>(static_cast<double>(fired[s]) * 1e6 / streams[s].rate);
    };
    net::steady_timer timer(ioc);
    for (;;) {
        std::int64_t next = std::numeric_limits<std::int64_t>::max();
        for (std::size_t s = 0; s < streams.size(); ++s)
            if (streams[s].rate > 0 && fired[s] < streams[s].total)
                next = std::min(next, due(s));
        if (next == std::numeric_limits<std::int64_t>::max())
            co_return;
        if (auto wait = next - now_us(); wait > 0) {
            timer.expires_after(std::chrono::microseconds(wait));
            co_await timer.async_wait(net::use_awaitable);
        }
        auto now = now_us();
        for (std::size_t s = 0; s < streams.size(); ++s) {
            while (streams[s].rate > 0 && fired[s] < streams[s].total && due(s) <= now) {
                lag.add(now - due(s));
                streams[s].fire(fired[s]++);
            }
        }
    }
}

net::awaitable<void> pause(net::io_context& ioc, int ms) {
    net::steady_timer t(ioc, std::chrono::milliseconds(ms));
    co_await t.async_wait(net::use_awaitable);
}

} // namespace ask::bench
