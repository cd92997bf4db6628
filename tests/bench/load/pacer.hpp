// Open-loop pacing by the clock: each stream fires its i-th event at start + i / rate, whatever
// the server is doing (never send-after-receive). The pacer sleeps until the earliest due event;
// how late each event fired against its schedule goes into `lag`, so a generator that falls
// behind shows it.
#pragma once

#include "tests/bench/load/latency.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <vector>

namespace ask::bench {

namespace net = boost::asio;

struct paced_stream {
    double rate = 0;          ///< events per second; 0: the stream is off
    std::uint64_t total = 0;  ///< events to fire
    std::function<void(std::uint64_t index)> fire;
};

/// Fires every stream's events on schedule; returns when all are fired.
net::awaitable<void> pace(net::io_context&, std::vector<paced_stream> streams, latencies& lag);

/// Waits `ms` milliseconds on the io_context (other work keeps running).
net::awaitable<void> pause(net::io_context&, int ms);

} // namespace ask::bench
