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
    /// Where Twilio posts each text's delivery reports (1.5: only to a StatusCallback given with the text,
    /// for a plain From number); "" asks for none.
    std::string status_callback;
};

/// 1.3: X-Twilio-Signature = base64 HMAC-SHA1(auth token, URL + params). The URL is the one Twilio
/// called (`public_url`, with its query, at most max_webhook_target bytes), tried as given, with
/// the scheme's default port added when it has none and with its port removed (the SDK's quirk).
/// Form POST: every parameter, names sorted bytewise, each distinct value sorted, appended as
/// name+value, URL-decoded. GET: the URL alone. JSON body: the URL alone, after the URL's
/// bodySHA256 matched hex SHA-256 of the raw body. Any of `auth_tokens` (rotation) may match;
/// comparisons in constant time (CRYPTO_memcmp). False for a body over max_webhook_body.
bool verify_twilio_signature(std::string_view public_url, const webhook_request&,
                             const std::vector<std::string>& auth_tokens);

/// 1.1: MessageSid (or SmsSid), From, To, Body from a form POST or a GET query. Twilio joins long
/// texts itself, so the result is always a single part.
inbound_result parse_twilio_inbound(const webhook_request&);

/// Whether a form is an incoming text rather than a status callback: no MessageStatus (every report of 1.5
/// has one), and SmsStatus=received (1.1's captured requests) or a Body with a From.
bool twilio_is_incoming(const webhook_request&);

/// 1.5: the status callback (MessageSid, MessageStatus, ErrorCode), signed like inbound webhooks. An
/// incoming text (twilio_is_incoming) is a problem, not a report.
delivery_result parse_twilio_status(const webhook_request&);

/// 1.4: POST /2010-04-01/Accounts/{sid}/Messages.json, Basic auth, form To/From/Body.
http_call twilio_send_call(const twilio_settings&, const sms_message&);
/// 1.4: 201 (or 200) with a sid: accepted. 429, 5xx and the throttling codes 20429 and 63018: retry.
/// Every other error (21211 bad number, 21610 the recipient sent STOP, 20003 credentials, …):
/// permanent. The error text carries Twilio's code and message (legacy or RFC 9457 "detail").
send_verdict twilio_send_verdict(int status, std::string_view body);

/// 1.2: the empty TwiML answer (courier's spelling), served as text/xml: confirmations go out
/// through the REST API, so the webhook never has to wait for a decision.
inline constexpr std::string_view twiml_empty = R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)";
inline constexpr std::string_view twiml_content_type = "text/xml";
std::string twiml_empty_response();
/// 1.2: 200, text/xml, twiml_empty.
webhook_reply twilio_webhook_reply();

} // namespace ask::gateways
