// askd as a push target: staff dashboards on /ws/staff (one login shared by every connection of
// a user), each asking `ping` every 10 s as the page does, presses as resident POST
// /api/v1/requests, background as signed Twilio webhooks.
// A resident with an open request would have a new press merged into it, so each press is
// cancelled as soon as it is confirmed and its resident goes back to the pool; a press due while
// every resident is busy waits for one (its marker was taken at the schedule, so the wait counts).
#include "tests/bench/load/push_target.hpp"

#include "tests/bench/load/http_pool.hpp"
#include "tests/bench/load/pacer.hpp"
#include "tests/bench/load/twilio_webhook.hpp"
#include "tests/bench/load/ws_conn.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <deque>
#include <stdexcept>

namespace ask::bench {
namespace {

class ask_target final : public push_target {
public:
    ask_target(net::io_context& ioc, const target_options& o)
        : ioc_(ioc), o_(o), host_port_(fmt::format("{}:{}", o.host, o.port)), presses_(ioc, o.host, o.port, 8),
          webhooks_(ioc, o.host, o.port, 32) {
        for (std::size_t i = 0; i < o.resident_tokens.size(); ++i)
            free_.push_back(i);
    }

    net::awaitable<void> open_dashboards(int n, delivery_fn fn) override {
        co_await start_pools();
        auto token = co_await login(o_.duty_user);
        ws_options w{o_.host, o_.port, "/ws/staff", "ask.v1", token};
        auto make = [fn](int i) -> ws_conn::message_fn {
            return [fn, i](std::string_view data, std::int64_t at) {
                // Only the first ring of a new request counts: not snapshots, quiet updates or repeats.
                if (!data.starts_with(R"({"type":"alert")") || data.find(R"("renotified":true)") != std::string_view::npos)
                    return;
                if (auto m = find_marker(data))
                    fn(i, *m, at);
            };
        };
        dashboards_ = co_await open_many(ioc_, w, n, 64, make);
        if (!dashboards_.empty())
            dashboards_.front()->send(R"({"type":"duty","on":true,"ref":"bench"})");
        co_await pause(ioc_, 300);
    }

    net::awaitable<void> open_idle(int n) override {
        co_await start_pools();
        auto token = co_await login(o_.idle_user);
        ws_options w{o_.host, o_.port, "/ws/staff", "ask.v1", token};
        idle_ = co_await open_many(ioc_, w, n, 64, [](int) { return [](std::string_view, std::int64_t) {}; });
    }

    void publish(const std::string& text, bool urgent) override {
        waiting_.push_back(boost::json::serialize(boost::json::object{
            {"priority", urgent ? "urgent" : "normal"}, {"message", text}}));
        press_next();
    }

    void background(std::uint64_t seq) override {
        twilio_text t{fmt::format("http://{}/webhooks/sms/twilio", host_port_), o_.twilio_token,
                      fmt::format("SMbench{:012}", o_.number_base + seq), fmt::format("+485{:08}", o_.number_base + seq),
                      "+48732100200", fmt::format("Prosze o telefon, tekst {} z obciazenia tla", seq)};
        ++background_sent;
        webhooks_.submit(twilio_request(host_port_, t), [this](int status, std::string) {
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
        co_await presses_.start();
        co_await webhooks_.start();
        net::co_spawn(ioc_, ping_loop(), net::detached);
    }

    // What the dashboard page does (server/web/i18n.js): a `ping` every 10 s on each connection, answered
    // `ok`. The connections take turns, a hundredth of them every 0.1 s, as pages opened at different
    // times would. Runs until the process ends (finish()).
    net::awaitable<void> ping_loop() {
        for (std::size_t turn = 0;; turn = (turn + 1) % 100) {
            co_await pause(ioc_, 100);
            for (auto* group : {&dashboards_, &idle_})
                for (std::size_t i = turn; i < group->size(); i += 100)
                    if ((*group)[i]->is_open())
                        (*group)[i]->send(R"({"type":"ping","ref":"keepalive"})");
        }
    }

    net::awaitable<std::string> login(const std::string& user) {
        auto body = boost::json::serialize(boost::json::object{{"username", user}, {"password", o_.password}});
        auto [status, reply] = co_await presses_.call(http_request_text("POST", host_port_, "/api/v1/login",
                                                                        "application/json", body));
        if (status != 200)
            throw std::runtime_error(fmt::format("login {}: HTTP {} {}", user, status, reply));
        co_return std::string(boost::json::parse(reply).at("token").as_string());
    }

    void press_next() {
        while (!waiting_.empty() && !free_.empty()) {
            auto resident = free_.front();
            free_.pop_front();
            auto body = std::move(waiting_.front());
            waiting_.pop_front();
            auto auth = fmt::format("Authorization: Bearer {}\r\n", o_.resident_tokens[resident]);
            presses_.submit(http_request_text("POST", host_port_, "/api/v1/requests", "application/json", body, auth),
                            [this, resident, auth](int status, std::string reply) {
                                if (status != 201) {
                                    ++publish_failures;
                                    release(resident);
                                    return;
                                }
                                auto id = boost::json::parse(reply).at("id").as_int64();
                                presses_.submit(http_request_text("POST", host_port_,
                                                                  fmt::format("/api/v1/requests/{}/cancel", id),
                                                                  "application/json", "{}", auth),
                                                [this, resident](int, std::string) { release(resident); });
                            });
        }
    }

    void release(std::size_t resident) {
        free_.push_back(resident);
        press_next();
    }

    net::io_context& ioc_;
    target_options o_;
    std::string host_port_;
    http_pool presses_, webhooks_;
    bool started_ = false;
    std::deque<std::size_t> free_;     ///< residents with no open request
    std::deque<std::string> waiting_;  ///< press bodies due while every resident was busy
    std::vector<std::shared_ptr<ws_conn>> dashboards_;
};

} // namespace

std::unique_ptr<push_target> make_ask_target(net::io_context& ioc, const target_options& o) {
    if (o.resident_tokens.empty())
        throw std::runtime_error("askd target: no resident tokens");
    return std::make_unique<ask_target>(ioc, o);
}

} // namespace ask::bench
