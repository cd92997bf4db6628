#include "gateways/vonage.hpp"

#include "gateways/crypto.hpp"
#include "gateways/sms_encoding.hpp"

#include <algorithm>
#include <cctype>

namespace ask::gateways {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string without_plus(const std::string& phone) { return !phone.empty() && phone[0] == '+' ? phone.substr(1) : phone; }

std::optional<digest> hmac_digest(std::string_view method) {
    if (method == "md5")
        return digest::md5;
    if (method == "sha1")
        return digest::sha1;
    if (method == "sha256")
        return digest::sha256;
    if (method == "sha512")
        return digest::sha512;
    return std::nullopt;
}

} // namespace

std::optional<params> vonage_params(const webhook_request& req) {
    if (req.method == "POST" && is_json(req)) {
        auto o = json_object(req.body);
        if (!o)
            return std::nullopt;
        params out;
        for (const auto& [k, value] : *o) {
            if (value.is_string())
                out.emplace_back(std::string(k), std::string(value.as_string()));
            else if (value.is_int64())
                out.emplace_back(std::string(k), std::to_string(value.as_int64()));
            else if (value.is_bool())
                out.emplace_back(std::string(k), value.as_bool() ? "true" : "false");
        }
        return out;
    }
    return bounded_params(req);
}

std::string vonage_signature(const params& ps, std::string_view secret, std::string_view method) {
    params sorted;
    for (const auto& p : ps)
        if (p.first != "sig")
            sorted.push_back(p);
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::string text;
    for (const auto& [k, v] : sorted) {
        std::string value = v;
        std::replace(value.begin(), value.end(), '&', '_');
        std::replace(value.begin(), value.end(), '=', '_');
        text += "&" + k + "=" + value;
    }
    if (method == "md5hash")
        return to_hex(hash(digest::md5, text + std::string(secret)));
    auto d = hmac_digest(method);
    return d ? to_hex(hmac(*d, secret, text)) : std::string();
}

bool verify_vonage_signature(const webhook_request& req, const std::vector<std::string>& secrets,
                             std::string_view method, std::int64_t now_seconds, std::int64_t window_seconds) {
    if (method != "md5hash" && !hmac_digest(method))
        return false;
    auto ps = vonage_params(req);
    if (!ps || secrets.empty())
        return false;
    auto sig = lower(param(*ps, "sig"));
    auto at = decimal(param(*ps, "timestamp"));
    if (sig.empty() || !at || *at < now_seconds - window_seconds || *at > now_seconds + window_seconds)
        return false;
    bool ok = false;
    for (const auto& secret : secrets)
        ok |= constant_time_equal(vonage_signature(*ps, secret, method), sig);
    return ok;
}

inbound_result parse_vonage_inbound(const webhook_request& req) {
    auto ps = vonage_params(req);
    if (!ps)
        return webhook_problem{"not a form, query or JSON object"};
    inbound_sms m;
    m.provider = "vonage";
    m.message_id = param(*ps, "messageId");
    m.from = plus_country_code(param(*ps, "msisdn")); // E.164 without '+'
    m.to = param(*ps, "to");
    m.text = param(*ps, "text");
    if (param(*ps, "concat") == "true") {
        auto part = decimal(param(*ps, "concat-part"));
        auto total = decimal(param(*ps, "concat-total"));
        m.part_ref = param(*ps, "concat-ref");
        if (m.part_ref.empty() || !part || !total || *total < 1 || *total > max_parts || *part < 1 || *part > *total)
            return webhook_problem{"concat=true needs concat-ref, and concat-part within concat-total (1 to " +
                                   std::to_string(max_parts) + ")"};
        m.part_index = static_cast<int>(*part);
        m.part_total = static_cast<int>(*total);
    }
    return checked(std::move(m), "messageId", "msisdn");
}

delivery_result parse_vonage_status(const webhook_request& req) {
    auto ps = vonage_params(req);
    if (!ps)
        return webhook_problem{"not a form, query or JSON object"};
    delivery_report r{param(*ps, "messageId"), param(*ps, "status"), param(*ps, "err-code")};
    if (r.error == "0")
        r.error.clear();
    return checked(std::move(r), "messageId", "status");
}

http_call vonage_send_call(const vonage_settings& s, const sms_message& m) {
    params form{{"api_key", s.api_key}, {"api_secret", s.api_secret}, {"from", without_plus(s.from)},
                {"to", without_plus(m.to)}, {"text", m.text}};
    if (measure(m.text).ucs2)
        form.emplace_back("type", "unicode");
    return {"POST", "/sms/json", {{"Content-Type", "application/x-www-form-urlencoded"}, {"Accept", "application/json"}},
            form_encode(form)};
}

send_verdict vonage_send_verdict(int status, std::string_view body) {
    if (status == 429 || status >= 500)
        return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status)};
    auto json = json_object(body);
    const auto* messages = json ? json->if_contains("messages") : nullptr;
    if (status != 200 || !messages || !messages->is_array() || messages->as_array().empty())
        return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": unexpected answer"};
    std::string id;
    for (const auto& part : messages->as_array()) { // one entry per part of a long text
        if (!part.is_object())
            return {send_verdict_kind::permanent, "", "HTTP 200: unexpected answer"};
        auto code = json_text(part.as_object(), "status");
        if (code != "0") {
            std::string why = "Vonage status " + code + ": " + json_text(part.as_object(), "error-text");
            return {code == "1" || code == "5" ? send_verdict_kind::retry : send_verdict_kind::permanent, "", why};
        }
        if (id.empty())
            id = json_text(part.as_object(), "message-id");
    }
    return {send_verdict_kind::accepted, id, ""};
}

webhook_reply vonage_webhook_reply() { return {204, "", ""}; }

} // namespace ask::gateways
