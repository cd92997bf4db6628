// A Twilio inbound webhook to a running askd, signed as Twilio signs it (the URL, then every field by
// name, HMAC-SHA1 with the account's auth token, base64), for the tests that text askd by Twilio.
#pragma once

#include "tests/support/clients.hpp"

#include "gateways/crypto.hpp"
#include "gateways/webhook.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <string>

namespace ask::test {

/// `public_url`: askd's server.public_url, the URL Twilio called as askd checks it ("": askd's own).
inline http_reply twilio_webhook(std::uint16_t port, const gateways::params& form, const std::string& token,
                                 const std::string& path = "/webhooks/sms/twilio",
                                 const std::string& public_url = "") {
    std::string signed_text =
        (public_url.empty() ? fmt::format("http://127.0.0.1:{}", port) : public_url) + path;
    auto sorted = form;
    std::sort(sorted.begin(), sorted.end());
    for (const auto& [k, v] : sorted)
        signed_text += k + v;
    auto sig = gateways::to_base64(gateways::hmac(gateways::digest::sha1, token, signed_text));
    return http_request(port, "POST", path, gateways::form_encode(form),
                        {{"Content-Type", "application/x-www-form-urlencoded"}, {"X-Twilio-Signature", sig}});
}

} // namespace ask::test
