// A ladder step due by the clock that reaches nobody (no dashboard of its people open, no phone for its
// texts) does not hold the ladder up: the next step fires with it (escalator's pass_on_from_unreached).
#include "tests/integration/office_fixture.hpp"

namespace ask::test {
namespace {

// Normal requests: the coordinators' dashboards after 1 s, then everyone's after ten minutes.
class unreached_step : public office_fixture {
  protected:
    unreached_step()
        : office_fixture(R"(
[alerts]
renotify_seconds = 60

[escalation.normal]
steps = [
  { after_seconds = 1, who = "coordinators", how = ["dashboard"] },
  { after_seconds = 600, who = "all_staff", how = ["dashboard"] },
]
)") {}

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
    EXPECT_FALSE(steps[2].contains("reached_nobody")) << boost::json::serialize(steps[2]);
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
}

} // namespace
} // namespace ask::test
