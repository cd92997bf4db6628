// A throwaway TLS identity for loopback test servers: a fresh P-256 key and a self-signed
// certificate, by default for "localhost" and 127.0.0.1, valid from an hour ago for a day.
#pragma once

#include <string>

namespace ask::test {

struct tls_identity {
    std::string cert_pem;
    std::string key_pem;
};

/// `common_name` only tells identities apart; each has its own key, so trusting one trusts no other.
/// `names` is the subjectAltName list, the names a client checks the host it called against.
tls_identity self_signed(const std::string& common_name, const std::string& names = "DNS:localhost,IP:127.0.0.1");

} // namespace ask::test
