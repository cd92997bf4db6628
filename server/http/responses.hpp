// Building HTTP responses: JSON bodies, the error shape, and the headers every reply carries.
#pragma once

#include "server/app/failure.hpp"
#include "server/net.hpp"

#include <string>
#include <string_view>

namespace ask::web {

using response = http::response<http::string_body>;

/// A response with `body` of `content_type`, never cached, nosniff.
response make_response(http::status, std::string body, std::string_view content_type = "application/json");
/// `{"error":{"code","message"}}` with the status that matches the failure, and Retry-After when it
/// says when to try again.
response error_response(const failure&);
response error_response(http::status, std::string_view code, std::string_view message);

} // namespace ask::web
