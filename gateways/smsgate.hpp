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

/// 4.3: X-Signature = lowercase hex HMAC-SHA256(signing key, raw body bytes + X-Timestamp), the
/// timestamp (unix seconds, digits only) within `window_seconds` of `now_seconds` (the docs: ±5
/// minutes). Any of `signing_keys` (rotation) may match; constant-time comparison. False when a
/// header is missing or the body is over max_webhook_body.
bool verify_smsgate_signature(const webhook_request&, const std::vector<std::string>& signing_keys,
                              std::int64_t now_seconds, std::int64_t window_seconds);

/// 4.2: an `sms:received` event: payload.message, payload.sender (or the deprecated phoneNumber),
/// payload.recipient (may be null); the envelope `id` is the idempotency key ("deduplicate by id").
/// The app joins long texts itself. Other events are a problem whose detail starts with "ignored event".
inbound_result parse_smsgate_inbound(const webhook_request&);

/// Whether the event (4.2) is an incoming text, `sms:received`: SMSGate posts every event to each URL
/// it is given, so the event, not the URL, says what a webhook is.
bool smsgate_is_incoming(const webhook_request&);

/// 4.2: sms:sent, sms:delivered and sms:failed events (payload.messageId is the id the send call
/// returned; `reason` on failure). Other events are a problem starting with "ignored event".
delivery_result parse_smsgate_status(const webhook_request&);

/// 4.4: POST /messages (base_url ends in /3rdparty/v1, or the device's address), Basic auth,
/// JSON {"textMessage":{"text"},"phoneNumbers":[to]}, and "id": repeat_id(m) when the text has a key.
http_call smsgate_send_call(const smsgate_settings&, const sms_message&);
/// 4.4: 202 (or 200/201) accepted with the message id; 409 (a duplicate id) accepted as a repeat under
/// `sent_id`, the id the call gave ("" when none: then permanent); 429 and 5xx (503: queue limits) retry;
/// the rest (400, 401, 403) permanent.
send_verdict smsgate_send_verdict(int status, std::string_view body, std::string_view sent_id);

/// 4.2: any 2xx within 30 s; anything else is retried by the app: 200, no body.
webhook_reply smsgate_webhook_reply();

} // namespace ask::gateways
