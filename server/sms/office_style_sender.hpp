// Writes each text the way the office it speaks for asked ([[offices]] sms_transliterate, else
// [sms] transliterate): with Polish letters as plain ones when asked, so that it goes as GSM-7
// (160 characters a part) and not UCS-2 (70); untouched otherwise, never with '?' for a letter.
// Wraps the recording sender, so a request's history counts the parts of the text actually sent.
#pragma once

#include "gateways/sms_sender.hpp"

#include <functional>
#include <memory>

namespace ask::sms {

class office_style_sender final : public gateways::sms_sender {
public:
    /// `plain_letters(office_id)`: whether that office's texts go without Polish letters (0: no office).
    office_style_sender(std::function<bool(std::int64_t office_id)> plain_letters,
                        std::unique_ptr<gateways::sms_sender> inner)
        : plain_letters_(std::move(plain_letters)), inner_(std::move(inner)) {}
    boost::asio::awaitable<gateways::sms_result> send(const gateways::sms_message&) override;

private:
    std::function<bool(std::int64_t)> plain_letters_;
    std::unique_ptr<gateways::sms_sender> inner_;
};

} // namespace ask::sms
