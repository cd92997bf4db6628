// A ladder step due by the clock that reaches nobody (no dashboard of its people open, no phone for its
// texts) does not hold the ladder up: the next step fires with it (escalator's pass_on_from_unreached).
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <fmt/format.h>

namespace ask::test {
namespace {

// Normal requests: the coordinators' dashboards after `first_after` seconds, then `then` after ten
// minutes. Steps are judged once askd has run `grace` seconds (reconnect_grace_seconds).
std::string ladder(int grace, int first_after, const std::string& then) {
    return fmt::format(R"(
[alerts]
renotify_seconds = 60
reconnect_grace_seconds = {}

[escalation.normal]
steps = [
  {{ after_seconds = {}, who = "coordinators", how = ["dashboard"] }},
  {{ after_seconds = 600, {} }},
]
)",
                       grace, first_after, then);
}

// Everyone's dashboards, in the tests but the two below.
const std::string everyone = R"(who = "all_staff", how = ["dashboard"])";

class unreached_step : public office_fixture {
  protected:
    explicit unreached_step(const std::string& toml = ladder(1, 2, everyone)) : office_fixture(toml) {}

    void SetUp() override {
        askd.add_staff("cecylia", "Cecylia", staff_password, "coordinator");
        office_fixture::SetUp();
    }

    /// The `escalated` events of request `id`, by step number.
    std::map<std::int64_t, boost::json::object> escalations(std::int64_t id) {
        auto r = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                          login(port(), "anna", staff_password));
        EXPECT_EQ(r.status, 200) << r.body;
        std::map<std::int64_t, boost::json::object> out;
        if (r.status != 200)
            return out;
        auto body = r.json();
        for (const auto& e : body.at("events").as_array())
            if (e.at("kind") == "escalated")
                out[e.at("detail").at("step").as_int64()] = e.at("detail").as_object();
        return out;
    }
};

bool alert_for(const boost::json::object& m, std::int64_t id) {
    return m.at("alert").as_object().at("id").as_int64() == id;
}

// Cecylia, the only coordinator, has no dashboard open: the first step reaches nobody, so everyone's
// step comes at once rather than ten minutes later, and Anna, off duty (not rung by the press), is
// alerted. The history and the log say the first step reached nobody.
TEST_F(unreached_step, a_step_that_reaches_nobody_passes_the_ladder_on_at_once) {
    auto anna = dashboard("anna", false);
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    EXPECT_TRUE(anna->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); })) << askd.log();
    auto steps = escalations(id);
    ASSERT_EQ(steps.size(), 2u) << askd.log();
    EXPECT_EQ(steps[1].at("reached_nobody"), true) << boost::json::serialize(steps[1]);
    EXPECT_EQ(steps[1].at("next_step_at_once"), true) << boost::json::serialize(steps[1]);
    EXPECT_FALSE(steps[2].contains("reached_nobody")) << boost::json::serialize(steps[2]);
    EXPECT_EQ(steps[1].at("reached"), 0) << boost::json::serialize(steps[1]);
    EXPECT_EQ(steps[2].at("reached"), 1) << "of everyone, only Anna has a dashboard open\n"
                                         << boost::json::serialize(steps[2]);
    EXPECT_NE(askd.log().find("step 1 (coordinators) reached nobody"), std::string::npos) << askd.log();
}

// With Cecylia's dashboard open the first step reaches her, and everyone's waits for its time.
TEST_F(unreached_step, a_step_that_reaches_someone_leaves_the_next_to_its_time) {
    auto cecylia = dashboard("cecylia", false);
    auto anna = dashboard("anna", false);
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    EXPECT_TRUE(cecylia->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); })) << askd.log();
    EXPECT_FALSE(anna->next_of("alert", 1500ms, [&](const auto& m) { return alert_for(m, id); }));
    auto steps = escalations(id);
    ASSERT_EQ(steps.size(), 1u) << askd.log();
    EXPECT_FALSE(steps[1].contains("reached_nobody")) << boost::json::serialize(steps[1]);
    EXPECT_EQ(steps[1].at("reached"), 1) << "Cecylia\n" << boost::json::serialize(steps[1]);
}

