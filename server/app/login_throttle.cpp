#include "server/app/login_throttle.hpp"

#include <iterator>

namespace ask {

bool login_throttle::allowed(const std::string& username, protocol::millis now) const {
    auto it = records_.find(username);
    return it == records_.end() || it->second.failures < max_failures || now - it->second.first >= window;
}

void login_throttle::failed(const std::string& username, protocol::millis now) {
    if (records_.size() >= max_tracked) {
        std::erase_if(records_, [&](const auto& entry) { return now - entry.second.first >= window; });
        if (records_.size() >= max_tracked)
            records_.erase(records_.begin());
    }
    auto& r = records_[username];
    if (r.failures == 0 || now - r.first >= window)
        r = {0, now};
    ++r.failures;
}

void login_throttle::succeeded(const std::string& username) { records_.erase(username); }

} // namespace ask
