// The press allowance: how many of a resident's presses (web page, button device; texts have their
// own, sms::receive_text) are stored per window. Every stored press is a commit, and a new request or
// a repeat rings every on-duty dashboard: a stuck button, a bouncing switch, a page script in a loop or
// a hostile token holder sending hundreds a second must not bury staff nor fill the disk.
//  - Presses: every stored press counts, new requests and repeats ("I still need help") alike.
//  - New requests: the presses that made one count again here, on their own. A press that would make
//    a new request (nothing of the resident's is open) needs room here only: repeats never use it up,
//    so someone whose request was closed a moment after a burst of repeats is heard at once, while a
//    press-and-cancel loop still cannot open requests without end.
//  - A retry of a press already stored (its client_request_id) is answered as always and uses nothing.
// Only stored presses count (flood_guard): a press the store refused (an outage) uses nothing, so
// one retried through it is not turned away later. Keyed by the hash of the resident's token: one
// per resident, and known before the store job that finds who has it (a token nobody has stores
// nothing and is forgotten at once). A new link gives a resident a fresh allowance.
// I/O thread only (application owns it).
#pragma once

#include "protocol/types.hpp"
#include "server/app/flood_guard.hpp"
#include "server/store/press_effect.hpp"

#include <cstddef>
#include <string>

namespace ask {

namespace store {
struct insert_result;
}

class press_guard {
  public:
    /// What a press may still be stored as, with a place held for it in each allowance that has room.
    struct room {
        bool repeat = false;      ///< room among the presses: it may be merged into the open request
        bool new_request = false; ///< room among the new requests: it may make one
        /// Room for anything: stored as it comes, with no need to ask what it would do.
        bool any() const { return repeat && new_request; }
        /// Whether a press that would have `effect` may be stored now (a retry always: it stores nothing).
        bool allows(store::press_effect effect) const;
    };

    press_guard(int per_window, protocol::millis window, std::size_t max_residents = 10000)
        : presses_(per_window, window, max_residents), new_requests_(per_window, window, max_residents) {}

    /// Holds places for a press by the resident with this token hash, at `now`. Every reserve() is
    /// followed by one settle() with what it returned.
    room reserve(const std::string& key, protocol::millis now);
    /// Gives back the places `held`: counted from `now` for what the press stored (`stored`: its store
    /// job's result; nullptr when it stored nothing: refused, failed, or past the allowance).
    void settle(const std::string& key, protocol::millis now, const room& held,
                const store::insert_result* stored);
    /// For a press refused at `now` as past the allowance that would have had `effect` (repeat or
    /// create): whole seconds until the allowance that refused it has room again, at least 1 and at
    /// most the window (the Retry-After of its 429). Call it after settle(), places given back.
    int retry_after_seconds(const std::string& key, store::press_effect effect, protocol::millis now) const;

  private:
    flood_guard presses_;      ///< every stored press
    flood_guard new_requests_; ///< the stored presses that made a new request
};

} // namespace ask
