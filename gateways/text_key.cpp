#include "gateways/text_key.hpp"

#include "gateways/crypto.hpp"

#include <openssl/rand.h>

#include <array>
#include <stdexcept>

namespace ask::gateways {

std::string new_text_key() {
    std::array<unsigned char, 16> bytes{};
    // OpenSSL's generator is seeded from the kernel; it fails only when the kernel cannot give randomness,
    // and a key that is not random could silence a later text as a repeat.
    if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1)
        throw std::runtime_error("no randomness for a text's key");
    return to_hex(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
}

std::string repeat_id(const sms_message& m) {
    if (m.key.empty())
        return {};
    return to_hex(hash(digest::sha256, m.key + '\n' + m.to)).substr(0, 32);
}

} // namespace ask::gateways
