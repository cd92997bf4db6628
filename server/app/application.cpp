#include "server/app/application.hpp"

#include "gateways/phone_number.hpp"

#include "server/app/open_store.hpp"
#include "server/app/spawn.hpp"
#include "server/sms/inbound.hpp"
#include "server/sms/kept_replies.hpp"
#include "server/sms/office_style_sender.hpp"
#include "server/sms/provider_sender.hpp"
#include "server/sms/recording_sender.hpp"
#include "server/sms/text_parts.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"
#include "server/store/resident_views.hpp"
#include "server/store/retention.hpp"
#include "server/store/sign_in_check.hpp"
#include "server/store/sms_parts.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace ask {

application::application(net::io_context& ioc, config cfg)
    : ioc_(ioc), cfg_(std::move(cfg)), hub_(&application::now),
      sms_flood_(cfg_.sms.inbound_per_window,
                 std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.sms.inbound_window).count()),
      presses_(cfg_.limits.presses_per_window,
               std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.limits.press_window).count()),
      tick_(ioc), upkeep_tick_(ioc) {
    auto db = open_store(cfg_);
    check_named_staff(db, cfg_);
    for (const auto& office : cfg_.offices) {
        auto id = office_id(db, cfg_, office.slug);
        auto zone = load_time_zone(office.time_zone, "offices." + office.slug + ".time_zone");
        offices_.emplace(id, office_entry{office, engine::office_calendar(zone, office.hours)});
        if (default_office_ == 0)
            default_office_ = id;
        if (!office.sms_number.empty())
            office_by_number_.emplace(office.sms_number, id);
    }
    hub_.set_calendar([this](std::int64_t office, protocol::millis at) { return availability(office, at); });
    sms_ = std::make_unique<sms::office_style_sender>(
        [this](std::int64_t office) { return plain_letters(office); },
        std::make_unique<sms::recording_sender>(*this, sms::make_sender(ioc_.get_executor(), cfg_)));
    escalator_ = std::make_unique<ask::escalator>(*this, *sms_);
    resident_sms_ = std::make_unique<sms::resident_notifier>(*this);
    hub_.set_status_listener([this](const store::request_record& r, const protocol::status_view& s) {
        resident_sms_->on_status(r, s);
    });
    hub_.set_card_listener([this](std::int64_t staff_id, std::int64_t resident_id, protocol::millis at) {
        card_shown(staff_id, resident_id, at);
    });
    auto open = value_or_throw(store::open_requests(db), "cannot load open requests");
    spdlog::info("store: {} ({} open requests)", cfg_.db_path, open.size());
    hub_.load(std::move(open));
    for (auto id : hub_.open_ids()) // only residents who are texted: the others' histories are not read
        if (const auto* r = hub_.find(id); sms::wants_sms(*r))
            last_told_[id] =
                value_or_throw(store::last_resident_text(db, id), "cannot load residents' texts");
    auto resolved = value_or_throw(
        store::requests_resolved_since(db, now() - sms::resident_notifier::closing_text_owed_for),
        "cannot load recently resolved requests");
    for (auto& r : resolved)
        if (sms::wants_sms(r)) {
            auto texted =
                value_or_throw(store::last_resident_text(db, r.view.id), "cannot load residents' texts");
            last_told_closed_.emplace_back(std::move(r), std::move(texted));
        }
    unsent_staff_texts_ =
        value_or_throw(store::unsent_staff_texts(db), "cannot load the staff texts not yet sent");
    unsent_replies_ =
        value_or_throw(store::unsent_replies(db), "cannot load the answers to texts not yet sent");
    store::writer::options writing;
    writing.max_batch = cfg_.group_commit_max;
    writing.commit_wait = std::chrono::microseconds(cfg_.group_commit_wait_us);
    writing.max_queued = cfg_.store_queue_max;
    writer_ = std::make_unique<store::writer>(std::move(db), writing);
}

application::~application() { stop(); }

protocol::millis application::now() { return wall_clock_ms(); }

