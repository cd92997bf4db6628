#include "gateways/smsgate.hpp"

#include "gateways/crypto.hpp"
#include "gateways/text_key.hpp"

#include <boost/json/serialize.hpp>

namespace ask::gateways {
namespace {

// The event envelope (4.2) and its payload object, or why not.
struct event {
    std::string name;
    std::string id;
    boost::json::object payload;
};
boost::system::result<event, webhook_problem> parse_event(const webhook_request& req) {
    auto o = json_object(req.body);
    if (!o)
        return webhook_problem{"not a JSON object within the size limit"};
    const auto* payload = o->if_contains("payload");
    event e{json_text(*o, "event"), json_text(*o, "id"), {}};
    if (payload && payload->is_object())
        e.payload = payload->as_object();
    return e;
}

} // namespace

bool verify_smsgate_signature(const webhook_request& req, const std::vector<std::string>& keys,
                              std::int64_t now_seconds, std::int64_t window_seconds) {
    auto sig = req.headers.find("x-signature");
    auto stamp = req.headers.find("x-timestamp");
    if (sig == req.headers.end() || stamp == req.headers.end() || keys.empty())
        return false;
    auto at = decimal(stamp->second);
    if (!at || *at < now_seconds - window_seconds || *at > now_seconds + window_seconds || req.body.size() > max_webhook_body)
        return false;
    bool ok = false;
    for (const auto& key : keys)
        ok |= constant_time_equal(to_hex(hmac(digest::sha256, key, req.body + stamp->second)), sig->second);
    return ok;
}

bool smsgate_is_incoming(const webhook_request& req) {
    auto e = parse_event(req);
    return e && e->name == "sms:received";
}

inbound_result parse_smsgate_inbound(const webhook_request& req) {
    auto e = parse_event(req);
    if (!e)
        return e.error();
    if (e->name != "sms:received")
        return webhook_problem{"ignored event '" + e->name + "'"};
    inbound_sms m;
    m.provider = "smsgate";
    m.message_id = e->id;
    m.from = json_text(e->payload, "sender");
    if (m.from.empty())
        m.from = json_text(e->payload, "phoneNumber");
    m.to = json_text(e->payload, "recipient");
    m.text = json_text(e->payload, "message");
    return checked(std::move(m), "id", "payload.sender");
}

delivery_result parse_smsgate_status(const webhook_request& req) {
    auto e = parse_event(req);
    if (!e)
        return e.error();
    if (e->name != "sms:sent" && e->name != "sms:delivered" && e->name != "sms:failed")
        return webhook_problem{"ignored event '" + e->name + "'"};
    delivery_report r{json_text(e->payload, "messageId"), e->name.substr(4), json_text(e->payload, "reason")};
    return checked(std::move(r), "payload.messageId", "event");
}

http_call smsgate_send_call(const smsgate_settings& s, const sms_message& m) {
    boost::json::object body{{"textMessage", boost::json::object{{"text", m.text}}},
                             {"phoneNumbers", boost::json::array{boost::json::value(m.to)}}};
    if (auto id = repeat_id(m); !id.empty())
        body["id"] = id;
    return {"POST",
            "/messages",
            {{"Authorization", "Basic " + to_base64(s.username + ":" + s.password)}, {"Content-Type", "application/json"}},
            boost::json::serialize(body)};
}

send_verdict smsgate_send_verdict(int status, std::string_view body, std::string_view sent_id) {
    // 4.4: 409 is a message id the gateway has: the one this text was sent under at an earlier try.
    if (status == 409 && !sent_id.empty())
        return {send_verdict_kind::accepted, std::string(sent_id), "", true};
    if (status == 429 || status >= 500)
        return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status)};
    if (status < 200 || status > 202)
        return {send_verdict_kind::permanent, "", "HTTP " + std::to_string(status) + ": " + std::string(body.substr(0, 200))};
    // 4.4: the answer is the message's state, with its id. A 2xx without one (a proxy's or captive portal's
    // page in front of a phone in local mode) says nothing reached the phone: tried again, as Twilio's.
    auto o = json_object(body);
    if (auto id = o ? json_text(*o, "id") : std::string(); !id.empty())
        return {send_verdict_kind::accepted, id, ""};
    return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status) + " without a message id"};
}

webhook_reply smsgate_webhook_reply() { return {200, "", ""}; }

} // namespace ask::gateways
