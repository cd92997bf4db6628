#include "tests/bench/load/ws_conn.hpp"

#include "tests/bench/load/clock.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/field.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <stdexcept>

namespace ask::bench {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

struct ws_conn::impl {
    explicit impl(net::io_context& ioc) : ws(ioc) {}
    websocket::stream<beast::tcp_stream> ws;
    beast::flat_buffer buffer;
};

ws_conn::ws_conn(std::unique_ptr<impl> i) : impl_(std::move(i)) {}
ws_conn::~ws_conn() = default;

net::awaitable<std::shared_ptr<ws_conn>> ws_conn::open(net::io_context& ioc, const ws_options& o, message_fn fn) {
    auto i = std::make_unique<impl>(ioc);
    auto& layer = beast::get_lowest_layer(i->ws);
    tcp::endpoint at(net::ip::make_address(o.host), o.port);
    co_await layer.socket().async_connect(at, net::use_awaitable);
    layer.socket().set_option(tcp::no_delay(true));
    std::string subprotocol = o.subprotocol, bearer = o.bearer;
    i->ws.set_option(websocket::stream_base::decorator([subprotocol, bearer](websocket::request_type& req) {
        if (!subprotocol.empty())
            req.set(beast::http::field::sec_websocket_protocol, subprotocol);
        if (!bearer.empty())
            req.set(beast::http::field::authorization, "Bearer " + bearer);
    }));
    websocket::permessage_deflate no_deflate;
    no_deflate.client_enable = false;
    i->ws.set_option(no_deflate);
    std::string host = o.host + ":" + std::to_string(o.port);
    co_await i->ws.async_handshake(host, o.target, net::use_awaitable);
    i->ws.binary(o.binary);
    auto conn = std::make_shared<ws_conn>(std::move(i));
    conn->on_message_ = std::move(fn);
    conn->open_ = true;
    net::co_spawn(ioc, conn->read_loop(), net::detached);
    co_return conn;
}

net::awaitable<void> ws_conn::read_loop() {
    auto self = shared_from_this();
    for (;;) {
        auto [ec, n] = co_await impl_->ws.async_read(impl_->buffer, use_tuple);
        if (ec) {
            open_ = false;
            co_return;
        }
        auto at = now_us();
        auto data = impl_->buffer.cdata();
        on_message_(std::string_view(static_cast<const char*>(data.data()), data.size()), at);
        impl_->buffer.consume(n);
    }
}

void ws_conn::send(std::string bytes) {
    outbox_.push_back(std::move(bytes));
    if (!writing_ && open_) {
        writing_ = true;
        net::co_spawn(impl_->ws.get_executor(), write_loop(), net::detached);
    }
}

net::awaitable<void> ws_conn::write_loop() {
    auto self = shared_from_this();
    while (!outbox_.empty() && open_) {
        auto [ec, n] = co_await impl_->ws.async_write(net::buffer(outbox_.front()), use_tuple);
        outbox_.pop_front();
        if (ec)
            open_ = false;
    }
    writing_ = false;
}

net::awaitable<std::vector<std::shared_ptr<ws_conn>>> open_many(
    net::io_context& ioc, const ws_options& o, int n, int parallel, std::function<ws_conn::message_fn(int)> make_fn,
    std::function<void(int, ws_conn&)> on_open) {
    std::vector<std::shared_ptr<ws_conn>> conns(static_cast<std::size_t>(n));
    if (n <= 0)
        co_return conns; // no workers: they would outlive this frame
    auto next = std::make_shared<int>(0);
    auto running = std::make_shared<int>(0);
    auto failure = std::make_shared<std::string>();
    net::steady_timer all_done(ioc, net::steady_timer::time_point::max());
    auto worker = [&, next, running, failure]() -> net::awaitable<void> {
        while (*next < n && failure->empty()) {
            int i = (*next)++;
            try {
                auto fn = make_fn(i);
                auto conn = co_await ws_conn::open(ioc, o, std::move(fn));
                if (on_open)
                    on_open(i, *conn);
                conns[static_cast<std::size_t>(i)] = conn;
            } catch (const std::exception& e) {
                *failure = e.what();
            }
        }
        if (--*running == 0)
            all_done.cancel();
    };
    int workers = std::max(1, std::min(parallel, n));
    *running = workers;
    for (int w = 0; w < workers; ++w)
        net::co_spawn(ioc, worker(), net::detached);
    co_await all_done.async_wait(use_tuple);
    if (!failure->empty())
        throw std::runtime_error("websocket " + o.target + ": " + *failure);
    co_return conns;
}

} // namespace ask::bench
