// A fake SMS provider: a real HTTP server on loopback that records every request askd sends
// and answers with scripted replies (the provider's documented success by default; failures on
// demand for retry and failover tests), over plain HTTP or, given a TLS identity, over HTTPS as
// the real providers are. Runs on its own thread; all accessors are thread-safe.
#pragma once

#include "tests/support/tls_identity.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ask::test {

struct recorded_request {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers; ///< lowercase names
    std::string body;
};

struct canned_reply {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    /// Answered this long after the request was read: a provider that takes a text and answers late.
    std::chrono::milliseconds delay{0};
};

class fake_provider {
public:
    /// Answers `normal` to every request not taken by a scripted reply.
    explicit fake_provider(canned_reply normal);
    /// The same over HTTPS with this certificate and key (TLS 1.2 or later); a client that does not
    /// trust the certificate fails its handshake and is never recorded.
    fake_provider(canned_reply normal, const tls_identity& tls);
    ~fake_provider();

    std::uint16_t port() const { return port_; }
    /// http://127.0.0.1:port, or https://localhost:port (the name the certificate is for) with TLS.
    std::string base_url() const;

    /// The next requests get these replies, in order (e.g. two 503s, then the normal reply).
    void script(std::vector<canned_reply> replies);
    /// Closes connections without answering, until script()/normal resumes: a provider that is down.
    void set_down(bool down);

    std::vector<recorded_request> requests() const;
    /// Waits until at least `n` requests arrived; false after `limit`.
    bool wait_for(std::size_t n, std::chrono::milliseconds limit) const;

private:
    fake_provider(canned_reply normal, std::unique_ptr<boost::asio::ssl::context> tls);
    void serve();
    template <class Stream>
    boost::asio::awaitable<void> converse(Stream& stream);

    boost::asio::io_context ioc_;
    std::unique_ptr<boost::asio::ssl::context> tls_; ///< null: plain HTTP
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint16_t port_ = 0;
    canned_reply normal_;
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::deque<canned_reply> script_;
    bool down_ = false;
    std::vector<recorded_request> requests_;
    std::thread thread_;
};

/// application/x-www-form-urlencoded body → fields (percent- and '+'-decoded).
std::map<std::string, std::string> form_fields(const std::string& body);

} // namespace ask::test