// Just started, with the dashboards of before a restart maybe not back yet (reconnect_grace_seconds: 60 s,
// as by default): no step counts as reaching nobody, and each keeps its time.
class unreached_step_just_started : public unreached_step {
  protected:
    unreached_step_just_started() : unreached_step(ladder(60, 1, everyone)) {}
};

TEST_F(unreached_step_just_started, no_step_counts_as_reaching_nobody_while_dashboards_may_come_back) {
    auto anna = dashboard("anna", false);
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    EXPECT_FALSE(anna->next_of("alert", 3s, [&](const auto& m) { return alert_for(m, id); }));
    auto steps = escalations(id);
    ASSERT_EQ(steps.size(), 1u) << askd.log();
    EXPECT_FALSE(steps[1].contains("reached_nobody")) << boost::json::serialize(steps[1]);
    EXPECT_FALSE(steps[1].contains("reached")) << "who has a dashboard open is not judged yet\n"
                                               << boost::json::serialize(steps[1]);
}

// The step after the coordinators' texts them, and Cecylia has no phone: no later step reaches anyone
// now, so none is brought forward (it would reach nobody either); the first is still said to reach nobody.
class unreached_step_and_nobody_after : public unreached_step {
  protected:
    unreached_step_and_nobody_after()
        : unreached_step(ladder(1, 2, R"(who = "coordinators", how = ["sms"])")) {}
};

TEST_F(unreached_step_and_nobody_after, leaves_the_next_step_to_its_time) {
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(eventually([&] { return escalations(id).size() == 1; }, 5s)) << askd.log();
    std::this_thread::sleep_for(1500ms);
    auto steps = escalations(id);
    ASSERT_EQ(steps.size(), 1u) << askd.log();
    EXPECT_EQ(steps[1].at("reached_nobody"), true) << boost::json::serialize(steps[1]);
    EXPECT_FALSE(steps[1].contains("next_step_at_once")) << boost::json::serialize(steps[1]);
}

// A catch-up: the ladder's decisions fail for a while (a trigger refuses its records, as a failing store
// would), and the first that goes through fires the first run's last step (everyone's) and the second
// run's first (the coordinators', which reaches nobody now) together. Everyone's step of the second run is
// not brought forward: everyone was alerted in the same decision. It keeps its time.
class unreached_step_in_a_catch_up : public unreached_step {
  protected:
    unreached_step_in_a_catch_up()
        : unreached_step(R"(
[alerts]
renotify_seconds = 60
reconnect_grace_seconds = 1

[escalation.normal]
repeat = 1
repeat_after_seconds = 1
steps = [
  { after_seconds = 1, who = "coordinators", how = ["dashboard"] },
  { after_seconds = 6, who = "all_staff", how = ["dashboard"] },
]
)") {}
};

