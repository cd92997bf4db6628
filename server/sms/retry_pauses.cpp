#include "server/sms/retry_pauses.hpp"

#include <algorithm>

namespace ask::sms {

std::chrono::seconds retry_pauses::after(int failed_tries) {
    return std::chrono::seconds(failed_tries >= 5 ? 60 : 5 << (std::max(failed_tries, 1) - 1));
}

net::awaitable<bool> retry_pauses::wait(int failed_tries) {
    if (stopped_)
        co_return false;
    auto& pause = waiting_.emplace_back(io_, after(failed_tries));
    auto [cancelled] = co_await pause.async_wait(as_result);
    waiting_.remove_if([&](const net::steady_timer& t) { return &t == &pause; });
    co_return !cancelled && !stopped_;
}

void retry_pauses::stop() {
    stopped_ = true;
    for (auto& pause : waiting_)
        pause.cancel();
}

} // namespace ask::sms
