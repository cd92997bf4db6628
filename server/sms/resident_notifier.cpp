#include "server/sms/resident_notifier.hpp"

#include "server/app/application.hpp"
#include "server/app/spawn.hpp"
#include "server/sms/retry_pauses.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

namespace ask::sms {
namespace {

using protocol::request_state;

// One letter per stage a resident hears about.
char stage_of(request_state s) {
    switch (s) {
    case request_state::received:
    case request_state::queued:
    case request_state::notifying: return 'r';
    case request_state::acknowledged: return 't';
    case request_state::contacted: return 'c';
    case request_state::resolved: return 'd';
    case request_state::cancelled: return '\0';
    }
    return '\0';
}

constexpr std::string_view nobody_on_duty_news = "r:nobody";

// What the resident is told, as a key: the stage and, once taken, who took it (a resident who was
// told "Anna will contact you" is told again when Anna gives it back or Bob takes it). While it
// waits, or is taken and not yet contacted, whether the office is closed by its calendar: the office
// closing on it brings the office-closed answer with the opening time and 112, its opening "we are
// alerting the staff" (or "Anna will contact you").
// `before`: what they were last told, nullptr for nothing yet.
//
// Nobody on duty (reachable_staff: on duty with a dashboard open) is keyed apart where a text says so
// anyway (the first, one after the office opened or after a give-back), so that the first person
// reachable again is news. A resident told staff are being alerted ("r") is told nobody is only once
// that has lasted a while (check_nobody_on_duty), not here.
std::string news_of(char stage, const protocol::status_view& s, const std::string* before) {
    if (stage == 'r' && s.nobody_on_duty)
        return before && *before == "r" ? "r" : std::string(nobody_on_duty_news);
    std::string news(1, stage);
    if (s.by && (stage == 't' || stage == 'c'))
        news += ':' + *s.by;
    if ((stage == 'r' || stage == 't') && s.office_closed)
        news += ":closed";
    return news;
}

const char* stage_name(char stage) {
    switch (stage) {
    case 'r': return "received";
    case 't': return "taken";
    case 'c': return "contacted";
    default: return "resolved";
    }
}

/// The longest wait before a text whose record failed is tried again.
constexpr std::chrono::seconds longest_record_wait{60};
/// Failed tries of one text after which each further failure is logged as an error: the store has
/// been failing for about a quarter of an hour.
constexpr int record_tries_before_alarm = 20;

enum class recorded {
    yes,        ///< recorded, and taken by a provider (or nobody to text: opted out, no number)
    store_down, ///< not recorded, so not sent: the storage failed, and a later try may work
    refused,    ///< not recorded, so not sent, and never will be (the request is gone, a constraint)
    unsent,     ///< recorded, and every attempt at the providers failed in a way a later try may not
};

// By value: the coroutine outlives the caller's request_record. `record`: false for a text recorded
// before (tried again), whose number is read again and nothing appended.
net::awaitable<recorded> send_text(application& app, std::int64_t request_id, std::int64_t resident_id,
                                   std::int64_t office_id, std::string stage, std::string told,
                                   std::string text, std::string key, bool record_it) {
    // Persist first: the text is in the request's history before it leaves, with what it tells as a
    // key (news_of) for resident_notifier::resume. A text the resident is not sent (they sent STOP, or
    // their number was taken off) is recorded all the same, marked `not_sent`: staff reading the history
    // see why the resident heard nothing, and resume() does not send it when askd starts again after
    // a START. So is a text tried again (recorded before, every try failed) that has become one: its
    // failed tries would otherwise leave it owed.
    auto record = [request_id, resident_id, stage, told, key,
                   record_it](store::database& db) -> store::result<std::string> {
        auto resident = store::find_resident(db, resident_id);
        if (!resident)
            return resident.error();
        if (!*resident)
            return std::string();
        const auto& phone = (*resident)->phone;
        const char* not_sent = phone.empty() ? "no_number" : (*resident)->sms_opt_out ? "opted_out" : nullptr;
        if (!record_it && !not_sent)
            return phone;
        boost::json::object detail{{"stage", stage}, {"told", told}, {"key", key}};
        if (not_sent)
            detail["not_sent"] = not_sent;
        if (auto e = store::append_event(db, request_id, "resident_sms", "system", std::nullopt,
                                         boost::json::serialize(detail), application::now());
            !e)
            return e.error();
        return not_sent ? std::string() : phone;
    };
    auto phone = co_await app.store().run<std::string>(std::move(record), store::writer::lane::ongoing);
    if (!phone) {
        spdlog::warn("sms: request {}: text to the resident not recorded: {}", request_id, phone.error().message());
        co_return store::is_storage_failure(phone.error()) ? recorded::store_down : recorded::refused;
    }
    if (phone->empty())
        co_return recorded::yes;
    const gateways::sms_message message{*phone, std::move(text), request_id, office_id, true, std::move(key)};
    auto sent = co_await app.sms().send(message);
    if (sent.accepted)
        co_return recorded::yes;
    spdlog::warn("sms: request {}: text to the resident refused by {}: {}", request_id, sent.provider,
                 sent.error);
    co_return sent.permanent ? recorded::yes : recorded::unsent;
}

} // namespace

bool wants_sms(const store::request_record& r) {
    if (r.view.resident.phone.empty())
        return false;
    // A physical button shows nothing (at most a light): a text is how its resident learns the request
    // arrived, who will call, or that nobody is on duty.
    return r.view.via == protocol::channel::sms || r.view.via == protocol::channel::button ||
           protocol::calls_fail_for(r.view.resident);
}

std::string resident_notifier::text_for(const store::request_record& r, const protocol::status_view& s) {
    return "ASK, zgłoszenie nr " + std::to_string(r.view.id) + ": " + protocol::resident_text(s, "pl");
}

void resident_notifier::on_status(const store::request_record& r, const protocol::status_view& s) {
    status_changed(r, s, nullptr);
}

void resident_notifier::status_changed(const store::request_record& r, const protocol::status_view& s,
                                       const store::resident_texted* owed) {
    auto id = r.view.id;
    char stage = stage_of(s.state);
    bool closed = !protocol::is_open(s.state);
    if (closed)
        nobody_since_.erase(id); // only told_'s requests are walked (check_nobody_on_duty): it would stay
    if (stage == '\0' || !wants_sms(r)) {
        if (closed) {
            told_.erase(id);
            if (auto it = outgoing_.find(id); it != outgoing_.end()) {
                // Cancelled: a text still waiting, or one being recorded now that fails, would no
                // longer be true.
                it->second.next.reset();
                it->second.cancelled = true;
                it->second.pause.cancel();
            }
        }
        return;
    }
    auto found = told_.find(id);
    auto news = news_of(stage, s, found == told_.end() ? nullptr : &found->second);
    if (closed) {
        told_.erase(id);
    } else {
        auto& last = told_[id];
        if (last == news)
            return;
        last = news;
    }
    text next{r.view.resident.id, r.office_id, stage_name(stage), news, text_for(r, s)};
    if (owed && !owed->owed_key.empty() && owed->owed_told == news)
        next.key = owed->owed_key;
    send_later(id, std::move(next));
}

// Entries looked at between two turns of the I/O thread. One pass over 80,000 open requests whose residents
// are texted took 12 ms (2026-12-06), every second, holding each press and push behind it; a slice holds
// them up by some 40 µs.
constexpr std::size_t nobody_check_slice = 256;

net::awaitable<void> resident_notifier::check_nobody_on_duty(protocol::millis now, protocol::millis lasting) {
    if (told_.empty())
        co_return;
    // Up to the last request texted as the walk began: the requests texted since wait for the next walk,
    // so that a flood of new ones cannot keep this one going.
    const auto last = told_.rbegin()->first;
    auto executor = co_await net::this_coro::executor;
    for (auto it = told_.begin();;) {
        for (std::size_t n = 0; n < nobody_check_slice && it != told_.end() && it->first <= last; ++n, ++it)
            check_nobody_for(it->first, it->second, now, lasting);
        if (it == told_.end() || it->first > last)
            co_return;
        auto resume_at = it->first;
        co_await net::post(executor, use_awaitable); // others' handlers run: requests close, texts change
        if (app_.stopping())
            co_return;
        it = told_.lower_bound(resume_at);
    }
}

void resident_notifier::check_nobody_for(std::int64_t id, std::string& told, protocol::millis now,
                                         protocol::millis lasting) {
    // From the hub as it is now, not from status changes: a request left queued (by a re-notification, or
    // as askd started with no dashboard back) sees none.
    const auto* r = told == "r" ? app_.hub().find(id) : nullptr;
    protocol::status_view s;
    if (r)
        s = app_.hub().status_of(*r);
    if (!r || stage_of(s.state) != 'r' || !s.nobody_on_duty || !wants_sms(*r)) {
        if (!nobody_since_.empty())
            nobody_since_.erase(id);
        return;
    }
    // A wall clock stepped back would leave `since` after now and hold the text back by the step.
    auto& since = nobody_since_.try_emplace(id, now).first->second;
    since = std::min(since, now);
    if (now - since < lasting)
        return;
    nobody_since_.erase(id);
    told = nobody_on_duty_news;
    send_later(id, text{r->view.resident.id, r->office_id, "nobody_on_duty", told, text_for(*r, s)});
}

void resident_notifier::send_later(std::int64_t id, text next) {
    auto [it, idle] = outgoing_.try_emplace(id, app_.io());
    it->second.next = std::move(next);
    it->second.next_is_new = true;
    it->second.pause.cancel(); // a text whose record failed waits no longer: this one replaces it
    if (idle)
        spawn(app_.io(), send_in_turn(id), "resident sms");
}

void resident_notifier::resume(const store::request_record& r, const protocol::status_view& s,
                               const store::resident_texted& texted) {
    const std::string last_told = texted.told.value_or("");
    char stage = stage_of(s.state);
    if (stage == '\0' || !wants_sms(r))
        return;
    // A button's request closed with no text to its resident recorded at all: made before button presses
    // were texted (2026-12-07), or askd died before its first text. Telling how it ended, out of the blue,
    // to someone never texted about it would confuse more than it tells.
    if (r.view.via == protocol::channel::button && last_told.empty() && !protocol::is_open(s.state))
        return;
    auto news = news_of(stage, s, last_told.empty() ? nullptr : &last_told);
    // A record written before the news was kept with it has only the stage: taken as told.
    if (last_told == news || last_told == stage_name(stage)) {
        if (protocol::is_open(s.state)) // told_ is walked every second (check_nobody_on_duty): open ones only
            told_[r.view.id] = news;
        return;
    }
    spdlog::info("sms: request {}: the resident's last text that may have reached them told \"{}\", "
                 "the request is at \"{}\": texting them as askd starts",
                 r.view.id, last_told, news);
    status_changed(r, s, &texted);
}

void resident_notifier::stop() {
    for (auto& [id, entry] : outgoing_)
        entry.pause.cancel();
}

net::awaitable<void> resident_notifier::send_in_turn(std::int64_t request_id) {
    int failed_tries = 0;
    for (;;) {
        // The entry stays while this coroutine runs: only it erases it.
        auto& entry = outgoing_.find(request_id)->second;
        if (!entry.next || app_.stopping()) {
            outgoing_.erase(request_id);
            co_return;
        }
        if (entry.next_is_new)
            failed_tries = 0;
        auto t = std::move(*entry.next);
        entry.next.reset();
        entry.next_is_new = false;
        auto done = co_await send_text(app_, request_id, t.resident_id, t.office_id, t.stage, t.news, t.body,
                                       t.key, t.send_tries == 0);
        if (done == recorded::yes)
            continue;
        if (done == recorded::unsent) {
            // Recorded, and no provider took it (down, timing out): tried again as staff texts are, after
            // 5, 10, 20, 40 s and then every minute, for an hour, unless a newer text replaces it first.
            if (t.send_tries++ == 0)
                t.first_try = application::now();
            auto& again = outgoing_.find(request_id)->second;
            if (again.next || again.cancelled || app_.stopping())
                continue;
            if (application::now() - t.first_try >= unsent_kept_for) {
                spdlog::error(
                    "sms: request {}: the {} text to the resident was given up: no provider took it "
                    "in an hour",
                    request_id, t.stage);
                continue;
            }
            auto tries = t.send_tries;
            again.next = std::move(t);
            again.pause.expires_after(retry_pauses::after(tries));
            co_await again.pause.async_wait(as_result); // cancelled by a newer text, a cancellation or stop()
            continue;
        }
        if (done == recorded::refused) {
            spdlog::error("sms: request {}: the {} text to the resident was given up: its record is refused",
                          request_id, t.stage);
            continue;
        }
        if (++failed_tries >= record_tries_before_alarm)
            spdlog::error(
                "sms: request {}: the {} text to the resident is still not recorded after {} tries; "
                "it is tried again every minute",
                request_id, t.stage, failed_tries);
        auto& again = outgoing_.find(request_id)->second;
        if (again.next || again.cancelled || app_.stopping())
            continue; // a newer text replaces this one (the resident hears where the request stands now)
        again.next = std::move(t);
        auto doubling = std::chrono::seconds(1LL << std::min(failed_tries - 1, 6));
        again.pause.expires_after(std::min(longest_record_wait, doubling));
        co_await again.pause.async_wait(as_result); // cancelled by a newer text, a cancellation or stop()
    }
}

} // namespace ask::sms
