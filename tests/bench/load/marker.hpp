// The latency marker carried by every measured message: "seq=<n> t0=<µs>", where t0 is the
// moment the open-loop pacer sent it; any wait after that (e.g. for a free resident) counts
// against the server, as it would for a real sender.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ask::bench {

struct marker {
    std::uint64_t seq = 0;
    std::int64_t t0_us = 0;
};

std::string format_marker(const marker&);
/// The first marker in `text`, if any (the rest of the text is ignored).
std::optional<marker> find_marker(std::string_view text);

} // namespace ask::bench
