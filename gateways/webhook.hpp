// What every gateway shares: an incoming webhook as plain data, the message it carries, and
// an outgoing API call with the verdict on its reply. Pure: the server moves the bytes.
#pragma once

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace ask::gateways {

/// An HTTP request as a provider sent it.
struct webhook_request {
    std::string method;                         ///< "POST" or "GET"
    std::string target;                         ///< path and query, as received
    std::string content_type;                   ///< e.g. "application/x-www-form-urlencoded; charset=UTF-8"
    std::string body;                           ///< raw bytes (signatures cover them as sent)
    std::map<std::string, std::string> headers; ///< lowercase names
};

/// A text a resident or staff member sent us.
struct inbound_sms {
    std::string provider;   ///< "twilio", "smsapi", "vonage", "smsgate"
    std::string message_id; ///< the provider's id: retries of one webhook carry the same one
    std::string from;       ///< the sender, '+' added where a provider leaves it out (normalise_phone by the caller)
    std::string to;         ///< our number, when given
    std::string text;
    int part_index = 1;     ///< 1-based, for providers that deliver long texts part by part
    int part_total = 1;     ///< at most max_parts
    std::string part_ref;   ///< shared by the parts of one long text; "" when single
};

/// A long text has at most this many parts (1600 characters are 11 GSM-7 or 24 UCS-2 parts).
inline constexpr int max_parts = 32;

/// Why a webhook was refused, in words fit for the log and a 400 body.
struct webhook_problem {
    std::string detail;
};

/// Every parser returns boost::system::result<T, webhook_problem>: test it like a bool, `*r` or
/// `r->` for the value, `r.error().detail` for the reason. Parsers never throw.
using inbound_result = boost::system::result<inbound_sms, webhook_problem>;

/// A provider's report on a text we sent (delivered, failed, …), matched by its message id.
struct delivery_report {
    std::string provider_id; ///< the id the send call returned
    std::string status;      ///< the provider's word: delivered, failed, undelivered, …
    std::string error;       ///< the provider's error code or reason, "" when none
};

using delivery_result = boost::system::result<delivery_report, webhook_problem>;

/// What a provider expects back once we have its webhook (each provider's header says which).
struct webhook_reply {
    int status = 200;
    std::string content_type; ///< "" with no body
    std::string body;
};

/// An API call to a provider, relative to its base_url.
struct http_call {
    std::string method;
    std::string target; ///< path and query
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;
};

enum class send_verdict_kind { accepted, retry, permanent };

struct send_verdict {
    send_verdict_kind kind = send_verdict_kind::permanent;
    std::string provider_id; ///< when accepted
    std::string error;       ///< when not
    bool repeat = false;     ///< accepted: the provider refused it as a text it took at an earlier try
};

using params = std::vector<std::pair<std::string, std::string>>;

/// Decodes application/x-www-form-urlencoded text: '+' is a space, %XX the byte XX, any other byte
/// ('#' and spaces included) itself; nullopt when a '%' is not followed by two hex digits.
std::optional<params> decode_form(std::string_view text);
/// The parameters of a form POST body, or of the query for GET (Twilio, Vonage and SMSAPI use both);
/// nullopt when malformed, or over max_webhook_body or max_webhook_target.
std::optional<params> bounded_params(const webhook_request&);
/// A number some gateways send without its '+' (country code first, e.g. 48600100200) as E.164;
/// anything else unchanged (normalise_phone decides later).
std::string plus_country_code(std::string number);
/// A whole string of 1 to 18 ASCII digits as a number; nullopt for anything else (signs, spaces, "12abc").
std::optional<std::int64_t> decimal(std::string_view);
/// The first value of `name`, or "".
std::string param(const params&, std::string_view name);
/// Percent-encodes for a form body ('+' for space is not used: %20, which every decoder accepts).
std::string form_encode(const params&);
/// A webhook body or an API reply of at most max_webhook_body bytes that is a JSON object.
std::optional<boost::json::object> json_object(std::string_view text);
/// The string member `key` of `o`, or "" (absent, null or not a string).
std::string json_text(const boost::json::object& o, std::string_view key);
/// True when the content type is JSON.
bool is_json(const webhook_request&);

/// Webhook bodies are small; a larger one is refused before parsing.
inline constexpr std::size_t max_webhook_body = 64 * 1024;
/// The path and query of a webhook (GET webhooks carry the whole message in the query).
inline constexpr std::size_t max_webhook_target = 16 * 1024;
/// Ids, numbers and references in a webhook; longer ones are refused.
inline constexpr std::size_t max_webhook_field = 256;

/// The last step of every inbound parser: a problem naming the provider's field (`id_field`,
/// `from_field`) when message_id or from is empty, or when an id, number or reference is longer
/// than max_webhook_field; otherwise the message with every field made well-formed UTF-8
/// (valid_utf8), so nothing a provider sends can break JSON, SQLite or a WebSocket text frame.
inbound_result checked(inbound_sms, std::string_view id_field, std::string_view from_field);
/// The same for a delivery report: provider_id (`id_field`) and status (`status_field`) required.
delivery_result checked(delivery_report, std::string_view id_field, std::string_view status_field);

} // namespace ask::gateways
