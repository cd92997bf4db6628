// askd's answers to texts it received (a staff member's "12a", a START), each kept in the store before
// it is handed to the provider (store/replies.hpp), so a stop or a crash while it is being sent does not
// lose it: it goes out as askd starts again.
#pragma once

#include "server/store/replies.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask {
class application;
}

namespace ask::sms {

/// In the background (the provider's webhook was already answered): keeps the answer to `staff_id` (none:
/// a number that sent START) about `request_id` (0: none; one not of `office_id` is kept and sent about
/// none: store::keep_reply), sends it, and forgets it once the provider took it or refused it for good.
/// `says_taken_by`: the answer says this member has the request ("przyjęto…" with whom to call, "ma już X"),
/// which holds only while they do. A try that failed through every attempt and the failover is made again as
/// a ladder's text is (sms/retry_pauses.hpp: 5, 10, 20, 40 s, then every minute) while the answer is under an
/// hour old: the answer to "12a" carries the number to call back. Before each later try the answer is read
/// again: it goes to the member's number as it is then, and not at all once its request or the member is
/// gone, the account disabled or without a phone, or, for one that says who has the request, once they no
/// longer do (given back, taken by another, closed: "taken, call Jan" after it was given back would
/// mislead). Other answers say what was done, which stays true. A stop leaves it kept, and it is sent again
/// as askd starts, under the key it was kept with (gateways/text_key.hpp). One that cannot be kept (the store
/// failing) is still sent, at most once, and about no request.
void send_answer(application& app, std::int64_t office_id, std::optional<std::int64_t> staff_id,
                 std::string phone, std::string text, std::int64_t request_id = 0,
                 std::optional<std::int64_t> says_taken_by = std::nullopt);

/// As askd starts: sends the answers a stop or a crash cut off, a member's to the number they have now, and
/// forgets, unsent, those decided more than an hour before (that late, "taken" or "closed" would confuse
/// more than it tells), those to a member whose account is disabled or has no phone now, and those that
/// say who has the request when they no longer do.
void resume_answers(application& app, std::vector<store::unsent_reply> kept);

} // namespace ask::sms
