// The `log` SMS sender: writes each text to the log instead of sending it. For the demo,
// for tests, and for offices that have no SMS provider yet. The caller still records an
// event per text, so a request's history shows exactly what would have been sent.
#pragma once

#include "gateways/sms_sender.hpp"

namespace ask::gateways {

class log_sender final : public sms_sender {
public:
    boost::asio::awaitable<sms_result> send(const sms_message&) override;
};

} // namespace ask::gateways
