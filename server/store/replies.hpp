// askd's answers to texts it received (a staff member's "12a", a START), kept from the commit after the
// text's action until the provider has answered for them (sms/kept_replies.hpp). One still kept as askd
// starts was cut off by a stop or a crash, and is sent then: so an answer goes out at least once, while a
// crash between the action's commit and the answer's own is still the one moment that loses it.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ask::store {

struct unsent_reply {
    std::int64_t id = 0; ///< set by keep_reply
    std::int64_t office_id = 0;
    std::string phone;           ///< E.164
    std::int64_t request_id = 0; ///< the request it is about; 0: none
    std::string text;
    protocol::millis decided_at = 0;
};

/// Keeps `reply` (its id is ignored) and returns the id it got.
result<std::int64_t> keep_reply(database&, const unsent_reply& reply);

/// Forgets a kept answer.
result<void> forget_reply(database&, std::int64_t id);

/// Every kept answer, oldest first.
result<std::vector<unsent_reply>> unsent_replies(database&);

} // namespace ask::store
