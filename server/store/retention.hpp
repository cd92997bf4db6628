// Retention (RODO art. 5(1)(e), storage limitation): a closed request and its whole history are
// deleted once `[privacy] keep_closed_days` have passed since it closed (resolved_at; a cancelled
// request, which keeps no closing time of its own, counts from when it was made, so one cancelled after
// being open longer than the period goes at the next upkeep). A placeholder
// resident, made only because an unknown number texted in (unknown_sender), goes with the last of
// their requests, unless they sent STOP: that refusal of texts is kept. Residents the office
// registered stay; removing one is the office's decision, not a matter of age (store::remove_resident). Open
// requests are never touched, and their history stays append-only (migration v7).
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

namespace ask::store {

struct forgotten_requests {
    int requests = 0;        ///< closed requests deleted, each with its events
    int unknown_senders = 0; ///< placeholder residents deleted with their last request
};

/// Deletes up to `batch` requests closed before `closed_before`, oldest first, with their events, and
/// the placeholder residents this leaves without a request. Fewer than `batch` requests: none is left.
result<forgotten_requests> forget_closed_requests(database&, protocol::millis closed_before, int batch);

} // namespace ask::store
