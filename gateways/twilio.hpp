// Twilio Programmable Messaging (sms-gateways.md 1): inbound webhook, X-Twilio-Signature, send API.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ask::gateways {

struct twilio_settings {
    std::string account_sid;
    std::string auth_token;
    std::string from;
};

/// 1.3: HMAC-SHA1 over the URL Twilio called (`public_url`, with its query) and, for form POSTs,
/// the sorted parameters; for JSON bodies the bodySHA256 query value must match the body. The URL
/// is tried as given, with the default port added and with the port removed (the SDK's quirk).
/// Any of `auth_tokens` (rotation) may match; constant-time comparison.
bool verify_twilio_signature(std::string_view public_url, const webhook_request&,
                             const std::vector<std::string>& auth_tokens);

/// 1.1: MessageSid, From, To, Body from a form POST or a GET query.
inbound_result parse_twilio_inbound(const webhook_request&);

/// 1.5: the status callback (MessageSid, MessageStatus, ErrorCode), signed like inbound webhooks.
delivery_result parse_twilio_status(const webhook_request&);

/// 1.4: POST /2010-04-01/Accounts/{sid}/Messages.json, Basic auth, form To/From/Body.
http_call twilio_send_call(const twilio_settings&, const sms_message&);
/// 201 accepted (sid); 429 and 5xx retry; other errors (e.g. 21211 bad number, 21610 STOP) permanent.
send_verdict twilio_send_verdict(int status, std::string_view body);

/// 1.2: the empty TwiML answer (content type text/xml): confirmations go out through the API.
inline constexpr std::string_view twiml_empty = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";

} // namespace ask::gateways
