#include "server/sms/kept_replies.hpp"

#include "gateways/phone_number.hpp"
#include "gateways/text_key.hpp"
#include "server/app/application.hpp"
#include "server/app/spawn.hpp"
#include "server/sms/retry_pauses.hpp"

#include <spdlog/spdlog.h>

namespace ask::sms {
namespace {

constexpr protocol::millis answer_goes_stale = 3'600'000;

net::awaitable<void> forget(application& app, std::int64_t id) {
    auto job = [id](store::database& db) { return store::forget_reply(db, id); };
    if (auto done = co_await app.store().run<void>(std::move(job), store::writer::lane::ongoing); !done)
        spdlog::warn("sms: answer {} not forgotten ({}): askd sends it again as it next starts", id,
                     done.error().message());
}

// Before a later try: whether the kept answer may still go, read again from the store. It has not gone
// with its request or member, the member can still be texted (at the number they have now), and one that
// says who has the request is still true. A store that cannot say leaves it as it was.
net::awaitable<bool> still_goes(application& app, store::unsent_reply& reply) {
    auto read = [id = reply.id](store::database& db) { return store::unsent_reply_now(db, id); };
    auto now = co_await app.store().run<std::optional<store::unsent_reply>>(std::move(read),
                                                                            store::writer::lane::ongoing);
    if (!now) {
        spdlog::warn("sms: answer {} not read again ({}); tried at the number last known", reply.id,
                     now.error().message());
        co_return true;
    }
    if (!*now || (*now)->staff_gone) {
        spdlog::info("sms: answer {} not tried again: its request or member is gone, or the member's account "
                     "is disabled or has no phone now",
                     reply.id);
        co_return false;
    }
    if ((*now)->no_longer_true) {
        spdlog::info("sms: answer {} not tried again: it says who has request {}, and they no longer do",
                     reply.id, reply.request_id);
        co_return false;
    }
    reply.phone = std::move((*now)->phone);
    co_return true;
}

// `reply.id` 0: not kept, and tried once.
net::awaitable<void> send(application& app, store::unsent_reply reply) {
    for (int tries = 1; !app.stopping(); ++tries) { // a stop: kept, and sent as askd starts
        gateways::sms_message m{reply.phone,     reply.text, reply.request_id,
                                reply.office_id, false,      reply.send_key};
        auto sent = co_await app.sms().send(m);
        if (sent.accepted || app.stopping())
            break;
        spdlog::warn("sms: reply text refused by {}: {}", sent.provider, sent.error);
        if (sent.permanent || reply.id == 0)
            break;
        if (!co_await app.sms_pauses().wait(tries) || app.stopping())
            co_return; // kept, and sent as askd starts
        if (application::now() - reply.decided_at > answer_goes_stale) {
            spdlog::info("sms: answer {} not tried again: it is over an hour old", reply.id);
            break;
        }
        if (!co_await still_goes(app, reply))
            break;
    }
    if (reply.id != 0 && !app.stopping()) // a stop: kept, and sent as askd starts
        co_await forget(app, reply.id);
}

net::awaitable<void> keep_and_send(application& app, store::unsent_reply reply) {
    auto job = [reply](store::database& db) { return store::keep_reply(db, reply); };
    auto kept = co_await app.store().run<store::kept_reply>(std::move(job), store::writer::lane::ongoing);
    // Sent about the request as kept, of the answer's office only; about none when that is not known.
    reply.request_id = kept ? kept->request_id : 0;
    if (kept)
        reply.id = kept->id;
    else
        spdlog::warn("sms: the answer to …{} not kept ({}): a stop before the provider takes it loses it",
                     gateways::phone_tail(reply.phone), kept.error().message());
    co_await send(app, std::move(reply));
}

} // namespace

void send_answer(application& app, std::int64_t office_id, std::optional<std::int64_t> staff_id,
                 std::string phone, std::string text, std::int64_t request_id,
                 std::optional<std::int64_t> says_taken_by) {
    store::unsent_reply reply;
    reply.office_id = office_id;
    reply.staff_id = staff_id;
    reply.phone = std::move(phone);
    reply.request_id = request_id;
    reply.text = std::move(text);
    reply.taken_by = says_taken_by;
    reply.decided_at = application::now();
    reply.send_key = gateways::new_text_key();
    spawn(app.io(), keep_and_send(app, std::move(reply)), "sms reply");
}

void resume_answers(application& app, std::vector<store::unsent_reply> kept) {
    auto now = application::now();
    for (auto& reply : kept) {
        if (reply.staff_gone) {
            spdlog::info("sms: an answer to staff {} from before askd stopped is not sent: the account is "
                         "disabled or has no phone now",
                         reply.staff_id.value_or(0));
            spawn(app.io(), forget(app, reply.id), "sms reply forgotten");
            continue;
        }
        if (reply.no_longer_true) {
            spdlog::info("sms: an answer about request {} from before askd stopped is not sent: it says who "
                         "has the request, and they no longer do",
                         reply.request_id);
            spawn(app.io(), forget(app, reply.id), "sms reply forgotten");
            continue;
        }
        if (now - reply.decided_at > answer_goes_stale) {
            spdlog::info("sms: an answer to …{} from before askd stopped is over an hour old; not sent",
                         gateways::phone_tail(reply.phone));
            spawn(app.io(), forget(app, reply.id), "sms reply forgotten");
            continue;
        }
        spdlog::info("sms: an answer to …{} not known to have reached the provider goes out again",
                     gateways::phone_tail(reply.phone));
        spawn(app.io(), send(app, std::move(reply)), "sms reply");
    }
}

} // namespace ask::sms
