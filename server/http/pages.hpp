// The resident page (/r), the staff dashboard (/staff) and their assets (/assets/…),
// served from the binary with a strict Content-Security-Policy: only our own scripts,
// styles and WebSocket, no inline code, no framing.
#pragma once

#include "server/http/responses.hpp"

#include <optional>
#include <string_view>

namespace ask::web {

/// The page or asset at `path`, or nullopt when `path` is not one.
std::optional<response> page(std::string_view path);

} // namespace ask::web
