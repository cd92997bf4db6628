// How many texts from one number are stored per window as they come; past it a text is stored only
// when it is a new call for help (sms::receive_text decides). A phone stuck resending (or someone
// flooding) must not bury the queue; its first texts already made or raised its request.
// Only stored texts count: a try the store refused, and a provider's retry of a text already
// stored, use none of the allowance, so a text retried through a storage outage is not dropped
// once the storage is back. Texts at work hold a place (reserve, then settle), so a burst that
// arrives before the first of it is stored is held to the allowance too.
// Bounded: at most `max_numbers` numbers are tracked, the least recently seen forgotten first
// (never one with texts at work).
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

    /// Holds a place for a text from `phone` that is about to be stored; false (and nothing held)
    /// when its stored texts in the window ending at `now` and the places held use the allowance.
    bool reserve(const std::string& phone, protocol::millis now);
    /// Gives back a place reserve() held: counted in the window from `now` when the text made or
    /// raised a request, freed when it was refused or found already stored.
    void settle(const std::string& phone, protocol::millis now, bool stored);

private:
    struct entry {
        std::deque<protocol::millis> times; ///< stored texts in the window
        int held = 0;                       ///< places reserved and not settled yet
        std::list<std::string>::iterator age;
    };
    entry& touch(const std::string& phone);
    int per_window_;
    protocol::millis window_;
    std::size_t max_numbers_;
    std::unordered_map<std::string, entry> numbers_;
    std::list<std::string> by_age_; ///< most recently seen at the front
};

} // namespace ask::sms
