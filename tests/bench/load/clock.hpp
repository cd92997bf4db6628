// The one clock every sender and receiver in the load generator uses: CLOCK_MONOTONIC in
// microseconds. Senders put it in the payload; receivers subtract it on arrival (same host).
#pragma once

#include <cstdint>
#include <ctime>

namespace ask::bench {

inline std::int64_t now_us() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

} // namespace ask::bench
