// One client WebSocket connection (Beast) for dashboards, subscribers and the MQTT publisher:
// it reads for as long as it is open and hands every message to a callback together with the
// time it was read (now_us()); sends are queued and written one at a time. Lives until the
// process ends. Single-threaded: call from the io_context's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ask::bench {

namespace net = boost::asio;

struct ws_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    std::string target = "/";
    std::string subprotocol; ///< offered in Sec-WebSocket-Protocol when not empty
    std::string bearer;      ///< sent as "Authorization: Bearer …" when not empty
    bool binary = false;     ///< frames we send are binary (MQTT) rather than text
};

class ws_conn : public std::enable_shared_from_this<ws_conn> {
public:
    using message_fn = std::function<void(std::string_view data, std::int64_t at_us)>;

    /// Connects and upgrades; throws on failure. Reading starts at once.
    static net::awaitable<std::shared_ptr<ws_conn>> open(net::io_context&, const ws_options&, message_fn);

    void send(std::string bytes);
    bool is_open() const { return open_; }

    struct impl;
    explicit ws_conn(std::unique_ptr<impl>);
    ~ws_conn();

private:
    net::awaitable<void> read_loop();
    net::awaitable<void> write_loop();

    std::unique_ptr<impl> impl_;
    message_fn on_message_;
    std::deque<std::string> outbox_;
    bool writing_ = false;
    bool open_ = false;
};

/// Opens `n` connections, at most `parallel` handshakes at a time; `make_fn(i)` gives the i-th
/// connection's callback and `on_open(i, conn)`, if set, runs as soon as that one is open (e.g. to
/// say hello before the server's login timeout). Throws if any fails.
net::awaitable<std::vector<std::shared_ptr<ws_conn>>> open_many(
    net::io_context&, const ws_options&, int n, int parallel, std::function<ws_conn::message_fn(int)> make_fn,
    std::function<void(int, ws_conn&)> on_open = {});

} // namespace ask::bench
