// Vonage (Nexmo) SMS API (sms-gateways.md 2): inbound webhook (GET query, POST form or JSON),
// the `sig` signature, the send API.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ask::gateways {

struct vonage_settings {
    std::string api_key;
    std::string api_secret;
    std::string from;
};

/// The webhook's fields, from the query (GET), a form or a JSON object (POST); values as text.
std::optional<params> vonage_params(const webhook_request&);

/// 2.2: the `sig` over every other field, sorted by key, "&key=value" with '&' and '=' in values
/// replaced by '_'; `method` md5hash (md5 of the string + secret) or md5/sha1/sha256/sha512 (HMAC),
/// compared case-insensitively in constant time. `timestamp` must be within `window_seconds` of now.
bool verify_vonage_signature(const webhook_request&, const std::vector<std::string>& signature_secrets,
                             std::string_view method, std::int64_t now_seconds, std::int64_t window_seconds);
/// The signature string's digest for `method` (exposed for the vendor test vectors).
std::string vonage_signature(const params&, std::string_view secret, std::string_view method);

/// 2.1: msisdn, to, messageId, text, and concat-ref/-part/-total for the parts of a long text.
inbound_result parse_vonage_inbound(const webhook_request&);

/// 2.3: the delivery receipt (messageId, status, err-code; "0" = no error).
delivery_result parse_vonage_status(const webhook_request&);

/// 2.3: POST /sms/json, form api_key/api_secret/from/to (no '+')/text, type=unicode when not GSM-7.
http_call vonage_send_call(const vonage_settings&, const sms_message&);
/// HTTP 200 carries per-message status: "0" accepted; 1 (throttled) and 5 (internal) retry; others permanent.
send_verdict vonage_send_verdict(int status, std::string_view body);

} // namespace ask::gateways
