// What the record of who was shown a resident's card (store/resident_views.hpp) still has to store.
// I/O thread only.
//
// Contract:
//  - note() is called for every message with a resident's card that a staff member's dashboard is
//    sent: a ring, a quiet update, the snapshot as it connects. The card goes out first and is
//    recorded after: an alert never waits for bookkeeping.
//  - A staff member, resident and UTC day make one record, so note() remembers what it noted today
//    and costs a hash lookup for every later card of that day. It remembers at most max_noted pairs
//    and forgets them all past that (a flood of texts from new numbers): a card noted twice is stored
//    twice, and the store keeps the first (store::record_views), so only the store's work grows.
//  - What was noted waits here until the upkeep loop stores it (take(), within a second). A batch
//    that could not be stored is given back and tried again, so a full or stalled disk loses nothing
//    while it lasts, up to max_waiting records; past that the newest are dropped, counted in lost()
//    and forgotten as noted, so the next card of that day is noted again. A crash loses what waited.
#pragma once

#include "server/store/resident_views.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <unordered_set>
#include <utility>
#include <vector>

namespace ask {

class view_log {
  public:
    static constexpr std::size_t max_waiting = 100'000;
    static constexpr std::size_t max_noted = 200'000;

    void note(std::int64_t staff_id, std::int64_t resident_id, protocol::millis now);

    bool any_waiting() const { return !waiting_.empty(); }
    std::size_t waiting() const { return waiting_.size(); }
    /// Records dropped since start because max_waiting waited (a store that failed for long).
    std::uint64_t lost() const { return lost_; }

    /// Up to `most` waiting records, oldest first, to be stored.
    std::vector<store::resident_view> take(std::size_t most);
    /// A batch from take() that could not be stored: it waits again, ahead of what came since.
    void give_back(std::vector<store::resident_view> batch);

    struct key {
        std::int64_t staff_id;
        std::int64_t resident_id;
        bool operator==(const key&) const = default;
    };
    struct key_hash {
        std::size_t operator()(const key& k) const noexcept {
            return std::hash<std::int64_t>{}(k.staff_id * 1'000'003 ^ k.resident_id);
        }
    };
    using noted_set = std::unordered_set<key, key_hash>;
    /// The pairs forgotten at the turn of the UTC day or past max_noted, for the caller to free where it
    /// holds up no delivery (up to max_noted nodes: milliseconds). Empty when there are none.
    noted_set take_retired() { return std::exchange(retired_, {}); }

  private:
    /// Drops the newest records past max_waiting.
    void trim();
    /// Forgets every pair noted: handed to retired_ unless a set waits there still, else freed here.
    void forget_noted();

    std::int64_t day_ = -1;                         ///< the UTC day noted_today_ is of
    noted_set noted_today_;                         ///< noted on day_, stored or waiting
    noted_set retired_;                             ///< forgotten, not yet taken by take_retired()
    std::deque<store::resident_view> waiting_;
    std::uint64_t lost_ = 0;
};

} // namespace ask
