// askd's answers to texts it received (a staff member's "12a", a START), kept in a commit after the
// text's action's until the provider has answered for them (sms/kept_replies.hpp). One still kept as askd
// starts was cut off by a stop or a crash, and is sent then. A crash between the action's commit and the
// answer's own, or a store failing the answer's, still loses it. An answer that says who has its request
// ("przyjęto…", "ma już X") is kept with that member, so that one read back once they no longer hold it is
// known to say what is no longer so.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

struct unsent_reply {
    std::int64_t id = 0; ///< set by keep_reply
    std::int64_t office_id = 0;
    std::optional<std::int64_t> staff_id; ///< the member answered; nullopt: a number that sent START
    std::string phone;                    ///< E.164
    std::int64_t request_id = 0;          ///< the request it is about (of `office_id`); 0: none
    std::string text;
    std::string send_key; ///< the text's key (gateways/text_key.hpp): set by whoever keeps it
    protocol::millis decided_at = 0;
    /// The text says this member has the request: it holds only while they do. nullopt: it says no such
    /// thing (and for an answer kept before schema v15).
    std::optional<std::int64_t> taken_by;
    bool staff_gone = false; ///< read only: the member's account is disabled or has no phone now
    /// Read only: `taken_by` no longer has the request (given back, taken by another, closed or cancelled).
    bool no_longer_true = false;
};

/// What keep_reply kept: the row's id, and the request the answer is about: 0 when `reply.request_id`
/// names no request of the answer's office (none, one that never was, another office's), so that another
/// office's request never has the answer in its history.
struct kept_reply {
    std::int64_t id = 0;
    std::int64_t request_id = 0;
};

/// Keeps `reply` (its id is ignored).
result<kept_reply> keep_reply(database&, const unsent_reply& reply);

/// Forgets a kept answer.
result<void> forget_reply(database&, std::int64_t id);

/// Every kept answer, oldest first, with a member's phone as it is now, `staff_gone` read from the staff
/// table and `no_longer_true` from the requests table.
result<std::vector<unsent_reply>> unsent_replies(database&);

/// One kept answer as unsent_replies reads it, or nullopt once it is gone (with its request or member).
result<std::optional<unsent_reply>> unsent_reply_now(database&, std::int64_t id);

} // namespace ask::store