void application::start() {
    spawn(ioc_, periodic_loop(), "periodic loop");
    spawn(ioc_, upkeep_loop(), "upkeep loop");
    for (const auto& [id, texted] : last_told_)
        if (const auto* r = hub_.find(id))
            resident_sms_->resume(*r, hub_.status_of(*r), texted);
    last_told_.clear();
    for (const auto& [r, texted] : last_told_closed_)
        resident_sms_->resume(r, hub_.status_of(r), texted);
    last_told_closed_.clear();
    escalator_->resume_texts(std::move(unsent_staff_texts_));
    sms::resume_answers(*this, std::move(unsent_replies_));
}

std::int64_t application::office_for_number(const std::string& to) const {
    // Vonage and SMSAPI give our number without "+", which normalise_phone reads as Polish only.
    auto number = gateways::normalise_phone(to);
    if (!number && !to.empty() && to.front() != '+')
        number = gateways::normalise_phone("+" + to);
    auto found = number ? office_by_number_.find(*number) : office_by_number_.end();
    return found == office_by_number_.end() ? default_office_ : found->second;
}

const office_config* application::office_settings(std::int64_t office_id) const {
    auto it = offices_.find(office_id);
    return it == offices_.end() ? nullptr : &it->second.settings;
}

bool application::plain_letters(std::int64_t office_id) const {
    const auto* office = office_settings(office_id);
    return office && office->sms_transliterate ? *office->sms_transliterate : cfg_.sms.transliterate;
}

office_availability application::availability(std::int64_t office_id, protocol::millis at) const {
    auto it = offices_.find(office_id);
    if (it == offices_.end())
        return {};
    const auto& calendar = it->second.calendar;
    if (calendar.is_open(at))
        return {};
    office_availability a;
    a.open = false;
    a.opens_at = calendar.next_opening(at);
    if (a.opens_at)
        a.opens_at_local = calendar.zone().to_local(*a.opens_at);
    return a;
}

void application::stop() {
    if (stopping_)
        return;
    stopping_ = true;
    tick_.cancel();
    upkeep_tick_.cancel();
    resident_sms_->stop();
    sms_pauses_.stop();
    cpu_.join();
    store_views_before_stop();
    writer_->stop();
}

// Like Redis's serverCron: one periodic duty, every second: re-push every unacknowledged
// request to on-duty staff every `renotify` interval (keeping queued/notifying honest), text
// residents waiting a while with nobody on duty (resident_notifier::check_nobody_on_duty), and
// carry out whatever the escalation ladders say is due. Nothing else runs in this loop, so
// alerting never waits behind housekeeping; and nothing it starts is awaited here: neither the
// re-rings' records nor the two walks over the open requests (the ladders, the nobody check), which
// go in slices between which presses and pushes go on, so a slow store or a long queue holds neither
// the rings nor the next tick up.
net::awaitable<void> application::periodic_loop() {
    while (!stopping_) {
        tick_.expires_after(std::chrono::seconds(1));
        co_await tick_.async_wait(as_result); // cancelled only by stop()
        if (stopping_)
            break;
        renotify_due();
        if (!checking_nobody_) {
            checking_nobody_ = true;
            spawn(
                ioc_,
                walk_beside(
                    checking_nobody_,
                    resident_sms_->check_nobody_on_duty(
                        now(),
                        std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.reconnect_grace).count())),
                "nobody-on-duty check");
        }
        if (!escalating_) {
            escalating_ = true;
            spawn(ioc_, walk_beside(escalating_, escalator_->tick()), "escalation tick");
        }
    }
}

net::awaitable<void> application::walk_beside(bool& busy, net::awaitable<void> work) {
    // Not a guard object: a frame destroyed with the io_context at shutdown must not write into askd.
    try {
        co_await std::move(work);
    } catch (...) {
        busy = false;
        throw;
    }
    busy = false;
}

