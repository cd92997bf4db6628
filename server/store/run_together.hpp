// Many store jobs submitted at once, their results awaited together.
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
#include <optional>
#include <vector>

namespace ask::store {

/// Submits every job of `jobs` (each `job(database&) -> result<T>`) on `how`, in order, then waits
/// for all of them. The results come in the order of `jobs`, each after its group's commit (contract
/// 2); a job the queue refused has errc::unavailable, as with writer::run. Call from a coroutine on
/// one thread's executor: the results are delivered there.
template <class T, class Job>
net::awaitable<std::vector<result<T>>> run_together(writer& w, std::vector<Job> jobs, writer::lane how) {
    struct state {
        state(const net::any_io_executor& ex, std::size_t n)
            : all_done(ex, net::steady_timer::time_point::max()), results(n), pending(n) {}
        net::steady_timer all_done; ///< cancelled by the last result in
        std::vector<std::optional<result<T>>> results;
        std::size_t pending;
    };
    auto ex = co_await net::this_coro::executor;
    auto s = std::make_shared<state>(ex, jobs.size());
    for (std::size_t i = 0; i < jobs.size(); ++i) {
        auto in = net::bind_executor(ex, [s, i](result<T> r) {
            s->results[i].emplace(std::move(r));
            if (--s->pending == 0)
                s->all_done.cancel();
        });
        w.async_run<T>(std::move(jobs[i]), std::move(in), how);
    }
    // One thread: no result is delivered before this coroutine suspends on the wait.
    while (s->pending > 0)
        co_await s->all_done.async_wait(as_result);
    std::vector<result<T>> out;
    out.reserve(s->results.size());
    for (auto& r : s->results)
        out.push_back(std::move(*r));
    co_return out;
}

} // namespace ask::store