TEST_F(unreached_step_in_a_catch_up, leaves_a_step_fired_in_the_same_decision_to_its_time) {
    auto cecylia = dashboard("cecylia", false);
    auto anna = dashboard("anna", false);
    auto id = std::to_string(id_of(press(maria, "normal", "Proszę o telefon").json()));
    // Each escalation of the request: run, step, whether the next came at once, ms after the press.
    auto fired = [&] {
        db_probe db(askd.db_path());
        return db.rows("SELECT json_extract(e.detail, '$.run'), json_extract(e.detail, '$.step'), "
                       "json_extract(e.detail, '$.reached_nobody') IS NOT NULL, "
                       "json_extract(e.detail, '$.next_step_at_once') IS NOT NULL, e.at - r.created_at "
                       "FROM request_events AS e JOIN requests AS r ON r.id = e.request_id "
                       "WHERE e.request_id = ?1 AND e.kind = 'escalated' ORDER BY e.id",
                       id);
    };
    ASSERT_TRUE(eventually([&] { return fired().size() == 1; }, 4s)) << askd.log();
    change_the_file(askd.db_path(),
                    "CREATE TRIGGER hold_the_ladder BEFORE INSERT ON request_events "
                    "WHEN NEW.kind = 'escalated' BEGIN SELECT RAISE(ABORT, 'held by the test'); END");
    cecylia.reset();
    // The second run's first step is due 8 s after the press (a run is 6 + 1 s); its second, 13 s after.
    auto since_press = [&] {
        db_probe db(askd.db_path());
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        return now - std::stoll(db.rows("SELECT created_at FROM requests WHERE id = ?1", id).at(0).at(0));
    };
    std::this_thread::sleep_for(std::chrono::milliseconds(std::max<std::int64_t>(0, 8500 - since_press())));
    ASSERT_EQ(fired().size(), 1u) << "the trigger did not hold the ladder\n" << askd.log();
    change_the_file(askd.db_path(), "DROP TRIGGER hold_the_ladder");

    ASSERT_TRUE(eventually([&] { return fired().size() >= 3; }, 3s)) << askd.log();
    auto caught_up = fired();
    ASSERT_EQ(caught_up.size(), 3u) << askd.log();
    EXPECT_EQ(caught_up[1][0] + "/" + caught_up[1][1], "1/2") << "the first run's everyone";
    EXPECT_EQ(caught_up[2][0] + "/" + caught_up[2][1], "2/1") << "the second run's coordinators";
    EXPECT_EQ(caught_up[2][2], "1") << "Cecylia's dashboard is closed: it reached nobody";
    EXPECT_EQ(caught_up[2][3], "0") << "everyone's step, fired in the same decision, was brought forward";
    EXPECT_EQ(caught_up[1][4], caught_up[2][4]) << "not one decision";

    ASSERT_TRUE(eventually([&] { return fired().size() == 4; }, 7s)) << askd.log();
    auto last = fired().back();
    EXPECT_EQ(last[0] + "/" + last[1], "2/2");
    EXPECT_GE(std::stoll(last[4]), 13000) << "the second run's everyone came before its time";
}

// Taken and then left (no contact within ack_timeout_seconds, 2 s here): the reminder goes to whoever took
// it. When they cannot get it (no dashboard open, no phone) the coordinators hear at once, as a ladder
// step that would reach nobody passes on, rather than a timeout later.
class unreached_reminder : public unreached_step {
  protected:
    unreached_reminder()
        : unreached_step(R"(
[alerts]
renotify_seconds = 60
reconnect_grace_seconds = 1

[escalation.normal]
ack_timeout_seconds = 2
steps = [{ after_seconds = 600, who = "all_staff", how = ["dashboard"] }]
)") {}

    /// Anna takes Maria's new request on her dashboard: its id.
    std::int64_t anna_takes(ws_client& anna) {
        auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
        EXPECT_TRUE(anna.next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }));
        anna.send(boost::json::object{{"type", "ack"}, {"id", id}});
        EXPECT_TRUE(anna.next_of("ok", 2s)) << askd.log();
        return id;
    }

    /// The detail of request `id`'s `nth` ack_timeout event, from 0 (an empty object while there is none).
    boost::json::object first_reminder(std::int64_t id, std::size_t nth = 0) {
        auto r = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                          login(port(), "cecylia", staff_password));
        if (r.status != 200)
            return {};
        auto body = r.json();
        for (const auto& e : body.at("events").as_array())
            if (e.at("kind") == "ack_timeout" && nth-- == 0)
                return e.at("detail").as_object();
        return {};
    }
};

TEST_F(unreached_reminder, a_holder_who_cannot_be_reminded_brings_the_coordinators_in_at_once) {
    auto cecylia = dashboard("cecylia", false);
    auto anna = dashboard("anna");
    auto id = anna_takes(*anna);
    anna.reset(); // Anna's laptop closed; she has no phone
    EXPECT_TRUE(cecylia->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); }))
        << "the coordinator was not told at the first timeout\n"
        << askd.log();
    auto detail = first_reminder(id);
    EXPECT_EQ(detail["stage"], 1) << boost::json::serialize(detail);
    EXPECT_EQ(detail["who"], "coordinators") << boost::json::serialize(detail);
    EXPECT_EQ(detail["acknowledger_unreachable"], true) << boost::json::serialize(detail);
    EXPECT_EQ(detail["reached"], 1) << "Cecylia's dashboard\n" << boost::json::serialize(detail);
    EXPECT_NE(askd.log().find(
                  "its holder has no dashboard open and no phone: the reminder goes to the coordinators"),
              std::string::npos)
        << askd.log();
}

