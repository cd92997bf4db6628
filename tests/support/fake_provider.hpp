// A fake SMS provider: a real HTTP server on loopback that records every request askd sends
// and answers with scripted replies (the provider's documented success by default; failures on
// demand for retry and failover tests). Runs on its own thread; all accessors are thread-safe.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
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
};

class fake_provider {
public:
    /// Answers `normal` to every request not taken by a scripted reply.
    explicit fake_provider(canned_reply normal);
    ~fake_provider();

    std::uint16_t port() const { return port_; }
    std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }

    /// The next requests get these replies, in order (e.g. two 503s, then the normal reply).
    void script(std::vector<canned_reply> replies);
    /// Closes connections without answering, until script()/normal resumes: a provider that is down.
    void set_down(bool down);

    std::vector<recorded_request> requests() const;
    /// Waits until at least `n` requests arrived; false after `limit`.
    bool wait_for(std::size_t n, std::chrono::milliseconds limit) const;

private:
    void serve();

    boost::asio::io_context ioc_;
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
