#include "tests/support/clients.hpp"

#include <boost/asio/connect.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <algorithm>
#include <array>

namespace ask::test {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
using tcp = net::ip::tcp;

boost::json::object http_reply::json() const {
    boost::system::error_code ec;
    auto v = boost::json::parse(body, ec);
    if (ec || !v.is_object()) {
        ADD_FAILURE() << "not a JSON object: " << body;
        return {};
    }
    return v.as_object();
}

http_reply http_request(std::uint16_t port, const std::string& method, const std::string& target,
                        const std::string& body, const std::map<std::string, std::string>& headers,
                        std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1:" + std::to_string(port));
    for (const auto& [k, v] : headers)
        req.set(k, v);
    req.body() = body;
    req.prepare_payload();

    http_reply reply;
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    stream.expires_after(timeout);
    stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec)
            return;
        http::async_write(stream, req, [&](beast::error_code wec, std::size_t) {
            if (wec)
                return;
            http::async_read(stream, buffer, parser, [&](beast::error_code rec, std::size_t) {
                if (rec)
                    return;
                const auto& res = parser.get();
                reply.status = static_cast<int>(res.result_int());
                reply.body = res.body();
                for (const auto& field : res) {
                    std::string name(field.name_string());
                    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
                    reply.headers[name] = std::string(field.value());
                }
            });
        });
    });
    ioc.run_for(timeout + 1s);
    return reply;
}

http_reply http_get(std::uint16_t port, const std::string& target, const std::string& token) {
    std::map<std::string, std::string> headers;
    if (!token.empty())
        headers["Authorization"] = "Bearer " + token;
    return http_request(port, "GET", target, "", headers);
}

http_reply http_post(std::uint16_t port, const std::string& target, const std::string& body,
                     const std::string& token) {
    std::map<std::string, std::string> headers{{"Content-Type", "application/json"}};
    if (!token.empty())
        headers["Authorization"] = "Bearer " + token;
    return http_request(port, "POST", target, body, headers);
}

std::string login(std::uint16_t port, const std::string& username, const std::string& password) {
    boost::json::object body{{"username", username}, {"password", password}};
    auto r = http_post(port, "/api/v1/login", boost::json::serialize(body));
    EXPECT_EQ(r.status, 200) << r.body;
    if (r.status != 200)
        return {};
    auto json = r.json();
    return json.contains("token") ? std::string(json.at("token").as_string()) : std::string{};
}

ws_client::ws_client(std::uint16_t port, const std::string& target, const std::map<std::string, std::string>& headers,
                     const std::string& subprotocol)
    : ws_(ioc_) {
    auto& lowest = beast::get_lowest_layer(ws_);
    lowest.expires_after(5s);
    websocket::response_type res;
    ws_.set_option(websocket::stream_base::decorator([&](websocket::request_type& req) {
        if (!subprotocol.empty())
            req.set(http::field::sec_websocket_protocol, subprotocol);
        for (const auto& [k, v] : headers)
            req.set(k, v);
    }));
    bool done = false;
    lowest.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec) {
            done = true;
            return;
        }
        ws_.async_handshake(res, "127.0.0.1:" + std::to_string(port), target, [&](beast::error_code hec) {
            done = true;
            connected_ = !hec;
        });
    });
    ioc_.run_for(6s);
    ioc_.restart();
    if (!done)
        ADD_FAILURE() << "WebSocket connect to " << target << " timed out";
    refusal_status_ = connected_ ? 0 : static_cast<int>(res.result_int());
    if (connected_) {
        lowest.expires_never();
        negotiated_ = std::string(res[http::field::sec_websocket_protocol]);
        start_read();
    }
}

ws_client::~ws_client() {
    if (connected_ && !closed_) {
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }
    ioc_.stop();
}

