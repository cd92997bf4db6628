// The escalator's kept texts (store/staff_texts.hpp): each sent on its own, tried again while it is
// still true and the newest to its phone about its request, forgotten once a provider took it or it
// stopped being true, and sent again as askd starts when a stop or crash cut it off.
#include "server/app/escalator.hpp"

#include "gateways/phone_number.hpp"
#include "server/app/application.hpp"
#include "server/app/spawn.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <utility>

namespace ask {

std::optional<std::string> escalator::phone_for(const store::unsent_staff_text& text,
                                                const store::request_record& r) {
    if (!staff_text_still_true(text, r, app_.availability(r.office_id, application::now()).open))
        return std::nullopt;
    if (text.staff_id)
        return text.phone;
    // The after-hours phone as configured now (a restart may have changed or removed it).
    const auto* office = app_.office_settings(r.office_id);
    if (!office || office->after_hours_phone.empty())
        return std::nullopt;
    return office->after_hours_phone;
}

// One text on its own: a gateway retrying or timing out must not hold up the periodic loop
// (re-notifications and the other ladders). The sender records each try in the request's events.
net::awaitable<void> escalator::send_kept(store::request_record r, store::unsent_staff_text text) {
    for (int tries = 1; !app_.stopping(); ++tries) { // a stop: kept, and sent again as askd starts
        gateways::sms_message m{text.phone, staff_text(text, r, application::now()),
                                r.view.id,  r.office_id,
                                false,      text.send_key};
        auto sent = co_await sms_.send(m);
        if (sent.accepted || app_.stopping())
            break;
        spdlog::warn("sms: request {}: {} refused the text: {}", m.request_id, sent.provider, sent.error);
        if (sent.permanent)
            break;
        if (!co_await app_.sms_pauses().wait(tries) || app_.stopping())
            co_return; // the stop ended the wait: kept
        if (text.staff_id)
            co_await read_member_again(text);
        const auto* now = app_.hub().find(r.view.id);
        auto phone = now ? phone_for(text, *now) : std::nullopt;
        if (!phone || !is_newest(text))
            break; // no longer true, or a newer text to the same phone about the request waits
        r = *now;
        text.phone = std::move(*phone);
    }
    if (is_newest(text))
        newest_.erase(recipient_of(text));
    if (!app_.stopping())
        co_await forget_kept(text.id);
}

std::pair<std::int64_t, std::int64_t> escalator::recipient_of(const store::unsent_staff_text& text) {
    return {text.request_id, text.staff_id.value_or(0)};
}

void escalator::keep_newest(const store::unsent_staff_text& text) {
    auto& newest = newest_[recipient_of(text)];
    newest = std::max(newest, text.id);
}

bool escalator::is_newest(const store::unsent_staff_text& text) const {
    auto it = newest_.find(recipient_of(text));
    return it != newest_.end() && it->second == text.id;
}

net::awaitable<void> escalator::forget_kept(std::int64_t text_id) {
    auto forget = [text_id](store::database& db) { return store::forget_staff_text(db, text_id); };
    if (auto done = co_await app_.store().run<void>(std::move(forget), store::writer::lane::ongoing); !done)
        spdlog::warn("sms: staff text {} not forgotten ({}): askd sends it again as it next starts", text_id,
                     done.error().message());
}

net::awaitable<void> escalator::read_member_again(store::unsent_staff_text& text) {
    auto read = [id = text.id](store::database& db) { return store::unsent_staff_text_now(db, id); };
    auto now = co_await app_.store().run<std::optional<store::unsent_staff_text>>(
        std::move(read), store::writer::lane::ongoing);
    if (!now) {
        spdlog::warn(
            "sms: staff text {}: the member's account not read again ({}); tried at the number last known",
            text.id, now.error().message());
        co_return;
    }
    if (!*now) {
        text.staff_gone = true; // gone with its request
        co_return;
    }
    text.phone = std::move((*now)->phone);
    text.staff_gone = (*now)->staff_gone;
}

void escalator::resume_texts(std::vector<store::unsent_staff_text> kept) {
    for (const auto& text : kept)
        keep_newest(text);
    for (auto& text : kept) {
        const auto* r = app_.hub().find(text.request_id);
        auto phone = r ? phone_for(text, *r) : std::nullopt;
        if (!phone || !is_newest(text)) {
            spawn(app_.io(), forget_kept(text.id), "staff text forgotten");
            continue;
        }
        text.phone = std::move(*phone);
        spdlog::info("sms: request {}: a text to …{} not known to have reached the provider goes out again",
                     r->view.id, gateways::phone_tail(text.phone));
        spawn(app_.io(), send_kept(*r, std::move(text)), "escalation text");
    }
}

} // namespace ask
