// Namespace aliases and the completion tokens every coroutine uses. Vocabulary only.
//
// Boost 1.81 has no default completion tokens and no partial `as_tuple`, so the two
// tokens are spelled once here and passed explicitly at every suspension point; that
// also makes each call's error policy visible (as_result: error codes are values).
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>

namespace ask {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = boost::asio::ip::tcp;
using error_code = boost::system::error_code;

inline constexpr auto use_awaitable = net::use_awaitable;
inline constexpr auto as_result = net::as_tuple(net::use_awaitable);

} // namespace ask
