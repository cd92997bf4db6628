// decide(): every transition of the ladder and the ack-timeout follow-ups, with a manual clock.
#include "server/engine/escalation.hpp"

#include <gtest/gtest.h>

namespace ask::engine {
namespace {

using protocol::priority;
using protocol::request_state;

// urgent: SMS to on-duty at 60 s, coordinators at 180 s, all staff at 300 s; two more runs 300 s apart.
escalation_policy policy() { return escalation_policy::defaults(); }

escalation_input waiting(ladder_position pos = {}) {
    escalation_input in;
    in.state = request_state::notifying;
    in.level = priority::urgent;
    in.position = pos;
    return in;
}

std::vector<int> steps_of(const decision& d) {
    std::vector<int> out;
    for (const auto& f : d.fire)
        out.push_back(f.step);
    return out;
}

struct ladder_case {
    const char* name;
    ladder_position at;
    millis now;
    std::vector<int> fires;
    ladder_position next;
};

TEST(escalation_decide, ladder_transitions) {
    const ladder_case cases[] = {
        {"nothing before the first step", {0, 0, 0, 0}, 59'999, {}, {0, 0, 0, 0}},
        {"first step exactly on time", {0, 0, 0, 0}, 60'000, {0}, {0, 0, 1, 0}},
        {"already fired is not repeated", {0, 0, 1, 0}, 61'000, {}, {0, 0, 1, 0}},
        {"second step", {0, 0, 1, 0}, 180'000, {1}, {0, 0, 2, 0}},
        {"two overdue steps fire once each, in order", {0, 0, 0, 0}, 200'000, {0, 1}, {0, 0, 2, 0}},
        {"last step of the run", {0, 0, 2, 0}, 300'000, {2}, {0, 0, 3, 0}},
        {"pause before the next run", {0, 0, 3, 0}, 599'999, {}, {0, 0, 3, 0}},
        {"the next run starts after the pause", {0, 0, 3, 0}, 660'000, {0}, {0, 1, 1, 0}},
        {"the ladder's start moves with a repeat press",
         {1'000'000, 0, 0, 0},
         1'059'999,
         {},
         {1'000'000, 0, 0, 0}},
        {"after the last run nothing more", {0, 2, 3, 0}, 10'000'000, {}, {0, 2, 3, 0}},
        {"clock went back before the start: counts from now",
         {500'000, 0, 0, 0},
         100'000,
         {},
         {100'000, 0, 0, 0}},
        {"clock went back before the run: the run starts now",
         {0, 1, 1, 0},
         200'000,
         {},
         {-400'000, 1, 1, 0}},
        {"a long gap fires each missing step once and lands in the right run",
         {0, 0, 1, 0},
         1'300'000,
         {1, 2, 0},
         {0, 2, 1, 0}},
        {"a position beyond a shortened ladder fires nothing", {0, 0, 7, 0}, 200'000, {}, {0, 0, 3, 0}},
    };
    for (const auto& c : cases) {
        auto d = decide(waiting(c.at), policy(), c.now);
        EXPECT_EQ(steps_of(d), c.fires) << c.name;
        EXPECT_EQ(d.next, c.next) << c.name << ": next = {" << d.next.started_at << "," << d.next.cycle << ","
                                  << d.next.next_step << "}";
        EXPECT_EQ(d.followup, ack_followup::none) << c.name;
    }
}

// A wall clock stepped back by an hour (or an office opening before the opening a ladder waited for)
// costs the next step its own delay, not the hour too; the steps already fired are not fired again.
TEST(escalation_decide, a_clock_stepped_back_holds_the_ladder_up_by_the_next_steps_delay_only) {
    const millis back = 1'000'000 - 3'600'000;
    auto in = waiting({1'000'000, 0, 1, 0}); // step 0 fired; step 1 due at 1'180'000
    auto d = decide(in, policy(), back);
    EXPECT_TRUE(d.restarted);
    EXPECT_FALSE(d.empty()) << "the move must be recorded, or every tick would make it again";
    EXPECT_TRUE(d.fire.empty());
    EXPECT_EQ(d.next, (ladder_position{back, 0, 1, 0}));
    in.position = d.next;
    EXPECT_TRUE(decide(in, policy(), back + 179'999).empty()) << "moved once";
    EXPECT_EQ(steps_of(decide(in, policy(), back + 180'000)), std::vector<int>{1})
        << "step 0 is not repeated";

    auto opened_early = waiting({50'000'000, 0, 0, 0}); // parked for an opening the calendar no longer has
    auto early = decide(opened_early, policy(), 40'000'000);
    EXPECT_EQ(early.next, (ladder_position{40'000'000, 0, 0, 0}));
    opened_early.position = early.next;
    EXPECT_EQ(steps_of(decide(opened_early, policy(), 40'060'000)), std::vector<int>{0});

    auto p = policy();
    p.urgent.steps.clear();
    auto no_steps = waiting({50'000'000, 0, 0, 0});
    auto moved = decide(no_steps, p, 40'000'000);
    EXPECT_EQ(moved.next, (ladder_position{40'000'000, 0, 0, 0}))
        << "with no steps too: a closing before the old opening must park it again";
    no_steps.position = moved.next;
    no_steps.closed_until = 50'000'000;
    EXPECT_TRUE(decide(no_steps, p, 40'100'000).waits_until);

    auto parked = waiting({50'000'000, 0, 0, 0});
    parked.closed_until = 50'000'000;
    EXPECT_TRUE(decide(parked, policy(), back).empty())
        << "a parked ladder waits for the opening, clock or not";
    parked.closed_until = 45'000'000; // the calendar now opens earlier
    EXPECT_EQ(decide(parked, policy(), back).waits_until, std::optional<millis>(45'000'000));
}

TEST(escalation_decide, a_clock_stepped_back_holds_the_follow_ups_up_by_their_timeout_only) {
    const millis timeout = policy().urgent.ack_timeout;
    auto in = waiting({5'000'000, 0, 0, 0});
    in.state = request_state::acknowledged;
    in.acknowledged_at = 5'000'000;
    const millis back = 5'000'000 - 900'000; // 15 min: the clock passes the ack again before the follow-ups
    auto d = decide(in, policy(), back);
    EXPECT_TRUE(d.restarted);
    EXPECT_EQ(d.followup, ack_followup::none);
    EXPECT_EQ(d.next, (ladder_position{back, 0, 0, 0}));
    in.position = d.next;
    EXPECT_TRUE(decide(in, policy(), back + timeout - 1).empty()) << "moved once";
    auto first = decide(in, policy(), back + timeout);
    EXPECT_EQ(first.followup, ack_followup::remind_acknowledger);
    in.position = first.next;
    EXPECT_TRUE(decide(in, policy(), back + 2 * timeout - 1).empty());
    EXPECT_EQ(decide(in, policy(), back + 2 * timeout).followup, ack_followup::escalate_overdue)
        << "counted from the restart, not from the acknowledgement's time";
}

TEST(escalation_decide, only_requests_waiting_for_someone_climb_the_ladder) {
    for (auto state : {request_state::contacted, request_state::resolved, request_state::cancelled}) {
        auto in = waiting();
        in.state = state;
        in.acknowledged_at = 0;
        EXPECT_TRUE(decide(in, policy(), 10'000'000).empty()) << protocol::to_string(state);
    }
    for (auto state : {request_state::received, request_state::queued, request_state::notifying}) {
        auto in = waiting();
        in.state = state;
        EXPECT_EQ(steps_of(decide(in, policy(), 60'000)), std::vector<int>{0}) << protocol::to_string(state);
    }
}

TEST(escalation_decide, an_acknowledgement_during_the_ladder_stops_it) {
    auto in = waiting({0, 0, 1, 0});
    in.state = request_state::acknowledged;
    in.acknowledged_at = 100'000;
    EXPECT_TRUE(decide(in, policy(), 299'000).empty()) << "steps 2 and 3 must not fire once someone has it";
}

TEST(escalation_decide,
     ack_timeout_reminds_the_acknowledger_then_the_coordinators_and_them_again_while_overdue) {
    auto in = waiting({1'000, 0, 0, 0}); // store::acknowledge starts the ladder's clock at the ack
    in.state = request_state::acknowledged;
    in.acknowledged_at = 1'000;
    const millis timeout = policy().urgent.ack_timeout; // 10 min
    EXPECT_TRUE(decide(in, policy(), 1'000 + timeout - 1).empty());
    auto first = decide(in, policy(), 1'000 + timeout);
    EXPECT_EQ(first.followup, ack_followup::remind_acknowledger);
    EXPECT_EQ(first.next.ack_reminders, 1);
    EXPECT_TRUE(first.fire.empty());

    in.position = first.next;
    EXPECT_TRUE(decide(in, policy(), 1'000 + 2 * timeout - 1).empty()) << "reminded once, not every tick";
    auto second = decide(in, policy(), 1'000 + 2 * timeout);
    EXPECT_EQ(second.followup, ack_followup::escalate_overdue);
    EXPECT_EQ(second.next.ack_reminders, 2);

    in.position = second.next;
    EXPECT_TRUE(decide(in, policy(), 1'000 + 3 * timeout - 1).empty());
    auto third = decide(in, policy(), 1'000 + 3 * timeout);
    EXPECT_EQ(third.followup, ack_followup::escalate_overdue) << "taken is not done: overdue again";
    EXPECT_EQ(third.next.ack_reminders, 3);

    in.position = third.next;
    auto after_a_pause = decide(in, policy(), 1'000 + 9 * timeout + 5);
    EXPECT_EQ(after_a_pause.followup, ack_followup::escalate_overdue);
    EXPECT_EQ(after_a_pause.next.ack_reminders, 9) << "one alert catches up, not one per timeout missed";
    in.position = after_a_pause.next;
    EXPECT_TRUE(decide(in, policy(), 1'000 + 10 * timeout - 1).empty());

    in.closed_until = 1'000 + 20 * timeout;
    EXPECT_TRUE(decide(in, policy(), 1'000 + 15 * timeout).empty())
        << "the repeats wait while the office is closed";
    in.closed_until.reset();
    auto at_opening = decide(in, policy(), 1'000 + 20 * timeout);
    EXPECT_EQ(at_opening.followup, ack_followup::escalate_overdue) << "one alert as it opens";
    EXPECT_EQ(at_opening.next.ack_reminders, 20);
}

// Six follow-ups were counted with a shorter ack_timeout_seconds, two of the longer one have passed since the
// take: the count starts again from two, so the next overdue alert comes at the third timeout, not the
// seventh. After a wall clock stepped back past the take (its clock starts again at now), the count goes
// back to the stage reached: the coordinators were alerted, so the next is theirs, not the holder's reminder,
// and it waits while the office is closed.
TEST(escalation_decide, follow_ups_counted_with_a_shorter_timeout_are_counted_again) {
    auto in = waiting({1'000, 0, 0, 6});
    in.state = request_state::acknowledged;
    in.acknowledged_at = 1'000;
    const millis timeout = policy().urgent.ack_timeout;
    auto recount = decide(in, policy(), 1'000 + 2 * timeout + 5);
    EXPECT_TRUE(recount.recounted);
    EXPECT_FALSE(recount.empty()) << "the new count is persisted";
    EXPECT_EQ(recount.followup, ack_followup::none);
    EXPECT_EQ(recount.next.ack_reminders, 2);
    in.position = recount.next;
    EXPECT_TRUE(decide(in, policy(), 1'000 + 3 * timeout - 1).empty());
    auto next = decide(in, policy(), 1'000 + 3 * timeout);
    EXPECT_EQ(next.followup, ack_followup::escalate_overdue);
    EXPECT_EQ(next.next.ack_reminders, 3);

    in.position = next.next;
    auto stepped_back = decide(in, policy(), 500);
    EXPECT_TRUE(stepped_back.restarted);
    in.position = stepped_back.next;
    auto counted_again = decide(in, policy(), 600);
    EXPECT_TRUE(counted_again.recounted);
    EXPECT_EQ(counted_again.next.ack_reminders, 2);
    in.position = counted_again.next;
    EXPECT_TRUE(decide(in, policy(), 700).empty()) << "counted again once, not at every tick";
    EXPECT_TRUE(decide(in, policy(), 500 + timeout).empty()) << "the holder was reminded before the step";
    in.closed_until = 500 + 10 * timeout;
    EXPECT_TRUE(decide(in, policy(), 500 + 3 * timeout).empty()) << "overdue repeats wait while closed";
    in.closed_until.reset();
    EXPECT_EQ(decide(in, policy(), 500 + 3 * timeout).followup, ack_followup::escalate_overdue);

    auto reminded_only = waiting({1'000, 0, 0, 1});
    reminded_only.state = request_state::acknowledged;
    reminded_only.acknowledged_at = 1'000;
    EXPECT_TRUE(decide(reminded_only, policy(), 1'000 + 5).empty())
        << "one reminder counted, none passed: kept";
}

TEST(escalation_decide, a_press_after_the_acknowledgement_counts_the_follow_ups_from_the_press) {
    const millis pressed = 5'000'000; // store::submit_request: the ladder's clock and reminders restart
    auto in = waiting({pressed, 0, 0, 0});
    in.state = request_state::acknowledged;
    in.acknowledged_at = 1'000; // reminded twice already, long ago
    const millis timeout = policy().urgent.ack_timeout;
    EXPECT_TRUE(decide(in, policy(), pressed + timeout - 1).empty()) << "counted from the acknowledgement";
    EXPECT_EQ(decide(in, policy(), pressed + timeout).followup, ack_followup::remind_acknowledger);
}

TEST(escalation_decide, while_the_office_is_closed_the_ladder_waits_for_the_opening) {
    const millis opens = 50'000'000;
    auto in = waiting({0, 0, 1, 0}); // step 0 fired before closing time
    in.closed_until = opens;
    auto d = decide(in, policy(), 10'000'000);
    EXPECT_TRUE(d.fire.empty()) << "nothing fires through the closed hours";
    ASSERT_TRUE(d.waits_until);
    EXPECT_EQ(*d.waits_until, opens);
    EXPECT_EQ(d.next, (ladder_position{opens, 0, 0, 0})) << "the whole ladder, from the opening";
    EXPECT_FALSE(d.empty()) << "the move must be recorded";

    in.position = d.next;
    EXPECT_TRUE(decide(in, policy(), 10'001'000).empty()) << "moved once, not at every tick";
    in.closed_until.reset(); // open now
    EXPECT_TRUE(decide(in, policy(), opens + 59'999).empty());
    EXPECT_EQ(steps_of(decide(in, policy(), opens + 60'000)), std::vector<int>{0});

    auto taken = waiting();
    taken.state = request_state::acknowledged;
    taken.acknowledged_at = 0;
    taken.closed_until = opens;
    EXPECT_EQ(decide(taken, policy(), policy().urgent.ack_timeout).followup, ack_followup::remind_acknowledger)
        << "the follow-ups of a taken request do not wait";
}

TEST(escalation_decide, ack_timeout_zero_is_off_and_normal_has_its_own_ladder) {
    auto p = policy();
    p.urgent.ack_timeout = 0;
    auto in = waiting();
    in.state = request_state::acknowledged;
    in.acknowledged_at = 0;
    EXPECT_TRUE(decide(in, p, 100'000'000).empty());

    auto normal = waiting();
    normal.level = priority::normal;
    EXPECT_TRUE(decide(normal, p, 1'799'999).empty()) << "normal's first step is at 30 min";
    EXPECT_EQ(steps_of(decide(normal, p, 1'800'000)), std::vector<int>{0});
}

// With no dashboard open while the office is open (nobody has started a shift), a ladder of dashboards alone
// would reach nobody: by default a normal request nobody took in 30 minutes also texts the coordinators.
TEST(escalation_defaults, a_normal_request_nobody_took_texts_the_coordinators_after_30_minutes) {
    const auto first = policy().normal.steps.at(0);
    EXPECT_EQ(first.after, 1'800'000);
    EXPECT_EQ(first.who, audience::coordinators);
    EXPECT_TRUE(first.dashboard);
    EXPECT_TRUE(first.sms);
}

TEST(escalation_decide, a_policy_change_applies_from_the_current_position) {
    auto in = waiting({0, 0, 1, 0}); // step 0 fired under the old policy
    auto p = policy();
    p.urgent.steps = {{10'000, audience::on_duty, {}, true, false}, {20'000, audience::named, {"anna"}, false, true}};
    auto d = decide(in, p, 30'000);
    EXPECT_EQ(steps_of(d), std::vector<int>{1}) << "only the new step 1 is still due";
}

TEST(escalation_decide, an_empty_ladder_never_fires) {
    auto p = policy();
    p.urgent.steps.clear();
    EXPECT_TRUE(decide(waiting(), p, 100'000'000).empty());
    EXPECT_FALSE(manual_step(waiting(), p));
}

// The move to the opening is where the after-hours phone and the resident hear of a waiting request
// (app/escalator.hpp), so it is made with no steps too, once per closure, and never for a taken one.
TEST(escalation_decide, a_request_waiting_as_the_office_closes_is_moved_to_the_opening_even_with_no_steps) {
    auto p = policy();
    p.urgent.steps.clear();
    const millis opens = 50'000'000;
    auto in = waiting({1'000, 0, 0, 0}); // pressed while open
    in.closed_until = opens;
    auto d = decide(in, p, 10'000'000);
    EXPECT_TRUE(d.fire.empty());
    ASSERT_TRUE(d.waits_until);
    EXPECT_EQ(*d.waits_until, opens);
    EXPECT_EQ(d.next, (ladder_position{opens, 0, 0, 0}));
    in.position = d.next;
    EXPECT_TRUE(decide(in, p, 10'001'000).empty()) << "once per closure";

    auto spent = waiting({1'000, policy().urgent.repeat + 1, 0, 0}); // every run of the ladder done
    spent.closed_until = opens;
    EXPECT_TRUE(decide(spent, policy(), 10'000'000).waits_until)
        << "a spent ladder waits for the opening too";

    auto taken = waiting({1'000, 0, 0, 0});
    taken.state = request_state::acknowledged;
    taken.closed_until = opens;
    EXPECT_FALSE(decide(taken, policy(), 10'000'000).waits_until) << "someone has it";
}

// A press into a waiting request never puts its next step off: an urgent ladder still climbing
// goes on; a request the press raises to urgent, whose ladder is spent, or parked for the opening,
// starts it again.
TEST(escalation_repeat, an_urgent_ladder_still_climbing_goes_on) {
    EXPECT_TRUE(keeps_ladder_on_repeat(waiting({0, 0, 0, 0}), policy(), 1'000)) << "before its first step";
    EXPECT_TRUE(keeps_ladder_on_repeat(waiting({0, 0, 2, 0}), policy(), 1'000)) << "before its last step";
    EXPECT_TRUE(keeps_ladder_on_repeat(waiting({0, 1, 3, 0}), policy(), 1'000))
        << "in the pause before another run";
    EXPECT_FALSE(keeps_ladder_on_repeat(waiting({0, 2, 3, 0}), policy(), 1'000)) << "every run is over";
    EXPECT_FALSE(keeps_ladder_on_repeat(waiting({0, 3, 0, 0}), policy(), 1'000)) << "beyond the last run";

    auto normal = waiting({0, 0, 0, 0});
    normal.level = priority::normal;
    EXPECT_FALSE(keeps_ladder_on_repeat(normal, policy(), 1'000))
        << "raised to urgent: the urgent ladder starts";
    EXPECT_FALSE(keeps_ladder_on_repeat(waiting({5'000, 0, 0, 0}), policy(), 1'000))
        << "parked for its office's opening: parked again, and the after-hours phone told of the press";

    auto no_runs = policy();
    no_runs.urgent.repeat = 0;
    EXPECT_FALSE(keeps_ladder_on_repeat(waiting({0, 0, 3, 0}), no_runs, 1'000)) << "a single run, over";
    auto empty = policy();
    empty.urgent.steps.clear();
    EXPECT_FALSE(keeps_ladder_on_repeat(waiting(), empty, 1'000));

    auto taken = waiting();
    taken.state = request_state::acknowledged;
    EXPECT_FALSE(keeps_ladder_on_repeat(taken, policy(), 1'000))
        << "not waiting: the store keeps a taken request's";
}

TEST(escalation_manual, brings_the_next_step_forward_or_repeats_the_last) {
    EXPECT_EQ(manual_step(waiting({0, 0, 0, 0}), policy())->step, 0);
    EXPECT_EQ(manual_step(waiting({0, 0, 2, 0}), policy())->step, 2);
    EXPECT_EQ(manual_step(waiting({0, 0, 3, 0}), policy())->step, 2);
}

} // namespace
} // namespace ask::engine
