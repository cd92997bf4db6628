#include "server/app/password_checks.hpp"

#include "server/auth/secrets.hpp"

#include <exception>

namespace ask {

net::awaitable<bool> password_checks::verify(std::string password, std::string hash, bool known) {
    if (busy_) {
        if (!known && unknown_.size() >= max_unknown_waiting) {
            net::steady_timer pause(io_, last_took_);
            co_await pause.async_wait(as_result);
            co_return false;
        }
        net::steady_timer turn(io_, std::chrono::steady_clock::time_point::max());
        auto& lane = known ? known_ : unknown_;
        lane.push_back(&turn);
        co_await turn.async_wait(as_result); // next_turn() cancels it, leaving busy_ set for this check
    }
    busy_ = true;
    auto began = std::chrono::steady_clock::now();
    bool ok = false;
    std::exception_ptr failed; // the turn is handed on either way
    try {
        ok = co_await net::co_spawn(
            cpu_, [&]() -> net::awaitable<bool> { co_return auth::verify_password(password, hash); },
            net::use_awaitable);
    } catch (...) {
        failed = std::current_exception();
    }
    last_took_ = std::chrono::steady_clock::now() - began;
    next_turn();
    if (failed)
        std::rethrow_exception(failed);
    co_return ok;
}

void password_checks::next_turn() {
    auto& lane = known_.empty() ? unknown_ : known_;
    if (lane.empty()) {
        busy_ = false;
        return;
    }
    lane.front()->cancel();
    lane.pop_front();
}

} // namespace ask
