// Sends texts through one SMS gateway's HTTP API: the provider's request (gateways/<name>.hpp)
// over http_client, within a deadline, retried with exponential backoff on network errors, 5xx
// and 429, never on a permanent refusal (bad number, no credit). failover_sender puts a second
// gateway behind the first. Both run on the I/O thread and never block it.
#pragma once

#include "gateways/sms_sender.hpp"
#include "gateways/webhook.hpp"
#include "server/config.hpp"
#include "server/sms/http_client.hpp"

#include <functional>
#include <memory>

namespace ask::sms {

/// A provider's request builder and reply classifier, bound to its settings.
struct provider_api {
    std::string name; ///< "twilio", …
    std::string base_url;
    std::function<gateways::http_call(const gateways::sms_message&)> request;
    /// `sent_id`: the text's repeat_id, under which a provider that can tell a repeat was sent it.
    std::function<gateways::send_verdict(int status, std::string_view body, std::string_view sent_id)>
        verdict;
};

/// The API of the named gateway from config; nullptr when the name is not a gateway. `public_url`
/// (server.public_url, "" when unset) is where a provider that needs to be told is asked to post delivery
/// reports: Twilio, with each text. Unset, Twilio sends none (askd is not reachable from the internet).
std::unique_ptr<provider_api> make_provider_api(const std::string& name, const gateway_config&,
                                                const std::string& public_url);

class provider_sender final : public gateways::sms_sender {
public:
    provider_sender(net::any_io_executor ex, std::unique_ptr<provider_api> api, const sms_config& settings);
    net::awaitable<gateways::sms_result> send(const gateways::sms_message&) override;

private:
    net::any_io_executor ex_;
    std::unique_ptr<provider_api> api_;
    sms_config settings_;
    http_client client_;
};

class failover_sender final : public gateways::sms_sender {
public:
    failover_sender(std::unique_ptr<gateways::sms_sender> first, std::unique_ptr<gateways::sms_sender> second)
        : first_(std::move(first)), second_(std::move(second)) {}
    net::awaitable<gateways::sms_result> send(const gateways::sms_message&) override;

private:
    std::unique_ptr<gateways::sms_sender> first_;
    std::unique_ptr<gateways::sms_sender> second_;
};

/// The sender [sms] asks for: the log sender, one gateway, or a gateway with a failover.
std::unique_ptr<gateways::sms_sender> make_sender(net::any_io_executor ex, const config&);

} // namespace ask::sms