// One read is always outstanding while connected; messages pile up in inbox_.
void ws_client::start_read() {
    if (reading_ || closed_)
        return;
    reading_ = true;
    ws_.async_read(buffer_, [this](beast::error_code ec, std::size_t n) {
        reading_ = false;
        if (ec) {
            closed_ = true;
            close_code_ = ws_.reason().code;
            return;
        }
        inbox_.push_back(beast::buffers_to_string(buffer_.data()));
        buffer_.consume(n);
        start_read();
    });
}

bool ws_client::pump_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
        if (closed_ && !reading_)
            return ready();
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline)
            return false;
        ioc_.restart();
        ioc_.run_one_for(deadline - now);
    }
    return true;
}

void ws_client::send(const std::string& text) {
    bool done = false;
    ws_.text(true);
    ws_.async_write(net::buffer(text), [&](beast::error_code, std::size_t) { done = true; });
    pump_until([&] { return done; }, 5s);
}

void ws_client::send(const boost::json::object& message) { send(boost::json::serialize(message)); }

std::optional<boost::json::object> ws_client::next(std::chrono::milliseconds timeout) {
    if (!pending_.empty()) {
        auto first = std::move(pending_.front());
        pending_.erase(pending_.begin());
        return first;
    }
    if (!pump_until([&] { return !inbox_.empty(); }, timeout))
        return std::nullopt;
    auto text = inbox_.front();
    inbox_.erase(inbox_.begin());
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object()) {
        ADD_FAILURE() << "server sent a message that is not a JSON object: " << text;
        return std::nullopt;
    }
    return v.as_object();
}

std::optional<boost::json::object>
ws_client::take_pending(const std::string& type, const std::function<bool(const boost::json::object&)>& match) {
    for (auto it = pending_.begin(); it != pending_.end(); ++it) {
        auto* t = it->if_contains("type");
        if (t && t->is_string() && t->as_string() == type && (!match || match(*it))) {
            auto found = std::move(*it);
            pending_.erase(it);
            return found;
        }
    }
    return std::nullopt;
}

std::optional<boost::json::object> ws_client::next_of(const std::string& type, std::chrono::milliseconds timeout,
                                                      const std::function<bool(const boost::json::object&)>& match) {
    if (auto waiting = take_pending(type, match))
        return waiting;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    std::vector<boost::json::object> passed;
    // Fresh messages are read with next(), so pending_ must not be consulted again inside.
    auto restore = [&] { pending_.insert(pending_.end(), passed.begin(), passed.end()); };
    auto saved = std::move(pending_);
    pending_.clear();
    for (;;) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        auto m = left.count() > 0 ? next(left) : std::nullopt;
        if (!m) {
            pending_ = std::move(saved);
            restore();
            return std::nullopt;
        }
        auto* t = m->if_contains("type");
        if (t && t->is_string() && t->as_string() == type && (!match || match(*m))) {
            pending_ = std::move(saved);
            restore();
            return m;
        }
        passed.push_back(std::move(*m));
    }
}

bool ws_client::quiet_for(const std::string& type, std::chrono::milliseconds window) {
    return !next_of(type, window).has_value();
}

std::string raw_exchange(std::uint16_t port, const std::string& bytes, std::chrono::milliseconds timeout) {
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    std::string answer;
    std::array<char, 4096> chunk{};
    stream.expires_after(timeout);
    std::function<void(beast::error_code, std::size_t)> on_read = [&](beast::error_code ec, std::size_t n) {
        answer.append(chunk.data(), n);
        if (!ec)
            stream.async_read_some(net::buffer(chunk), on_read);
    };
    stream.async_connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port), [&](beast::error_code ec) {
        if (ec)
            return;
        net::async_write(stream, net::buffer(bytes), [&](beast::error_code wec, std::size_t) {
            if (!wec)
                stream.async_read_some(net::buffer(chunk), on_read);
        });
    });
    ioc.run_for(timeout + 1s);
    return answer;
}

bool ws_client::wait_closed(std::chrono::milliseconds timeout) {
    pump_until([&] { return closed_; }, timeout);
    return closed_;
}

} // namespace ask::test
