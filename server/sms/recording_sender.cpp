#include "server/sms/recording_sender.hpp"

#include "gateways/phone_number.hpp"
#include "gateways/sms_encoding.hpp"
#include "server/app/application.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

namespace ask::sms {

boost::asio::awaitable<gateways::sms_result> recording_sender::send(const gateways::sms_message& message) {
    auto result = co_await inner_->send(message);
    if (message.request_id == 0)
        co_return result;
    auto encoding = gateways::measure(message.text);
    boost::json::object detail{{"provider", result.provider},
                               {"to", gateways::phone_tail(message.to)},
                               {"segments", encoding.segments},
                               {"ucs2", encoding.ucs2}};
    if (message.to_resident)
        detail["resident"] = true; // store::last_resident_text tells a resident's text taken from one lost
    if (result.accepted) {
        detail["provider_id"] = result.provider_id;
        if (result.repeat) // taken at an earlier try: SMSAPI does not say its id, so no report finds this one
            detail["repeat"] = true;
    } else {
        detail["error"] = result.error;
    }
    if (!result.accepted && result.permanent)
        detail["permanent"] = true;
    auto record = [id = message.request_id, kind = result.accepted ? "sms_sent" : "sms_failed",
                   detail = boost::json::serialize(detail)](store::database& db) {
        return store::append_event(db, id, kind, "system", std::nullopt, detail, application::now());
    };
    if (auto stored = co_await app_.store().run<void>(std::move(record), store::writer::lane::ongoing);
        !stored)
        spdlog::warn("sms: request {}: the text's outcome was not recorded: {}", message.request_id,
                     stored.error().message());
    co_return result;
}

} // namespace ask::sms
