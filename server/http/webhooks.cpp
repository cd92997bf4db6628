#include "server/http/webhooks.hpp"

#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"
#include "server/sms/inbound.hpp"

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
    // SMSAPI does not sign its callbacks: the account name they carry is checked when configured.
    return g.username.empty() || gateways::smsapi_username(w) == g.username;
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

// What each provider expects back once the message is ours.
response accepted(std::string_view provider) {
    if (provider == "twilio")
        return make_response(http::status::ok, std::string(gateways::twiml_empty), "text/xml");
    if (provider == "smsapi")
        return make_response(http::status::ok, std::string(gateways::smsapi_ok), "text/plain");
    return make_response(http::status::ok, "{}");
}

} // namespace

net::awaitable<response> sms_webhook(application& app, const request& req, std::string_view provider) {
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
    if (!signed_correctly(app, req, w, provider, *g)) {
        spdlog::warn("webhook {}: signature check failed; nothing stored", provider);
        co_return error_response(http::status::forbidden, "forbidden", "signature check failed");
    }
    auto parsed = parse(provider, w);
    if (!parsed) {
        if (parsed.error().detail.starts_with("ignored event"))
            co_return accepted(provider); // e.g. sms:delivered from SMSGate: nothing for us to do
        spdlog::warn("webhook {}: {}", provider, parsed.error().detail);
        co_return error_response(http::status::bad_request, "bad_request", parsed.error().detail);
    }
    auto whole = app.sms_parts().add(std::move(*parsed), application::now());
    if (!whole)
        co_return accepted(provider); // a part of a longer text: held until the rest arrives
    const sms::incoming_text text{std::string(provider), whole->message_id, whole->from, whole->text};
    auto done = co_await sms::receive_text(app, app.sms_flood(), text);
    if (!done)
        co_return error_response(done.error());
    co_return accepted(provider);
}

} // namespace ask::web
