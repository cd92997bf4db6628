// Reading who is asking from an HTTP request: bearer tokens, the staff session cookie,
// the resident's ?token=, and whether a cookie-authenticated request comes from an
// allowed Origin (cookies ride along on cross-site requests; bearer headers do not).
#pragma once

#include "server/config.hpp"
#include "server/net.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ask::web {

using request = http::request<http::string_body>;

inline constexpr std::string_view session_cookie = "ask_session";

/// The token of an `Authorization: Bearer <token>` header, or "".
std::string bearer_token(const request&);
/// The value of the named cookie, or "".
std::string cookie(const request&, std::string_view name);
/// The first value of a query parameter of the target; "" when absent or the query is malformed.
std::string query_param(const request&, std::string_view name);
/// The target's path without the query.
std::string path_of(const request&);
/// `text` as a positive decimal integer (a request id in a path, a count in a query), or nullopt when it
/// is anything else: empty, signed, with other characters, zero, or past int64.
std::optional<std::int64_t> positive_integer(std::string_view text);

/// True for `application/json`, in any case, with or without parameters (`; charset=utf-8`).
bool is_json_media_type(std::string_view content_type);

/// True when the request has an Origin that is this server's own (same Host) or listed in
/// server.allowed_origins. A missing Origin is refused: browsers always send it on WebSocket upgrades.
bool origin_allowed(const request&, const config&);

} // namespace ask::web
