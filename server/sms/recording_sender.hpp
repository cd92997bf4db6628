// Puts every text about a request into that request's history: `sms_sent` with the gateway and
// the id it gave the text (so delivery reports find their request), the number's last digits and
// the segments it costs, or `sms_failed` with why. Wraps whichever sender [sms] chose.
#pragma once

#include "gateways/sms_sender.hpp"

#include <memory>

namespace ask {
class application;
}

namespace ask::sms {

class recording_sender final : public gateways::sms_sender {
public:
    recording_sender(application& app, std::unique_ptr<gateways::sms_sender> inner)
        : app_(app), inner_(std::move(inner)) {}
    boost::asio::awaitable<gateways::sms_result> send(const gateways::sms_message&) override;

private:
    application& app_;
    std::unique_ptr<gateways::sms_sender> inner_;
};

} // namespace ask::sms
