// mosquitto as a push target, spoken to in MQTT 3.1.1 over WebSocket (subprotocol "mqtt"):
// dashboards subscribe to ask/alerts, idle connections to ask/idle, one publisher connection
// publishes alerts (QoS 0) to ask/alerts and background load to ask/background (no subscriber).
// Every connection pings (PINGREQ) every 30 s, inside its 60 s keepalive.
#include "tests/bench/load/mqtt.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/push_target.hpp"
#include "tests/bench/load/ws_conn.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <stdexcept>

namespace ask::bench {
namespace {

constexpr std::uint16_t keepalive_seconds = 60;

class mqtt_target final : public push_target {
public:
    mqtt_target(net::io_context& ioc, const target_options& o) : ioc_(ioc), o_(o) {}

    net::awaitable<void> open_dashboards(int n, delivery_fn fn) override {
        co_await start_publisher();
        dashboards_ = co_await subscribers(n, "ask/alerts", "dash", fn);
    }

    net::awaitable<void> open_idle(int n) override {
        co_await start_publisher();
        idle_ = co_await subscribers(n, "ask/idle", "idle", {});
    }

    void publish(const std::string& text, bool urgent) override {
        auto body = boost::json::serialize(boost::json::object{{"priority", urgent ? "urgent" : "normal"}, {"message", text}});
        publisher_->send(mqtt::publish_packet("ask/alerts", body));
        if (!publisher_->is_open())
            ++publish_failures;
    }

    void background(std::uint64_t seq) override {
        ++background_sent;
        publisher_->send(mqtt::publish_packet(
            "ask/background", fmt::format("AccountSid=AC1&Body=Prosze+o+telefon%2C+tekst+{}&From=%2B485{:08}", seq, seq)));
        ++background_done; // QoS 0: nothing comes back
        if (!publisher_->is_open())
            ++background_failures;
    }


private:
    ws_options options() const { return {o_.host, o_.port, "/", "mqtt", "", true}; }

    // Opens `n` connections, each CONNECT + SUBSCRIBE `topic`; returns once every SUBACK arrived.
    net::awaitable<std::vector<std::shared_ptr<ws_conn>>> subscribers(int n, std::string topic, std::string prefix,
                                                                      delivery_fn fn) {
        auto acked = std::make_shared<int>(0);
        auto make = [fn, acked](int i) -> ws_conn::message_fn {
            auto in = std::make_shared<mqtt::reader>();
            return [fn, acked, in, i](std::string_view data, std::int64_t at) {
                in->feed(data, [&](std::uint8_t type, std::uint8_t, std::string_view body) {
                    if (type == mqtt::suback)
                        ++*acked;
                    else if (type == mqtt::publish && fn)
                        if (auto m = find_marker(mqtt::publish_payload(body)))
                            fn(i, *m, at);
                });
            };
        };
        // CONNECT at once (mosquitto drops a silent connection) and ping from then on.
        auto hello = [this, prefix, topic](int i, ws_conn& c) {
            c.send(mqtt::connect_packet(fmt::format("{}-{}-{}", prefix, o_.number_base, i), keepalive_seconds));
            c.send(mqtt::subscribe_packet(1, topic));
            all_.push_back(c.shared_from_this());
        };
        auto conns = co_await open_many(ioc_, options(), n, 64, make, hello);
        for (int waited = 0; *acked < n; waited += 10) {
            if (waited > 60000)
                throw std::runtime_error("mosquitto: not every SUBACK arrived");
            co_await pause(ioc_, 10);
        }
        co_return conns;
    }

    net::awaitable<void> start_publisher() {
        if (publisher_)
            co_return;
        publisher_ = co_await ws_conn::open(ioc_, options(), [](std::string_view, std::int64_t) {});
        publisher_->send(mqtt::connect_packet(fmt::format("pub-{}", o_.number_base), keepalive_seconds));
        all_.push_back(publisher_);
        net::co_spawn(ioc_, ping_loop(), net::detached);
    }

    net::awaitable<void> ping_loop() {
        for (;;) {
            co_await pause(ioc_, keepalive_seconds * 1000 / 2);
            for (const auto& c : all_)
                if (c->is_open())
                    c->send(mqtt::pingreq_packet());
        }
    }

    net::io_context& ioc_;
    target_options o_;
    std::shared_ptr<ws_conn> publisher_;
    std::vector<std::shared_ptr<ws_conn>> dashboards_, all_;
};

} // namespace

std::unique_ptr<push_target> make_mqtt_target(net::io_context& ioc, const target_options& o) {
    return std::make_unique<mqtt_target>(ioc, o);
}

} // namespace ask::bench
