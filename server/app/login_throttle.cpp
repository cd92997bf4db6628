#include "server/app/login_throttle.hpp"

#include <algorithm>
#include <iterator>

namespace ask {

bool login_throttle::begin(const std::string& username, protocol::millis now) {
    if (records_.size() >= max_tracked && !records_.contains(username)) {
        std::erase_if(records_, [&](const auto& entry) { return now - entry.second.first >= window; });
        if (records_.size() >= max_tracked)
            records_.erase(records_.begin());
    }
    auto& r = records_[username];
    if (now - r.first >= window)
        r = {0, 0, now};
    if (r.failures + r.checking >= max_failures)
        return false;
    ++r.checking;
    return true;
}

int login_throttle::retry_after_seconds(const std::string& username, protocol::millis now) const {
    auto it = records_.find(username);
    protocol::millis wait = it == records_.end() ? 0 : it->second.first + window - now;
    return static_cast<int>(std::clamp<protocol::millis>((wait + 999) / 1000, 1, window / 1000));
}

void login_throttle::failed(const std::string& username, protocol::millis now) {
    auto& r = records_[username];
    if (r.checking > 0)
        --r.checking;
    if (now - r.first >= window)
        r = {0, r.checking, now};
    ++r.failures;
}

void login_throttle::succeeded(const std::string& username) {
    end_check(username, true);
}

void login_throttle::abandoned(const std::string& username) {
    end_check(username, false);
}

void login_throttle::end_check(const std::string& username, bool forget_failures) {
    auto it = records_.find(username);
    if (it == records_.end())
        return;
    auto& r = it->second;
    if (r.checking > 0)
        --r.checking;
    if (forget_failures)
        r.failures = 0;
    if (r.failures == 0 && r.checking == 0)
        records_.erase(it);
}

} // namespace ask
