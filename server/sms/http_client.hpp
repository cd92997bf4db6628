// One HTTP(S) exchange with an SMS provider's API: resolve, connect, TLS with certificate and
// host-name verification, send, read the reply, all within one deadline. For https:// the
// system's trust store is used; http:// is accepted only because tests run fake providers on
// loopback (config allows it for base_url and says so).
#pragma once

#include "gateways/webhook.hpp"
#include "server/net.hpp"

#include <boost/asio/ssl.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace ask::sms {

struct http_answer {
    error_code error;   ///< set for network failures, timeouts and bad URLs: nothing was answered
    int status = 0;
    std::string body;   ///< at most 64 KiB are read
};

/// A host's addresses, or why not.
struct lookup_result {
    error_code error;
    tcp::resolver::results_type addresses;
};
/// Looks a host and port up. Arguments by value: the lookup may outlive the send that asked for it.
using lookup_fn =
    std::function<net::awaitable<lookup_result>(net::any_io_executor, std::string, std::string)>;

/// The system's resolver (/etc/hosts, DNS). Asio 1.81 runs each lookup as a blocking getaddrinfo on a thread
/// of its own, which cannot be stopped once begun: a DNS server that does not answer holds it for its whole
/// timeout (resolv.conf), and the lookups queued behind it.
net::awaitable<lookup_result> system_lookup(net::any_io_executor ex, std::string host, std::string port);

class http_client {
public:
  /// `lookup`: how hosts are looked up (another one only to stand for a DNS server that does not answer).
  explicit http_client(net::any_io_executor ex, lookup_fn lookup = system_lookup);

  /// Sends `call` (its target appended to base_url's path) to `base_url` ("https://host[:port][/prefix]")
  /// and waits at most `deadline` for all of it, the host's lookup included. A lookup that fails or outlasts
  /// it is left to end on its own, and the addresses found last for the host are used; with none, the
  /// answer is the lookup's error, or net::error::timed_out.
  net::awaitable<http_answer> send(const std::string& base_url, const gateways::http_call& call,
                                   std::chrono::milliseconds deadline);

  struct lookup_under_way;
  struct lookups;

private:
  net::awaitable<lookup_result> lookup_until(std::string host, std::string port,
                                             std::chrono::steady_clock::time_point until);

  net::any_io_executor ex_;
  lookup_fn lookup_;
  std::shared_ptr<lookups> lookups_; ///< shared with the lookups under way, which may outlive a send
  net::ssl::context tls_{net::ssl::context::tls_client};
};

} // namespace ask::sms
