#include "server/sms/flood_guard.hpp"

namespace ask::sms {

flood_guard::entry& flood_guard::touch(const std::string& phone) {
    auto it = numbers_.find(phone);
    if (it != numbers_.end()) {
        by_age_.splice(by_age_.begin(), by_age_, it->second.age);
        return it->second;
    }
    // Forget the least recently seen number with nothing at work (one with a place held must be
    // found again by settle()); when every tracked number has texts at work, track one more.
    if (numbers_.size() >= max_numbers_) {
        for (auto old = by_age_.rbegin(); old != by_age_.rend(); ++old) {
            auto found = numbers_.find(*old);
            if (found->second.held == 0) {
                numbers_.erase(found);
                by_age_.erase(std::next(old).base());
                break;
            }
        }
    }
    by_age_.push_front(phone);
    return numbers_.emplace(phone, entry{{}, 0, by_age_.begin()}).first->second;
}

bool flood_guard::reserve(const std::string& phone, protocol::millis now) {
    auto& e = touch(phone);
    while (!e.times.empty() && now - e.times.front() >= window_)
        e.times.pop_front();
    if (static_cast<int>(e.times.size()) + e.held >= per_window_)
        return false;
    ++e.held;
    return true;
}

void flood_guard::settle(const std::string& phone, protocol::millis now, bool stored) {
    auto it = numbers_.find(phone);
    if (it == numbers_.end())
        return; // not reserved
    auto& e = it->second;
    if (e.held > 0)
        --e.held;
    if (stored)
        e.times.push_back(now);
}

} // namespace ask::sms
