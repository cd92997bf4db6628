#include "server/app/application.hpp"

#include "server/app/open_store.hpp"
#include "server/app/spawn.hpp"

#include <spdlog/spdlog.h>

#include <chrono>

namespace ask {

application::application(net::io_context& ioc, config cfg)
    : ioc_(ioc), cfg_(std::move(cfg)), hub_(&application::now), tick_(ioc) {
    auto db = open_store(cfg_);
    auto open = value_or_throw(store::open_requests(db), "cannot load open requests");
    spdlog::info("store: {} ({} open requests)", cfg_.db_path, open.size());
    hub_.load(std::move(open));
    writer_ = std::make_unique<store::writer>(std::move(db), store::writer::options{cfg_.group_commit_max});
}

application::~application() { stop(); }

protocol::millis application::now() { return wall_clock_ms(); }

void application::start() { spawn(ioc_, renotify_loop(), "renotify loop"); }

void application::stop() {
    if (stopping_)
        return;
    stopping_ = true;
    tick_.cancel();
    cpu_.join();
    writer_->stop();
}

// Like Redis's serverCron: one periodic duty, here re-pushing every unacknowledged
// request to on-duty staff every `renotify` interval and keeping queued/notifying honest.
net::awaitable<void> application::renotify_loop() {
    while (!stopping_) {
        tick_.expires_after(std::chrono::seconds(1));
        co_await tick_.async_wait(as_result); // cancelled only by stop()
        if (stopping_)
            break;
        co_await renotify_due();
    }
}

net::awaitable<void> application::renotify_due() {
    auto interval = std::chrono::duration_cast<std::chrono::milliseconds>(cfg_.renotify).count();
    for (auto id : hub_.take_due(now(), interval)) {
        const auto* r = hub_.find(id);
        if (!r)
            continue;
        int reachable = hub_.reachable_staff(r->office_id);
        bool queued = r->view.state != protocol::request_state::notifying;
        if (reachable > 0 && queued) {
            auto announce = [id, reachable](store::database& db) { return store::set_notifying(db, id, true, reachable, now()); };
            auto moved = co_await writer_->run<store::request_record>(std::move(announce));
            if (moved)
                hub_.apply(*moved, alert_hub::change::updated);
        } else if (reachable == 0 && !queued) {
            // Nobody reachable when it was due again: the resident must not believe staff are being alerted.
            auto withdraw = [id](store::database& db) { return store::set_notifying(db, id, false, 0, now()); };
            auto moved = co_await writer_->run<store::request_record>(std::move(withdraw));
            if (moved)
                hub_.apply(*moved, alert_hub::change::updated);
        }
        if (reachable == 0)
            continue;
        auto count = [id, reachable](store::database& db) { return store::record_notified(db, id, reachable, now()); };
        auto notified = co_await writer_->run<store::request_record>(std::move(count));
        if (notified)
            hub_.apply(*notified, alert_hub::change::renotified);
        else
            spdlog::warn("renotify: request {} not recorded: {}", id, notified.error().message());
    }
}

} // namespace ask
