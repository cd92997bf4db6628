// Texts to staff phones, and to an office's after-hours phone, that a ladder or a member's escalation
// decided (app/escalator.cpp): each is kept in the commit that records the decision and forgotten once
// the provider has taken it, refused it for good, or it stopped being true. One still kept as askd starts
// is not known to have been taken (askd stopped or died while it was being sent or tried again, or
// before it was forgotten) and is sent again if it is still true (escalator::resume_texts). So such a
// text goes out at least once. Its kept key makes SMSGate and SMSAPI refuse the repeat of one they took;
// through Twilio or Vonage it may arrive more than once, which a staff phone can bear better than a
// coordinator who never hears of a request.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

enum class staff_text_kind {
    step,        ///< a ladder step: the request waits to be taken
    follow_up,   ///< an ack follow-up: the request is taken and its resident not yet contacted
    by_hand,     ///< a member brought the next step forward, whatever the request's state
    after_hours, ///< to the office's after-hours phone: the request waits while the office is closed
};

struct unsent_staff_text {
    std::int64_t id = 0; ///< set by keep_staff_text
    std::int64_t request_id = 0;
    std::optional<std::int64_t> staff_id; ///< nullopt: the office's after-hours phone
    std::string phone;                    ///< E.164, as decided
    staff_text_kind kind = staff_text_kind::step;
    protocol::request_state decided_in = protocol::request_state::notifying; ///< the request's state then
    std::optional<std::int64_t> held_by; ///< who had taken the request then (none: nobody)
    std::string situation;               ///< what the text says of the request: "czeka na przyjęcie"…
    bool staff_gone = false; ///< read only: the member's account is disabled or removed, or has no phone now
    /// A reply from `phone` is taken as a staff reply about the request (store::staff_by_phone finds a member
    /// of its office), so the text may offer the reply codes. Always for a member's text; for the after-hours
    /// phone only when it is an enabled member's of that office: from any other number "12a" would be taken
    /// for a resident's text, a new request. Read by unsent_staff_texts; set by whoever keeps the text.
    bool replies_taken = true;
    std::string send_key; ///< the text's key (gateways/text_key.hpp): set by whoever keeps it
};

/// Keeps `text` (its id is ignored) and returns the id it got. Part of the decision's transaction.
result<std::int64_t> keep_staff_text(database&, const unsent_staff_text& text, protocol::millis now);

/// Forgets a kept text.
result<void> forget_staff_text(database&, std::int64_t id);

/// Every kept text, oldest first, with a member's phone as it is now and `staff_gone` read from the staff
/// table.
result<std::vector<unsent_staff_text>> unsent_staff_texts(database&);

/// One kept text as `unsent_staff_texts` reads it: a try made later goes to the member's number as it is
/// now, and to no one once the account is disabled or removed or its phone cleared. nullopt: forgotten.
result<std::optional<unsent_staff_text>> unsent_staff_text_now(database&, std::int64_t id);

} // namespace ask::store
