// The hashes, MACs and encodings the gateways' signatures use (OpenSSL EVP), and a constant-time
// comparison. Pure functions over bytes.
#pragma once

#include <string>
#include <string_view>

namespace ask::gateways {

enum class digest { md5, sha1, sha256, sha512 };

/// Raw HMAC bytes.
std::string hmac(digest, std::string_view key, std::string_view message);
/// Raw digest bytes.
std::string hash(digest, std::string_view message);
std::string to_hex(std::string_view bytes); ///< lowercase
std::string to_base64(std::string_view bytes);
/// Equal contents, in time that depends only on the lengths.
bool constant_time_equal(std::string_view a, std::string_view b);

} // namespace ask::gateways
