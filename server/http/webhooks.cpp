#include "server/http/webhooks.hpp"

#include "gateways/sms_parts.hpp"
#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"
#include "server/sms/inbound.hpp"
#include "server/sms/text_parts.hpp"
#include "server/store/requests.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

namespace ask::web {
namespace {

gateways::webhook_request plain(const request& req) {
    gateways::webhook_request w;
    w.method = std::string(req.method_string());
    w.target = std::string(req.target());
    w.content_type = std::string(req[http::field::content_type]);
    w.body = req.body();
    for (const auto& field : req) {
        std::string name(field.name_string());
        std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return std::tolower(c); });
        w.headers[name] = std::string(field.value());
    }
    return w;
}

// The URL the provider called, as it signed it: behind a proxy that is server.public_url.
std::string public_url(const application& app, const request& req) {
    std::string base = app.settings().public_url;
    if (base.empty())
        base = "http://" + std::string(req[http::field::host]);
    return base + std::string(req.target());
}

bool signed_correctly(const application& app, const request& req, const gateways::webhook_request& w,
                      std::string_view provider, const gateway_config& g) {
    auto now = application::now() / 1000;
    auto window = app.settings().sms.signature_window.count();
    if (provider == "twilio")
        return gateways::verify_twilio_signature(public_url(app, req), w, g.auth_token);
    if (provider == "vonage")
        return gateways::verify_vonage_signature(w, g.signature_secret, g.signature_method, now, window);
    if (provider == "smsgate")
        return gateways::verify_smsgate_signature(w, g.signing_key, now, window);
    // SMSAPI does not sign its callbacks: the URL set in its panel carries our key, and the account
    // name they carry is checked too when configured.
    if (g.webhook_key.empty()) {
        spdlog::warn(
            "webhook smsapi: refused: set [gateways.smsapi] webhook_key and give SMSAPI callback URLs "
            "ending in ?key=<it>");
        return false;
    }
    return gateways::smsapi_key_matches(w, g.webhook_key) &&
           (g.username.empty() || gateways::smsapi_username(w) == g.username);
}

gateways::inbound_result parse(std::string_view provider, const gateways::webhook_request& w) {
    if (provider == "twilio")
        return gateways::parse_twilio_inbound(w);
    if (provider == "vonage")
        return gateways::parse_vonage_inbound(w);
    if (provider == "smsgate")
        return gateways::parse_smsgate_inbound(w);
    return gateways::parse_smsapi_inbound(w);
}

gateways::delivery_result parse_status(std::string_view provider, const gateways::webhook_request& w) {
    if (provider == "twilio")
        return gateways::parse_twilio_status(w);
    if (provider == "vonage")
        return gateways::parse_vonage_status(w);
    if (provider == "smsgate")
        return gateways::parse_smsgate_status(w);
    return gateways::parse_smsapi_status(w);
}

// A delivery report joins the history of the request its text was about (nothing when unknown).
net::awaitable<action_result<bool>> record_status(application& app, std::string provider,
                                                  const gateways::delivery_report& report) {
    auto job = [provider, report](store::database& db) -> store::result<bool> {
        using boost::system::in_place_error;
        auto id = store::request_of_sent_sms(db, provider, report.provider_id);
        if (!id)
            return {in_place_error, id.error()};
        if (!*id)
            return false;
        // A report sent again (its first delivery unanswered in time, or the answer lost) is in the history
        // once.
        auto seen = store::has_sms_status(db, **id, provider, report.provider_id, report.status);
        if (!seen)
            return {in_place_error, seen.error()};
        if (*seen)
            return true;
        boost::json::object detail{{"provider", provider}, {"provider_id", report.provider_id}, {"status", report.status}};
        if (!report.error.empty())
            detail["error"] = report.error;
        if (auto e = store::append_event(db, **id, "sms_status", "system", std::nullopt, boost::json::serialize(detail),
                                         application::now());
            !e)
            return {in_place_error, e.error()};
        return true;
    };
    auto recorded = co_await app.store().run<bool>(std::move(job));
    if (!recorded)
        co_return from_store(recorded.error());
    co_return *recorded;
}

