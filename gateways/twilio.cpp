#include "gateways/twilio.hpp"

#include "gateways/crypto.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <algorithm>
#include <map>
#include <set>

namespace ask::gateways {
namespace {

// The URL with the scheme's default port added, or its port removed: the other form of it a
// provider may have signed. Empty when the URL does not parse.
std::string other_port_form(std::string_view public_url) {
    auto parsed = boost::urls::parse_uri(public_url);
    if (!parsed)
        return {};
    boost::urls::url u(*parsed);
    if (u.has_port()) {
        u.remove_port();
    } else {
        u.set_port(u.scheme() == "https" ? "443" : "80");
    }
    return std::string(u.buffer());
}

// `name` from the query of the URL the provider called (the part between '?' and any '#').
std::string query_value(std::string_view url, std::string_view name) {
    auto q = url.find('?');
    if (q == std::string_view::npos)
        return {};
    auto query = url.substr(q + 1);
    auto ps = decode_form(query.substr(0, query.find('#')));
    return ps ? param(*ps, name) : std::string();
}

} // namespace

bool verify_twilio_signature(std::string_view public_url, const webhook_request& req,
                             const std::vector<std::string>& auth_tokens) {
    auto header = req.headers.find("x-twilio-signature");
    if (header == req.headers.end() || auth_tokens.empty() || req.body.size() > max_webhook_body ||
        public_url.size() > max_webhook_target)
        return false;
    std::string signed_params;
    if (is_json(req)) {
        auto expected = query_value(public_url, "bodySHA256");
        if (expected.empty() || !constant_time_equal(to_hex(hash(digest::sha256, req.body)), expected))
            return false;
    } else if (req.method == "POST") {
        auto ps = decode_form(req.body);
        if (!ps)
            return false;
        std::map<std::string, std::set<std::string>> sorted;
        for (auto& [k, v] : *ps)
            sorted[k].insert(v);
        for (const auto& [k, values] : sorted)
            for (const auto& v : values)
                signed_params += k + v;
    }
    // Each comparison takes the same time whatever the bytes; which URL form or token matched
    // is no secret, so the first match ends the search (the URL as given, the usual one, first).
    auto signed_with = [&](const std::string& url) {
        for (const auto& token : auth_tokens)
            if (constant_time_equal(to_base64(hmac(digest::sha1, token, url + signed_params)), header->second))
                return true;
        return false;
    };
    if (signed_with(std::string(public_url)))
        return true;
    auto other = other_port_form(public_url);
    return !other.empty() && signed_with(other);
}

inbound_result parse_twilio_inbound(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body within the size limit"};
    inbound_sms m;
    m.provider = "twilio";
    m.message_id = param(*ps, "MessageSid");
    if (m.message_id.empty())
        m.message_id = param(*ps, "SmsSid");
    m.from = param(*ps, "From");
    m.to = param(*ps, "To");
    m.text = param(*ps, "Body");
    return checked(std::move(m), "MessageSid", "From");
}

namespace {

// No MessageStatus (every report of 1.5 has one), and SmsStatus=received (1.1's captured texts) or a Body
// and a From (what a text is made of, should SmsStatus be missing).
bool incoming(const params& ps) {
    if (!param(ps, "MessageStatus").empty())
        return false;
    auto has = [&](std::string_view name) {
        return std::any_of(ps.begin(), ps.end(), [&](const auto& p) { return p.first == name; });
    };
    return param(ps, "SmsStatus") == "received" || (has("Body") && !param(ps, "From").empty());
}

} // namespace

bool twilio_is_incoming(const webhook_request& req) {
    auto ps = bounded_params(req);
    return ps && incoming(*ps);
}

delivery_result parse_twilio_status(const webhook_request& req) {
    auto ps = bounded_params(req);
    if (!ps)
        return webhook_problem{"not a form body within the size limit"};
    if (incoming(*ps)) // its SmsStatus would otherwise pass for a report's
        return webhook_problem{"an incoming text (no MessageStatus), not a status report"};
    delivery_report r{param(*ps, "MessageSid"), param(*ps, "MessageStatus"), param(*ps, "ErrorCode")};
    if (r.status.empty())
        r.status = param(*ps, "SmsStatus");
    return checked(std::move(r), "MessageSid", "MessageStatus");
}

http_call twilio_send_call(const twilio_settings& s, const sms_message& m) {
    http_call c;
    c.method = "POST";
    c.target = "/2010-04-01/Accounts/" + s.account_sid + "/Messages.json";
    c.headers = {{"Authorization", "Basic " + to_base64(s.account_sid + ":" + s.auth_token)},
                 {"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
    params form{{"To", m.to}, {"From", s.from}, {"Body", m.text}};
    if (!s.status_callback.empty())
        form.emplace_back("StatusCallback", s.status_callback);
    c.body = form_encode(form);
    return c;
}

send_verdict twilio_send_verdict(int status, std::string_view body) {
    auto json = json_object(body);
    const auto* o = json ? &*json : nullptr;
    if (status == 200 || status == 201) {
        if (auto sid = o ? json_text(*o, "sid") : ""; !sid.empty())
            return {send_verdict_kind::accepted, sid, ""};
        return {send_verdict_kind::retry, "", "HTTP " + std::to_string(status) + " without a message sid"};
    }
    std::string why = "HTTP " + std::to_string(status);
    std::int64_t code = 0;
    if (const auto* c = o ? o->if_contains("code") : nullptr; c && c->is_int64()) {
        code = c->as_int64();
        why += ", Twilio error " + std::to_string(code);
    }
    for (const char* key : {"message", "detail"}) {
        if (const auto* m = o ? o->if_contains(key) : nullptr; m && m->is_string()) {
            why += ": " + std::string(m->as_string());
            break;
        }
    }
    bool retry = status == 429 || status >= 500 || code == 20429 || code == 63018;
    return {retry ? send_verdict_kind::retry : send_verdict_kind::permanent, "", why};
}

std::string twiml_empty_response() { return std::string(twiml_empty); }

webhook_reply twilio_webhook_reply() { return {200, std::string(twiml_content_type), twiml_empty_response()}; }

} // namespace ask::gateways
