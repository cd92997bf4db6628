// The store-thread half of an escalation: a decision computed from the committed request and recorded
// (the ladder's new position, one event per step, the texts kept until sent), for the escalator to carry
// out on the I/O thread (escalator.hpp).
#pragma once

#include "server/app/escalator.hpp"
#include "server/engine/escalation_policy.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <set>
#include <string>

namespace ask {

/// The store-thread half of one escalation decision about request `id` (escalator::tick, by the clock, and
/// escalator::escalate_by_hand, with `by_hand`): computes it from the committed request and records it.
/// Runs inside a store job. errc::not_found: the request is not open, or by hand of another office;
/// errc::conflict: by hand, with no step configured for its priority.
/// `closed_until`: the next opening of the request's office while it is closed (application::availability);
/// `after_hours_phone`: the office's after-hours duty phone ("" when it has none), texted as the ladder
/// is moved to the opening, in the same commit as the move, so a job that failed, or a restart before it,
/// leaves the move and the text for the next tick. Texted once per request, opening, priority and count
/// of presses: a give-back moves it again without a second text, and a press (the resident still needs
/// help, and may already have been left waiting; engine::keeps_ladder_on_repeat) is news. `connected`: by the
/// clock, who had a dashboard open as the tick began (pass_on_from_unreached); nullptr by hand, and in askd's
/// first reconnect_grace_seconds.
store::result<escalator::outcome> decide_and_record(store::database& db, std::int64_t id,
                                                    const engine::escalation_policy& policy,
                                                    protocol::millis now, const store::staff_record* by_hand,
                                                    std::optional<protocol::millis> closed_until,
                                                    const std::string& after_hours_phone,
                                                    const std::set<std::int64_t>* connected);

/// The store-thread half of escalator::pressed_again: request `id`, taken and not yet contacted, was pressed
/// again while its office is closed until `opens_at`; its after-hours phone is texted so (once per count of
/// presses and opening, as decide_and_record texts it of a waiting request), the text kept and its
/// `notified` event recorded in one commit. Nothing when that phone was told so already. errc::not_found:
/// the request is no longer open and taken.
store::result<escalator::outcome> after_hours_press_recorded(store::database& db, std::int64_t id,
                                                             protocol::millis opens_at,
                                                             const std::string& after_hours_phone,
                                                             protocol::millis now);

} // namespace ask
