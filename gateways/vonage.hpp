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

/// The webhook's fields, from the query (GET), a form or a JSON object (POST, JSON content type;
/// strings, integers and booleans as text, other members left out); nullopt when malformed or over
/// max_webhook_body / max_webhook_target.
std::optional<params> vonage_params(const webhook_request&);

/// 2.2: `sig` over every other field, sorted bytewise by key, as "&key=value" with '&' and '=' in
/// values replaced by '_'. `method` is the dashboard's choice: "md5hash" (hex MD5 of the string +
/// secret) or "md5", "sha1", "sha256", "sha512" (hex HMAC keyed with the secret); any other
/// method is false. Compared case-insensitively (HMACs arrive upper case) in constant time, against
/// each of `signature_secrets` (rotation). The signed `timestamp` (unix seconds) must be within
/// `window_seconds` of `now_seconds`; a request without one is false.
bool verify_vonage_signature(const webhook_request&, const std::vector<std::string>& signature_secrets,
                             std::string_view method, std::int64_t now_seconds, std::int64_t window_seconds);
/// The signature for `method` as lowercase hex, "" for an unknown method (exposed for the vendor test vectors).
std::string vonage_signature(const params&, std::string_view secret, std::string_view method);

/// 2.1: msisdn (made "+48…"), to, messageId, text, and, when concat=true, concat-ref/-part/-total
/// for the parts of a long text (each its own webhook: gateways/sms_parts.hpp, held by store/sms_parts.hpp).
inbound_result parse_vonage_inbound(const webhook_request&);

/// 2.3: the delivery receipt (messageId, status, err-code; "0" = no error).
delivery_result parse_vonage_status(const webhook_request&);

/// 2.3: POST /sms/json, form api_key/api_secret/from/to (no '+')/text, type=unicode when not GSM-7.
http_call vonage_send_call(const vonage_settings&, const sms_message&);
/// 2.3: HTTP 200 carries a status per part: accepted when every part is "0" (the first part's
/// message-id); status 1 (throttled) or 5 (internal error) retry; any other status permanent
/// (2–4, 6–15, 22, 23, 29, 32, 33: parameters, credentials, barred numbers, …). HTTP 429 and 5xx retry.
send_verdict vonage_send_verdict(int status, std::string_view body);

/// 2.1: "you must send a 200 OK or 204 No Content": 204, no body.
webhook_reply vonage_webhook_reply();

} // namespace ask::gateways
