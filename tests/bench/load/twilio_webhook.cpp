#include "tests/bench/load/twilio_webhook.hpp"

#include "tests/bench/load/http_pool.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

namespace ask::bench {
namespace {

std::string form_escape(const std::string& s) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~')
            out.push_back(static_cast<char>(c));
        else if (c == ' ')
            out.push_back('+');
        else {
            out.push_back('%');
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 15]);
        }
    }
    return out;
}

std::string base64_hmac_sha1(const std::string& key, const std::string& text) {
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(text.data()),
         text.size(), mac, &mac_len);
    std::string out(4 * ((mac_len + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), mac, static_cast<int>(mac_len));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

} // namespace

std::string twilio_request(const std::string& host_port, const twilio_text& t) {
    std::vector<std::pair<std::string, std::string>> form{
        {"AccountSid", "AC1"}, {"Body", t.body}, {"From", t.from}, {"MessageSid", t.message_sid}, {"To", t.to}};
    std::sort(form.begin(), form.end());
    std::string signed_text = t.url, body;
    for (const auto& [name, value] : form) {
        signed_text += name + value;
        body += (body.empty() ? "" : "&") + form_escape(name) + "=" + form_escape(value);
    }
    auto path = t.url.substr(t.url.find('/', t.url.find("//") + 2));
    return http_request_text("POST", host_port, path, "application/x-www-form-urlencoded", body,
                             "X-Twilio-Signature: " + base64_hmac_sha1(t.auth_token, signed_text) + "\r\n");
}

} // namespace ask::bench
