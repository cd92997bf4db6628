#include "server/sms/text_parts.hpp"

#include "gateways/phone_number.hpp"
#include "gateways/sms_parts.hpp"
#include "server/app/application.hpp"
#include "server/app/work_claim.hpp"
#include "server/sms/inbound.hpp"
#include "server/store/sms_parts.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <string>
#include <vector>

namespace ask::sms {
namespace {

/// How many texts may wait for parts; past it the oldest is delivered as it is.
constexpr std::size_t max_waiting_texts = 1000;

store::text_part to_stored(const gateways::inbound_sms& m, store::millis now) {
    return {m.provider, m.from, m.part_ref, m.part_index, m.part_total, m.message_id, m.to, m.text, now};
}

gateways::inbound_sms from_stored(const store::text_part& p) {
    return {.provider = p.provider,
            .message_id = p.message_id,
            .from = p.sender,
            .to = p.recipient,
            .text = p.text,
            .part_index = p.index,
            .part_total = p.total,
            .part_ref = p.part_ref};
}

std::string group_key(const std::string& provider, const std::string& sender, const std::string& part_ref) {
    return provider + " " + sender + " " + part_ref;
}

// Hands the text joined from `parts` to receive_text and, once it is stored, forgets the parts.
// A text not stored (the store failed) keeps its parts, to be delivered again by the timer; its
// message id makes that a retry, never a second request. While it is at work its group is in
// long_texts_in_delivery: a part completing it meanwhile would otherwise be delivered with the
// same message id (part 1's) and its words taken for a retry and lost; instead that part stays
// saved and the timer delivers it once this delivery is done.
net::awaitable<action_result<inbound_outcome>> deliver(application& app, flood_guard& flood,
                                                       std::vector<store::text_part> parts) {
    const work_claim claim(app.long_texts_in_delivery(),
                           group_key(parts.front().provider, parts.front().sender, parts.front().part_ref));
    std::vector<gateways::inbound_sms> pieces;
    for (const auto& p : parts)
        pieces.push_back(from_stored(p));
    auto whole = gateways::join_parts(std::move(pieces), parts.front().total);
    const incoming_text text{whole.provider, whole.message_id, whole.from, whole.text};
    auto done = co_await receive_text(app, flood, text);
    if (!done && http_status(done.error()) >= 500)
        co_return done.error();
    if (!done)
        spdlog::error("sms[{}]: a long text from {} was refused ({}); its parts are dropped", whole.provider,
                      whole.from, done.error().message);
    auto forget = [parts = std::move(parts)](store::database& db) {
        return store::forget_delivered_parts(db, parts, application::now());
    };
    if (auto forgotten = co_await app.store().run<void>(std::move(forget)); !forgotten) {
        // Still in the store: the timer must look again, or they would stay there (and a later text
        // reusing their part_ref would be taken for retries of them).
        app.waiting_parts().part_arriving();
        spdlog::warn("sms[{}]: a long text from {} was stored but its parts were not forgotten ({}); they will "
                     "be delivered again, as a retry of the same text",
                     whole.provider, whole.from, forgotten.error().message());
    }
    co_return done;
}

} // namespace

net::awaitable<action_result<void>> receive_part(application& app, flood_guard& flood, gateways::inbound_sms part) {
    if (!gateways::normalise_phone(part.from))
        co_return bad_request("the sender is not a phone number");
    app.waiting_parts().part_arriving();
    auto hold = [p = to_stored(part, application::now())](store::database& db) { return store::hold_part(db, p); };
    auto held = co_await app.store().run<store::held_part>(std::move(hold));
    if (!held)
        co_return from_store(held.error());
    using kind = store::held_part::kind;
    switch (held->what) {
    case kind::saved:
    case kind::seen_before:
        co_return action_result<void>{};
    case kind::other_total: {
        spdlog::warn("sms[{}]: a part from {} announces {} parts, unlike the others of its text; taken as a text "
                     "of its own",
                     part.provider, part.from, part.part_total);
        const incoming_text alone{part.provider, part.message_id, part.from, part.text};
        auto done = co_await receive_text(app, flood, alone);
        if (!done)
            co_return done.error();
        co_return action_result<void>{};
    }
    case kind::complete:
        break;
    }
    if (app.long_texts_in_delivery().contains(group_key(part.provider, part.from, part.part_ref)))
        co_return action_result<void>{}; // saved; delivered by the timer after the delivery at work
    // The part is saved: should the whole text not be stored now, the timer delivers it, so the
    // provider is answered 2xx either way.
    if (auto done = co_await deliver(app, flood, std::move(held->group)); !done)
        spdlog::warn("sms[{}]: a long text from {} is saved but not yet delivered ({}); retried every second",
                     part.provider, part.from, done.error().message);
    co_return action_result<void>{};
}

net::awaitable<void> deliver_due_parts(application& app, flood_guard& flood) {
    auto& hint = app.waiting_parts();
    if (!hint.may_be_waiting())
        co_return;
    const auto arrivals = hint.arrivals();
    auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(app.settings().sms.parts_wait).count();
    auto find = [wait](store::database& db) {
        return store::part_groups_due(db, application::now(), wait, max_waiting_texts);
    };
    auto due = co_await app.store().run<store::parts_due>(std::move(find));
    if (!due) {
        spdlog::warn("sms: the long texts waiting for parts were not read: {}", due.error().message());
        co_return;
    }
    bool all_delivered = true;
    for (auto& group : due->groups) {
        const auto first = group.front();
        if (app.long_texts_in_delivery().contains(group_key(first.provider, first.sender, first.part_ref))) {
            all_delivered = false;
            continue; // being delivered by the webhook of its last part
        }
        if (static_cast<int>(group.size()) < first.total)
            spdlog::warn("sms[{}]: a long text from {} has {} of {} parts; delivering what arrived", first.provider,
                         first.sender, group.size(), first.total);
        auto done = co_await deliver(app, flood, std::move(group));
        if (!done) {
            all_delivered = false;
            spdlog::error("sms[{}]: a long text from {} was not stored ({}); retried every second", first.provider,
                          first.sender, done.error().message);
        }
    }
    if (all_delivered && due->waiting == 0)
        hint.none_waiting(arrivals);
}

} // namespace ask::sms
