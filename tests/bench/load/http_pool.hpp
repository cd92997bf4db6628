// A fixed pool of keep-alive HTTP/1.1 connections to one server, driven by an open-loop sender:
// submit() never waits. A request goes out on the first idle connection or waits in one FIFO
// queue until a connection is free. Each request's callback gets the HTTP status (0 when the
// connection failed; the pool reconnects) and the body. Single-threaded: call from the
// io_context's thread only.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ask::bench {

namespace net = boost::asio;

/// A complete HTTP/1.1 request as bytes (Host, Content-Length and keep-alive set).
/// `extra_headers` is "Name: value\r\n" lines, or empty.
std::string http_request_text(std::string_view method, std::string_view host_port, std::string_view target,
                              std::string_view content_type, std::string_view body,
                              std::string_view extra_headers = {});

class http_pool {
public:
    using done_fn = std::function<void(int status, std::string body)>;

    /// Lives until the process ends (the generator exits with _exit, never tearing pools down).
    http_pool(net::io_context& ioc, std::string host, std::uint16_t port, int connections);

    /// Connects every connection and starts serving the queue; throws if the server is not there.
    net::awaitable<void> start();
    void submit(std::string request, done_fn done);
    /// submit() and wait for the answer: {status, body}.
    net::awaitable<std::pair<int, std::string>> call(std::string request);
    std::size_t queued() const { return jobs_.size(); }

private:
    struct job {
        std::string bytes;
        done_fn done;
    };
    struct conn;
    net::awaitable<void> serve(std::shared_ptr<conn>);

    net::io_context& ioc_;
    std::string host_;
    std::uint16_t port_;
    int size_;
    std::vector<std::shared_ptr<conn>> conns_;
    std::vector<conn*> idle_;
    std::deque<job> jobs_;
};

} // namespace ask::bench
