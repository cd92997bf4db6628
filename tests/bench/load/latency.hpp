// Latency samples in microseconds and their summary (nearest-rank percentiles).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ask::bench {

struct summary {
    std::size_t count = 0;
    std::int64_t p50 = 0, p90 = 0, p99 = 0, max = 0; ///< µs; all 0 when count is 0
};

class latencies {
public:
    void add(std::int64_t us) { samples_.push_back(us); }
    std::size_t size() const { return samples_.size(); }
    summary summarize() const;

private:
    std::vector<std::int64_t> samples_;
};

/// "p50 0.21 / p90 0.40 / p99 2.31 / max 9.80 ms (n=500)"
std::string describe(const summary&);

} // namespace ask::bench
