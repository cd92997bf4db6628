// What every gateway shares: an incoming webhook as plain data, the message it carries, and
// an outgoing API call with the verdict on its reply. Pure: the server moves the bytes.
#pragma once

#include <boost/system/result.hpp>

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
    std::string from;       ///< the sender as the provider wrote it (normalised by the caller)
    std::string to;         ///< our number, when given
    std::string text;
    int part_index = 1;     ///< 1-based, for providers that deliver long texts part by part
    int part_total = 1;
    std::string part_ref;   ///< shared by the parts of one long text; "" when single
};

struct webhook_problem {
    std::string detail;
};

using inbound_result = boost::system::result<inbound_sms, webhook_problem>;

/// A provider's report on a text we sent (delivered, failed, …), matched by its message id.
struct delivery_report {
    std::string provider_id; ///< the id the send call returned
    std::string status;      ///< the provider's word: delivered, failed, undelivered, …
    std::string error;       ///< the provider's error code or reason, "" when none
};

using delivery_result = boost::system::result<delivery_report, webhook_problem>;

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
};

using params = std::vector<std::pair<std::string, std::string>>;

/// Decodes application/x-www-form-urlencoded text ('+' is a space); nullopt when malformed.
std::optional<params> decode_form(std::string_view text);
/// The parameters of a form POST body, or of the query for GET (Twilio, Vonage and SMSAPI use both).
std::optional<params> request_params(const webhook_request&);
/// request_params() for a body within max_webhook_body; nullopt for a larger or malformed one.
std::optional<params> bounded_params(const webhook_request&);
/// A number some gateways send without its '+' (country code first, e.g. 48600100200) as E.164;
/// anything else unchanged (normalise_phone decides later).
std::string plus_country_code(std::string number);
/// The first value of `name`, or "".
std::string param(const params&, std::string_view name);
/// Percent-encodes for a form body ('+' for space is not used: %20, which every decoder accepts).
std::string form_encode(const params&);
/// True when the content type is JSON.
bool is_json(const webhook_request&);

/// Webhook bodies are small; a larger one is refused before parsing.
inline constexpr std::size_t max_webhook_body = 64 * 1024;

} // namespace ask::gateways
