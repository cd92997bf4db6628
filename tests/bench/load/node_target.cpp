// The Node `ws` push peer (tests/bench/peers/peer_ws_push.js) as a push target: POST /alert is
// broadcast to the WebSocket clients on /ws; clients on /idle are held and get nothing; POST
// /webhook is answered without broadcasting (the background load).
#include "tests/bench/load/http_pool.hpp"
#include "tests/bench/load/push_target.hpp"
#include "tests/bench/load/ws_conn.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace ask::bench {
namespace {

class node_target final : public push_target {
public:
    node_target(net::io_context& ioc, const target_options& o)
        : ioc_(ioc), o_(o), host_port_(fmt::format("{}:{}", o.host, o.port)), alerts_(ioc, o.host, o.port, 8),
          webhooks_(ioc, o.host, o.port, 32) {}

    net::awaitable<void> open_dashboards(int n, delivery_fn fn) override {
        co_await start_pools();
        ws_options w{o_.host, o_.port, "/ws", "", ""};
        auto make = [fn](int i) -> ws_conn::message_fn {
            return [fn, i](std::string_view data, std::int64_t at) {
                if (auto m = find_marker(data))
                    fn(i, *m, at);
            };
        };
        dashboards_ = co_await open_many(ioc_, w, n, 64, make);
    }

    net::awaitable<void> open_idle(int n) override {
        co_await start_pools();
        ws_options w{o_.host, o_.port, "/idle", "", ""};
        idle_ = co_await open_many(ioc_, w, n, 64, [](int) { return [](std::string_view, std::int64_t) {}; });
    }

    void publish(const std::string& text, bool urgent) override {
        auto body = boost::json::serialize(boost::json::object{{"priority", urgent ? "urgent" : "normal"}, {"message", text}});
        alerts_.submit(http_request_text("POST", host_port_, "/alert", "application/json", body),
                       [this](int status, std::string) {
                           if (status != 202)
                               ++publish_failures;
                       });
    }

    void background(std::uint64_t seq) override {
        ++background_sent;
        auto body = fmt::format("AccountSid=AC1&Body=Prosze+o+telefon%2C+tekst+{}&From=%2B485{:08}&MessageSid=SMbench{:012}"
                                "&To=%2B48732100200",
                                seq, seq, seq);
        webhooks_.submit(http_request_text("POST", host_port_, "/webhook", "application/x-www-form-urlencoded", body),
                         [this](int status, std::string) {
                             ++background_done;
                             if (status != 200)
                                 ++background_failures;
                         });
    }


private:
    net::awaitable<void> start_pools() {
        if (started_)
            co_return;
        started_ = true;
        co_await alerts_.start();
        co_await webhooks_.start();
    }

    net::io_context& ioc_;
    target_options o_;
    std::string host_port_;
    http_pool alerts_, webhooks_;
    bool started_ = false;
    std::vector<std::shared_ptr<ws_conn>> dashboards_;
};

} // namespace

std::unique_ptr<push_target> make_node_target(net::io_context& ioc, const target_options& o) {
    return std::make_unique<node_target>(ioc, o);
}

} // namespace ask::bench