// The duties that must not hold up alerting, in a loop of their own: every second, store who was
// shown a resident's card (app/view_log.hpp), end the connections whose sign-in an askd command revoked
// (app/sign_in_watch.hpp), bring the cards up to date with details an askd command corrected
// (app/refresh_cards.cpp) and, while parts of long texts wait, deliver those whose parts are due
// (sms/text_parts.hpp; each waits for its commit, and a burst of them would otherwise delay
// re-notifications and escalation steps); every hour, from the start on, forget the records that no
// longer serve a purpose.
net::awaitable<void> application::upkeep_loop() {
    auto forget_next = std::chrono::steady_clock::now();
    while (!stopping_) {
        if (std::chrono::steady_clock::now() >= forget_next) {
            co_await forget_old_records();
            forget_next = std::chrono::steady_clock::now() + std::chrono::hours(1);
            if (stopping_)
                break;
        }
        co_await store_views();
        if (stopping_)
            break;
        // One version of the file per pass: what is given back is given back after the dashboards of
        // whoever was disabled in it have been closed (and so no longer count as reachable).
        auto outside = writer_->outside_version(); // read by the store thread itself: no job
        bool judged = co_await check_sign_ins(outside);
        if (stopping_)
            break;
        if (judged)
            co_await give_back_from_disabled(outside);
        if (stopping_)
            break;
        co_await refresh_cards(outside);
        if (stopping_)
            break;
        co_await sms::deliver_due_parts(*this, sms_flood_);
        if (stopping_)
            break;
        ++upkeep_passes_;
        upkeep_tick_.expires_after(std::chrono::seconds(1));
        co_await upkeep_tick_.async_wait(as_result); // cancelled by stop(), or early by card_shown()
    }
}

// Presses go between batches, and a press in a batch's group waits for it. Under 1,687 texts/s from
// new numbers (each a new resident's card on 10 dashboards), scenario 2's loaded p99 was 4.2-8.8 ms
// with batches of 100 and 11-21 ms with batches of 1,000 (alternating, six trials each, 2026-12-05).
constexpr std::size_t views_per_job = 100;
// So many records waiting wake the upkeep loop before its second is up (a burst: many dashboards
// connecting to a long queue), well before view_log::max_waiting.
constexpr std::size_t views_wake_upkeep = 10'000;

void application::card_shown(std::int64_t staff_id, std::int64_t resident_id, protocol::millis at) {
    auto before = views_.waiting();
    views_.note(staff_id, resident_id, at);
    if (before < views_wake_upkeep && views_.waiting() >= views_wake_upkeep)
        upkeep_tick_.cancel();
}

// What waited as the pass began, so that cards arriving faster than the store takes them cannot keep
// the upkeep loop here: the rest waits for the next pass.
net::awaitable<void> application::store_views() {
    if (auto old = views_.take_retired(); !old.empty())
        net::post(cpu_, [old = std::move(old)] {}); // 200,000 nodes freed off the I/O thread
    for (auto left = views_.waiting(); left > 0 && views_.any_waiting() && !stopping_;) {
        auto batch = views_.take(std::min(left, views_per_job));
        left -= batch.size();
        auto record = [batch](store::database& db) { return store::record_views(db, batch); };
        auto stored = co_await writer_->run<void>(std::move(record));
        if (stored) {
            if (std::exchange(views_failing_, false))
                spdlog::info("views: records of staff shown a resident's card are stored again");
            continue;
        }
        if (stopping_) {
            spdlog::error("views: {} records of staff shown a resident's card lost as askd stopped: {}",
                          batch.size(), stored.error().message());
            co_return;
        }
        if (!std::exchange(views_failing_, true))
            spdlog::warn(
                "views: {} records of staff shown a resident's card not stored yet, tried again every "
                "second (logged again once they are): {}",
                batch.size() + views_.waiting(), stored.error().message());
        views_.give_back(std::move(batch));
        co_return;
    }
}

// Sign-ins checked in one store job: a job of 10,000 lookups would hold up the presses behind it.
constexpr std::size_t sign_ins_per_job = 500;