// Neither the holder nor the one coordinator can get the reminder (no dashboard open, no phone), nor anyone
// on duty: Bob, off duty with his dashboard open, hears at once, as a ladder step that would reach nobody
// passes on to the next.
TEST_F(unreached_reminder, coordinators_who_cannot_be_reached_bring_everyone_else_in_at_once) {
    auto bob = dashboard("bob", false);
    auto anna = dashboard("anna");
    auto id = anna_takes(*anna);
    anna.reset(); // Anna's laptop closed; she has no phone, nor has Cecylia, whose dashboard is not open
    EXPECT_TRUE(bob->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); }))
        << "nobody who could hear was told at the first timeout\n"
        << askd.log();
    auto detail = first_reminder(id);
    EXPECT_EQ(detail["stage"], 1) << boost::json::serialize(detail);
    EXPECT_EQ(detail["who"], "all_staff") << boost::json::serialize(detail);
    EXPECT_EQ(detail["acknowledger_unreachable"], true) << boost::json::serialize(detail);
    EXPECT_EQ(detail["coordinators_unreachable"], true) << boost::json::serialize(detail);
    EXPECT_EQ(detail["reached"], 1) << "Bob's dashboard\n" << boost::json::serialize(detail);
    EXPECT_FALSE(detail.contains("reached_nobody")) << boost::json::serialize(detail);
}

// The same, with Bob on duty: those on duty hear, not everyone (whose phones would be texted off duty too).
TEST_F(unreached_reminder, coordinators_who_cannot_be_reached_bring_those_on_duty_in_first) {
    auto bob = dashboard("bob", true);
    auto anna = dashboard("anna");
    auto id = anna_takes(*anna);
    ASSERT_TRUE(bob->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }))
        << "the press rings Bob, who is on duty";
    anna.reset();
    EXPECT_TRUE(bob->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); }))
        << "the reminder did not ring Bob\n"
        << askd.log();
    ASSERT_TRUE(eventually([&] { return !first_reminder(id).empty(); }, 2s)) << askd.log();
    auto detail = first_reminder(id);
    EXPECT_EQ(detail["who"], "on_duty") << boost::json::serialize(detail);
    EXPECT_EQ(detail["coordinators_unreachable"], true) << boost::json::serialize(detail);
    EXPECT_EQ(detail["reached"], 1) << boost::json::serialize(detail);
}

// Overdue, and nobody but the holder can get it: the holder is reminded again rather than nobody.
TEST_F(unreached_reminder, an_overdue_reminder_nobody_else_can_get_goes_to_the_holder_again) {
    auto anna = dashboard("anna");
    auto id = anna_takes(*anna);
    ASSERT_TRUE(eventually([&] { return !first_reminder(id, 1).empty(); }, 6s)) << askd.log();
    auto overdue = first_reminder(id, 1);
    EXPECT_EQ(overdue["who"], "acknowledger") << boost::json::serialize(overdue);
    EXPECT_EQ(overdue["reached"], 1) << "Anna's dashboard\n" << boost::json::serialize(overdue);
    EXPECT_FALSE(overdue.contains("reached_nobody")) << boost::json::serialize(overdue);
    EXPECT_FALSE(overdue.contains("coordinators_unreachable")) << boost::json::serialize(overdue);
    EXPECT_EQ(overdue["nobody_else_reachable"], true) << boost::json::serialize(overdue);
}

TEST_F(unreached_reminder, a_holder_with_a_dashboard_open_is_reminded_first) {
    auto cecylia = dashboard("cecylia", false);
    auto anna = dashboard("anna");
    auto id = anna_takes(*anna);
    EXPECT_TRUE(anna->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); })) << askd.log();
    ASSERT_TRUE(eventually([&] { return !first_reminder(id).empty(); }, 2s)) << askd.log();
    auto detail = first_reminder(id);
    EXPECT_EQ(detail["who"], "acknowledger") << boost::json::serialize(detail);
    EXPECT_FALSE(detail.contains("acknowledger_unreachable")) << boost::json::serialize(detail);
    EXPECT_EQ(detail["reached"], 1) << boost::json::serialize(detail);
    EXPECT_FALSE(cecylia->next_of("alert", 500ms, [&](const auto& m) { return alert_for(m, id); }))
        << "the coordinator heard before the second timeout";
}

} // namespace
} // namespace ask::test
