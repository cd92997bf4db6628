// A limit on how long askd's store may take to finish as it stops.
#pragma once

#include <spdlog/spdlog.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <thread>

namespace ask::cli {

/** Armed as a stop begins, disarmed once the store has finished its commits. Past `limit` it exits the
    process with code 1 from its own thread: a store that cannot finish (a database another process keeps
    locked, a disk that stopped answering) would otherwise hold the exit for ever, the I/O thread waiting in
    the store's stop. Exiting there loses nothing anyone was told: commits are atomic, so every one
    acknowledged is kept, and a job not committed was never said to be saved (its client heard
    not_confirmed, or nothing, and retries). */
class stop_watchdog {
public:
    explicit stop_watchdog(std::chrono::seconds limit) : limit_(limit) {}
    stop_watchdog(const stop_watchdog&) = delete;
    stop_watchdog& operator=(const stop_watchdog&) = delete;
    ~stop_watchdog() { disarm(); }

    void arm() {
        thread_ = std::thread([this] {
            std::unique_lock lock(mutex_);
            if (done_.wait_for(lock, limit_, [this] { return disarmed_; }))
                return;
            spdlog::error(
                "stopping: the store did not finish its commits within {} s (a database another process "
                "keeps locked, or a disk that stopped answering); exiting without them: nothing they "
                "held was confirmed to anyone",
                limit_.count());
            // Flushed, not shut down: the store thread may be logging right now through the same logger.
            spdlog::default_logger()->flush();
            std::_Exit(1);
        });
    }

    void disarm() {
        {
            std::lock_guard lock(mutex_);
            disarmed_ = true;
        }
        done_.notify_one();
        if (thread_.joinable())
            thread_.join();
    }

private:
    std::chrono::seconds limit_;
    std::mutex mutex_;
    std::condition_variable done_;
    bool disarmed_ = false;
    std::thread thread_;
};

} // namespace ask::cli
