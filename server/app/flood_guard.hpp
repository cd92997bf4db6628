// How many items from one key (a phone number, a resident's token) are stored per window; what is
// done past it is the caller's rule (sms::receive_text for texts, press_guard for presses). A phone
// stuck resending, a stuck button or someone flooding must not bury the queue; their first items
// already made or raised the request.
// Only stored items count: a try the store refused, and a retry of an item already stored, use none
// of the allowance, so an item retried through a storage outage is not dropped once the storage is
// back. Items at work hold a place (reserve, then settle), so a burst that arrives before the first
// of it is stored is held to the allowance too.
// Bounded: at most `max_keys` keys are tracked, the least recently seen forgotten first (never one
// with items at work); a key with nothing stored in its window and nothing at work is forgotten as
// soon as it settles, so keys that never store anything (a token nobody has) push out no other.
#pragma once

#include "protocol/types.hpp"

#include <deque>
#include <list>
#include <string>
#include <unordered_map>

namespace ask {

class flood_guard {
  public:
    flood_guard(int per_window, protocol::millis window, std::size_t max_keys = 10000)
        : per_window_(per_window), window_(window), max_keys_(max_keys) {}

    /// Holds a place for an item from `key` that is about to be stored; false (and nothing held)
    /// when its stored items in the window ending at `now` and the places held use the allowance.
    bool reserve(const std::string& key, protocol::millis now);
    /// Gives back a place reserve() held: counted in the window from `now` when the item was stored
    /// (it made or raised a request), freed when it was refused or found already stored.
    void settle(const std::string& key, protocol::millis now, bool stored);
    /// When reserve() for `key` would next find room, as seen at `now` (`now` itself when it would
    /// now): the moment enough of its stored items have left the window. Places still held count as
    /// if stored at `now` (they may be), so it is never earlier than the truth and never more than a
    /// window away.
    protocol::millis room_at(const std::string& key, protocol::millis now) const;
    protocol::millis window() const { return window_; }

  private:
    struct entry {
        std::deque<protocol::millis> times; ///< stored items in the window
        int held = 0;                       ///< places reserved and not settled yet
        std::list<std::string>::iterator age;
    };
    entry& touch(const std::string& key);
    int per_window_;
    protocol::millis window_;
    std::size_t max_keys_;
    std::unordered_map<std::string, entry> keys_;
    std::list<std::string> by_age_; ///< most recently seen at the front
};

} // namespace ask
