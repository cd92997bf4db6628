#include "server/sms/text_parts.hpp"

#include "gateways/phone_number.hpp"
#include "gateways/sms_parts.hpp"
#include "gateways/sms_text.hpp"
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
    // A new request from a text with parts missing keeps them, for a late part to complete its message.
    // (A text merged into an open request is not the message a late part could complete.)
    bool incomplete = static_cast<int>(parts.size()) < parts.front().total;
    std::int64_t became = done && incomplete && done->what == inbound_outcome::kind::request && done->created
                              ? done->request_id
                              : 0;
    auto forget = [parts = std::move(parts), became](store::database& db) -> store::result<void> {
        const auto now = application::now();
        if (auto forgotten = store::forget_delivered_parts(db, parts, now); !forgotten || became == 0)
            return forgotten;
        return store::keep_incomplete_text(db, parts, became, now);
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

// A part missing from a text that became a request, arriving after that text was delivered: the
// parts are joined again and complete the request's message, quietly, if it is still open. Words that
// make a normal request urgent count as the resident writing again, as any text would (raised to
// urgent, rung again), and complete the message too. A closed request's late part is a text of its own,
// with the words joined again, so whoever reads it has them in full.
net::awaitable<action_result<void>> complete_late(application& app, flood_guard& flood,
                                                  const gateways::inbound_sms& part, store::held_part late) {
    std::vector<gateways::inbound_sms> pieces;
    for (const auto& p : late.group)
        pieces.push_back(from_stored(p));
    auto whole = gateways::join_parts(std::move(pieces), part.part_total);
    const incoming_text as_text{part.provider, part.message_id, part.from, whole.text};
    const auto* open = app.hub().find(late.request_id);
    bool writes_again =
        !open || (open->view.level == protocol::priority::normal && gateways::means_urgent(whole.text));
    if (writes_again) {
        auto done = co_await receive_text(app, flood, as_text);
        if (!done)
            co_return done.error();
        if (done->request_id != late.request_id)
            co_return action_result<void>{}; // a request of its own
    }
    auto complete = [p = to_stored(part, application::now()), id = late.request_id,
                     message = gateways::clip_text(whole.text, app.settings().limits.text.message_chars)](
                        store::database& db) {
        return store::complete_message(db, p, id, message, application::now());
    };
    auto completed = co_await app.store().run<store::request_record>(std::move(complete));
    if (!completed) {
        if (completed.error() != store::errc::not_found)
            co_return from_store(completed.error());
        // Closed since the hub was read: unless received above, the words are a text of their own.
        if (!writes_again)
            if (auto done = co_await receive_text(app, flood, as_text); !done)
                co_return done.error();
        co_return action_result<void>{};
    }
    app.hub().apply(*completed, alert_hub::change::updated);
    spdlog::info("sms[{}]: a late part {} of {} completed request {}'s message", part.provider,
                 part.part_index, part.part_total, late.request_id);
    co_return action_result<void>{};
}

} // namespace

net::awaitable<action_result<void>> receive_part(application& app, flood_guard& flood, gateways::inbound_sms part) {
    if (!gateways::normalise_phone(part.from))
        co_return bad_request("the sender is not a phone number");
    app.waiting_parts().part_arriving();
    auto hold = [p = to_stored(part, application::now())](store::database& db) {
        return store::hold_part(db, p, store::late_part_window);
    };
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
    case kind::late:
        co_return co_await complete_late(app, flood, part, std::move(*held));
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
