// How many texts from one number are stored per window. A phone stuck resending (or someone
// flooding) must not bury the queue; its first texts already made or raised its request.
// Only stored texts count: a try the store refused, and a provider's retry of a text already
// stored, use none of the allowance, so a text retried through a storage outage is not dropped
// once the storage is back. (Texts from one number that arrive together, before the first is
// stored, all pass: the allowance can be exceeded by the few in flight at once.)
// Bounded: at most `max_numbers` numbers are tracked, the least recently counted forgotten first.
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

    /// False when `phone` has used its allowance for the window ending at `now`.
    bool allows(const std::string& phone, protocol::millis now);
    /// Counts a text from `phone`, stored at `now`, against its allowance.
    void count(const std::string& phone, protocol::millis now);

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