namespace {

template <class T> std::vector<T> job_batch(const std::vector<T>& all, std::size_t first) {
    auto end = std::min(all.size(), first + sign_ins_per_job);
    return {all.begin() + static_cast<std::ptrdiff_t>(first), all.begin() + static_cast<std::ptrdiff_t>(end)};
}

} // namespace

net::awaitable<bool> application::check_sign_ins(std::optional<std::int64_t> version) {
    if (!version)
        co_return false;
    if (!sign_ins_.due(*version))
        co_return true;
    std::size_t ended = 0;
    auto failed = [this](const error_code& ec) {
        spdlog::warn("sign-ins: not checked after a change to accounts, tried again in a second: {}",
                     ec.message());
        sign_ins_.owe_check();
        return false;
    };
    auto staff = sign_ins_.staff_to_check();
    for (std::size_t first = 0; first < staff.size() && !stopping_; first += sign_ins_per_job) {
        auto batch = job_batch(staff, first);
        auto read = [batch](store::database& db) { return store::staff_access_of(db, batch); };
        auto access = co_await writer_->run<std::vector<store::staff_access>>(std::move(read),
                                                                              store::writer::lane::ongoing);
        if (!access)
            co_return failed(access.error());
        ended += sign_ins_.end_lapsed_staff(batch, *access);
    }
    auto tokens = sign_ins_.resident_tokens_to_check();
    for (std::size_t first = 0; first < tokens.size() && !stopping_; first += sign_ins_per_job) {
        auto batch = job_batch(tokens, first);
        auto check = [batch](store::database& db) { return store::lapsed_resident_tokens(db, batch); };
        auto lapsed =
            co_await writer_->run<std::vector<std::string>>(std::move(check), store::writer::lane::ongoing);
        if (!lapsed)
            co_return failed(lapsed.error());
        ended += sign_ins_.end_lapsed_residents(*lapsed);
    }
    if (stopping_)
        co_return false;
    ++sign_in_checks_;
    if (ended > 0)
        spdlog::info("sign-ins: {} connections closed whose sign-in was revoked", ended);
    co_return true;
}

net::awaitable<void> application::give_back_from_disabled(std::optional<std::int64_t> version) {
    // While the store refuses writes (a read-only volume) a try would fail each second; one is made once
    // a write has worked again. A sign-in registered after its check began owes one: until it is made,
    // its holder may still count as reachable.
    if (!version || version == gave_back_at_version_ || !writer_->storage_ok() || sign_ins_.check_owed())
        co_return;
    auto give_back = [reachable = hub_.reachable_by_office()](store::database& db) {
        return store::release_held_by_disabled(db, reachable, now());
    };
    auto released = co_await writer_->run<std::vector<store::request_record>>(std::move(give_back),
                                                                              store::writer::lane::ongoing);
    if (!released) { // the version stays unnoted: tried again at the next pass
        spdlog::warn("requests held by disabled staff: not looked for, tried again in a second: {}",
                     released.error().message());
        co_return;
    }
    gave_back_at_version_ = version;
    for (const auto& r : *released) {
        // Waiting again: it rings on every on-duty dashboard, and the resident is told.
        hub_.apply(r, alert_hub::change::created);
        spdlog::warn("request {}: given back to the queue; whoever held it has been disabled", r.view.id);
    }
}

void application::store_views_before_stop() {
    while (views_.any_waiting()) {
        auto batch = views_.take(views_per_job);
        auto count = batch.size();
        auto record = [batch = std::move(batch)](store::database& db) {
            return store::record_views(db, batch);
        };
        auto logged = [count](store::result<void> done) {
            if (!done)
                spdlog::error("views: {} records of staff shown a resident's card lost as askd stopped: {}",
                              count, done.error().message());
        };
        writer_->async_run<void>(std::move(record), net::bind_executor(ioc_, std::move(logged)),
                                 store::writer::lane::ongoing);
    }
}

