#include "gateways/smsapi.hpp"

#include "gateways/crypto.hpp"
#include "gateways/text_key.hpp"

namespace ask::gateways {

inbound_result parse_smsapi_inbound(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body within the size limit"};
    inbound_sms m;
    m.provider = "smsapi";
    m.message_id = param(*ps, "MsgId");
    m.from = plus_country_code(param(*ps, "sms_from"));
    m.to = param(*ps, "sms_to");
    m.text = param(*ps, "sms_text");
    return checked(std::move(m), "MsgId", "sms_from");
}

std::string smsapi_username(const webhook_request& req) {
    auto ps = bounded_params(req);
    return ps ? param(*ps, "username") : std::string();
}

bool smsapi_key_matches(const webhook_request& req, const std::vector<std::string>& keys) {
    auto query = req.target.find('?');
    if (keys.empty() || query == std::string::npos || req.target.size() > max_webhook_target)
        return false;
    auto ps = decode_form(std::string_view(req.target).substr(query + 1));
    if (!ps)
        return false;
    auto given = param(*ps, "key");
    bool ok = false;
    for (const auto& key : keys)
        ok |= constant_time_equal(given, key);
    return ok;
}

delivery_result parse_smsapi_status(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body within the size limit"};
    delivery_report r{param(*ps, "MsgId"), param(*ps, "status_name"), ""};
    if (r.status.empty())
        r.status = param(*ps, "status");
    return checked(std::move(r), "MsgId", "status");
}

namespace {

// 3.1 error codes worth another try: 52 (over 10 tries to one number in 60 s), 110 (service
// unavailable), 200 (failed, try again), 201 and 999 (internal), 202/203 (too many calls).
bool retryable(std::int64_t code) {
    return code == 52 || code == 110 || code == 200 || code == 201 || code == 202 || code == 203 || code == 999;
}

// 3.1 error 53, an idx not unique: check_idx found this text's idx on one SMSAPI took at an earlier try.
// SMSAPI's id for it is not in the answer, so its delivery reports find no request.
constexpr std::int64_t idx_not_unique = 53;

send_verdict error_verdict(std::int64_t code, const std::string& message) {
    if (code == idx_not_unique)
        return {send_verdict_kind::accepted, "", "", true};
    std::string why = "SMSAPI error " + std::to_string(code);
    if (!message.empty())
        why += ": " + message;
    return {retryable(code) ? send_verdict_kind::retry : send_verdict_kind::permanent, "", why};
}

} // namespace

http_call smsapi_send_call(const smsapi_settings& s, const sms_message& m) {
    std::string to = !m.to.empty() && m.to[0] == '+' ? m.to.substr(1) : m.to;
    params form{{"to", to}, {"message", m.text}};
    if (!s.from.empty())
        form.emplace_back("from", s.from);
    form.emplace_back("encoding", "utf-8");
    form.emplace_back("format", "json");
    if (auto idx = repeat_id(m); !idx.empty()) {
        form.emplace_back("idx", idx);
        form.emplace_back("check_idx", "1");
    }
    return {"POST",
            "/sms.do",
            {{"Authorization", "Bearer " + s.token}, {"Content-Type", "application/x-www-form-urlencoded"}},
            form_encode(form)};
}

send_verdict smsapi_send_verdict(int status, std::string_view body) {
    if (status == 429 || status >= 500)
        return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status)};
    auto o = json_object(body);
    if (!o)
        return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": not a JSON object"};
    if (const auto* error = o->if_contains("error"); error && error->is_int64())
        return error_verdict(error->as_int64(), json_text(*o, "message"));
    const auto* list = o->if_contains("list");
    if (status == 200 && list && list->is_array() && !list->as_array().empty() && list->as_array()[0].is_object()) {
        const auto& first = list->as_array()[0].as_object();
        if (const auto* error = first.if_contains("error"); error && error->is_int64())
            return error_verdict(error->as_int64(), json_text(first, "message"));
        if (const auto* id = first.if_contains("id"); id && (id->is_string() || id->is_int64()))
            return {send_verdict_kind::accepted, id->is_string() ? std::string(id->as_string()) : std::to_string(id->as_int64()), ""};
    }
    return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": unexpected answer"};
}

webhook_reply smsapi_webhook_reply() { return {200, "text/plain", std::string(smsapi_ok)}; }

} // namespace ask::gateways
