#include "server/app/flood_guard.hpp"

#include <algorithm>

namespace ask {

flood_guard::entry& flood_guard::touch(const std::string& key) {
    auto it = keys_.find(key);
    if (it != keys_.end()) {
        by_age_.splice(by_age_.begin(), by_age_, it->second.age);
        return it->second;
    }
    // Forget the least recently seen key with nothing at work (one with a place held must be
    // found again by settle()); when every tracked key has items at work, track one more.
    if (keys_.size() >= max_keys_) {
        for (auto old = by_age_.rbegin(); old != by_age_.rend(); ++old) {
            auto found = keys_.find(*old);
            if (found->second.held == 0) {
                keys_.erase(found);
                by_age_.erase(std::next(old).base());
                break;
            }
        }
    }
    by_age_.push_front(key);
    return keys_.emplace(key, entry{{}, 0, by_age_.begin()}).first->second;
}

bool flood_guard::reserve(const std::string& key, protocol::millis now) {
    auto& e = touch(key);
    // A wall clock stepped back leaves items stored "after" now: they count as stored now, so they leave
    // the window one window from now, not once the clock has caught up with them (maybe hours). The
    // latest are at the back; normally none is after now and this looks at one.
    for (auto t = e.times.rbegin(); t != e.times.rend() && *t > now; ++t)
        *t = now;
    while (!e.times.empty() && now - e.times.front() >= window_)
        e.times.pop_front();
    if (static_cast<int>(e.times.size()) + e.held >= per_window_)
        return false;
    ++e.held;
    return true;
}

void flood_guard::settle(const std::string& key, protocol::millis now, bool stored) {
    auto it = keys_.find(key);
    if (it == keys_.end())
        return; // not reserved
    auto& e = it->second;
    if (e.held > 0)
        --e.held;
    // In order even when the clock stepped back since reserve(): reserve() looks only at the latest.
    if (stored)
        e.times.push_back(e.times.empty() ? now : std::max(now, e.times.back()));
    if (e.times.empty() && e.held == 0) {
        by_age_.erase(e.age);
        keys_.erase(it);
    }
}

protocol::millis flood_guard::room_at(const std::string& key, protocol::millis now) const {
    auto it = keys_.find(key);
    if (it == keys_.end())
        return now;
    const auto& times = it->second.times;
    std::size_t first_live = 0;
    while (first_live < times.size() && now - times[first_live] >= window_)
        ++first_live;
    auto live = static_cast<int>(times.size() - first_live);
    // One more fits once `over + 1` items have left the window: the oldest live ones first.
    int over = live + it->second.held - per_window_;
    if (over < 0)
        return now;
    if (over < live)
        return std::min(times[first_live + static_cast<std::size_t>(over)], now) + window_;
    return now + window_;
}

} // namespace ask
