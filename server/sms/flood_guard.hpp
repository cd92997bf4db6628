// How many texts from one number are stored per window. A phone stuck resending (or someone
// flooding) must not bury the queue; its first texts already made or raised its request.
// Bounded: at most `max_numbers` numbers are tracked, the least recently seen forgotten first.
#pragma once

#include "protocol/types.hpp"

#include <deque>
#include <list>
#include <string>
#include <unordered_map>

namespace ask::sms {

class flood_guard {
public:
    flood_guard(int per_window, protocol::millis window, std::size_t max_numbers = 10000)
        : per_window_(per_window), window_(window), max_numbers_(max_numbers) {}

    /// Records a text from `phone` at `now`; false when the number is over its allowance.
    bool allow(const std::string& phone, protocol::millis now);

private:
    struct entry {
        std::deque<protocol::millis> times;
        std::list<std::string>::iterator age;
    };
    int per_window_;
    protocol::millis window_;
    std::size_t max_numbers_;
    std::unordered_map<std::string, entry> numbers_;
    std::list<std::string> by_age_; ///< most recently seen at the front
};

} // namespace ask::sms
