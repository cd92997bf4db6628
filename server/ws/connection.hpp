/** One WebSocket connection, staff dashboard or resident page.

    Runs two coroutines on the I/O thread: read_loop() hands each text message to the
    channel, one at a time; write_loop() drains outbox_, sleeping on wakeup_ as in
    Asio's chat_server. At most one read and one write are outstanding, as
    websocket::stream requires.

    The outbox is bounded: a peer that stops reading is disconnected when the limit is
    reached, never allowed to grow memory; its alerts then stay with those who read.
    Keep-alive pings and the idle timeout notice a half-open connection.
*/
#pragma once

#include "server/app/subscriber.hpp"
#include "server/net.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <string>

namespace ask::ws {

using ws_stream = websocket::stream<beast::tcp_stream>;

/// What a connection talks to: the staff or resident channel.
class channel {
public:
    virtual ~channel() = default;
    /// After the handshake, before the first read: register and send the opening messages.
    virtual net::awaitable<void> on_open() = 0;
    /// One text message; replies go through connection::deliver().
    virtual net::awaitable<void> on_message(const std::string& text) = 0;
    /// The connection is gone (any reason): unregister. Not a coroutine; must not throw.
    virtual void on_close() noexcept = 0;
};

struct connection_limits {
    std::size_t message_bytes;
    std::size_t outbox_messages;
    std::chrono::seconds idle_timeout;
};

class connection : public subscriber, public std::enable_shared_from_this<connection> {
public:
    connection(ws_stream ws, connection_limits limits);

    /// Runs the connection until it closes. `make_channel` builds the channel for this
    /// connection (it may keep a reference to it); the handshake has already completed.
    net::awaitable<void> run(const std::function<std::unique_ptr<channel>(connection&)>& make_channel);

    void deliver(shared_text message) override;

    /// Asks the peer to close (going away): sent after what is already queued. For shutdown.
    void close_gracefully();

    /// Accepts the upgrade with the ask.v1 subprotocol and this connection's limits.
    /// Returns false (and has answered with an error) when the handshake failed.
    static net::awaitable<bool> accept(ws_stream& ws, const http::request<http::string_body>& upgrade,
                                       const connection_limits& limits);

private:
    net::awaitable<void> read_loop();
    net::awaitable<void> write_loop();
    void drop(const char* why);

    ws_stream ws_;
    connection_limits limits_;
    net::steady_timer wakeup_;
    std::deque<shared_text> outbox_;
    std::unique_ptr<channel> channel_;
    bool closing_ = false;
    bool dropped_ = false;
};

} // namespace ask::ws
