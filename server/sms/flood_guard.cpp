#include "server/sms/flood_guard.hpp"

namespace ask::sms {

bool flood_guard::allow(const std::string& phone, protocol::millis now) {
    auto it = numbers_.find(phone);
    if (it == numbers_.end()) {
        if (numbers_.size() >= max_numbers_) {
            numbers_.erase(by_age_.back());
            by_age_.pop_back();
        }
        by_age_.push_front(phone);
        it = numbers_.emplace(phone, entry{{}, by_age_.begin()}).first;
    } else {
        by_age_.splice(by_age_.begin(), by_age_, it->second.age);
    }
    auto& times = it->second.times;
    while (!times.empty() && now - times.front() >= window_)
        times.pop_front();
    if (static_cast<int>(times.size()) >= per_window_)
        return false;
    times.push_back(now);
    return true;
}

} // namespace ask::sms
