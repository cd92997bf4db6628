// Many store jobs submitted at once, each result handled as it arrives, all of them awaited.
//
// The writer commits the jobs waiting when it wakes in one group (writer.hpp, contract 3). A caller
// that awaits each job before submitting the next gets a commit, and a round trip between the
// threads, per job; one that submits them all first gets a commit per group. For work that is
// already many independent jobs (an escalation tick with thousands of requests due after a flood).
#pragma once

#include "server/net.hpp"
#include "server/store/writer.hpp"

#include <cstddef>
#include <memory>
#include <utility>
#include <vector>

namespace ask::store {

/// Submits every job of `jobs` (each `job(database&) -> result<T>`) on `how`, in order, and returns once
/// all have completed. `each(i, result<T>&&)` is called with the result of `jobs[i]` inside that job's
/// completion handler, on the calling coroutine's executor (one thread): so, as with a job awaited on
/// its own, the result of a committed job is handled before any job committed after it is heard of
/// (contract 2), and what `each` does with a request as committed (alert_hub::apply) stays in commit
/// order. A job the queue refused comes first, with errc::unavailable. `each` must not throw.
template <class T, class Job, class Each>
net::awaitable<void> run_together(writer& w, std::vector<Job> jobs, writer::lane how, Each each) {
    struct state {
        state(const net::any_io_executor& ex, std::size_t n, Each e)
            : all_done(ex, net::steady_timer::time_point::max()), pending(n), each(std::move(e)) {}
        net::steady_timer all_done; ///< cancelled by the last result in
        std::size_t pending;
        Each each;
    };
    auto ex = co_await net::this_coro::executor;
    auto s = std::make_shared<state>(ex, jobs.size(), std::move(each));
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        auto in = net::bind_executor(ex, [s, i](result<T> r) {
            s->each(i, std::move(r));
            if (--s->pending == 0)
                s->all_done.cancel();
        });
        w.async_run<T>(std::move(jobs[i]), std::move(in), how);
    }
    // One thread: no result is handled before this coroutine suspends on the wait.
    while (s->pending > 0)
        co_await s->all_done.async_wait(as_result);
}

} // namespace ask::store
