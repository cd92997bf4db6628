// One measurement per line in a TSV file that every trial appends to, and the table made from
// it. Columns: scenario, who (the peer's name, or "ASK"), side (peer|ask), kind, a, b, delivered %.
// kind "rate": a = requests/s (higher is better; 0: no rate passed), b = p99 µs at that rate;
// kind "lat":  a = p50 µs, b = p99 µs (lower p99 is better);
// kind "mem":  a = bytes per connection (lower is better), b = connections.
// The table takes each side's best trial and prints one row per scenario and peer.
#pragma once

#include <string>

namespace ask::bench {

struct result_row {
    std::string scenario, who, side, kind;
    double a = 0, b = 0, delivered = 0;
};

void append_result(const std::string& path, const result_row&);
/// The Markdown table for every scenario in the file, in the order they first appear.
std::string results_table(const std::string& path);

} // namespace ask::bench
