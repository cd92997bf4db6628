// Starting long-lived coroutines. Never `detached`: on Boost 1.81 it swallows the
// exception, and a loop that dies silently is a missed alert. This handler logs it.
#pragma once

#include "server/net.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <string>

namespace ask {

template <class Executor, class Awaitable>
void spawn(Executor&& ex, Awaitable&& task, std::string what) {
    net::co_spawn(std::forward<Executor>(ex), std::forward<Awaitable>(task), [what = std::move(what)](std::exception_ptr e) {
        if (!e)
            return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& error) {
            spdlog::error("{} ended by an exception: {}", what, error.what());
        }
    });
}

} // namespace ask
