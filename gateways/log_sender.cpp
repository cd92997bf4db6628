#include "gateways/log_sender.hpp"

#include <spdlog/spdlog.h>

namespace ask::gateways {

boost::asio::awaitable<sms_result> log_sender::send(const sms_message& m) {
    // Only the last three digits: a log is not a phone book.
    std::string tail = m.to.size() > 3 ? m.to.substr(m.to.size() - 3) : m.to;
    spdlog::info("sms[log]: to …{} ({} characters): {}", tail, m.text.size(), m.text);
    co_return sms_result{true, "log", "", ""};
}

} // namespace ask::gateways
