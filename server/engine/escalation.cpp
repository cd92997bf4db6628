#include "server/engine/escalation.hpp"

#include <algorithm>

namespace ask::engine {
namespace {

void ack_followups(const escalation_input& in, const ladder_policy& ladder, millis now, decision& d) {
    if (ladder.ack_timeout <= 0 || !in.acknowledged_at)
        return;
    // From the ladder's start: the acknowledgement, or a later press of the resident's
    // (store::acknowledge sets it to the ack, store::submit_request to the press). After `now`, the
    // wall clock was stepped back: the follow-ups then count from now.
    millis since = now - in.position.started_at;
    if (since < 0) {
        d.next.started_at = now;
        d.restarted = true;
        return;
    }
    // The acknowledger after one timeout; the coordinators after two, and again after each further one
    // while nobody has been in touch (taken is not done: domain.md, promise 4). The repeats wait while
    // the office is closed (a request forgotten at closing time does not text everyone all night), and
    // after a pause, closed hours or askd down, one alert catches up, not one for every timeout missed.
    const auto passed = static_cast<int>(std::min<millis>(since / ladder.ack_timeout, 1'000'000));
    // More follow-ups counted than timeouts have passed: ack_timeout_seconds was made longer since (or the
    // clock stepped back). Left so, the next one would come only after as many of the new timeouts as were
    // counted with the old: it comes at the next timeout instead. The stage reached stays (the holder
    // reminded, the coordinators alerted): nobody is alerted again for what they were told, and an overdue
    // request's repeats still wait while the office is closed.
    if (const int recount = std::max(passed, std::min(d.next.ack_reminders, 2));
        recount < d.next.ack_reminders) {
        d.next.ack_reminders = recount;
        d.recounted = true;
        return;
    }
    if (passed <= d.next.ack_reminders || (d.next.ack_reminders >= 2 && in.closed_until))
        return;
    if (d.next.ack_reminders == 0) {
        d.followup = ack_followup::remind_acknowledger;
        d.next.ack_reminders = 1;
    } else {
        d.followup = ack_followup::escalate_overdue;
        d.next.ack_reminders = passed;
    }
}

} // namespace

decision decide(const escalation_input& in, const escalation_policy& policy, millis now) {
    decision d;
    d.next = in.position;
    const auto& ladder = policy.for_priority(in.level);
    if (in.state == protocol::request_state::acknowledged) {
        ack_followups(in, ladder, now, d);
        return d;
    }
    auto& pos = d.next;
    const int steps = static_cast<int>(ladder.steps.size());
    if (!protocol::awaiting_ack(in.state))
        return d;
    // Parked once per start of the ladder, with or without steps: the move is where the after-hours
    // phone and the resident hear that the request waits for the opening (escalator). Parked, it
    // waits: nothing else happens until the office opens.
    if (in.closed_until) {
        if (pos.started_at != *in.closed_until) {
            pos = {*in.closed_until, 0, 0, pos.ack_reminders};
            d.waits_until = *in.closed_until;
        }
        return d;
    }
    const millis cycle = ladder.cycle_length();
    const bool climbing = steps > 0 && pos.cycle <= ladder.repeat;
    const millis into_ladder = climbing ? pos.cycle * cycle : 0; // from the ladder's start to this run's
    if (now < pos.started_at + into_ladder) {
        // The current run starts after `now`: the wall clock was stepped back, or the office opened
        // before the opening the ladder waited for. The run starts now, with the steps already fired
        // kept: its next step comes after its own delay, not after the clock's step too. Moved with
        // no steps as well, so a closing before the old opening parks the request again.
        pos.started_at = now - into_ladder;
        d.restarted = true;
        return d;
    }
    if (!climbing)
        return d;
    if (pos.next_step > steps)
        pos.next_step = steps;
    std::vector<bool> fired(static_cast<std::size_t>(steps), false);
    for (;;) {
        const millis run_start = pos.started_at + pos.cycle * cycle;
        while (pos.next_step < steps && run_start + ladder.steps[static_cast<std::size_t>(pos.next_step)].after <= now) {
            if (!fired[static_cast<std::size_t>(pos.next_step)]) {
                d.fire.push_back({pos.cycle, pos.next_step});
                fired[static_cast<std::size_t>(pos.next_step)] = true;
            }
            ++pos.next_step;
        }
        if (pos.next_step < steps || pos.cycle >= ladder.repeat || cycle <= 0 || now < run_start + cycle)
            return d;
        ++pos.cycle;
        pos.next_step = 0;
    }
}

bool keeps_ladder_on_repeat(const escalation_input& in, const escalation_policy& policy, millis now) {
    if (in.level != protocol::priority::urgent || !protocol::awaiting_ack(in.state) ||
        in.position.started_at > now)
        return false;
    const auto& ladder = policy.for_priority(in.level);
    const int steps = static_cast<int>(ladder.steps.size());
    const auto& pos = in.position;
    if (steps == 0 || pos.cycle > ladder.repeat)
        return false;
    return pos.next_step < steps || (pos.cycle < ladder.repeat && ladder.cycle_length() > 0);
}

std::optional<step_firing> manual_step(const escalation_input& in, const escalation_policy& policy) {
    const auto& ladder = policy.for_priority(in.level);
    const int steps = static_cast<int>(ladder.steps.size());
    if (steps == 0)
        return std::nullopt;
    int step = in.position.next_step < steps ? in.position.next_step : steps - 1;
    return step_firing{in.position.cycle, step};
}

escalation_policy escalation_policy::defaults() {
    escalation_policy p;
    p.urgent.steps = {
        {60'000, audience::on_duty, {}, false, true},
        {180'000, audience::coordinators, {}, true, true},
        {300'000, audience::all_staff, {}, true, true},
    };
    p.urgent.repeat = 2;
    p.urgent.repeat_after = 300'000;
    p.urgent.ack_timeout = 600'000;
    // The coordinators are texted too: with no dashboard open (the office is open, nobody has started a
    // shift), a ladder of dashboards alone would reach nobody, and a normal request would wait unseen.
    p.normal.steps = {
        {1'800'000, audience::coordinators, {}, true, true},
        {7'200'000, audience::all_staff, {}, true, false},
    };
    p.normal.repeat = 0;
    p.normal.repeat_after = 3'600'000;
    p.normal.ack_timeout = 4 * 3'600'000;
    return p;
}

std::string_view to_string(audience a) {
    switch (a) {
    case audience::on_duty: return "on_duty";
    case audience::coordinators: return "coordinators";
    case audience::all_staff: return "all_staff";
    case audience::named: return "named";
    }
    return "on_duty";
}

} // namespace ask::engine
