#include "server/sms/flood_guard.hpp"

namespace ask::sms {

bool flood_guard::allows(const std::string& phone, protocol::millis now) {
    auto it = numbers_.find(phone);
    if (it == numbers_.end())
        return true;
    auto& times = it->second.times;
    while (!times.empty() && now - times.front() >= window_)
        times.pop_front();
    return static_cast<int>(times.size()) < per_window_;
}

void flood_guard::count(const std::string& phone, protocol::millis now) {
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
    times.push_back(now);
}

} // namespace ask::sms
