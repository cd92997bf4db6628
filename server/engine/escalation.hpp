// The escalation engine: a pure function from a request's ladder position, the policy and
// the time to what must happen now. The periodic loop (app/escalation_loop) persists each
// decision (new position plus events) in one transaction before anyone is alerted, so after
// a restart the ladder resumes at the step it reached: nothing is skipped or repeated.
#pragma once

#include "server/engine/escalation_policy.hpp"

#include <optional>
#include <vector>

namespace ask::engine {

/// Where a request stands on its ladder; persisted with the request.
struct ladder_position {
    /// When the current ladder began: created, repeated, released, or moved to the office's
    /// opening while it is closed; for a taken request, when its ack-timeout follow-ups began
    /// (acknowledged, or pressed again since). Moved back when the wall clock was (decide()): then
    /// `now` less the runs already done, which may be before the request was made.
    millis started_at = 0;
    int cycle = 0;         ///< which run of the ladder (0 = the first)
    int next_step = 0;     ///< index of the next step to fire in this run
    int ack_reminders = 0; ///< 0: none; 1: acknowledger reminded; n ≥ 2: escalated as overdue, the last time
                           ///< after n ack_timeouts
    bool operator==(const ladder_position&) const = default;
};

/// What decide() needs to know about a request.
struct escalation_input {
    protocol::request_state state = protocol::request_state::queued;
    protocol::priority level = protocol::priority::normal;
    ladder_position position;
    std::optional<millis> acknowledged_at;
    /// Set while the request's office is closed: when it next opens (its calendar).
    std::optional<millis> closed_until;
};

struct step_firing {
    int cycle = 0;
    int step = 0;
};

enum class ack_followup {
    none,
    remind_acknowledger, ///< acknowledged, not contacted within ack_timeout (of the ack or a later press):
                         ///< alert the acknowledger again
    escalate_overdue ///< still not contacted after twice ack_timeout, and after each further one: alert the
                     ///< coordinators
};

struct decision {
    std::vector<step_firing> fire; ///< steps to carry out now, in order (each step at most once)
    ack_followup followup = ack_followup::none;
    ladder_position next;          ///< the position to persist with them
    std::optional<millis> waits_until; ///< the ladder was moved to start at the office's opening
    bool restarted = false; ///< the ladder's clock was moved back to `now` (see decide()): persist `next`
    /// The ack-timeout follow-ups counted more timeouts than have passed (ack_timeout_seconds made longer, or
    /// the wall clock stepped back): `next` counts them again from what has passed, keeping the stage
    /// reached (at most 2); persist it.
    bool recounted = false;

    bool empty() const {
        return fire.empty() && followup == ack_followup::none && !waits_until && !restarted && !recounted;
    }
};

/// Decides what is due at `now`.
///  - Waiting for acknowledgement: every step whose time has come in the current run fires
///    once, in order; runs move on after their pause, up to `repeat` further runs. After a
///    long gap (downtime, a clock jump forward) the steps not yet fired fire once each and the
///    ladder jumps to the run `now` falls in: no step is skipped and none fires in a burst.
///    A run that would start after `now` (the wall clock was stepped back, or the office opened
///    before the opening the ladder waited for) is moved to start at `now` (restarted), nothing
///    fired: the wait for the next step is its own delay, not the clock's step too. While the
///    office is closed the ladder waits for it to open: a ladder that did not start at the opening
///    moves to start there, from its first step (waits_until), so nobody's phone is texted through the
///    night and the whole ladder is there for the office when it opens. That move is made for
///    every request waiting, pressed while closed or still waiting when the office closed, and
///    even with no steps for its priority; once per start of its ladder (a press that restarts
///    it, or a give-back, starts it again): the escalator tells the resident as it records it,
///    and texts the after-hours phone the first time for that opening and priority.
///  - Acknowledged, not contacted: the ack-timeout follow-ups, each once, whether the office is
///    open or not: the resident was told someone will contact them, so a taker who forgot is
///    reminded even after closing time ("acked and forgotten", domain.md promise 4). Their clock,
///    too, is moved to `now` (restarted) when it would start after it.
///  - Anything else: nothing.
/// A policy changed under an open request applies from the request's current position; a
/// position beyond the new ladder's end simply has nothing more to fire.
decision decide(const escalation_input&, const escalation_policy&, millis now);

/// Whether a waiting request its resident pressed again ("I still need help") keeps its ladder
/// where it is (true) or starts it again from the first step at the press (false). `in` is the
/// request before the press. A request that was already urgent, and whose ladder still has a
/// step to come, keeps it: each press rings the dashboards again at once anyway, and starting
/// over would put the next step (the texts) off by a whole delay at every press, so a resident
/// pressing again and again would hold back the help they ask for. A request raised to urgent by
/// the press starts the urgent ladder; one whose ladder is spent starts it again. So does one parked
/// for its office's opening (its ladder starts after `now`): no step comes before the opening either
/// way, and the escalator parks it again, which is when the after-hours phone hears of the press.
bool keeps_ladder_on_repeat(const escalation_input& in, const escalation_policy&, millis now);

/// The step a member of staff escalating by hand brings forward: the next one in this run,
/// or the last one when the run is over; nullopt when the ladder has no steps.
std::optional<step_firing> manual_step(const escalation_input&, const escalation_policy&);

} // namespace ask::engine
