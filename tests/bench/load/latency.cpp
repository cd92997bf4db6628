#include "tests/bench/load/latency.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ask::bench {

summary latencies::summarize() const {
    summary s;
    s.count = samples_.size();
    if (samples_.empty())
        return s;
    auto sorted = samples_;
    std::sort(sorted.begin(), sorted.end());
    auto rank = [&](double q) {
        auto i = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
        return sorted[std::min(sorted.size(), std::max<std::size_t>(i, 1)) - 1];
    };
    s.p50 = rank(0.50);
    s.p90 = rank(0.90);
    s.p99 = rank(0.99);
    s.max = sorted.back();
    return s;
}

std::string describe(const summary& s) {
    return fmt::format("p50 {:.2f} / p90 {:.2f} / p99 {:.2f} / max {:.2f} ms (n={})", s.p50 / 1000.0, s.p90 / 1000.0,
                       s.p99 / 1000.0, s.max / 1000.0, s.count);
}

} // namespace ask::bench
