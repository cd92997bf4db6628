#include "gateways/log_sender.hpp"

#include "gateways/phone_number.hpp"

#include <spdlog/spdlog.h>

namespace ask::gateways {

boost::asio::awaitable<sms_result> log_sender::send(const sms_message& m) {
    spdlog::info("sms[log]: to …{} ({} characters): {}", phone_tail(m.to), m.text.size(), m.text);
    co_return sms_result{true, "log", "", ""};
}

} // namespace ask::gateways
