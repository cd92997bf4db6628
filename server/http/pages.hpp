// The resident page (/r), the staff dashboard (/staff), the accessibility statement (/dostepnosc)
// and their assets (/assets/…), served from the binary with a strict Content-Security-Policy: only
// our own scripts, styles and WebSocket, no inline code, no framing.
#pragma once

#include "server/config.hpp"
#include "server/http/responses.hpp"

#include <optional>
#include <string_view>

namespace ask::web {

/// The page or asset at `path`, or nullopt when `path` is not one. `cfg` fills the statement.
std::optional<response> page(std::string_view path, const config& cfg);

} // namespace ask::web
