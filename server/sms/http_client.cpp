#include "server/sms/http_client.hpp"

#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <openssl/ssl.h>

#include <memory>
#include <optional>

namespace ask::sms {
namespace {

constexpr std::size_t max_answer_bytes = 64 * 1024;

struct endpoint {
    bool tls = false;
    std::string host;
    std::string port;
    std::string prefix; ///< path of base_url, without a trailing '/'
};

std::optional<endpoint> parse_base(const std::string& base_url) {
    auto url = boost::urls::parse_absolute_uri(base_url);
    if (!url || !url->has_authority())
        return std::nullopt;
    endpoint e;
    if (url->scheme() == "https")
        e.tls = true;
    else if (url->scheme() != "http")
        return std::nullopt;
    e.host = url->host_address();
    e.port = url->has_port() ? std::string(url->port()) : (e.tls ? "443" : "80");
    e.prefix = std::string(url->encoded_path());
    while (!e.prefix.empty() && e.prefix.back() == '/')
        e.prefix.pop_back();
    return e;
}

template <class Stream>
net::awaitable<http_answer> exchange(Stream& stream, const endpoint& e, const gateways::http_call& call) {
    http::request<http::string_body> req;
    req.method_string(call.method);
    req.target(e.prefix + call.target);
    req.version(11);
    req.set(http::field::host, e.host);
    req.set(http::field::user_agent, "askd");
    for (const auto& [name, value] : call.headers)
        req.set(name, value);
    req.body() = call.body;
    req.prepare_payload();
    http_answer answer;
    auto [werr, wn] = co_await http::async_write(stream, req, as_result);
    if (werr) {
        answer.error = werr;
        co_return answer;
    }
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(max_answer_bytes);
    auto [rerr, rn] = co_await http::async_read(stream, buffer, parser, as_result);
    if (rerr) {
        answer.error = rerr;
        co_return answer;
    }
    answer.status = static_cast<int>(parser.get().result_int());
    answer.body = std::move(parser.get().body());
    co_return answer;
}

} // namespace

net::awaitable<lookup_result> system_lookup(net::any_io_executor ex, std::string host, std::string port) {
    tcp::resolver resolver(ex);
    auto [error, addresses] = co_await resolver.async_resolve(host, port, as_result);
    co_return lookup_result{error, std::move(addresses)};
}

http_client::http_client(net::any_io_executor ex, lookup_fn lookup)
    : ex_(std::move(ex)), lookup_(std::move(lookup)) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(net::ssl::verify_peer);
}

// The lookup runs on its own, and this waits for it or for `until`, whichever comes first: a lookup cannot be
// cancelled once begun (system_lookup), so one past the deadline is left to end unread.
net::awaitable<lookup_result> http_client::lookup_until(std::string host, std::string port,
                                                        std::chrono::steady_clock::time_point until) {
    struct waiting {
        net::steady_timer ended; ///< cancelled when the lookup ends
        std::optional<lookup_result> found;
    };
    auto state = std::make_shared<waiting>(waiting{net::steady_timer(ex_, until), std::nullopt});
    auto lookup = [state, lookup = lookup_, ex = ex_, host = std::move(host),
                   port = std::move(port)]() -> net::awaitable<void> {
        state->found = co_await lookup(ex, host, port);
        state->ended.cancel();
    };
    net::co_spawn(ex_, std::move(lookup), net::detached);
    co_await state->ended.async_wait(as_result);
    if (!state->found)
        co_return lookup_result{make_error_code(net::error::timed_out), {}};
    co_return std::move(*state->found);
}

net::awaitable<http_answer> http_client::send(const std::string& base_url, const gateways::http_call& call,
                                              std::chrono::milliseconds deadline) {
    const auto until = std::chrono::steady_clock::now() + deadline;
    auto e = parse_base(base_url);
    if (!e)
        co_return http_answer{make_error_code(boost::system::errc::invalid_argument), 0, {}};
    auto [rerr, results] = co_await lookup_until(e->host, e->port, until);
    if (rerr)
        co_return http_answer{rerr, 0, {}};
    if (!e->tls) {
        beast::tcp_stream stream(ex_);
        stream.expires_at(until);
        auto [cerr, ep] = co_await stream.async_connect(results, as_result);
        if (cerr)
            co_return http_answer{cerr, 0, {}};
        auto answer = co_await exchange(stream, *e, call);
        error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return answer;
    }
    beast::ssl_stream<beast::tcp_stream> stream(ex_, tls_);
    beast::get_lowest_layer(stream).expires_at(until);
    // SNI, and the certificate must name this host.
    if (!SSL_set_tlsext_host_name(stream.native_handle(), e->host.c_str()))
        co_return http_answer{error_code(static_cast<int>(::ERR_get_error()), net::error::get_ssl_category()), 0, {}};
    stream.set_verify_callback(net::ssl::host_name_verification(e->host));
    auto [cerr, ep] = co_await beast::get_lowest_layer(stream).async_connect(results, as_result);
    if (cerr)
        co_return http_answer{cerr, 0, {}};
    auto [herr] = co_await stream.async_handshake(net::ssl::stream_base::client, as_result);
    if (herr)
        co_return http_answer{herr, 0, {}};
    auto answer = co_await exchange(stream, *e, call);
    auto [serr] = co_await stream.async_shutdown(as_result); // a peer that just closes is fine
    (void)serr;
    co_return answer;
}

} // namespace ask::sms
