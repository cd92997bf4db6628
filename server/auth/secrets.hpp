// Passwords and access tokens. Secrets are never stored: passwords as argon2id
// hashes (libsodium, interactive limits), tokens as SHA-256 hashes. Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace ask::auth {

/// Must be called once before any other function here (sodium_init). Throws on failure.
void initialise();

/// An argon2id hash string (includes salt and parameters). Slow on purpose (~0.1 s): never call on the I/O thread.
std::string hash_password(std::string_view password);

/// Constant-time check of a password against hash_password()'s output. Slow on purpose.
bool verify_password(std::string_view password, const std::string& hash);

/// A fresh random token: 256 bits, base64url without padding (43 characters).
std::string new_token();

/// The lowercase hex SHA-256 of a token: what the store keeps and looks up.
std::string token_hash(std::string_view token);

/// A random password for demo accounts: 4 groups of 4 lowercase letters and digits, e.g. "k3x9-…".
std::string new_demo_password();

} // namespace ask::auth
