// Real HTTP and WebSocket clients (Beast) for black-box tests of askd over loopback.
// Every operation has a deadline: a test waits for what it expects, never forever.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/object.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ask::test {

using namespace std::chrono_literals;

struct http_reply {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers; ///< lowercase names
    boost::json::object json() const;           ///< the body as a JSON object (fails the test if not)
};

/// One HTTP/1.1 request on a fresh connection. `headers` are added as given.
http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body = "", const std::map<std::string, std::string>& headers = {},
                        std::chrono::milliseconds timeout = 10s);

/// Shorthands with a bearer token ("" for none).
http_reply http_get(std::uint16_t port, const std::string& target, const std::string& token = "");
http_reply http_post(std::uint16_t port, const std::string& target, const std::string& body,
                     const std::string& token = "");

/// Sends `bytes` as they are on a fresh connection and returns what the server answers (until it closes).
std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout = 5s);

/// Logs in over HTTP and returns the session token (fails the test otherwise).
std::string login(std::uint16_t port, const std::string& username, const std::string& password);

class ws_client {
public:
    /// Connects to `target` (e.g. "/ws/staff") offering subprotocol ask.v1 unless `subprotocol` says otherwise.
    /// On a refused upgrade, connected() is false and refusal_status() holds the HTTP status.
    ws_client(std::uint16_t port, const std::string& target, const std::map<std::string, std::string>& headers = {},
              const std::string& subprotocol = "ask.v1");
    ~ws_client();

    bool connected() const { return connected_; }
    int refusal_status() const { return refusal_status_; }
    std::string negotiated_subprotocol() const { return negotiated_; }

    void send(const std::string& text);
    void send(const boost::json::object& message);
    /// The oldest message not yet taken, or nullopt if none arrived in time or the connection closed.
    std::optional<boost::json::object> next(std::chrono::milliseconds timeout = 5s);
    /// The oldest message not yet taken of `type` (that `match` accepts), waiting for it if needed;
    /// messages passed over stay available to later calls, so tests need not know the server's order.
    std::optional<boost::json::object> next_of(const std::string& type, std::chrono::milliseconds timeout = 5s,
                                               const std::function<bool(const boost::json::object&)>& match = {});
    /// True when no message of `type` is waiting or arrives within `window`.
    bool quiet_for(const std::string& type, std::chrono::milliseconds window);

    /// True once the server closed the connection; close_code() then holds its close frame's code (0 if none).
    bool closed() const { return closed_; }
    int close_code() const { return close_code_; }
    /// Waits until the server closes the connection.
    bool wait_closed(std::chrono::milliseconds timeout = 5s);
private:
    std::optional<boost::json::object> take_pending(const std::string& type,
                                                    const std::function<bool(const boost::json::object&)>& match);

    void start_read();
    bool pump_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

    boost::asio::io_context ioc_;
    boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
    bool connected_ = false;
    bool closed_ = false;
    int close_code_ = 0;
    int refusal_status_ = 0;
    std::string negotiated_;
    bool reading_ = false;
    boost::beast::flat_buffer buffer_;
    std::vector<std::string> inbox_;
    std::vector<boost::json::object> pending_; ///< received, parsed, passed over by next_of()
};

} // namespace ask::test
