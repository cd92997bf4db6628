// Holds a store::writer's thread inside one job until release(), so that whatever is submitted
// meanwhile queues up behind it: the next group then takes all of it at once, and the writer
// counts as under load (it ran a group while jobs arrived). Header-only, for the writer's tests.
#pragma once

#include "server/store/writer.hpp"

#include <functional>
#include <future>
#include <memory>

namespace ask::test {

class held_store_thread {
public:
    // Submits the holding job and returns once the store thread is running it. `done` receives
    // its result (0) on `ioc`, after the group it ends is committed.
    held_store_thread(store::writer& w, net::io_context& ioc,
                      std::function<void(store::result<int>)> done) {
        // The job owns what it touches: this object may be gone by the time set_value() returns.
        auto started = std::make_shared<std::promise<void>>();
        auto running = started->get_future();
        w.async_run<int>(
            [started, gate = release_.get_future().share()](store::database&) -> store::result<int> {
                started->set_value();
                gate.wait();
                return 0;
            },
            net::bind_executor(ioc, std::move(done)));
        running.wait();
    }
    // Released on destruction too, so a test that fails early does not leave the thread stuck.
    ~held_store_thread() { release(); }
    held_store_thread(const held_store_thread&) = delete;
    held_store_thread& operator=(const held_store_thread&) = delete;

    void release() {
        if (!released_)
            release_.set_value();
        released_ = true;
    }

private:
    std::promise<void> release_;
    bool released_ = false;
};

} // namespace ask::test
