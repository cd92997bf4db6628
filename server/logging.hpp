// Logging setup: spdlog's default logger on stderr, one readable line per event.
// House rule: never a token, password or health detail in a log line.
#pragma once

#include <string>

namespace ask {

/// Sets the level ("trace" … "off") and the line format. Call once at startup.
void init_logging(const std::string& level);

} // namespace ask
