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

// The text the parts of one group make, "(…)" where parts are missing.
gateways::inbound_sms joined(const std::vector<store::text_part>& parts) {
    std::vector<gateways::inbound_sms> pieces;
    for (const auto& p : parts)
        pieces.push_back(from_stored(p));
    return gateways::join_parts(std::move(pieces), parts.front().total);
}

/// How complete_late ended.
enum class late_end {
    completed, ///< the request's message has the parts (or a copy's: a provider's retry)
    received,  ///< the request had closed: their words made a request of their own (receive_text)
    not_late   ///< the request is closed, or the parts are not late after all: a text of their own
};

// Late parts (store::late_group) of a text that became a request: joined again with that text's, they
// complete the request's message, quietly, while it is open. Words that make a normal request urgent
// count as the resident writing again, as any text would (raised to urgent, rung again), and complete
// the message too.
net::awaitable<action_result<late_end>> complete_late(application& app, flood_guard& flood,
                                                      std::vector<store::text_part> late_parts,
                                                      const store::held_part& late) {
    const auto* open = app.hub().find(late.request_id);
    if (!open)
        co_return late_end::not_late;
    if (open->view.level == protocol::priority::normal) {
        auto whole = joined(late.group);
        if (gateways::means_urgent(whole.text)) {
            const auto& first = late_parts.front();
            const incoming_text again{first.provider, first.message_id, first.sender, whole.text,
                                      first.recipient};
            auto done = co_await receive_text(app, flood, again);
            if (!done)
                co_return done.error();
            if (done->what == inbound_outcome::kind::request && done->request_id != late.request_id)
                co_return late_end::received; // closed meanwhile
        }
    }
    const auto count = late_parts.size();
    auto complete = [parts = std::move(late_parts), id = late.request_id,
                     chars = app.settings().limits.text.message_chars](store::database& db) {
        auto join = [chars](const std::vector<store::text_part>& all) {
            return gateways::clip_text(joined(all).text, chars);
        };
        return store::complete_message(db, parts, id, join, application::now());
    };
    auto completed =
        co_await app.store().run<store::request_record>(std::move(complete), store::writer::lane::ongoing);
    if (!completed && completed.error() == store::errc::not_found)
        co_return late_end::not_late;
    if (!completed)
        co_return from_store(completed.error());
    app.hub().apply(*completed, alert_hub::change::updated);
    spdlog::info("sms[{}]: {} late part(s) completed request {}'s message", late.group.front().provider,
                 count, late.request_id);
    co_return late_end::completed;
}

