// One HTTP(S) exchange with an SMS provider's API: resolve, connect, TLS with certificate and
// host-name verification, send, read the reply, all within one deadline. For https:// the
// system's trust store is used; http:// is accepted only because tests run fake providers on
// loopback (config allows it for base_url and says so).
#pragma once

#include "gateways/webhook.hpp"
#include "server/net.hpp"

#include <boost/asio/ssl.hpp>

#include <chrono>
#include <string>
#include <utility>
#include <vector>

namespace ask::sms {

struct http_answer {
    error_code error;   ///< set for network failures, timeouts and bad URLs: nothing was answered
    int status = 0;
    std::string body;   ///< at most 64 KiB are read
};

class http_client {
public:
    explicit http_client(net::any_io_executor ex);

    /// Sends `call` (its target appended to base_url's path) to `base_url` ("https://host[:port][/prefix]")
    /// and waits at most `deadline`.
    net::awaitable<http_answer> send(const std::string& base_url, const gateways::http_call& call,
                                     std::chrono::milliseconds deadline);

private:
    net::any_io_executor ex_;
    net::ssl::context tls_{net::ssl::context::tls_client};
};

} // namespace ask::sms
