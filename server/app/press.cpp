// A resident's press (actions.hpp): prepared on the I/O thread, stored within the resident's press
// allowance (press_guard) in one store job, and announced only after its commit.
#include "server/app/actions.hpp"

#include "server/app/escalator.hpp"
#include "server/app/for_resident.hpp"
#include "server/auth/secrets.hpp"
#include "server/engine/escalation.hpp"
#include "server/store/press_effect.hpp"

#include <spdlog/spdlog.h>

namespace ask::actions {

press::press(application& app, protocol::new_request req)
    : req_(std::move(req)), reachable_(app.hub().reachable_by_office()), policy_(&app.settings().escalation) {
}

store::result<store::insert_result> press::store(store::database& db,
                                                 const store::resident_record& resident) const {
    store::new_request_record row;
    row.office_id = resident.office_id;
    row.resident_id = resident.id;
    row.client_request_id = req_.request_id;
    row.level = req_.level;
    row.via = req_.via;
    row.message = req_.message;
    auto found = reachable_.find(resident.office_id);
    int reachable = found == reachable_.end() ? 0 : found->second;
    row.initial_state = reachable > 0 ? protocol::request_state::notifying : protocol::request_state::queued;
    auto now = application::now();
    auto keeps_ladder = [this, now](const store::request_record& open) {
        return engine::keeps_ladder_on_repeat(escalation_input_of(open, std::nullopt), *policy_, now);
    };
    auto inserted = store::submit_request(db, row, now, keeps_ladder);
    if (!inserted || !inserted->created || reachable == 0)
        return inserted;
    // Recorded before the dashboards ring: the ringing follows this commit on the I/O thread.
    if (auto rung = store::record_notified(db, inserted->request, reachable, now); !rung)
        return rung.error();
    return inserted;
}

failure press_failure(const boost::system::error_code& e) {
    if (e == store::errc::conflict)
        return failure{"conflict", "this request_id was already used for a different request", std::nullopt};
    return from_store(e);
}

net::awaitable<void> announce(application& app, const store::insert_result& inserted) {
    const auto& r = inserted.request;
    if (inserted.merged) {
        // "I still need help": everyone on duty is rung again, and the resident is told where the raised
        // request stands (a contacted one is to be contacted again: store::submit_request).
        app.hub().apply(r, alert_hub::change::renotified);
        app.hub().report_status(r);
        app.escalation().pressed_again(r);
        spdlog::info("request {}: pressed again by resident {} ({} repeats), now urgent", r.view.id,
                     r.view.resident.id, r.view.repeat_count);
        co_return;
    }
    if (!inserted.created)
        co_return;
    app.counters().request_created(r.view.via, r.view.level);
    app.hub().apply(r, alert_hub::change::created);
    spdlog::info("request {}: {} via {} from resident {}, {}", r.view.id, protocol::to_string(r.view.level),
                 protocol::to_string(r.view.via), r.view.resident.id, protocol::to_string(r.view.state));
}

namespace {

// What a press's store job did: stored it, or, past the allowance, wrote nothing.
struct guarded_press {
    std::optional<store::insert_result> stored;
    /// What it would have done, when it was not stored.
    store::press_effect refused_as = store::press_effect::create;
};

// In the store job: `p` stored for `resident` as far as `room` allows. With room for anything it is
// stored as it comes; otherwise what it would do is read first (no write), so a press past the
// allowance costs no commit to disk.
store::result<guarded_press> store_within(store::database& db, const press& p,
                                          const store::resident_record& resident,
                                          const press_guard::room& room) {
    if (!room.any()) {
        auto effect = store::press_effect_of(db, resident.id, p.request_id());
        if (!effect)
            return effect.error();
        if (!room.allows(*effect))
            return guarded_press{std::nullopt, *effect};
    }
    auto stored = p.store(db, resident);
    if (!stored)
        return stored.error();
    return guarded_press{std::move(*stored)};
}

// The answer to a press past the allowance, to be tried again after `retry_after` seconds. Polish
// first: a resident's page or device may show it as it is. A repeat is told its request stands; a new
// request is not told anything was received.
failure too_many(store::press_effect refused_as, int retry_after) {
    if (refused_as == store::press_effect::repeat)
        return {
            "too_many_presses",
            "Twoje zgłoszenie jest już przyjęte; urząd wie, że nadal potrzebujesz pomocy. To naciśnięcie nie "
            "zostało zapisane: było ich za dużo w krótkim czasie. (Your request is already received; the "
            "office knows you still need help. This press was not stored: too many in a short time.)",
            std::nullopt, retry_after};
    return {"too_many_new_requests",
            "Za dużo nowych zgłoszeń w krótkim czasie: to nie zostało przyjęte, spróbuj ponownie za chwilę. "
            "Jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112. (Too many new requests in a short time: "
            "this one was not accepted; try again shortly. If life or health is in danger, call 112.)",
            std::nullopt, retry_after};
}

// After a press's store job: the places it held in the allowance settled with what it stored, then
// the answer; a stored press is announced (staff rung, the resident told) only now, after the commit.
net::awaitable<action_result<store::insert_result>> settled(application& app, const std::string& token_hash,
                                                            const press_guard::room& room,
                                                            store::result<guarded_press>& done) {
    const store::insert_result* stored = done && done->stored ? &*done->stored : nullptr;
    auto now = application::now();
    app.presses().settle(token_hash, now, room, stored);
    if (!done)
        co_return press_failure(done.error());
    if (!stored) {
        // Not logged at warn: a flood of these would fill the log as it would have filled the store.
        spdlog::debug("press: past the allowance, not stored (it would have made {})",
                      done->refused_as == store::press_effect::repeat ? "a repeat" : "a new request");
        auto refusal =
            too_many(done->refused_as, app.presses().retry_after_seconds(token_hash, done->refused_as, now));
        app.counters().press_refused(refusal.code);
        co_return refusal;
    }
    co_await announce(app, *stored);
    co_return std::move(*done->stored);
}

} // namespace

net::awaitable<action_result<store::insert_result>> submit_request(application& app,
                                                                   const store::resident_record& resident,
                                                                   const std::string& token_hash,
                                                                   const protocol::new_request& req) {
    press p(app, req);
    auto how = p.lane();
    auto room = app.presses().reserve(token_hash, application::now());
    auto insert = [p = std::move(p), resident, room](store::database& db) {
        return store_within(db, p, resident, room);
    };
    auto done = co_await app.store().run<guarded_press>(std::move(insert), how);
    co_return co_await settled(app, token_hash, room, done);
}

net::awaitable<action_result<store::insert_result>> submit_request(application& app, const std::string& token,
                                                                   const protocol::new_request& req) {
    if (token.empty())
        co_return unauthorized();
    using outcome = std::optional<guarded_press>; // nullopt: no resident has this token
    press p(app, req);
    auto how = p.lane();
    auto hash = auth::token_hash(token);
    auto room = app.presses().reserve(hash, application::now());
    auto insert = [p = std::move(p), hash, room](store::database& db) {
        return for_resident<guarded_press>(db, hash, [&](const store::resident_record& resident) {
            return store_within(db, p, resident, room);
        });
    };
    auto found = co_await app.store().run<outcome>(std::move(insert), how);
    if (found && !*found) {
        app.presses().settle(hash, application::now(), room, nullptr);
        co_return unauthorized();
    }
    store::result<guarded_press> done = found ? store::result<guarded_press>(std::move(**found))
                                              : store::result<guarded_press>(found.error());
    co_return co_await settled(app, hash, room, done);
}

} // namespace ask::actions