// Hands the text joined from `parts` to receive_text and, once it is stored, forgets the parts.
// A text not stored (the store failed) keeps its parts, to be delivered again by the timer; its
// message id makes that a retry, never a second request. While it is at work its group is in
// long_texts_in_delivery: a part completing it meanwhile would otherwise be delivered with the
// same message id (part 1's) and its words taken for a retry and lost; instead that part stays
// saved and the timer delivers it once this delivery is done. Parts of a group that are late (they
// came while the text they belong to was delivered without them) complete that text's request.
net::awaitable<action_result<inbound_outcome>> deliver(application& app, flood_guard& flood,
                                                       std::vector<store::text_part> parts) {
    const work_claim claim(app.long_texts_in_delivery(),
                           group_key(parts.front().provider, parts.front().sender, parts.front().part_ref));
    bool incomplete = static_cast<int>(parts.size()) < parts.front().total;
    std::optional<action_result<inbound_outcome>> done;
    if (incomplete) {
        auto find = [parts](store::database& db) {
            return store::late_group(db, parts, store::late_part_window);
        };
        auto late = co_await app.store().run<std::optional<store::held_part>>(std::move(find),
                                                                              store::writer::lane::ongoing);
        if (!late)
            co_return from_store(late.error());
        if (*late) {
            auto ended = co_await complete_late(app, flood, parts, **late);
            if (!ended)
                co_return ended.error();
            if (*ended == late_end::completed)
                co_return inbound_outcome{inbound_outcome::kind::request, (*late)->request_id, false};
            if (*ended == late_end::received) // only the waiting copies are left to forget
                done = inbound_outcome{inbound_outcome::kind::request, 0, false};
        }
    }
    if (!done) {
        if (incomplete)
            spdlog::warn("sms[{}]: a long text from {} has {} of {} parts; delivering what arrived",
                         parts.front().provider, parts.front().sender, parts.size(), parts.front().total);
        auto whole = joined(parts);
        const incoming_text text{whole.provider, whole.message_id, whole.from, whole.text, whole.to};
        done = co_await receive_text(app, flood, text);
        if (!*done && http_status(done->error()) >= 500)
            co_return done->error();
        if (!*done)
            spdlog::error("sms[{}]: a long text from {} was refused ({}); its parts are dropped",
                          whole.provider, whole.from, done->error().message);
    }
    // A new request from a text with parts missing keeps them, for a late part to complete its message.
    // (A text merged into an open request is not the message a late part could complete.)
    const auto& received = *done;
    const std::string provider = parts.front().provider, sender = parts.front().sender;
    std::int64_t became =
        received && incomplete && received->what == inbound_outcome::kind::request && received->created
            ? received->request_id
            : 0;
    auto forget = [parts = std::move(parts), became](store::database& db) -> store::result<void> {
        const auto now = application::now();
        if (auto forgotten = store::forget_delivered_parts(db, parts, now); !forgotten || became == 0)
            return forgotten;
        return store::keep_incomplete_text(db, parts, became, now);
    };
    if (auto forgotten = co_await app.store().run<void>(std::move(forget), store::writer::lane::ongoing);
        !forgotten) {
        // Still in the store: the timer must look again, or they would stay there (and a later text
        // reusing their part_ref would be taken for retries of them).
        app.waiting_parts().part_arriving();
        spdlog::warn(
            "sms[{}]: a long text from {} was stored but its parts were not forgotten ({}); they will "
            "be delivered again, as a retry of the same text",
            provider, sender, forgotten.error().message());
    }
    co_return received;
}

} // namespace

net::awaitable<action_result<void>> receive_part(application& app, flood_guard& flood, gateways::inbound_sms part) {
    if (!gateways::normalise_phone(part.from))
        co_return bad_request("the sender is not a phone number");
    app.waiting_parts().part_arriving();
    const auto stored = to_stored(part, application::now());
    auto hold = [stored](store::database& db) {
        return store::hold_part(db, stored, store::late_part_window);
    };
    // As the text of one piece would be (receive_text): its words may already say it is urgent.
    auto lane = gateways::means_urgent(part.text) ? store::writer::lane::urgent : store::writer::lane::normal;
    auto held = co_await app.store().run<store::held_part>(std::move(hold), lane);
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
        const incoming_text alone{part.provider, part.message_id, part.from, part.text, part.to};
        auto done = co_await receive_text(app, flood, alone);
        if (!done)
            co_return done.error();
        co_return action_result<void>{};
    }
    case kind::late: {
        std::vector<store::text_part> late_part(1, stored);
        auto ended = co_await complete_late(app, flood, std::move(late_part), *held);
        if (!ended)
            co_return ended.error();
        if (*ended != late_end::not_late)
            co_return action_result<void>{};
        // Its request is closed: a text of its own, with the words joined again, so whoever reads it has
        // them in full.
        const incoming_text alone{part.provider, part.message_id, part.from, joined(held->group).text,
                                  part.to};
        if (auto done = co_await receive_text(app, flood, alone); !done)
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
    // Pieces already taken (answered 2xx) are accepted work: looked for past queue_max too (the queue's
    // reserve), so an urgent text waiting for a piece that does not come becomes a request during a flood.
    auto due = co_await app.store().run<store::parts_due>(std::move(find), store::writer::lane::ongoing);
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
