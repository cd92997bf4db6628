// Android SMS Gateway / SMSGate (sms-gateways.md 4): the signed JSON webhook and the send API.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ask::gateways {

struct smsgate_settings {
    std::string username;
    std::string password;
};

/// 4.3: X-Signature = lowercase hex HMAC-SHA256(key, raw body + X-Timestamp); the timestamp must be
/// within `window_seconds` of now. Any of `signing_keys` (rotation) may match.
bool verify_smsgate_signature(const webhook_request&, const std::vector<std::string>& signing_keys,
                              std::int64_t now_seconds, std::int64_t window_seconds);

/// 4.2: an `sms:received` event; the envelope `id` is the idempotency key. Other events are
/// refused with a problem whose detail starts with "ignored event".
inbound_result parse_smsgate_inbound(const webhook_request&);

/// 4.2: sms:sent, sms:delivered and sms:failed events (payload.messageId is the id the send call
/// returned; `reason` on failure). Other events are a problem starting with "ignored event".
delivery_result parse_smsgate_status(const webhook_request&);

/// 4.4: POST /messages (base_url ends in /3rdparty/v1, or the device's address), Basic auth,
/// JSON {"textMessage":{"text"},"phoneNumbers":[to]}.
http_call smsgate_send_call(const smsgate_settings&, const sms_message&);
/// 202 (or 200/201) accepted with the message id; 429 and 5xx retry; the rest permanent.
send_verdict smsgate_send_verdict(int status, std::string_view body);

} // namespace ask::gateways
