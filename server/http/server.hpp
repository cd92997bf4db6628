/** The network front of askd: one listening socket, HTTP/1.1 sessions, and WebSocket
    upgrades handed to ws::connection.

    Every read has a size limit and a deadline (config [limits]). The accept loop never
    dies: an accept error is logged and retried after a pause. stop() closes the
    acceptor, sends a close frame on every WebSocket and ends idle HTTP sessions, so the
    io_context runs out of work and run() returns.
*/
#pragma once

#include "server/app/application.hpp"
#include "server/net.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_set>
#include <utility>

namespace ask::ws {
class connection;
}

namespace ask::web {

class server {
public:
    explicit server(application& app);

    /// Binds the configured address (port 0 picks a free one) and starts accepting.
    /// @throws boost::system::system_error when the address cannot be bound.
    void listen();
    tcp::endpoint local_endpoint() const;
    void stop();

private:
    /// One of limits.max_connections: held by an HTTP session, then by the WebSocket it became.
    class connection_slot {
    public:
        explicit connection_slot(std::size_t& live) : live_(&live) { ++live; }
        connection_slot(connection_slot&& other) noexcept : live_(std::exchange(other.live_, nullptr)) {}
        connection_slot& operator=(connection_slot&&) = delete;
        ~connection_slot() {
            if (live_)
                --*live_;
        }

    private:
        std::size_t* live_;
    };

    net::awaitable<void> accept_loop();
    net::awaitable<void> session(tcp::socket socket);
    /// The answer to `req`, or 503 not_confirmed once the reply deadline passes first.
    net::awaitable<http::response<http::string_body>> answer_within(http::request<http::string_body> req);
    // A WebSocket's upgrade is a coroutine of its own that ends as the connection starts, so an
    // open connection keeps none of the HTTP session's parser and buffers, nor the upgrade request.
    net::awaitable<void> upgrade(beast::tcp_stream stream, http::request<http::string_body> req, connection_slot slot);

    application& app_;
    tcp::acceptor acceptor_;
    std::size_t live_ = 0;
    bool stopping_ = false;
    std::unordered_set<beast::tcp_stream*> http_streams_;
    std::unordered_set<std::shared_ptr<ws::connection>> websockets_;
    std::uint64_t late_answers_ = 0; ///< not_confirmed answers not yet logged (one line per 10 s at most)
    std::chrono::steady_clock::time_point late_logged_at_{};
};

} // namespace ask::web
