#include "gateways/crypto.hpp"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <cstddef>

namespace ask::gateways {
namespace {

const EVP_MD* md(digest d) {
    switch (d) {
    case digest::md5: return EVP_md5();
    case digest::sha1: return EVP_sha1();
    case digest::sha256: return EVP_sha256();
    case digest::sha512: return EVP_sha512();
    }
    return EVP_sha256();
}

// One HMAC context per digest and thread, made once and keyed afresh on each call. OpenSSL 3's
// one-shot HMAC() looks the MAC and the digest up by name and builds a context every time: half
// the cost of checking a Twilio signature, which askd does for every text it receives.
class hmac_contexts {
public:
    hmac_contexts() = default;
    hmac_contexts(const hmac_contexts&) = delete;
    hmac_contexts& operator=(const hmac_contexts&) = delete;
    ~hmac_contexts() {
        for (auto* c : contexts_)
            EVP_MAC_CTX_free(c);
        EVP_MAC_free(mac_);
    }

    /// nullptr when OpenSSL cannot make one (out of memory, no provider).
    EVP_MAC_CTX* get(digest d) {
        auto& c = contexts_[static_cast<std::size_t>(d)];
        if (c)
            return c;
        if (!mac_ && !(mac_ = EVP_MAC_fetch(nullptr, OSSL_MAC_NAME_HMAC, nullptr)))
            return nullptr;
        EVP_MAC_CTX* fresh = EVP_MAC_CTX_new(mac_);
        const OSSL_PARAM params[] = {
            OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(EVP_MD_get0_name(md(d))), 0),
            OSSL_PARAM_construct_end()};
        if (!fresh || EVP_MAC_CTX_set_params(fresh, params) != 1) {
            EVP_MAC_CTX_free(fresh);
            return nullptr;
        }
        return c = fresh;
    }

private:
    EVP_MAC* mac_ = nullptr;
    std::array<EVP_MAC_CTX*, 4> contexts_{}; ///< by digest
};

} // namespace

std::string hmac(digest d, std::string_view key, std::string_view message) {
    thread_local hmac_contexts contexts;
    EVP_MAC_CTX* ctx = contexts.get(d);
    // Never a null key: EVP_MAC_init() takes null as "the previous call's key".
    static constexpr unsigned char no_key = 0;
    const auto* key_bytes = key.empty() ? &no_key : reinterpret_cast<const unsigned char*>(key.data());
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t len = 0;
    if (!ctx || EVP_MAC_init(ctx, key_bytes, key.size(), nullptr) != 1 ||
        EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
        EVP_MAC_final(ctx, out, &len, sizeof out) != 1)
        return {}; // matches no signature
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string hash(digest d, std::string_view message) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(message.data(), message.size(), out, &len, md(d), nullptr);
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string to_hex(std::string_view bytes) {
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    out.reserve(bytes.size() * 2);
    for (unsigned char c : bytes) {
        out += hex[c >> 4];
        out += hex[c & 15];
    }
    return out;
}

std::string to_base64(std::string_view bytes) {
    std::string out(4 * ((bytes.size() + 2) / 3), '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                            reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace ask::gateways
