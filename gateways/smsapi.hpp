// SMSAPI.pl (sms-gateways.md 3): the received-SMS callback and the send API. SMSAPI does not sign
// its callbacks: the server gives SMSAPI callback URLs carrying a key of its own (`?key=…`) and
// refuses any callback without it; the account `username` they carry is checked too when configured.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace ask::gateways {

struct smsapi_settings {
    std::string token;
    std::string from;
};

/// 3.3 (third-party evidence only): MsgId, sms_from (country code first, no '+': made "+48…"),
/// sms_to, sms_text, from a form POST or a GET query. The text's charset is UNVERIFIED: bytes
/// that are not UTF-8 become U+FFFD.
inbound_result parse_smsapi_inbound(const webhook_request&);
/// The `username` field of the callback, for the account check.
std::string smsapi_username(const webhook_request&);
/// Whether the callback's URL carries `key=` one of `keys` in its query (constant-time comparison). False
/// when `keys` is empty: without a key of ours anyone could post a text as any resident or staff member.
bool smsapi_key_matches(const webhook_request&, const std::vector<std::string>& keys);

/// 3.2 (field names UNVERIFIED in the reference): MsgId and status (a name such as DELIVERED, or
/// its number 401–412), from a form POST or GET.
delivery_result parse_smsapi_status(const webhook_request&);

/// 3.1: POST /sms.do, Bearer token, form to (no '+'), message, from (left out when empty: the
/// account's default sender), encoding=utf-8, format=json. No normalize: SMSAPI sends Polish
/// letters as Unicode by itself (transliteration is the caller's choice, transliterate_polish). A text
/// with a key also carries idx = repeat_id(m) and check_idx=1, so SMSAPI refuses a repeat of it.
http_call smsapi_send_call(const smsapi_settings&, const sms_message&);
/// 3.1: errors come with HTTP 200 and an "error" code (top level or in list[0]): 52, 110, 200,
/// 201, 202, 203 and 999 retry; 53 (an idx not unique) is accepted as a repeat, with no id; the rest
/// (11 text, 13 bad number, 14 sender, 101 credentials, 103 no credit, …) are permanent. Accepted:
/// list[0].id. HTTP 429 and 5xx retry.
send_verdict smsapi_send_verdict(int status, std::string_view body);

/// 3.3: the answer the callback expects (UNVERIFIED in the reference, the brief's word).
inline constexpr std::string_view smsapi_ok = "OK";
/// 200, text/plain, smsapi_ok.
webhook_reply smsapi_webhook_reply();

} // namespace ask::gateways
