// Waiting for an answer with a deadline, without abandoning the work behind it.
//
// A press or an action that waits for the store must not leave its client waiting without end
// when the disk stalls, nor be cut off halfway: the request may be committed a moment later, and
// then its alerts must still go out. So the work runs to its end as a coroutine of its own, and
// the caller stops waiting for it at the deadline: it answers "not confirmed" while the work goes
// on, and what the work returns afterwards is dropped (an exception is logged, as spawn() does).
#pragma once

#include "server/net.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

namespace ask {

struct finished {}; ///< what finish_within returns for work of type void

/// Runs `work` on the caller's executor and waits at most `limit` for it. nullopt: the limit came
/// first (the work goes on). An exception from the work before the limit is rethrown here.
template <class T>
net::awaitable<std::optional<std::conditional_t<std::is_void_v<T>, finished, T>>>
finish_within(net::awaitable<T> work, std::chrono::steady_clock::duration limit, std::string what) {
    using value = std::conditional_t<std::is_void_v<T>, finished, T>;
    struct state {
        explicit state(const net::any_io_executor& ex) : timer(ex) {}
        net::steady_timer timer;
        std::optional<value> result;
        std::exception_ptr error;
        bool done = false;      ///< the work has ended
        bool abandoned = false; ///< the caller stopped waiting
    };
    auto ex = co_await net::this_coro::executor;
    auto s = std::make_shared<state>(ex);
    s->timer.expires_after(limit);
    auto ended = [s, what = std::move(what)](std::exception_ptr e, auto&&... v) {
        s->done = true;
        if (e && s->abandoned) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& error) {
                spdlog::error("{} ended by an exception: {}", what, error.what());
            } catch (...) {
                spdlog::error("{} ended by an exception", what);
            }
        }
        if (e)
            s->error = e;
        else if constexpr (sizeof...(v) == 0)
            s->result.emplace();
        else
            s->result.emplace(std::move(v)...);
        s->timer.cancel();
    };
    net::co_spawn(ex, std::move(work), std::move(ended));
    if (!s->done) // one thread: nothing ends the work between this test and the wait
        co_await s->timer.async_wait(as_result);
    if (!s->done) {
        s->abandoned = true;
        co_return std::nullopt;
    }
    if (s->error)
        std::rethrow_exception(s->error);
    co_return std::move(s->result);
}

} // namespace ask
