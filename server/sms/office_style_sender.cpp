#include "server/sms/office_style_sender.hpp"

#include "gateways/sms_encoding.hpp"

namespace ask::sms {

boost::asio::awaitable<gateways::sms_result> office_style_sender::send(const gateways::sms_message& message) {
    if (!plain_letters_(message.office_id))
        co_return co_await inner_->send(message);
    gateways::sms_message plain = message;
    plain.text = gateways::transliterate_polish(message.text);
    co_return co_await inner_->send(plain);
}

} // namespace ask::sms
