#include "tests/bench/load/marker.hpp"

#include <charconv>

namespace ask::bench {

std::string format_marker(const marker& m) {
    return "seq=" + std::to_string(m.seq) + " t0=" + std::to_string(m.t0_us);
}

std::optional<marker> find_marker(std::string_view text) {
    auto at = text.find("seq=");
    if (at == std::string_view::npos)
        return std::nullopt;
    marker m;
    const char* p = text.data() + at + 4;
    const char* end = text.data() + text.size();
    auto r = std::from_chars(p, end, m.seq);
    if (r.ec != std::errc{} || end - r.ptr < 4 || std::string_view(r.ptr, 4) != " t0=")
        return std::nullopt;
    if (std::from_chars(r.ptr + 4, end, m.t0_us).ec != std::errc{})
        return std::nullopt;
    return m;
}

} // namespace ask::bench