// Expired staff sign-ins, the seen-marks of texts (staff replies, STOP/START, parts of long
// texts) older than any provider's retries: Vonage resends for 24 hours and SMSGate for about two
// days (../shared/reference/sms-gateways.md); a week leaves a margin. A retry after that would be
// acted on again; none comes. And the texts kept for a late part past store::late_part_window.
net::awaitable<void> application::forget_old_records() {
    constexpr protocol::millis seen_texts_kept = 7LL * 24 * 3600 * 1000;
    struct forgotten {
        int sign_ins = 0;
        int seen_texts = 0;
        int incomplete_parts = 0;
    };
    auto forget = [](store::database& db) -> store::result<forgotten> {
        const auto at = now();
        auto sign_ins = store::delete_expired_sessions(db, at);
        if (!sign_ins)
            return sign_ins.error();
        auto seen_texts = store::forget_inbound_before(db, at - seen_texts_kept);
        if (!seen_texts)
            return seen_texts.error();
        auto incomplete = store::forget_incomplete_texts_before(db, at - store::late_part_window);
        if (!incomplete)
            return incomplete.error();
        return forgotten{*sign_ins, *seen_texts, *incomplete};
    };
    auto done = co_await writer_->run<forgotten>(std::move(forget));
    if (!done)
        spdlog::warn("upkeep: old records not forgotten, tried again in an hour: {}", done.error().message());
    else if (done->sign_ins > 0 || done->seen_texts > 0 || done->incomplete_parts > 0)
        spdlog::info("upkeep: forgot {} expired sign-ins, {} texts seen more than a week ago and {} parts of "
                     "incomplete texts kept a day",
                     done->sign_ins, done->seen_texts, done->incomplete_parts);
    co_await forget_closed_requests();
}

// Closed requests past [privacy] keep_closed_days (store/retention.hpp), a batch per store job, so
// that a long backlog (the first run on an old database) never holds the store thread for long: other
// work goes between the batches (a batch of 100, with ten events each, is a few milliseconds).
net::awaitable<void> application::forget_closed_requests() {
    if (cfg_.keep_closed_days == 0)
        co_return;
    constexpr int batch = 100;
    const protocol::millis kept = cfg_.keep_closed_days * 24LL * 3600 * 1000;
    store::forgotten_requests total;
    for (;;) {
        auto forget = [kept](store::database& db) {
            return store::forget_closed_requests(db, now() - kept, batch);
        };
        auto done = co_await writer_->run<store::forgotten_requests>(std::move(forget));
        if (!done) {
            spdlog::warn("upkeep: closed requests past {} days not deleted, tried again in an hour: {}",
                         cfg_.keep_closed_days, done.error().message());
            break;
        }
        total.requests += done->requests;
        total.unknown_senders += done->unknown_senders;
        if (done->requests < batch || stopping_)
            break;
    }
    if (total.requests > 0)
        spdlog::info("upkeep: deleted {} requests closed more than {} days ago, with their history, and {} "
                     "residents known only by a number that texted in",
                     total.requests, cfg_.keep_closed_days, total.unknown_senders);
    co_await forget_old_views(kept);
}

// Who was shown a resident's card is kept as long as a closed request, counted from the day: in
// batches of the size the record is stored in, as a first run on an old database may find many days of
// them.
net::awaitable<void> application::forget_old_views(protocol::millis kept) {
    constexpr int batch = static_cast<int>(views_per_job);
    int total = 0;
    for (;;) {
        auto forget = [kept](store::database& db) {
            return store::forget_views_before(db, now() - kept, batch);
        };
        auto done = co_await writer_->run<int>(std::move(forget));
        if (!done) {
            spdlog::warn(
                "upkeep: records of staff shown a resident's card past {} days not deleted, tried again "
                "in an hour: {}",
                cfg_.keep_closed_days, done.error().message());
            break;
        }
        total += *done;
        if (*done < batch || stopping_)
            break;
    }
    if (total > 0)
        spdlog::info("upkeep: deleted {} records of staff shown a resident's card more than {} days ago",
                     total, cfg_.keep_closed_days);
}

} // namespace ask
