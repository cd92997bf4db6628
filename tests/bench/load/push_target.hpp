// A server under test in the push scenarios (2, 3, 4, 6), seen the same way whichever it is:
// measured dashboards that receive every published alert, idle dashboards that are connected
// but get none of the traffic, a way to publish one measured alert and one unit of background
// load. Implementations: askd (resident press → staff dashboards), the Node `ws` push peer
// (HTTP POST → WebSocket broadcast) and mosquitto (MQTT 3.1.1 over WebSocket, QoS 0).
#pragma once

#include "tests/bench/load/marker.hpp"
#include "tests/bench/load/ws_conn.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ask::bench {

namespace net = boost::asio;

struct target_options {
    std::string host = "127.0.0.1";
    std::uint16_t port = 0;
    // askd only:
    std::string duty_user, idle_user, password; ///< staff in the main office / in an office with no traffic
    std::vector<std::string> resident_tokens;   ///< residents of the main office who press
    std::string twilio_token;                   ///< signs background webhooks
    std::uint64_t number_base = 0;              ///< background texts come from +48 5xx… numbers from here up
};

class push_target {
public:
    /// Called once per measured alert per dashboard, with the time it was read.
    using delivery_fn = std::function<void(int dashboard, const marker&, std::int64_t at_us)>;

    virtual ~push_target() = default;
    /// Opens `n` dashboards that receive every published alert, ready (subscribed, on duty) on return.
    virtual net::awaitable<void> open_dashboards(int n, delivery_fn) = 0;
    /// Opens `n` connections that stay idle: no published or background traffic reaches them.
    virtual net::awaitable<void> open_idle(int n) = 0;
    /// Publishes one measured alert now; `text` is the marker plus filler.
    virtual void publish(const std::string& text, bool urgent) = 0;
    /// Sends one unit of background load now (askd: a signed SMS webhook from a new number).
    virtual void background(std::uint64_t seq) = 0;

    std::size_t publish_failures = 0;
    std::size_t background_sent = 0, background_done = 0, background_failures = 0;
    /// Idle connections still open.
    std::size_t idle_open() const {
        std::size_t open = 0;
        for (const auto& c : idle_)
            open += c->is_open() ? 1 : 0;
        return open;
    }

protected:
    std::vector<std::shared_ptr<ws_conn>> idle_; ///< what open_idle() opened
};

std::unique_ptr<push_target> make_ask_target(net::io_context&, const target_options&);
std::unique_ptr<push_target> make_node_target(net::io_context&, const target_options&);
std::unique_ptr<push_target> make_mqtt_target(net::io_context&, const target_options&);

} // namespace ask::bench
