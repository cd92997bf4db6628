// Re-notification (application.hpp): every unacknowledged request is rung again each `renotify`
// interval from the hub's copy at once, and recorded apart from the ring (queued/notifying kept honest,
// the pushes counted), so a slow or failing store holds neither the rings nor the periodic loop up.
#include "server/app/application.hpp"

#include "server/app/spawn.hpp"
#include "server/store/error.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace ask {

void application::renotify_due() {
    auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.renotify).count();
    // Rung now, and recorded apart from the loop: a ring needs nothing written. A slow or failing store
    // (a held lock keeps each write for busy_timeout) neither holds the rings nor the escalation ladders
    // up, and does not silence the requests accepted before it.
    for (auto id : hub_.take_due(now(), interval)) {
        const auto* r = hub_.find(id);
        if (!r)
            continue;
        int reachable = hub_.reachable_staff(r->office_id);
        auto& unrecorded = renotified_unrecorded_[id]; // due, rung or not: its queued/notifying is checked
        if (reachable > 0) {
            auto unchanged = *r; // apply() replaces the hub's copy
            hub_.apply(unchanged, alert_hub::change::renotified);
            unrecorded.recipients = reachable;
            ++unrecorded.times;
        }
    }
    if (renotified_unrecorded_.empty() || recording_renotified_)
        return;
    recording_renotified_ = true;
    spawn(ioc_, record_renotified(), "re-notification records");
}

net::awaitable<void> application::record_renotified() {
    // Not a guard object: a frame destroyed with the io_context at shutdown must not write into askd.
    try {
        co_await record_each_renotified();
    } catch (...) {
        recording_renotified_ = false;
        throw;
    }
    recording_renotified_ = false;
}

net::awaitable<void> application::record_each_renotified() {
    // True when the storage failed the write: the request goes back for the next pass.
    auto storage_failed = [this](std::int64_t id, unrecorded_rings rung, const boost::system::error_code& e) {
        if (!store::is_storage_failure(e))
            return false;
        // Rung again while this write waited: those rings are added, and who was reachable then counts.
        auto [back, fresh] = renotified_unrecorded_.try_emplace(id, rung);
        if (!fresh) {
            if (back->second.times == 0)
                back->second.recipients = rung.recipients;
            back->second.times += rung.times;
        }
        if (!std::exchange(renotify_failing_, true))
            spdlog::warn("renotify: request {} rung, not recorded (tried again every second; logged again "
                         "once it is): {}",
                         id, e.message());
        return true;
    };
    while (!renotified_unrecorded_.empty() && !stopping_) {
        auto [id, rung] = *renotified_unrecorded_.begin();
        renotified_unrecorded_.erase(renotified_unrecorded_.begin());
        const auto* r = hub_.find(id);
        if (!r)
            continue; // closed since it was due
        // What its resident is told must hold now, whoever was reachable as it was rung (a taken request
        // is neither; its rings still count).
        int reachable = hub_.reachable_staff(r->office_id);
        bool queued = r->view.state == protocol::request_state::queued;
        bool notifying = r->view.state == protocol::request_state::notifying;
        if ((queued && reachable > 0) || (notifying && reachable == 0)) {
            // Someone reachable for a request still queued; or nobody, and the resident must not believe
            // staff are being alerted.
            auto turn = [id, reachable](store::database& db) {
                return store::set_notifying(db, id, reachable > 0, reachable, now());
            };
            auto moved =
                co_await writer_->run<store::request_record>(std::move(turn), store::writer::lane::ongoing);
            if (!moved) {
                if (storage_failed(id, rung, moved.error()))
                    co_return;
                continue;
            }
            hub_.apply(*moved, alert_hub::change::updated);
        }
        if (rung.times == 0)
            continue;
        auto count = [id, rung](store::database& db) {
            return store::record_notified(db, id, rung.recipients, now(), rung.times);
        };
        auto notified =
            co_await writer_->run<store::request_record>(std::move(count), store::writer::lane::ongoing);
        if (!notified) {
            if (storage_failed(id, rung, notified.error()))
                co_return;
            continue;
        }
        if (std::exchange(renotify_failing_, false))
            spdlog::info("renotify: records stored again");
        hub_.apply(*notified, alert_hub::change::recorded);
    }
}

} // namespace ask
