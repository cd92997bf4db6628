// Protocol identity, negotiated as the WebSocket subprotocol. A breaking change gets a new name.
#pragma once

#include <string_view>

namespace ask::protocol {

inline constexpr std::string_view subprotocol = "ask.v1";

} // namespace ask::protocol
