#include "gateways/smsapi.hpp"

#include <boost/json/parse.hpp>

namespace ask::gateways {

inbound_result parse_smsapi_inbound(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body within the size limit"};
    inbound_sms m;
    m.provider = "smsapi";
    m.message_id = param(*ps, "MsgId");
    m.from = param(*ps, "sms_from");
    m.to = param(*ps, "sms_to");
    m.text = param(*ps, "sms_text");
    if (m.message_id.empty() || m.from.empty())
        return webhook_problem{"MsgId and sms_from are required"};
    m.from = plus_country_code(std::move(m.from));
    return m;
}

std::string smsapi_username(const webhook_request& req) {
    auto ps = request_params(req);
    return ps ? param(*ps, "username") : std::string();
}

delivery_result parse_smsapi_status(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body"};
    delivery_report r{param(*ps, "MsgId"), param(*ps, "status_name"), ""};
    if (r.status.empty())
        r.status = param(*ps, "status");
    if (r.provider_id.empty() || r.status.empty())
        return webhook_problem{"MsgId and status are required"};
    return r;
}

http_call smsapi_send_call(const smsapi_settings& s, const sms_message& m) {
    std::string to = !m.to.empty() && m.to[0] == '+' ? m.to.substr(1) : m.to;
    return {"POST",
            "/sms.do",
            {{"Authorization", "Bearer " + s.token}, {"Content-Type", "application/x-www-form-urlencoded"}},
            form_encode({{"to", to}, {"message", m.text}, {"from", s.from}, {"encoding", "utf-8"}, {"format", "json"}})};
}

send_verdict smsapi_send_verdict(int status, std::string_view body) {
    if (status == 429 || status >= 500)
        return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status)};
    boost::system::error_code ec;
    auto json = boost::json::parse(body, ec);
    if (ec || !json.is_object())
        return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": not JSON"};
    const auto& o = json.as_object();
    if (const auto* error = o.if_contains("error"); error && error->is_int64()) {
        auto code = error->as_int64();
        std::string why = "SMSAPI error " + std::to_string(code);
        if (const auto* msg = o.if_contains("message"); msg && msg->is_string())
            why += ": " + std::string(msg->as_string());
        bool retry = code == 200 || code == 201 || code == 202 || code == 203 || code == 110 || code == 999;
        return {retry ? send_verdict_kind::retry : send_verdict_kind::permanent, "", why};
    }
    if (const auto* list = o.if_contains("list"); list && list->is_array() && !list->as_array().empty() &&
                                                 list->as_array()[0].is_object()) {
        const auto* id = list->as_array()[0].as_object().if_contains("id");
        if (status == 200 && id && id->is_string())
            return {send_verdict_kind::accepted, std::string(id->as_string()), ""};
    }
    return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": unexpected answer"};
}

} // namespace ask::gateways
