// The parts of long texts that arrived and wait for the rest (a provider such as Vonage delivers
// each part as its own webhook; gateways/sms_parts.hpp joins them). Persist, then acknowledge: a
// part is saved before the provider is told it arrived. A group is forgotten, and the message id
// of each of its parts recorded as seen (inbound_sms), only once its text was stored as a request
// or a reply: a stop in between delivers the text again (its message id makes that a retry), and a
// provider's retry of a part already delivered changes nothing. All functions run on the store thread.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace ask::store {

using protocol::millis;

/// One part; a group is the parts with the same provider, sender and part_ref.
struct text_part {
    std::string provider;
    std::string sender;
    std::string part_ref;
    int index = 1; ///< 1-based
    int total = 1; ///< as the group's first saved part announced
    std::string message_id;
    std::string recipient;
    std::string text;
    millis received_at = 0;
};

struct held_part {
    enum class kind {
        saved,       ///< held until the rest arrives (a retried part keeps the first copy)
        seen_before, ///< its text was delivered already: nothing to do
        complete,    ///< this was the last missing part: `group` has them all, in index order
        other_total  ///< its total disagrees with its group's: not part of it (a text of its own)
    } what = kind::saved;
    std::vector<text_part> group;
};

/// Saves a part of a long text (`received_at` is when it arrived).
result<held_part> hold_part(database&, const text_part&);

/// What part_groups_due found.
struct parts_due {
    std::vector<std::vector<text_part>> groups; ///< to deliver now, each in index order, oldest first
    std::size_t waiting = 0;                    ///< groups not yet due: still waiting for parts
};

/// The groups to deliver at `now`: complete ones (a stop came between a group's last part and its
/// delivery), those whose first part came more than `wait` ago, and all but the newest `max_groups`
/// (a bound on how many texts wait for parts).
result<parts_due> part_groups_due(database&, millis now, millis wait, std::size_t max_groups);

/// After the text joined from `delivered` was stored: those parts are forgotten and their message
/// ids recorded as seen. A part of their group that arrived meanwhile stays, to be delivered later.
result<void> forget_delivered_parts(database&, const std::vector<text_part>& delivered, millis now);

} // namespace ask::store
