// The sign-ins of live WebSocket connections, so that a change made beside the serving askd by an
// askd command (store/account_changes.hpp: a staff member disabled or given a new password, a
// resident given a new link or removed) ends the connections it takes the right from within seconds:
// a dashboard of someone who has left must stop receiving residents' details, and a lost link must stop
// working, not at their next reconnect. I/O thread only.
//
// Contract:
//  - Each live connection is registered with who it signed in as, and a way to end it; it
//    unregisters as it closes. A staff member's is their id and the account's count of ended sign-ins,
//    read with the session: it lapses when the account is disabled or the count has moved since
//    (store::staff_access). A count, not a time, so a clock stepped back cannot make a fresh sign-in
//    look older than a change. A resident's is the hash of their token: it lapses when no resident has it.
//  - Each second the upkeep loop gives due() the store's data_version, as the store thread last read
//    it (store::writer contract 7: no job). Only when another connection has committed (or a check is
//    owed) does it take the sign-ins to check and ask the store, in batches of store jobs; the
//    end_lapsed functions then end those connections.
//  - A sign-in looked up before a change but registered after its check began (the handshake was in
//    between) would slip past that check: add() is given changes_seen() as read before the lookup,
//    and owes a check when it has moved since.
//  - A staff member who signs out ends one session, not the account's: end_session() ends the live
//    connections signed in with that session at once (askd made the change itself, so no check of the
//    store's data_version would see it). A connection whose session was looked up before a sign-out
//    and registers after it (the handshake was in between) is refused by add(): each staff sign-in
//    carries sign_outs() as read before its lookup, and the latest sign-outs are kept to compare with.
#pragma once

#include "server/store/sign_in_check.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

namespace ask {

class sign_in_watch {
  public:
    struct staff_sign_in {
        std::int64_t staff_id;
        std::int64_t sign_ins_ended; ///< the account's count, read in the lookup of the sign-in
        std::string session_hash;    ///< the SHA-256 of the session token it signed in with
        std::uint64_t sign_outs_seen; ///< sign_outs() as read before that lookup
    };
    struct resident_sign_in {
        std::string token_hash;
    };
    using sign_in = std::variant<staff_sign_in, resident_sign_in>;

    /// A live connection (`key`, its address) signed in as `who`; `end` closes it. False, and nothing
    /// registered, for a staff sign-in whose session has been signed out since it was looked up (also
    /// when that was so many sign-outs ago that they are no longer kept: it cannot be told, and a
    /// dashboard asked to sign in again is safer than one left open after its session ended).
    bool add(const void* key, sign_in who, std::function<void()> end,
             std::uint64_t changes_seen_before_lookup);
    void remove(const void* key);
    std::size_t size() const { return live_.size(); }

    /// How many changes from outside have been noticed since start.
    std::uint64_t changes_seen() const { return changes_seen_; }

    /// Given the store's data_version (store/sign_in_check.hpp): whether the sign-ins are due a check,
    /// because it changed since the last call, a check is owed, or connections are live with no version
    /// noted before them.
    bool due(std::int64_t data_version);
    /// The distinct staff ids and residents' token hashes live now.
    std::vector<std::int64_t> staff_to_check() const;
    std::vector<std::string> resident_tokens_to_check() const;
    /// Ends the live connections of the staff in `checked` whose sign-in `access` no longer allows (an
    /// id missing from it has no account); returns how many.
    std::size_t end_lapsed_staff(const std::vector<std::int64_t>& checked,
                                 const std::vector<store::staff_access>& access);
    /// Ends every live connection signed in with one of these residents' token hashes; returns how many.
    std::size_t end_lapsed_residents(const std::vector<std::string>& token_hashes);
    /// How many stored sessions end_session() has ended since start.
    std::uint64_t sign_outs() const { return sign_outs_; }
    /// The session with this hash was signed out: ends the live connections signed in with it, no other;
    /// returns how many. `stored`: its store row was there (and is now deleted): only such a sign-out is
    /// kept for add(), since a handshake's lookup of a session the store did not have fails by itself,
    /// and sign-outs with made-up tokens (anyone may post them) must not push real ones out.
    std::size_t end_session(const std::string& session_hash, bool stored);

    /// A check could not be finished (the store failed): the next pass checks again.
    void owe_check() { check_owed_ = true; }
    /// A check is owed: a sign-in may be live that no check has judged yet.
    bool check_owed() const { return check_owed_; }

  private:
    struct entry {
        sign_in who;
        std::function<void()> end;
    };
    /// Ends every live connection `lapsed` picks; collected first, as ending one may unregister it.
    std::size_t end_where(const std::function<bool(const sign_in&)>& lapsed);

    /// Whether `staff`'s session is among those signed out since its sign_outs_seen.
    bool signed_out_since_lookup(const staff_sign_in& staff) const;

    /// How many recent sign-outs are kept for add(): a handshake takes seconds, and an office signs out
    /// a few times an hour.
    static constexpr std::size_t kept_sign_outs = 1024;

    std::unordered_map<const void*, entry> live_;
    std::deque<std::string> signed_out_; ///< the hashes of the latest sign-outs, oldest first
    std::uint64_t sign_outs_ = 0;
    std::optional<std::int64_t> data_version_;
    std::uint64_t changes_seen_ = 0;
    bool check_owed_ = false;
};

} // namespace ask
