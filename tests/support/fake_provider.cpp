#include "tests/support/fake_provider.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace ask::test {
namespace {

namespace http = boost::beast::http;
using boost::asio::ip::tcp;

std::unique_ptr<boost::asio::ssl::context> server_context(const tls_identity& tls) {
    namespace ssl = boost::asio::ssl;
    auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
    ctx->set_options(ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    ctx->use_certificate_chain(boost::asio::buffer(tls.cert_pem));
    ctx->use_private_key(boost::asio::buffer(tls.key_pem), ssl::context::pem);
    return ctx;
}

} // namespace

fake_provider::fake_provider(canned_reply normal) : fake_provider(std::move(normal), nullptr) {}

fake_provider::fake_provider(canned_reply normal, const tls_identity& tls)
    : fake_provider(std::move(normal), server_context(tls)) {}

fake_provider::fake_provider(canned_reply normal, std::unique_ptr<boost::asio::ssl::context> tls)
    : tls_(std::move(tls)), acceptor_(ioc_), normal_(std::move(normal)) {
    tcp::endpoint ep(boost::asio::ip::make_address("127.0.0.1"), 0);
    acceptor_.open(ep.protocol());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(ep);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    thread_ = std::thread([this] { serve(); });
}

fake_provider::~fake_provider() {
    boost::asio::post(ioc_, [this] { acceptor_.close(); });
    ioc_.stop();
    thread_.join();
}

void fake_provider::script(std::vector<canned_reply> replies) {
    std::lock_guard lock(mutex_);
    script_.assign(replies.begin(), replies.end());
}

void fake_provider::set_down(bool down) {
    std::lock_guard lock(mutex_);
    down_ = down;
}

std::vector<recorded_request> fake_provider::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

bool fake_provider::wait_for(std::size_t n, std::chrono::milliseconds limit) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, limit, [&] { return requests_.size() >= n; });
}

std::string fake_provider::base_url() const {
    return (tls_ ? "https://localhost:" : "http://127.0.0.1:") + std::to_string(port_);
}

// Each request is recorded, then answered.
template <class Stream>
boost::asio::awaitable<void> fake_provider::converse(Stream& stream) {
    boost::beast::flat_buffer buffer;
    for (;;) {
        http::request<http::string_body> req;
        boost::beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
        auto [err, n] = co_await http::async_read(stream, buffer, req, boost::asio::as_tuple(boost::asio::use_awaitable));
        if (err)
            co_return;
        recorded_request rec{std::string(req.method_string()), std::string(req.target()), {}, req.body()};
        for (const auto& field : req) {
            std::string name(field.name_string());
            std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
            rec.headers[name] = std::string(field.value());
        }
        canned_reply answer;
        bool down = false;
        {
            std::lock_guard lock(mutex_);
            requests_.push_back(std::move(rec));
            down = down_;
            if (!script_.empty()) {
                answer = script_.front();
                script_.pop_front();
            } else {
                answer = normal_;
            }
        }
        arrived_.notify_all();
        if (down)
            co_return; // the connection closes unanswered
        if (answer.delay.count() > 0) {
            boost::asio::steady_timer late(co_await boost::asio::this_coro::executor, answer.delay);
            co_await late.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        }
        http::response<http::string_body> res{static_cast<http::status>(answer.status), 11};
        res.set(http::field::content_type, answer.content_type);
        res.body() = answer.body;
        res.keep_alive(req.keep_alive());
        res.prepare_payload();
        auto [werr, wn] = co_await http::async_write(stream, res, boost::asio::as_tuple(boost::asio::use_awaitable));
        if (werr || !res.keep_alive())
            co_return;
    }
}

// One connection at a time is plenty for a test double.
void fake_provider::serve() {
    auto session = [this](tcp::socket socket) -> boost::asio::awaitable<void> {
        if (!tls_) {
            boost::beast::tcp_stream stream(std::move(socket));
            co_await converse(stream);
            co_return;
        }
        boost::beast::ssl_stream<boost::beast::tcp_stream> stream(std::move(socket), *tls_);
        boost::beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
        auto [err] = co_await stream.async_handshake(boost::asio::ssl::stream_base::server,
                                                     boost::asio::as_tuple(boost::asio::use_awaitable));
        if (!err)
            co_await converse(stream);
    };
    auto accept = [this, session]() -> boost::asio::awaitable<void> {
        for (;;) {
            auto [err, socket] = co_await acceptor_.async_accept(boost::asio::as_tuple(boost::asio::use_awaitable));
            if (err)
                co_return;
            boost::asio::co_spawn(ioc_, session(std::move(socket)), boost::asio::detached);
        }
    };
    boost::asio::co_spawn(ioc_, accept(), boost::asio::detached);
    ioc_.run();
}

std::map<std::string, std::string> form_fields(const std::string& body) {
    std::map<std::string, std::string> out;
    std::string query = "?";
    for (char c : body) // in a form body '+' is a space; a real '+' arrives as %2B
        query += c == '+' ? std::string("%20") : std::string(1, c);
    auto ref = boost::urls::parse_uri_reference(query);
    if (!ref)
        return out;
    for (auto p : ref->params())
        out[std::string(p.key)] = std::string(p.value);
    return out;
}

} // namespace ask::test
