#include "gateways/vonage.hpp"

#include "gateways/crypto.hpp"
#include "gateways/sms_encoding.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>

namespace ask::gateways {
namespace {

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

std::string without_plus(const std::string& phone) { return !phone.empty() && phone[0] == '+' ? phone.substr(1) : phone; }

} // namespace

std::optional<params> vonage_params(const webhook_request& req) {
    if (req.body.size() > max_webhook_body)
        return std::nullopt;
    if (req.method == "POST" && is_json(req)) {
        boost::system::error_code ec;
        auto v = boost::json::parse(req.body, ec);
        if (ec || !v.is_object())
            return std::nullopt;
        params out;
        for (const auto& [k, value] : v.as_object()) {
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
    digest d = method == "md5" ? digest::md5 : method == "sha1" ? digest::sha1 : method == "sha512" ? digest::sha512
                                                                                                     : digest::sha256;
    return to_hex(hmac(d, secret, text));
}

bool verify_vonage_signature(const webhook_request& req, const std::vector<std::string>& secrets,
                             std::string_view method, std::int64_t now_seconds, std::int64_t window_seconds) {
    auto ps = vonage_params(req);
    if (!ps || secrets.empty())
        return false;
    auto sig = lower(param(*ps, "sig"));
    auto stamp = param(*ps, "timestamp");
    if (sig.empty() || stamp.empty())
        return false;
    std::int64_t at = 0;
    try {
        at = std::stoll(stamp);
    } catch (const std::exception&) {
        return false;
    }
    if (at < now_seconds - window_seconds || at > now_seconds + window_seconds)
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
    m.from = param(*ps, "msisdn");
    m.to = param(*ps, "to");
    m.text = param(*ps, "text");
    if (m.message_id.empty() || m.from.empty())
        return webhook_problem{"messageId and msisdn are required"};
    m.from = plus_country_code(std::move(m.from)); // E.164 without '+'
    if (param(*ps, "concat") == "true") {
        try {
            m.part_ref = param(*ps, "concat-ref");
            m.part_index = std::stoi(param(*ps, "concat-part"));
            m.part_total = std::stoi(param(*ps, "concat-total"));
        } catch (const std::exception&) {
            return webhook_problem{"concat-part and concat-total must be numbers"};
        }
        if (m.part_ref.empty() || m.part_total < 1 || m.part_total > 16 || m.part_index < 1 || m.part_index > m.part_total)
            return webhook_problem{"bad concat-ref, concat-part or concat-total"};
    }
    return m;
}

delivery_result parse_vonage_status(const webhook_request& req) {
    auto ps = vonage_params(req);
    if (!ps)
        return webhook_problem{"not a form, query or JSON object"};
    delivery_report r{param(*ps, "messageId"), param(*ps, "status"), param(*ps, "err-code")};
    if (r.error == "0")
        r.error.clear();
    if (r.provider_id.empty() || r.status.empty())
        return webhook_problem{"messageId and status are required"};
    return r;
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
    boost::system::error_code ec;
    auto json = boost::json::parse(body, ec);
    if (status != 200 || ec || !json.is_object() || !json.as_object().contains("messages") ||
        !json.as_object().at("messages").is_array() || json.as_object().at("messages").as_array().empty())
        return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": unexpected answer"};
    const auto& first = json.as_object().at("messages").as_array().at(0);
    auto text = [&](const char* key) -> std::string {
        const auto* v = first.is_object() ? first.as_object().if_contains(key) : nullptr;
        return v && v->is_string() ? std::string(v->as_string()) : std::string();
    };
    auto code = text("status");
    if (code == "0")
        return {send_verdict_kind::accepted, text("message-id"), ""};
    std::string why = "Vonage status " + code + ": " + text("error-text");
    return {code == "1" || code == "5" ? send_verdict_kind::retry : send_verdict_kind::permanent, "", why};
}

} // namespace ask::gateways
