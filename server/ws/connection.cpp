#include "server/ws/connection.hpp"

#include "protocol/version.hpp"
#include "server/app/spawn.hpp"

#include <spdlog/spdlog.h>

namespace ask::ws {

using namespace net::experimental::awaitable_operators;

connection::connection(ws_stream ws, connection_limits limits)
    : ws_(std::move(ws)), limits_(limits), wakeup_(ws_.get_executor()) {
    wakeup_.expires_at(net::steady_timer::time_point::max());
}

net::awaitable<bool> connection::accept(ws_stream& ws, const http::request<http::string_body>& upgrade,
                                        const connection_limits& limits) {
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = limits.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    ws.read_message_max(limits.message_bytes);
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "askd");
        res.set(http::field::sec_websocket_protocol, protocol::subprotocol);
    }));
    ws.text(true);
    auto [ec] = co_await ws.async_accept(upgrade, as_result);
    if (ec) {
        spdlog::debug("ws: handshake failed: {}", ec.message());
        co_return false;
    }
    co_return true;
}

net::awaitable<void> connection::run(const std::function<std::unique_ptr<channel>(connection&)>& make_channel) {
    auto self = shared_from_this();
    channel_ = make_channel(*this);
    co_await channel_->on_open();
    try {
        co_await (read_loop() || write_loop());
    } catch (const std::exception& e) {
        spdlog::warn("ws: connection ended by an exception: {}", e.what());
    }
    channel_->on_close();
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
}

net::awaitable<void> connection::read_loop() {
    beast::flat_buffer buffer;
    for (;;) {
        auto [ec, n] = co_await ws_.async_read(buffer, as_result);
        if (ec == websocket::error::closed || ec == net::error::operation_aborted)
            co_return;
        if (ec) {
            // message_too_big is answered by Beast with close code 1009; timeouts mean a dead peer.
            spdlog::debug("ws: read ended: {}", ec.message());
            co_return;
        }
        if (!ws_.got_text()) {
            buffer.consume(n);
            deliver(std::make_shared<const std::string>(
                R"({"type":"error","code":"bad_request","message":"only text messages are accepted"})"));
            continue;
        }
        std::string text = beast::buffers_to_string(buffer.data());
        buffer.consume(n);
        co_await channel_->on_message(text);
    }
}

net::awaitable<void> connection::write_loop() {
    for (;;) {
        while (!outbox_.empty()) {
            auto message = outbox_.front();
            auto [ec, n] = co_await ws_.async_write(net::buffer(*message), as_result);
            if (ec)
                co_return;
            outbox_.pop_front();
        }
        if (closing_) {
            co_await ws_.async_close(websocket::close_code::going_away, as_result); // best effort at shutdown
            co_return;
        }
        if (dropped_)
            co_return;
        auto [ec] = co_await wakeup_.async_wait(as_result);
        (void)ec; // cancelled by deliver() or close_gracefully(): loop and look again
    }
}

void connection::deliver(shared_text message) {
    if (dropped_ || closing_)
        return;
    if (outbox_.size() >= limits_.outbox_messages) {
        drop("outbox full: the peer is not reading");
        return;
    }
    outbox_.push_back(std::move(message));
    wakeup_.cancel_one();
}

void connection::close_gracefully() {
    closing_ = true;
    wakeup_.cancel_one();
}

// Closing the socket ends both loops with errors; run() then unregisters the channel.
void connection::drop(const char* why) {
    dropped_ = true;
    outbox_.clear();
    spdlog::warn("ws: dropping connection: {}", why);
    error_code ignored;
    beast::get_lowest_layer(ws_).socket().close(ignored);
    wakeup_.cancel();
}

} // namespace ask::ws