// What each provider's documentation asks for once the message is ours (gateways/*.hpp).
response accepted(std::string_view provider) {
    auto reply = provider == "twilio"   ? gateways::twilio_webhook_reply()
                 : provider == "smsapi" ? gateways::smsapi_webhook_reply()
                 : provider == "vonage" ? gateways::vonage_webhook_reply()
                                        : gateways::smsgate_webhook_reply();
    if (reply.content_type.empty()) {
        response res{static_cast<http::status>(reply.status), 11};
        res.set(http::field::server, "askd");
        res.prepare_payload();
        return res;
    }
    return make_response(static_cast<http::status>(reply.status), std::move(reply.body), reply.content_type);
}

} // namespace

net::awaitable<response> sms_webhook(application& app, const request& req, std::string_view path) {
    bool status_report = path.ends_with("/status");
    auto provider = status_report ? path.substr(0, path.size() - std::string_view("/status").size()) : path;
    const auto* g = app.settings().gateways.find(provider);
    if (!g || !g->enabled)
        co_return error_response(http::status::not_found, "not_found", "no such gateway is enabled");
    if (req.method() != http::verb::post && req.method() != http::verb::get) {
        auto res = error_response(http::status::method_not_allowed, "method_not_allowed", "POST or GET");
        res.set(http::field::allow, "POST, GET");
        co_return res;
    }
    const auto w = plain(req);
    if (w.body.size() > gateways::max_webhook_body)
        co_return error_response(http::status::payload_too_large, "too_large", "webhook body too large");
    if (!gateways::is_json(w) && !gateways::bounded_params(w))
        co_return error_response(http::status::bad_request, "bad_request",
                                 "the form or query cannot be read: a '%' not followed by two hex digits");
    if (!signed_correctly(app, req, w, provider, *g)) {
        spdlog::warn("webhook {}: signature check failed; nothing stored", provider);
        co_return error_response(http::status::forbidden, "forbidden", "signature check failed");
    }
    // A text is routed by what it is, not only by the URL it came to. SMSGate posts every event to one URL
    // (or to each URL it is given): routed by its event. Twilio has a status callback URL of its own; an
    // incoming text that comes to it anyway (the number's setting for incoming messages pointed at it by
    // mistake) is still a resident asking for help, and answered 2xx as a report nobody could match, it
    // would be lost. The others refuse a text there (400, which their logs show).
    if (provider == "smsgate") {
        status_report = !gateways::smsgate_is_incoming(w);
    } else if (provider == "twilio" && status_report && gateways::twilio_is_incoming(w)) {
        spdlog::warn("webhook {}: a text came to the status URL; taken as a text. The provider's setting for "
                     "incoming messages should be /webhooks/sms/{}",
                     provider, provider);
        status_report = false;
    }
    if (status_report) {
        auto report = parse_status(provider, w);
        if (!report) {
            if (report.error().detail.starts_with("ignored event"))
                co_return accepted(provider);
            co_return error_response(http::status::bad_request, "bad_request", report.error().detail);
        }
        auto recorded = co_await record_status(app, std::string(provider), *report);
        if (!recorded)
            co_return error_response(recorded.error());
        co_return accepted(provider);
    }
    auto parsed = parse(provider, w);
    if (!parsed) {
        if (parsed.error().detail.starts_with("ignored event"))
            co_return accepted(provider); // e.g. sms:delivered from SMSGate: nothing for us to do
        spdlog::warn("webhook {}: {}", provider, parsed.error().detail);
        co_return error_response(http::status::bad_request, "bad_request", parsed.error().detail);
    }
    if (gateways::is_part_of_longer(*parsed)) {
        auto held = co_await sms::receive_part(app, app.sms_flood(), std::move(*parsed));
        if (!held)
            co_return error_response(held.error());
        co_return accepted(provider); // saved until the rest arrives, or delivered with it
    }
    const sms::incoming_text text{std::string(provider), parsed->message_id, parsed->from, parsed->text,
                                  parsed->to};
    auto done = co_await sms::receive_text(app, app.sms_flood(), text);
    if (!done)
        co_return error_response(done.error());
    co_return accepted(provider);
}

} // namespace ask::web
