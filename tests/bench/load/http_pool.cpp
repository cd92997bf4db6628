#include "tests/bench/load/http_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <fmt/format.h>

namespace ask::bench {

namespace http = boost::beast::http;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

std::string http_request_text(std::string_view method, std::string_view host_port, std::string_view target,
                              std::string_view content_type, std::string_view body, std::string_view extra_headers) {
    std::string text = fmt::format("{} {} HTTP/1.1\r\nHost: {}\r\nConnection: keep-alive\r\n", method, target, host_port);
    if (!content_type.empty())
        text += fmt::format("Content-Type: {}\r\n", content_type);
    text += fmt::format("Content-Length: {}\r\n", body.size());
    text += extra_headers;
    text += "\r\n";
    text += body;
    return text;
}

struct http_pool::conn {
    explicit conn(net::io_context& ioc) : socket(ioc), wake(ioc) {}
    tcp::socket socket;
    boost::beast::flat_buffer buffer;
    net::steady_timer wake;
};

http_pool::http_pool(net::io_context& ioc, std::string host, std::uint16_t port, int connections)
    : ioc_(ioc), host_(std::move(host)), port_(port), size_(connections) {}

net::awaitable<void> http_pool::start() {
    tcp::endpoint at(net::ip::make_address(host_), port_);
    for (int i = 0; i < size_; ++i) {
        auto c = std::make_shared<conn>(ioc_);
        co_await c->socket.async_connect(at, net::use_awaitable);
        c->socket.set_option(tcp::no_delay(true));
        conns_.push_back(c);
        net::co_spawn(ioc_, serve(c), net::detached);
    }
}

void http_pool::submit(std::string request, done_fn done) {
    jobs_.push_back({std::move(request), std::move(done)});
    if (!idle_.empty()) {
        idle_.back()->wake.cancel();
        idle_.pop_back();
    }
}

net::awaitable<std::pair<int, std::string>> http_pool::call(std::string request) {
    auto answered = std::make_shared<net::steady_timer>(ioc_, net::steady_timer::time_point::max());
    auto result = std::make_shared<std::pair<int, std::string>>();
    submit(std::move(request), [answered, result](int status, std::string body) {
        *result = {status, std::move(body)};
        answered->cancel();
    });
    co_await answered->async_wait(use_tuple);
    co_return *result;
}

// One connection's loop: take the oldest queued request, send it, read the answer, repeat;
// sleep on `wake` while the queue is empty. A failed connection fails its request and reconnects.
net::awaitable<void> http_pool::serve(std::shared_ptr<conn> c) {
    tcp::endpoint at(net::ip::make_address(host_), port_);
    for (;;) {
        while (jobs_.empty()) {
            if (!c->socket.is_open())
                co_return;
            idle_.push_back(c.get());
            c->wake.expires_at(net::steady_timer::time_point::max());
            co_await c->wake.async_wait(use_tuple);
        }
        job j = std::move(jobs_.front());
        jobs_.pop_front();
        http::response<http::string_body> res;
        auto [wec, written] = co_await net::async_write(c->socket, net::buffer(j.bytes), use_tuple);
        boost::system::error_code ec = wec;
        if (!ec) {
            auto [rec, n] = co_await http::async_read(c->socket, c->buffer, res, use_tuple);
            ec = rec;
        }
        if (!ec) {
            bool keep = res.keep_alive();
            j.done(static_cast<int>(res.result_int()), std::move(res.body()));
            if (keep)
                continue;
        } else {
            j.done(0, ec.message());
        }
        boost::system::error_code ignored;
        c->socket.close(ignored);
        c->buffer.clear();
        auto [cec] = co_await c->socket.async_connect(at, use_tuple);
        if (cec)
            co_return; // the server is gone: this connection stops serving
        c->socket.set_option(tcp::no_delay(true));
    }
}

} // namespace ask::bench
