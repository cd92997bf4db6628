// The sign-ins of live WebSocket connections, so that a change made beside the serving askd by an
// askd command (store/account_changes.hpp: a staff member disabled or given a new password, a
// resident given a new link or removed) ends the connections it takes the right from within seconds:
// a dashboard of someone who has left must stop receiving residents' details, and a lost link must stop
// working, not at their next reconnect. I/O thread only.
//
// Contract:
//  - Each live connection is registered with the hash of the token it signed in with, and a way to
//    end it; it unregisters as it closes.
//  - Each second the upkeep loop gives due() the store's data_version, as the store thread last read
//    it (store::writer contract 7: no job). Only when another connection has committed (or a check is
//    owed) does it take the sign-ins to check (to_check) and ask the store which have lapsed, in
//    batches of store jobs; end_lapsed() then ends those connections. Expiry alone is not
//    watched: a dashboard whose session expires is closed at the next check, or sooner by the
//    dashboard's own requests, which the API refuses.
//  - A sign-in looked up before a change but registered after its check began (the handshake was in
//    between) would slip past that check: add() is given changes_seen() as read before the lookup,
//    and owes a check when it has moved since.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace ask {

class sign_in_watch {
  public:
    enum class kind { staff_session, resident_token };
    struct sign_in {
        kind of;
        std::string token_hash;
    };

    /// A live connection (`key`, its address) signed in as `who`; `end` closes it.
    void add(const void* key, sign_in who, std::function<void()> end,
             std::uint64_t changes_seen_before_lookup);
    void remove(const void* key);
    std::size_t size() const { return live_.size(); }

    /// How many changes from outside have been noticed since start.
    std::uint64_t changes_seen() const { return changes_seen_; }

    /// Given the store's data_version (store/sign_in_check.hpp): whether the sign-ins are due a check,
    /// because it changed since the last call, a check is owed, or connections are live with no version
    /// noted before them.
    bool due(std::int64_t data_version);
    /// The distinct token hashes of this kind, live now.
    std::vector<std::string> to_check(kind) const;
    /// Ends every live connection signed in with one of these hashes of this kind; returns how many.
    std::size_t end_lapsed(kind, const std::vector<std::string>& token_hashes);
    /// A check could not be finished (the store failed): the next pass checks again.
    void owe_check() { check_owed_ = true; }

  private:
    struct entry {
        sign_in who;
        std::function<void()> end;
    };
    std::unordered_map<const void*, entry> live_;
    std::optional<std::int64_t> data_version_;
    std::uint64_t changes_seen_ = 0;
    bool check_owed_ = false;
};

} // namespace ask
