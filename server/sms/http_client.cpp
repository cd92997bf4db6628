#include "server/sms/http_client.hpp"

#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <openssl/ssl.h>

#include "server/app/spawn.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <vector>

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
    : ex_(std::move(ex)), lookup_(std::move(lookup)), lookups_(std::make_shared<lookups>()) {
    tls_.set_default_verify_paths();
    tls_.set_verify_mode(net::ssl::verify_peer);
}

// One lookup of a host and port, shared by the sends that wait for it.
struct http_client::lookup_under_way {
    std::optional<lookup_result> found;      ///< once it ended
    std::vector<net::steady_timer*> waiting; ///< the waits of the sends to wake then
};

struct http_client::lookups {
    std::map<std::string, std::shared_ptr<lookup_under_way>> under_way; ///< by "host:port"
    std::map<std::string, tcp::resolver::results_type>
        last_found; ///< the last good addresses, by "host:port"
};

namespace {

// Runs one lookup to its end, however long after its senders gave up on it, and keeps what it found. The
// state is shared, not the client's: nothing here outlives what it touches.
net::awaitable<void> look_up(std::shared_ptr<http_client::lookups> all,
                             std::shared_ptr<http_client::lookup_under_way> mine, lookup_fn lookup,
                             net::any_io_executor ex, std::string host, std::string port) {
    auto key = host + ':' + port;
    lookup_result found;
    try {
        found = co_await lookup(ex, host, port);
    } catch (const std::exception& e) {
        spdlog::error("sms: the lookup of {} failed: {}", host, e.what());
        found.error = make_error_code(boost::system::errc::io_error);
    }
    if (!found.error)
        all->last_found[key] = found.addresses;
    if (auto it = all->under_way.find(key); it != all->under_way.end() && it->second == mine)
        all->under_way.erase(it);
    mine->found = std::move(found);
    for (auto* wait : mine->waiting)
        wait->cancel();
}

} // namespace

// A lookup cannot be cancelled once begun (system_lookup), and Asio 1.81 runs them one at a time: so sends to
// one host share one lookup rather than queue one each behind a DNS server that does not answer, and a send
// waits for it only until `until`. One that fails or is still going then takes the addresses found last, if
// any: a provider's addresses seldom change, and a DNS outage must not stop the texts.
net::awaitable<lookup_result> http_client::lookup_until(std::string host, std::string port,
                                                        std::chrono::steady_clock::time_point until) {
    auto key = host + ':' + port;
    std::shared_ptr<lookup_under_way> mine;
    if (auto running = lookups_->under_way.find(key); running != lookups_->under_way.end()) {
        mine = running->second;
    } else {
        // Held here before it starts: a lookup that ends at once, inside spawn(), erases its entry.
        mine = std::make_shared<lookup_under_way>();
        lookups_->under_way.emplace(key, mine);
        spawn(ex_, look_up(lookups_, mine, lookup_, ex_, host, port), "sms provider lookup");
    }
    // With addresses found before to fall back on, the lookup gets half the time left: the other half is for
    // the exchange with them.
    auto last = lookups_->last_found.find(key);
    if (last != lookups_->last_found.end())
        until = std::chrono::steady_clock::now() + (until - std::chrono::steady_clock::now()) / 2;
    if (!mine->found) { // it may have ended at once
        net::steady_timer wait(ex_, until);
        mine->waiting.push_back(&wait);
        // Off the list however this frame ends: the lookup must never cancel a wait that is gone.
        struct off_the_list {
            lookup_under_way& lookup;
            net::steady_timer* wait;
            ~off_the_list() { std::erase(lookup.waiting, wait); }
        } registered{*mine, &wait};
        co_await wait.async_wait(as_result);
    }
    if (mine->found && !mine->found->error)
        co_return *mine->found;
    auto error = mine->found ? mine->found->error : make_error_code(net::error::timed_out);
    last = lookups_->last_found.find(key); // the wait may have let another lookup of it end
    if (last != lookups_->last_found.end()) {
        spdlog::warn("sms: the lookup of {} {} ({}): the addresses found last are used", host,
                     mine->found ? "failed" : "did not end in time", error.message());
        co_return lookup_result{{}, last->second};
    }
    spdlog::warn("sms: the lookup of {} {}: {}", host, mine->found ? "failed" : "did not end in time",
                 error.message());
    co_return lookup_result{error, {}};
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
