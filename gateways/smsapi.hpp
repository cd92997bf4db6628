// SMSAPI.pl (sms-gateways.md 3): the received-SMS callback and the send API. SMSAPI does not sign
// its callbacks; the server checks the account `username` they carry when one is configured.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"

#include <string>
#include <string_view>

namespace ask::gateways {

struct smsapi_settings {
    std::string token;
    std::string from;
};

/// 3.3 (third-party evidence): sms_from (no '+'), sms_to, sms_text, MsgId, username; form POST or GET.
inbound_result parse_smsapi_inbound(const webhook_request&);
/// The `username` field of the callback, for the account check.
std::string smsapi_username(const webhook_request&);

/// 3.2 (field names UNVERIFIED in the reference): MsgId and status (a name such as DELIVERED, or
/// its number 401–412), from a form POST or GET.
delivery_result parse_smsapi_status(const webhook_request&);

/// 3.1: POST /sms.do, Bearer token, form to/message/from/encoding=utf-8/format=json.
http_call smsapi_send_call(const smsapi_settings&, const sms_message&);
/// Errors come with HTTP 200 and an "error" code: 200 and 201 (try again) and 202/203 (too many
/// calls) retry; the rest (13 bad number, 101 credentials, 103 no credit, …) are permanent.
send_verdict smsapi_send_verdict(int status, std::string_view body);

/// 3.3: the answer the callback expects.
inline constexpr std::string_view smsapi_ok = "OK";

} // namespace ask::gateways
