#include "server/app/escalator.hpp"

#include "server/app/application.hpp"
#include "server/app/escalation_job.hpp"
#include "server/app/spawn.hpp"
#include "server/engine/escalation.hpp"
#include "server/sms/retry_pauses.hpp"
#include "server/store/error.hpp"
#include "server/store/run_together.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <utility>

namespace ask {

using protocol::millis;

// Requests checked between two turns of the I/O thread: deciding for one costs about half a
// microsecond, so a slice holds presses and pushes up by a little over 0.1 ms at most, where one
// pass over 15,000 open requests held them up by 4-8 ms. Each slice is read from the hub then: a copy
// of every id first held them up by 10 ms at 140,000 open requests (2026-12-06).
constexpr std::size_t tick_slice = 256;

// Due requests whose jobs go to the store at once (store::run_together), to be committed in a few
// groups: each awaited alone, 3,158 due at once held the next tick back for seconds (2026-12-06).
constexpr std::size_t jobs_together = 128;

net::awaitable<void> escalator::tick() {
    struct due_request {
        std::int64_t id;
        std::optional<millis> closed_until; ///< its office's next opening, while closed
        std::string after_hours_phone;      ///< its office's, while closed
    };
    std::vector<due_request> due;
    auto now = application::now();
    const auto connected = app_.hub().connected_staff();
    const bool judge_reach = std::chrono::steady_clock::now() - started_ >= app_.settings().reconnect_grace;
    std::map<std::int64_t, std::optional<millis>> closed_until; // by office, for this tick
    std::set<std::int64_t> opened; // offices open now that were closed when a tick last looked
    std::set<std::int64_t> closed_now; // offices closed now that were open when a tick last looked
    auto closed = [&](std::int64_t office_id) {
        auto [it, first] = closed_until.try_emplace(office_id);
        if (first) {
            auto a = app_.availability(office_id, now);
            if (!a.open)
                it->second = a.opens_at;
            auto [before, first_look] = office_open_.try_emplace(office_id, a.open);
            if (!first_look && a.open && !before->second)
                opened.insert(office_id);
            if (!first_look && !a.open && before->second)
                closed_now.insert(office_id);
            before->second = a.open;
        }
        return it->second;
    };
    // Waiting in an office that has just opened, or taken and not yet contacted in one that has just opened
    // or closed: what their residents are told changes with it (alert_hub::status_of).
    std::vector<std::int64_t> tell;
    // The queue as the tick began, so that new requests cannot keep one walk going. One raised to urgent
    // meanwhile moves ahead of the walk (the next tick decides); one created urgent meanwhile may look due
    // (its job decides at its own time). Not by created_at: a clock stepped back would hold ladders up.
    const auto last = app_.hub().last_in_queue();
    auto executor = co_await net::this_coro::executor;
    for (std::optional<alert_hub::queue_key> from; last;) {
        auto slice = app_.hub().open_after(from, tick_slice);
        bool ended = slice.size() < tick_slice;
        for (const auto& key : slice) {
            if (key > *last) {
                ended = true;
                break;
            }
            const auto* r = app_.hub().find(std::get<2>(key));
            auto office_closed_until = closed(r->office_id);
            const bool taken = r->view.state == protocol::request_state::acknowledged;
            if ((opened.contains(r->office_id) && (protocol::awaiting_ack(r->view.state) || taken)) ||
                (closed_now.contains(r->office_id) && taken))
                tell.push_back(r->view.id);
            if (engine::decide(escalation_input_of(*r, office_closed_until), app_.settings().escalation, now)
                    .empty())
                continue;
            const auto* office = app_.office_settings(r->office_id);
            due.push_back({r->view.id, office_closed_until,
                           office_closed_until && office ? office->after_hours_phone : std::string()});
        }
        if (ended)
            break;
        from = slice.back();
        co_await net::post(executor, use_awaitable); // others' handlers run: requests open, close and move
        if (app_.stopping())
            co_return;
    }
    // The resident was told the office is closed, and when it opens: now it has. Or told someone will
    // contact them: now the office has closed.
    for (auto id : tell)
        if (const auto* r = app_.hub().find(id))
            app_.hub().report_status(*r);
    const auto policy = std::make_shared<const engine::escalation_policy>(app_.settings().escalation);
    const auto reach = judge_reach ? std::make_shared<const std::set<std::int64_t>>(connected) : nullptr;
    using job = std::function<store::result<outcome>(store::database&)>;
    for (std::size_t first = 0; first < due.size(); first += jobs_together) {
        std::vector<job> jobs;
        const auto end = std::min(due.size(), first + jobs_together);
        for (std::size_t i = first; i < end; ++i)
            // Decided at the job's own time: a press or give-back committed since the tick looked starts
            // the ladder after the tick's `now`, which is not a clock stepped back.
            jobs.emplace_back([d = due[i], policy, now, reach](store::database& db) {
                return decide_and_record(db, d.id, *policy, std::max(now, application::now()), nullptr,
                                         d.closed_until, d.after_hours_phone, reach.get());
            });
        // Each outcome is carried out as its job completes, before any change committed after it reaches
        // the hub (a take, a cancel): carried out later, it would put the request back as it was.
        auto carry_out = [this, first, &due](std::size_t i, store::result<outcome>&& done) {
            auto id = due[first + i].id;
            try {
                if (done)
                    deliver(*done);
                else if (done.error() != store::errc::not_found)
                    spdlog::warn("escalation: request {} not recorded: {}", id, done.error().message());
            } catch (const std::exception& e) {
                spdlog::error("escalation: request {}: carrying out the step failed: {}", id, e.what());
            }
        };
        co_await store::run_together<outcome>(app_.store(), std::move(jobs), store::writer::lane::ongoing,
                                              carry_out);
        if (app_.stopping())
            co_return; // the store refuses new jobs now; those due are due again at the next start
    }
}

net::awaitable<action_result<store::request_record>>
escalator::escalate_by_hand(const store::staff_record& staff, std::int64_t id,
                            std::optional<store::inbound_ref> reply) {
    auto job = [id, policy = app_.settings().escalation, staff,
                reply = std::move(reply)](store::database& db) {
        auto now = application::now();
        return store::marking_seen(
            db, decide_and_record(db, id, policy, now, &staff, std::nullopt, {}, nullptr), reply, now);
    };
    auto done = co_await app_.store().run<outcome>(std::move(job), store::writer::lane::ongoing);
    if (!done) {
        if (done.error() == store::errc::conflict)
            co_return failure{"no_escalation_steps", "no escalation steps are configured for this priority", std::nullopt};
        co_return from_store(done.error());
    }
    if (done->nobody_to_call) {
        spdlog::info("request {}: staff {} asked to call in more people; no step would reach anyone else", id,
                     staff.id);
        co_return failure{
            "nobody_to_call",
            "nobody else can be called in now: no step of the escalation ladder reaches anyone but "
            "you and whoever holds the request (those off duty for an on-duty step, or with no "
            "phone for a text-only one, cannot be reached); nothing was changed",
            std::nullopt};
    }
    spdlog::info("request {}: escalated by hand by staff {}", id, staff.id);
    deliver(*done);
    co_return std::move(done->request);
}

void escalator::pressed_again(const store::request_record& r) {
    if (r.view.state != protocol::request_state::acknowledged)
        return;
    auto available = app_.availability(r.office_id, application::now());
    const auto* office = app_.office_settings(r.office_id);
    if (available.open || !available.opens_at || !office || office->after_hours_phone.empty())
        return;
    spawn(app_.io(), text_after_hours(r.view.id, *available.opens_at, office->after_hours_phone),
          "after-hours text");
}

net::awaitable<void> escalator::text_after_hours(std::int64_t id, millis opens_at, std::string phone) {
    // Each try reads the request as it is then: no longer taken, it texts nothing; told already (a later
    // press again's text recorded meanwhile), the phone is not told twice.
    auto job = [id, opens_at, phone = std::move(phone)](store::database& db) {
        return after_hours_press_recorded(db, id, opens_at, phone, application::now());
    };
    std::string last_error;
    for (int failed = 0;; ++failed) {
        if (failed > 0 && application::now() >= opens_at) { // its ladder goes on from the opening
            spdlog::warn("request {}: pressed again while its office was closed; the text to the after-hours "
                         "phone was not recorded before the office opened ({})",
                         id, last_error);
            co_return;
        }
        auto done = co_await app_.store().run<outcome>(job, store::writer::lane::ongoing);
        if (done) {
            if (done->sms.empty())
                co_return;
            spdlog::info("request {}: taken and pressed again while its office is closed: texting the "
                         "after-hours phone",
                         id);
            deliver(*done);
            co_return;
        }
        if (!store::is_storage_failure(done.error()) || app_.stopping())
            co_return; // not taken any more (not_found), or askd stops
        last_error = done.error().message();
        // Said at the first failure and then every half hour or so, not at each minute of a long closure.
        if (failed % 30 == 0)
            spdlog::warn("request {}: pressed again while its office is closed; the text to the after-hours "
                         "phone was not recorded ({}), tried again in {} s",
                         id, last_error, sms::retry_pauses::after(failed + 1).count());
        if (!co_await app_.sms_pauses().wait(failed + 1))
            co_return;
    }
}

void escalator::deliver(const outcome& o) {
    app_.hub().apply(o.request, alert_hub::change::recorded);
    if (o.waits_for_opening)
        app_.hub().report_status(o.request); // the resident hears it waits for the opening, and 112
    if (!o.ring.empty())
        app_.hub().ring_staff(o.ring, o.request);
    // Several texts to one phone about the request in one go (steps that came due together, as askd started
    // after being down through them): only the newest goes, as when they come one after another.
    for (const auto& text : o.sms)
        keep_newest(text);
    for (const auto& text : o.sms) {
        if (is_newest(text))
            spawn(app_.io(), send_kept(o.request, text), "escalation text");
        else
            spawn(app_.io(), forget_kept(text.id), "staff text forgotten");
    }
}

} // namespace ask
