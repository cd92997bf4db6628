#include "server/sms/provider_sender.hpp"

#include "gateways/log_sender.hpp"
#include "gateways/phone_number.hpp"
#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/text_key.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"

#include <spdlog/spdlog.h>

namespace ask::sms {
namespace {

using gateways::send_verdict_kind;

// 0.5 s, 1 s, 2 s, 4 s … between attempts: a provider that is briefly down gets time, and the
// whole ladder still fits well inside an escalation step.
std::chrono::milliseconds backoff(int attempt) { return std::chrono::milliseconds(500) * (1 << (attempt - 1)); }

} // namespace

std::unique_ptr<provider_api> make_provider_api(const std::string& name, const gateway_config& g,
                                                const std::string& public_url) {
    auto api = std::make_unique<provider_api>();
    api->name = name;
    api->base_url = g.base_url;
    if (name == "twilio") {
        gateways::twilio_settings s{g.account_sid, g.auth_token.empty() ? "" : g.auth_token.front(), g.from,
                                    public_url.empty() ? "" : public_url + "/webhooks/sms/twilio/status"};
        api->request = [s](const gateways::sms_message& m) { return gateways::twilio_send_call(s, m); };
        api->verdict = [](int status, std::string_view body, std::string_view) {
            return gateways::twilio_send_verdict(status, body);
        };
    } else if (name == "smsapi") {
        gateways::smsapi_settings s{g.token, g.from};
        api->request = [s](const gateways::sms_message& m) { return gateways::smsapi_send_call(s, m); };
        api->verdict = [](int status, std::string_view body, std::string_view) {
            return gateways::smsapi_send_verdict(status, body); // the idx is not in its answer
        };
    } else if (name == "vonage") {
        gateways::vonage_settings s{g.api_key, g.api_secret, g.from};
        api->request = [s](const gateways::sms_message& m) { return gateways::vonage_send_call(s, m); };
        api->verdict = [](int status, std::string_view body, std::string_view) {
            return gateways::vonage_send_verdict(status, body);
        };
    } else if (name == "smsgate") {
        gateways::smsgate_settings s{g.username, g.password};
        api->request = [s](const gateways::sms_message& m) { return gateways::smsgate_send_call(s, m); };
        api->verdict = gateways::smsgate_send_verdict;
    } else {
        return nullptr;
    }
    return api;
}

provider_sender::provider_sender(net::any_io_executor ex, std::unique_ptr<provider_api> api, const sms_config& settings)
    : ex_(ex), api_(std::move(api)), settings_(settings), client_(ex) {}

net::awaitable<gateways::sms_result> provider_sender::send(const gateways::sms_message& message) {
    const auto call = api_->request(message);
    const auto sent_id = gateways::repeat_id(message);
    gateways::sms_result result{false, api_->name, "", ""};
    for (int attempt = 1; attempt <= settings_.max_attempts; ++attempt) {
        if (attempt > 1) {
            net::steady_timer pause(ex_, backoff(attempt - 1));
            co_await pause.async_wait(as_result);
        }
        auto answer = co_await client_.send(api_->base_url, call, settings_.send_timeout);
        if (answer.error) {
            result.error = "network: " + answer.error.message();
            spdlog::warn("sms[{}]: to …{}: attempt {} failed: {}", api_->name,
                         gateways::phone_tail(message.to), attempt, result.error);
            continue;
        }
        auto verdict = api_->verdict(answer.status, answer.body, sent_id);
        if (verdict.kind == send_verdict_kind::accepted) {
            // A repeat is a warning: it says an earlier try was taken though askd never heard so, and were
            // a provider ever to refuse a first try so, a text that did not go would be recorded as sent.
            if (verdict.repeat)
                spdlog::warn(
                    "sms[{}]: to …{}: refused as a repeat: taken at an earlier try, recorded as sent",
                    api_->name, gateways::phone_tail(message.to));
            else
                spdlog::info("sms[{}]: to …{} accepted ({})", api_->name, gateways::phone_tail(message.to),
                             verdict.provider_id);
            gateways::sms_result accepted{true, api_->name, verdict.provider_id, ""};
            accepted.repeat = verdict.repeat;
            co_return accepted;
        }
        result.error = fmt::format("HTTP {}: {}", answer.status, verdict.error);
        spdlog::warn("sms[{}]: to …{}: attempt {} refused: {}", api_->name, gateways::phone_tail(message.to),
                     attempt, result.error);
        if (verdict.kind == send_verdict_kind::permanent) {
            result.permanent = true;
            break;
        }
    }
    co_return result;
}

net::awaitable<gateways::sms_result> failover_sender::send(const gateways::sms_message& message) {
    auto first = co_await first_->send(message);
    if (first.accepted)
        co_return first;
    spdlog::warn("sms: {} failed ({}); trying the failover", first.provider, first.error);
    auto second = co_await second_->send(message);
    if (!second.accepted) {
        second.error = first.provider + ": " + first.error + "; " + second.provider + ": " + second.error;
        second.permanent = first.permanent && second.permanent; // else the first may take it once it is back
    }
    co_return second;
}

std::unique_ptr<gateways::sms_sender> make_sender(net::any_io_executor ex, const config& cfg) {
    if (cfg.sms.sender == "log")
        return std::make_unique<gateways::log_sender>();
    auto one = [&](const std::string& name) -> std::unique_ptr<gateways::sms_sender> {
        const auto* g = cfg.gateways.find(name);
        auto api = g ? make_provider_api(name, *g, cfg.public_url) : nullptr;
        if (!api)
            throw config_error("sms: no gateway named '" + name + "'");
        return std::make_unique<provider_sender>(ex, std::move(api), cfg.sms);
    };
    auto first = one(cfg.sms.sender);
    if (cfg.sms.failover.empty())
        return first;
    return std::make_unique<failover_sender>(std::move(first), one(cfg.sms.failover));
}

} // namespace ask::sms
