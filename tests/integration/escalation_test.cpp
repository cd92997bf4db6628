// Escalation, duty and office hours against the real askd, with a ladder measured in seconds.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <chrono>
#include <cstdio>
#include <functional>
#include <thread>

namespace ask::test {
namespace {

// Urgent: SMS to on-duty staff after 1 s, coordinators (dashboard + SMS) after 3 s; ack timeout 1 s.
constexpr const char* ladder_toml = R"(
[alerts]
renotify_seconds = 60

[escalation.urgent]
ack_timeout_seconds = 1
repeat = 0
steps = [
  { after_seconds = 1, who = "on_duty", how = ["sms"] },
  { after_seconds = 3, who = "coordinators", how = ["dashboard", "sms"] },
]

[escalation.normal]
ack_timeout_seconds = 600
steps = [{ after_seconds = 600, who = "all_staff", how = ["dashboard"] }]
)";

class escalation : public office_fixture {
protected:
    explicit escalation(const std::string& toml = ladder_toml) : office_fixture(toml) {}

    void SetUp() override {
        cecylia_id = askd.add_staff("cecylia", "Cecylia", staff_password, "coordinator", "+48 600 000 003");
        office_fixture::SetUp();
    }

    std::string token(const std::string& who) { return login(port(), who, staff_password); }

    boost::json::array events(std::int64_t id) {
        auto r = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events", token("cecylia"));
        EXPECT_EQ(r.status, 200) << r.body;
        return r.status == 200 ? r.json().at("events").as_array() : boost::json::array{};
    }

    /// Events of `kind` whose detail has `field` == `value` (any detail when field is empty).
    int count(std::int64_t id, const std::string& kind, const std::string& field = "", std::int64_t value = 0) {
        int n = 0;
        for (const auto& e : events(id)) {
            const auto& o = e.as_object();
            if (o.at("kind").as_string() != kind)
                continue;
            const auto& detail = o.at("detail").as_object();
            n += field.empty() || (detail.contains(field) && detail.at(field).as_int64() == value);
        }
        return n;
    }

    std::int64_t cecylia_id = 0;
};

bool alert_for(const boost::json::object& m, std::int64_t id) {
    return m.at("alert").as_object().at("id").as_int64() == id;
}

TEST_F(escalation, the_ladder_texts_on_duty_staff_then_brings_in_the_coordinators_once_each) {
    auto anna = dashboard("anna");
    auto cecylia = dashboard("cecylia", false); // a coordinator, not on duty: only the ladder reaches her
    auto id = id_of(press(jan, "urgent", "Proszę o pomoc").json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));

    ASSERT_TRUE(eventually([&] { return count(id, "escalated", "step", 1) == 1; }, 3s)) << askd.log();
    // Step 1 texts whoever is on duty: only Anna, who has no phone. The event says so rather
    // than pretending a text went out, and nobody else was texted. (askd has just started: its
    // dashboards may still be coming back, so no step counts as reaching nobody yet and the next keeps
    // its time: escalation_reach_test.cpp.)
    auto step1 = events(id);
    boost::json::object detail;
    for (const auto& e : step1)
        if (e.as_object().at("kind").as_string() == "escalated")
            detail = e.as_object().at("detail").as_object();
    ASSERT_TRUE(detail.contains("sms_no_phone")) << boost::json::serialize(step1);
    EXPECT_EQ(detail.at("sms_no_phone").as_array().at(0).as_int64(), anna_id);
    EXPECT_TRUE(detail.at("sms").as_array().empty());
    EXPECT_EQ(askd.log().find("sms[log]"), std::string::npos) << askd.log();

    EXPECT_TRUE(cecylia->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); }))
        << "the coordinators' step did not ring Cecylia's dashboard";
    ASSERT_TRUE(eventually([&] { return count(id, "escalated", "step", 2) == 1; }, 2s));
    EXPECT_NE(askd.log().find("sms[log]: to …003"), std::string::npos) << askd.log();
    auto sms_line = askd.log().substr(askd.log().find("sms[log]: to …003"));
    EXPECT_NE(sms_line.find("PILNE zgłoszenie nr " + std::to_string(id)), std::string::npos) << sms_line;
    EXPECT_EQ(sms_line.substr(0, sms_line.find('\n')).find("Proszę o pomoc"), std::string::npos)
        << "a staff text must not carry the resident's message";

    std::this_thread::sleep_for(2s);
    EXPECT_EQ(count(id, "escalated", "step", 1), 1) << "a step fired twice";
    EXPECT_EQ(count(id, "escalated", "step", 2), 1) << "a step fired twice";
}

TEST_F(escalation, a_restart_mid_ladder_resumes_without_repeating_or_skipping) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "urgent").json());
    ASSERT_TRUE(eventually([&] { return count(id, "escalated", "step", 1) == 1; }, 3s));
    askd.kill9();
    anna.reset();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(eventually([&] { return count(id, "escalated", "step", 2) == 1; }, 5s)) << askd.log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(count(id, "escalated", "step", 1), 1) << "step 1 repeated after the restart";
    EXPECT_EQ(count(id, "escalated", "step", 2), 1);
}

TEST_F(escalation, acknowledged_but_not_contacted_reminds_the_acknowledger_then_the_coordinators) {
    auto anna = dashboard("anna");
    auto cecylia = dashboard("cecylia", false);
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    EXPECT_TRUE(anna->next_of("alert", 3s, [&](const auto& m) { return alert_for(m, id); }))
        << "Anna's dashboard was not reminded";
    ASSERT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 1) == 1; }, 1s));
    EXPECT_TRUE(cecylia->next_of("alert", 3s, [&](const auto& m) { return alert_for(m, id); }))
        << "the coordinator was not told it is overdue";
    ASSERT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 2) == 1; }, 1s));
    EXPECT_EQ(count(id, "escalated"), 0) << "the ladder must stop once someone acknowledged";

    // Contacted: the follow-ups are done, and the resident is told in words.
    auto page = resident_socket(jan);
    anna->send(boost::json::object{{"type", "contacted"}, {"id", id}, {"note", "Rozmowa przez SMS"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto status = page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "contacted"; });
    ASSERT_TRUE(status);
    EXPECT_EQ(str(status->at("text").as_object().at("pl")), "Kontakt nawiązany: Anna z urzędu zajmuje się Twoją sprawą.");
    // The note goes into the request's history with the step, by Anna, for whoever takes over.
    std::vector<std::string> notes;
    for (const auto& e : events(id)) {
        const auto& o = e.as_object();
        if (o.at("kind").as_string() == "contacted") {
            EXPECT_EQ(o.at("actor").as_object().at("id").as_int64(), anna_id);
            const auto& detail = o.at("detail").as_object();
            notes.push_back(detail.contains("note") ? str(detail.at("note")) : "(none)");
        }
    }
    EXPECT_EQ(notes, std::vector<std::string>{"Rozmowa przez SMS"});
}

TEST_F(escalation, a_repeated_press_is_merged_raised_to_urgent_and_rings_again) {
    auto anna = dashboard("anna");
    auto first = press(jan, "normal", "Proszę o telefon");
    ASSERT_EQ(first.status, 201);
    auto id = id_of(first.json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    auto again = press(jan, "normal", "Nadal czekam");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_EQ(id_of(again.json()), id);
    EXPECT_TRUE(again.json().at("merged").as_bool());
    EXPECT_EQ(again.json().at("repeat_count").as_int64(), 1);
    auto ring = anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); });
    ASSERT_TRUE(ring) << "staff were not told it was repeated";
    EXPECT_EQ(str(ring->at("alert").as_object().at("priority")), "urgent");
    EXPECT_EQ(ring->at("alert").as_object().at("repeat_count").as_int64(), 1);
    EXPECT_EQ(count(id, "repeated", "count", 1), 1);
}

// Six presses in two seconds: one more than the press allowance lets through by default (five a
// minute, [limits] presses_per_window), which is raised here so that every one of them is stored.
class escalation_pressed_often : public escalation {
  protected:
    escalation_pressed_often()
        : escalation(std::string(ladder_toml) + "[limits]\npresses_per_window = 6\n") {}
};

// A resident pressing again and again while nobody has answered must not hold the ladder back:
// each press rings the dashboards, and the texts to on-duty staff still go out on time (1 s after
// the first press here, at the next 1-s tick, though the presses come every 0.4 s: restarted at
// each press, the step would come 1 s after the last). The presses end before the 3-s step, so
// the ladder is never spent (a spent ladder rightly starts again).
TEST_F(escalation_pressed_often, pressing_again_and_again_never_puts_the_ladder_off) {
    auto anna = dashboard("anna");
    auto id = id_of(press(jan, "urgent", "Pomocy").json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    for (int i = 1; i <= 5; ++i) {
        std::this_thread::sleep_for(400ms);
        auto again = press(jan, "urgent", "Nadal czekam " + std::to_string(i));
        ASSERT_EQ(again.status, 200) << again.body;
        ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) {
            return alert_for(m, id) && m.at("alert").as_object().at("repeat_count").as_int64() == i;
        })) << "press " << i << " did not ring";
    }
    // The last press came about 2 s after the first: restarted, the step would be due at about 3 s.
    EXPECT_TRUE(eventually([&] { return count(id, "escalated", "step", 1) == 1; }, 700ms))
        << "the presses held back the texts to on-duty staff\n"
        << askd.log();
    int restarted = 0;
    for (const auto& e : events(id))
        if (e.as_object().at("kind").as_string() == "repeated")
            restarted += e.as_object().at("detail").as_object().at("ladder_restarted").as_bool();
    EXPECT_EQ(restarted, 0);
}

// A press after staff took the request: it stays theirs (a resident pressing again and again must
// not undo it each time), every dashboard on duty rings, a contacted request is to be contacted
// again, and the "acked and forgotten" follow-ups are never put off by a press: they start again
// only after a contact.
TEST_F(escalation, a_press_after_staff_took_the_request_rings_again_and_restarts_the_follow_ups) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto page = resident_socket(jan);
    auto drain_statuses = [&] {
        while (page->next_of("status", 300ms)) {
        }
    };
    auto id = id_of(press(jan, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));

    auto rung_again = [&](const boost::json::object& m) {
        const auto& a = m.at("alert").as_object();
        return alert_for(m, id) && m.at("renotified").as_bool() && a.at("state").as_string() == "acknowledged" &&
               a.at("priority").as_string() == "urgent" && a.at("acknowledged_by").is_object();
    };
    auto again = press(jan, "normal", "Nadal czekam");
    ASSERT_EQ(again.status, 200) << again.body;
    EXPECT_TRUE(again.json().at("merged").as_bool());
    EXPECT_EQ(str(again.json().at("state")), "acknowledged") << "the press undid Anna's acknowledgement";
    EXPECT_TRUE(anna->next_of("alert", 2s, rung_again)) << "Anna's dashboard did not ring";
    EXPECT_TRUE(bob->next_of("alert", 2s, rung_again)) << "Bob's dashboard did not ring";
    // Now urgent (ack timeout 1 s), counted from the acknowledgement: Anna is reminded, then the
    // coordinators.
    ASSERT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 2) == 1; }, 5s));
    // Still overdue, the coordinators are alerted again; a press does not start the follow-ups over,
    // which would put their next alert off.
    ASSERT_EQ(press(jan, "normal", "Halo?").status, 200);
    EXPECT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 3) == 1; }, 4s))
        << "the coordinators were not alerted again";
    EXPECT_EQ(count(id, "ack_timeout", "stage", 1), 1) << "the press started the follow-ups over";

    anna->send(boost::json::object{{"type", "contacted"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "contacted"; }));
    drain_statuses();
    auto later = press(jan, "normal", "Nadal potrzebuję pomocy");
    ASSERT_EQ(later.status, 200) << later.body;
    EXPECT_EQ(str(later.json().at("state")), "acknowledged") << "a contacted request is to be contacted again";
    EXPECT_TRUE(bob->next_of("alert", 2s, rung_again)) << "Bob's dashboard did not ring";
    auto told = page->next_of("status", 2s);
    ASSERT_TRUE(told) << "the resident was not told";
    EXPECT_EQ(str(told->at("state")), "acknowledged") << "the resident still reads that contact was made";
    EXPECT_EQ(str(told->at("text").as_object().at("pl")), "Anna z urzędu skontaktuje się z Tobą.");
    db_probe db(askd.db_path());
    auto contact = db.rows("SELECT contacted_at IS NOT NULL FROM requests WHERE id = " + std::to_string(id));
    ASSERT_EQ(contact.size(), 1u);
    EXPECT_EQ(contact[0][0], "1") << "the first contact is gone from the statistics";
    EXPECT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 1) == 2; }, 4s))
        << "after a contact, the follow-ups did not start again from the press";
    EXPECT_EQ(count(id, "escalated"), 0) << "the ladder does not run while someone has it";
}

// Cecylia, the only coordinator, takes it and makes no contact: the overdue alert goes to the others, not
// back to her alone, and comes again while it stays overdue.
TEST_F(escalation, an_overdue_request_its_only_coordinator_took_alerts_the_others_again_and_again) {
    auto cecylia = dashboard("cecylia");
    auto anna = dashboard("anna", false);
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(cecylia->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    cecylia->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(cecylia->next_of("ok", 2s));
    EXPECT_TRUE(anna->next_of("alert", 4s, [&](const auto& m) { return alert_for(m, id); }))
        << "nobody else was told it is overdue";
    ASSERT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 2) == 1; }, 1s));
    db_probe db(askd.db_path());
    EXPECT_EQ(
        db.rows("SELECT json_extract(detail, '$.who') FROM request_events WHERE request_id = ?1 AND kind = "
                "'ack_timeout' AND json_extract(detail, '$.stage') = 2",
                std::to_string(id)),
        (std::vector<std::vector<std::string>>{{"all_staff"}}));
    EXPECT_TRUE(anna->next_of("alert", 3s, [&](const auto& m) { return alert_for(m, id); }))
        << "overdue again after the next timeout";
    EXPECT_TRUE(eventually([&] { return count(id, "ack_timeout", "stage", 3) == 1; }, 2s)) << askd.log();
}

TEST_F(escalation, nobody_on_duty_gets_the_honest_answer_at_once_then_the_first_on_duty_is_alerted) {
    auto page = resident_socket(jan);
    auto id = id_of(press(jan, "urgent").json());
    auto status = page->next_of("status", 2s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->at("office_closed").as_bool());
    auto pl = str(status->at("text").as_object().at("pl"));
    EXPECT_NE(pl.find("Nikt z urzędu nie ma teraz dyżuru"), std::string::npos) << pl;
    EXPECT_NE(pl.find("112"), std::string::npos) << pl;

    // Going on duty over HTTP: the request reaches Bob, and Jan is told staff are being alerted.
    auto bob = dashboard("bob", false);
    auto duty = http_post(port(), "/api/v1/duty", R"({"on":true})", token("bob"));
    ASSERT_EQ(duty.status, 200) << duty.body;
    EXPECT_TRUE(duty.json().at("on_duty").as_bool());
    EXPECT_TRUE(bob->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }));
    auto moving = page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "notifying"; });
    ASSERT_TRUE(moving);
    EXPECT_FALSE(moving->at("office_closed").as_bool());

    // Bob, the only one on duty, goes off: Jan is told at once, not at the next re-notification (60 s).
    ASSERT_EQ(http_post(port(), "/api/v1/duty", R"({"on":false})", token("bob")).status, 200);
    auto alone =
        page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "queued"; });
    ASSERT_TRUE(alone) << askd.log();
    EXPECT_TRUE(alone->at("office_closed").as_bool());
    EXPECT_NE(str(alone->at("text").as_object().at("pl")).find("Nikt z urzędu nie ma teraz dyżuru"),
              std::string::npos);
    EXPECT_EQ(http_post(port(), "/api/v1/duty", R"({"on":"yes"})", token("bob")).status, 400);
    EXPECT_EQ(http_post(port(), "/api/v1/duty", R"({"on":true})", "not-a-token").status, 401);
}

TEST_F(escalation, staff_release_escalate_and_note_and_coordinators_read_statistics) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto id = id_of(press(maria, "normal").json());
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s));

    // Only the holder (or a coordinator) gives it back or closes it; the refusal names the holder, and
    // nothing changes.
    for (const auto& change :
         {boost::json::object{{"type", "release"}, {"id", id}},
          boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}}}) {
        anna->send(change);
        auto refused = anna->next_of("error", 2s);
        ASSERT_TRUE(refused) << change.at("type").as_string();
        EXPECT_EQ(str(refused->at("code")), "forbidden") << change.at("type").as_string();
        EXPECT_EQ(str(refused->at("holder").as_object().at("name")), "Bob") << change.at("type").as_string();
    }
    EXPECT_EQ(count(id, "resolved"), 0);
    EXPECT_EQ(count(id, "released"), 0);
    bob->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s));
    EXPECT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) {
        return alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "notifying";
    })) << "a released request rings again";

    anna->send(boost::json::object{{"type", "escalate"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    anna->send(boost::json::object{{"type", "note"}, {"id", id}, {"text", "Sąsiadka ma klucze"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    anna->send(boost::json::object{{"type", "note"}, {"id", id}, {"text", ""}});
    EXPECT_EQ(str(anna->next_of("error", 2s).value_or(boost::json::object{{"code", "none"}}).at("code")), "bad_request");

    std::vector<std::string> kinds;
    for (const auto& e : events(id))
        kinds.emplace_back(e.as_object().at("kind").as_string());
    for (const char* kind : {"created", "acknowledged", "released", "escalated", "note"})
        EXPECT_NE(std::find(kinds.begin(), kinds.end(), kind), kinds.end()) << kind;
    EXPECT_EQ(count(id, "escalated", "step", 1), 1);
    // Asked for by Anna, not fired by the clock: it says so, and carries no count of people reached (the
    // clock's steps count those with a dashboard open as the tick began; a step by hand is not judged so).
    for (const auto& e : events(id)) {
        const auto& o = e.as_object();
        if (o.at("kind").as_string() != "escalated")
            continue;
        const auto& detail = o.at("detail").as_object();
        EXPECT_EQ(o.at("actor").as_object().at("id").as_int64(), anna_id) << boost::json::serialize(o);
        EXPECT_TRUE(detail.contains("by_hand") && detail.at("by_hand").as_bool()) << boost::json::serialize(o);
        EXPECT_FALSE(detail.contains("reached")) << boost::json::serialize(o);
    }

    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    // Bob, called in to help, reached the resident: he says so, though Anna has it.
    bob->send(boost::json::object{{"type", "contacted"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s)) << "whoever reached the resident says so";
    auto coordinator = dashboard("cecylia", false);
    coordinator->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}});
    ASSERT_TRUE(coordinator->next_of("ok", 2s)) << "a coordinator may close a colleague's request";

    EXPECT_EQ(http_get(port(), "/api/v1/stats", token("anna")).status, 403) << "statistics are for coordinators";
    auto stats = http_get(port(), "/api/v1/stats", token("cecylia"));
    ASSERT_EQ(stats.status, 200) << stats.body;
    auto s = stats.json();
    EXPECT_EQ(s.at("total").as_int64(), 1);
    EXPECT_EQ(s.at("by_outcome").as_object().at("called_back").as_int64(), 1);
    EXPECT_EQ(s.at("to_acknowledge").as_object().at("count").as_int64(), 1);
    // The default period is the office's last 30 days, today (in the office's zone) included, whatever
    // the UTC date: the page fills its date fields from these, so "today" must count what came in now.
    auto today = str(s.at("last_day"));
    ASSERT_EQ(today.size(), 10u) << stats.body;
    EXPECT_EQ(str(s.at("first_day")).size(), 10u) << stats.body;
    EXPECT_LT(str(s.at("first_day")), today);
    auto only_today = http_get(port(), "/api/v1/stats?from=" + today + "&to=" + today, token("cecylia"));
    ASSERT_EQ(only_today.status, 200) << only_today.body;
    EXPECT_EQ(only_today.json().at("total").as_int64(), 1) << "the request made just now is the office's today";
    auto csv = http_get(port(), "/api/v1/stats?format=csv", token("cecylia"));
    EXPECT_EQ(csv.status, 200);
    EXPECT_EQ(csv.headers["content-type"], "text/csv; charset=utf-8");
    EXPECT_EQ(csv.body.rfind("metric,value\r\n", 0), 0u) << csv.body;
    EXPECT_EQ(http_get(port(), "/api/v1/stats?from=2026-13-01", token("cecylia")).status, 400);
    EXPECT_EQ(http_get(port(), "/api/v1/stats?from=2026-11-30&to=2026-11-01", token("cecylia")).status, 400);
}

// A ladder whose steps are far off, so that only steps brought forward by hand fire in a test: on-duty
// staff's dashboards, then the coordinators'.
const std::string by_hand_ladder = R"(
[alerts]
renotify_seconds = 60

[escalation.urgent]
steps = [
  { after_seconds = 600, who = "on_duty", how = ["dashboard"] },
  { after_seconds = 1200, who = "coordinators", how = ["dashboard"] },
]
)";

class escalation_by_hand : public escalation {
protected:
    explicit escalation_by_hand(const std::string& toml = by_hand_ladder) : escalation(toml) {}

    /// Maria's urgent press, rung on `on_duty`'s dashboard: its id (0, and a failure, if not rung).
    std::int64_t urgent_press_rings(ws_client& on_duty) {
        auto id = id_of(press(maria, "urgent", "Upadłam").json());
        EXPECT_TRUE(on_duty.next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }));
        return id;
    }

    /// `asker` sends "escalate": "ok", the error's code, or "no answer" within 2 s.
    std::string asks_for_more(ws_client& asker, std::int64_t id, const std::string& ref) {
        asker.send(boost::json::object{{"type", "escalate"}, {"id", id}, {"ref", ref}});
        auto deadline = std::chrono::steady_clock::now() + 2s;
        while (std::chrono::steady_clock::now() < deadline) {
            auto m = asker.next(std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now()));
            if (m && m->contains("ref") && str(m->at("ref")) == ref)
                return m->at("type") == "ok" ? "ok" : m->contains("code") ? str(m->at("code")) : "error";
        }
        return "no answer";
    }

    /// The detail of each escalated event, oldest first (read as Anna: a coordinator may be disabled).
    std::vector<boost::json::object> escalated(std::int64_t id) {
        std::vector<boost::json::object> out;
        auto history = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events", token("anna"));
        EXPECT_EQ(history.status, 200) << history.body;
        if (history.status != 200)
            return out;
        auto body = history.json();
        for (const auto& e : body.at("events").as_array())
            if (e.as_object().at("kind") == "escalated")
                out.push_back(e.as_object().at("detail").as_object());
        return out;
    }

    /// The request's ladder_next_step as stored.
    std::string next_step(std::int64_t id) {
        db_probe db(askd.db_path());
        return db.rows("SELECT ladder_next_step FROM requests WHERE id = " + std::to_string(id))[0][0];
    }

    /// `asker` asks for more people and the coordinators' step (2) rings Cecylia: that step's escalated
    /// detail (empty, and a failure, if not).
    boost::json::object coordinators_called(ws_client& asker, ws_client& cecylia, std::int64_t id) {
        EXPECT_EQ(asks_for_more(asker, id, "more"), "ok") << askd.log();
        EXPECT_TRUE(cecylia.next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }))
            << "the coordinator was not called";
        auto steps = escalated(id);
        EXPECT_EQ(steps.size(), 1u);
        if (steps.size() != 1)
            return {};
        EXPECT_EQ(steps[0].at("step"), 2);
        return steps[0];
    }

    static boost::json::array passed_over_step(int step) { return {boost::json::object{{"step", step}}}; }
};

// Anna, alone on duty, asks for more people: the first step would call only her, so it is passed over
// and the coordinators' step calls Cecylia. The history says which step was passed over.
TEST_F(escalation_by_hand, a_step_that_would_call_only_the_asker_is_passed_over_for_the_next) {
    auto anna = dashboard("anna");
    auto cecylia = dashboard("cecylia", false);
    auto id = urgent_press_rings(*anna);

    auto step = coordinators_called(*anna, *cecylia, id);
    ASSERT_FALSE(step.empty());
    EXPECT_EQ(step.at("passed_over"), passed_over_step(1));
    EXPECT_EQ(step.at("dashboards"), (boost::json::array{cecylia_id})) << "Anna was called to help herself";
    EXPECT_EQ(next_step(id), "2") << "the ladder moves past the step fired";
}

// The ladder's run is over (the coordinators' step was brought forward) when Cecylia's account is
// disabled: Anna, alone on duty, is told no one else can be called. Once Bob is on duty, asking again
// repeats the earlier on-duty step for him, and the ladder stays where it was.
TEST_F(escalation_by_hand, past_the_last_step_an_earlier_one_is_repeated_for_someone_on_duty_since) {
    auto anna = dashboard("anna");
    auto id = urgent_press_rings(*anna);
    ASSERT_EQ(asks_for_more(*anna, id, "more"), "ok") << askd.log();
    ASSERT_EQ(next_step(id), "2");
    auto disabled = run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "cecylia"});
    ASSERT_EQ(disabled.exit_code, 0) << disabled.err;

    EXPECT_EQ(asks_for_more(*anna, id, "none"), "nobody_to_call") << askd.log();

    auto bob = dashboard("bob");
    ASSERT_EQ(asks_for_more(*anna, id, "bob"), "ok") << askd.log();
    EXPECT_TRUE(bob->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }));
    auto steps = escalated(id);
    ASSERT_EQ(steps.size(), 2u);
    EXPECT_EQ(steps[1].at("step"), 1);
    EXPECT_EQ(steps[1].at("dashboards"), (boost::json::array{bob_id}));
    EXPECT_EQ(steps[1].at("passed_over"), passed_over_step(2));
    EXPECT_EQ(next_step(id), "2") << "an earlier step repeated does not move the ladder back";
}

// Cecylia, a coordinator alone on duty, asks for more people: every step would call only her, so
// nothing is recorded and she is told. Once Bob is on duty, the first step calls him.
TEST_F(escalation_by_hand, asking_for_more_people_when_no_step_reaches_anyone_else_changes_nothing) {
    auto cecylia = dashboard("cecylia");
    auto id = urgent_press_rings(*cecylia);

    EXPECT_EQ(asks_for_more(*cecylia, id, "more"), "nobody_to_call") << askd.log();
    EXPECT_TRUE(escalated(id).empty());
    EXPECT_EQ(next_step(id), "0") << "the ladder moved with no one called";

    auto bob = dashboard("bob");
    ASSERT_EQ(asks_for_more(*cecylia, id, "again"), "ok") << askd.log();
    auto steps = escalated(id);
    ASSERT_EQ(steps.size(), 1u);
    EXPECT_EQ(steps[0].at("step"), 1);
    EXPECT_FALSE(steps[0].contains("passed_over"));
    EXPECT_TRUE(bob->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); }));
    EXPECT_EQ(next_step(id), "1");
}

// The first step texts whoever is on duty; Anna and Bob are, and neither has a phone.
class escalation_by_hand_texts : public escalation_by_hand {
protected:
    escalation_by_hand_texts()
        : escalation_by_hand(R"(
[alerts]
renotify_seconds = 60

[escalation.urgent]
steps = [
  { after_seconds = 600, who = "on_duty", how = ["sms"] },
  { after_seconds = 1200, who = "coordinators", how = ["dashboard"] },
]
)") {}
};

// Anna asks for more people: the first step would text Bob, who has no phone, so it reaches no one and is
// passed over for the coordinators'. The history names Bob as the one it could not text.
TEST_F(escalation_by_hand_texts, a_text_step_that_reaches_no_one_with_a_phone_is_passed_over_and_says_who) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto cecylia = dashboard("cecylia", false);
    auto id = urgent_press_rings(*anna);

    auto step = coordinators_called(*anna, *cecylia, id);
    ASSERT_FALSE(step.empty());
    boost::json::array passed_over{
        boost::json::object{{"step", 1}, {"sms_no_phone", boost::json::array{bob_id}}}};
    EXPECT_EQ(step.at("passed_over"), passed_over) << boost::json::serialize(step);
    EXPECT_EQ(askd.log().find("sms[log]: to …003"), std::string::npos) << "a dashboard step texted Cecylia";
}

class closed_office : public office_fixture {
protected:
    closed_office() : office_fixture(closed_office_toml()) {}
};

TEST_F(closed_office, a_request_while_closed_is_queued_and_the_resident_told_when_it_opens_and_about_112) {
    auto anna = dashboard("anna"); // someone on duty late still gets it
    auto page = resident_socket(maria);
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    EXPECT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    auto status = page->next_of("status", 2s);
    ASSERT_TRUE(status);
    EXPECT_TRUE(status->at("office_closed").as_bool());
    ASSERT_TRUE(status->at("opens_at").is_string()) << boost::json::serialize(*status);
    EXPECT_EQ(str(status->at("opens_at")).substr(11), "00:00:00.000Z") << "opens at midnight after the holidays";
    auto pl = str(status->at("text").as_object().at("pl"));
    EXPECT_NE(pl.find("Urząd jest teraz zamknięty"), std::string::npos) << pl;
    EXPECT_NE(pl.find("o 0:00"), std::string::npos) << pl;
    EXPECT_NE(pl.find("112"), std::string::npos) << pl;
    auto en = str(status->at("text").as_object().at("en"));
    EXPECT_NE(en.find("call 112"), std::string::npos) << en;

    // Texted as the first tick (within a second) moves the ladder to the opening, in the same commit.
    EXPECT_TRUE(eventually([&] { return askd.log().find("sms[log]: to …999") != std::string::npos; }))
        << "the after-hours phone was not texted:\n"
        << askd.log();
    auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                           login(port(), "anna", staff_password)).json().at("events").as_array();
    bool recorded = false;
    for (const auto& e : events)
        recorded = recorded || e.as_object().at("detail").as_object().contains("who");
    EXPECT_TRUE(recorded) << boost::json::serialize(events);
}

// The same closed office with a ladder that would ring on-duty dashboards after 1 s. Closed, the
// ladder waits for the opening: nothing fires through the closed hours, and the whole ladder starts
// when the office opens (the resident was told it waits for that; the after-hours phone is texted).
class closed_office_with_ladder : public office_fixture {
protected:
    closed_office_with_ladder()
        : office_fixture(closed_office_toml() +
                         "[escalation.urgent]\nsteps = [{ after_seconds = 1, who = \"on_duty\", how = [\"dashboard\"] }]\n") {}
};

TEST_F(closed_office_with_ladder, the_ladder_waits_for_the_opening_instead_of_running_through_the_night) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return alert_for(m, id); }));
    auto token = login(port(), "anna", staff_password);
    auto events_of_kind = [&](const std::string& kind) {
        boost::json::array out;
        auto body = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events", token).json();
        for (const auto& e : body.at("events").as_array())
            if (e.as_object().at("kind").as_string() == kind)
                out.push_back(e);
        return out;
    };
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (events_of_kind("waits_for_opening").empty() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(100ms);
    auto waits = events_of_kind("waits_for_opening");
    ASSERT_EQ(waits.size(), 1u) << askd.log();
    auto opens_at = waits[0].as_object().at("detail").as_object().at("opens_at").as_int64();
    auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::system_clock::now().time_since_epoch()).count();
    EXPECT_GT(opens_at - now_ms, 24LL * 3600 * 1000) << "the holidays end the day after tomorrow";

    std::this_thread::sleep_for(2500ms); // the 1-s step would have fired twice over by now
    EXPECT_TRUE(events_of_kind("escalated").empty()) << "the ladder ran while the office is closed";
    EXPECT_EQ(events_of_kind("waits_for_opening").size(), 1u) << "moved again at every tick";
    db_probe db(askd.db_path());
    auto row = db.rows("SELECT ladder_started_at, ladder_next_step FROM requests WHERE id = " + std::to_string(id));
    ASSERT_EQ(row.size(), 1u);
    EXPECT_EQ(std::stoll(row[0][0]), opens_at) << "the ladder starts at the opening, and survives a restart";
    EXPECT_EQ(row[0][1], "0");

    // Brought forward by hand through the night (calling Bob, on duty too), the first step still fires
    // at the opening.
    auto bob = dashboard("bob");
    anna->send(boost::json::object{{"type", "escalate"}, {"id", id}, {"ref", "more"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "more"; })) << askd.log();
    EXPECT_EQ(events_of_kind("escalated").size(), 1u);
    EXPECT_EQ(
        db.rows("SELECT ladder_started_at, ladder_next_step FROM requests WHERE id = " + std::to_string(id)),
        (std::vector<std::vector<std::string>>{{std::to_string(opens_at), "0"}}))
        << "the step brought forward was taken from the office's morning";
}

// The holidays were a mistake: the office restarts with a calendar open now. The ladder that waited for
// the end of the holidays starts at once, not at the opening it was moved to.
TEST_F(closed_office_with_ladder, a_ladder_waiting_for_an_opening_starts_when_the_office_opens_earlier) {
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    db_probe db(askd.db_path());
    auto events_of = [&](const std::string& kind) {
        return std::stoi(db.rows("SELECT count(*) FROM request_events WHERE request_id = " +
                                 std::to_string(id) + " AND kind = '" + kind + "'")[0][0]);
    };
    ASSERT_TRUE(eventually([&] { return events_of("waits_for_opening") == 1; })) << askd.log();
    ASSERT_TRUE(askd.terminate(10s).has_value());
    askd.set_extra_toml(
        "[escalation.urgent]\nsteps = [{ after_seconds = 1, who = \"on_duty\", how = [\"dashboard\"] }]\n");
    askd.start();
    auto anna = dashboard("anna");
    EXPECT_TRUE(eventually([&] { return events_of("escalated") == 1; }))
        << "the ladder still waits for the old opening:\n"
        << askd.log();
    EXPECT_TRUE(anna->next_of("alert", 3s, [&](const auto& m) { return alert_for(m, id); }));
    EXPECT_EQ(events_of("ladder_restarted"), 1) << "the move of the ladder's start is in its history";
}

// The same closed office with no urgent steps: every press of an urgent request starts its (empty)
// ladder again, and so does a give-back; each start moves it to the opening again.
class closed_office_without_urgent_steps : public office_fixture {
protected:
    closed_office_without_urgent_steps()
        : office_fixture(closed_office_toml() + "[escalation.urgent]\nsteps = []\n") {}
};

TEST_F(closed_office_without_urgent_steps,
       the_after_hours_phone_hears_of_a_request_once_and_again_only_at_each_press) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    db_probe db(askd.db_path());
    auto count = [&](const std::string& where) {
        return std::stoi(db.rows("SELECT count(*) FROM request_events WHERE request_id = " +
                                 std::to_string(id) + " AND " + where)[0][0]);
    };
    const std::string parked = "kind = 'waits_for_opening'";
    const std::string texted = "kind = 'notified' AND json_extract(detail, '$.who') = 'after_hours_phone'";
    ASSERT_TRUE(eventually([&] { return texts_to("999").size() == 1; })) << askd.log();
    EXPECT_NE(texts_to("999")[0].find("zwykłe"), std::string::npos) << texts_to("999")[0];

    // "I still need help": raised to urgent, which the after-hours phone is told.
    ASSERT_EQ(id_of(press(maria, "normal").json()), id);
    ASSERT_TRUE(eventually([&] { return texts_to("999").size() == 2; })) << askd.log();
    EXPECT_NE(texts_to("999")[1].find("PILNE"), std::string::npos) << texts_to("999")[1];
    EXPECT_NE(texts_to("999")[1].find("ponowione 1 raz, "), std::string::npos) << texts_to("999")[1];
    EXPECT_EQ(count(parked), 2);

    // Pressed again: still nobody has come, which the after-hours phone is told too.
    ASSERT_EQ(id_of(press(maria, "urgent").json()), id);
    ASSERT_TRUE(eventually([&] { return texts_to("999").size() == 3; })) << askd.log();
    EXPECT_NE(texts_to("999")[2].find("ponowione 2 razy, "), std::string::npos) << texts_to("999")[2];
    ASSERT_TRUE(eventually([&] { return count(parked) == 3; })) << askd.log();

    // Taken and given back: moved to the opening again, not texted again.
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; })) << askd.log();
    anna->send(boost::json::object{{"type", "release"}, {"id", id}, {"ref", "back"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "back"; })) << askd.log();
    ASSERT_TRUE(eventually([&] { return count(parked) == 4; })) << askd.log();
    std::this_thread::sleep_for(1500ms); // a tick or more after the last move
    EXPECT_EQ(texts_to("999").size(), 3u) << askd.log();
    EXPECT_EQ(count(texted), 3);
    EXPECT_EQ(count(parked), 4) << "moved once per start of the ladder";
}

// An office whose calendar changes at the next whole minute at least 20 s away (UTC): open until
// then (`opens` false) or closed until then, and with an after-hours phone. The change happens while
// the test runs.
std::string office_changing_soon_toml(bool opens) {
    using namespace std::chrono;
    static constexpr const char* day_names[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    auto now = system_clock::now();
    auto at = ceil<minutes>(now + 20s);
    auto today = floor<days>(now);
    auto day_of = [](sys_days d) { return std::string(day_names[weekday(d).c_encoding()]); };
    auto clock_of = [](minutes m) {
        char text[8];
        std::snprintf(text, sizeof text, "%02d:%02d", static_cast<int>(m.count() / 60),
                      static_cast<int>(m.count() % 60));
        return std::string(text);
    };
    auto day = floor<days>(at);
    std::string hours;
    if (opens) { // closed until `at`, then open for the rest of its day
        hours = day_of(day) + " = \"" + clock_of(at - day) + "-24:00\"\n";
    } else if (day == today) {
        hours = day_of(today) + " = \"00:00-" + clock_of(at - today) + "\"\n";
    } else { // past midnight: open all of today, then until `at` tomorrow
        hours = day_of(today) + " = \"00:00-24:00\"\n";
        if (at > day)
            hours += day_of(day) + " = \"00:00-" + clock_of(at - day) + "\"\n";
    }
    return "[alerts]\nrenotify_seconds = 1\n[[offices]]\nslug = \"demo\"\nname = \"Urząd Testowy\"\n"
           "time_zone = \"UTC\"\nafter_hours_phone = \"+48 600 999 999\"\n[offices.hours]\n" +
           hours;
}

// Ewa, deaf (so texted), presses urgent with Anna on duty, before the office's calendar changes;
// the test then waits for the change, Anna's dashboard reading what rings and answering pings
// meanwhile, so that she stays reachable through it.
class office_changing_soon : public office_fixture {
protected:
    explicit office_changing_soon(bool opens) : office_fixture(office_changing_soon_toml(opens)) {}

    /// Ewa (her number ending in `tail`) presses; returns the request's id once her page has its first
    /// status, which must say the office is `closed` or not, and she has her first text.
    std::int64_t ewa_presses(const std::string& tail, bool closed) {
        auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 " + tail, "deaf");
        anna = dashboard("anna");
        page = resident_socket(ewa);
        auto pressed = press(ewa, "urgent", "Proszę o SMS");
        EXPECT_EQ(pressed.status, 201) << pressed.body;
        auto id = id_of(pressed.json());
        auto first = page->next_of("status", 2s, [&](const auto& m) { return m.at("id") == id; });
        EXPECT_TRUE(first) << askd.log();
        EXPECT_EQ(first && first->at("office_closed").as_bool(), closed)
            << "the calendar changed before the test could press";
        EXPECT_TRUE(eventually([&] { return texts_to(tail).size() == 1; })) << askd.log();
        return id;
    }
    /// Ewa's page's next status about `id` whose office_closed is `closed`, waited for up to 85 s.
    std::optional<boost::json::object> status_saying(std::int64_t id, bool closed) {
        std::optional<boost::json::object> found;
        for (auto until = std::chrono::steady_clock::now() + 85s;
             !found && std::chrono::steady_clock::now() < until;) {
            anna->next(100ms);
            found = page->next_of("status", 100ms, [&](const auto& m) {
                return m.at("id") == id && m.at("office_closed").as_bool() == closed;
            });
        }
        return found;
    }
    /// Two more seconds of ticks, Anna's dashboard read meanwhile.
    void two_seconds_pass() {
        for (int i = 0; i < 20; ++i)
            anna->next(100ms);
    }

    std::unique_ptr<ws_client> anna;
    std::unique_ptr<ws_client> page;
};

class office_closing_soon : public office_changing_soon {
protected:
    office_closing_soon() : office_changing_soon(false) {}
};

// A request pressed while the office was open and still waiting when it closes: the ladder waits for
// the opening, the after-hours phone is texted, and the resident, who was told staff are being
// alerted, is told now that the office is closed, when it opens, and about 112, on the page and by
// text. Before, only a request pressed while closed did any of that.
TEST_F(office_closing_soon,
       a_request_still_waiting_as_the_office_closes_waits_for_the_opening_and_everyone_is_told) {
    auto id = ewa_presses("123", false);
    ASSERT_FALSE(HasFailure());
    EXPECT_NE(texts_to("123")[0].find("Powiadamiamy pracowników urzędu"), std::string::npos)
        << texts_to("123")[0];
    EXPECT_TRUE(texts_to("999").empty()) << "the after-hours phone is texted only once the office is closed";

    auto closed = status_saying(id, true);
    ASSERT_TRUE(closed) << "the resident's page was not told the office closed\n" << askd.log();
    ASSERT_TRUE(closed->at("opens_at").is_string()) << boost::json::serialize(*closed);
    auto pl = str(closed->at("text").as_object().at("pl"));
    EXPECT_NE(pl.find("Urząd jest teraz zamknięty"), std::string::npos) << pl;
    EXPECT_NE(pl.find("112"), std::string::npos) << pl;

    ASSERT_TRUE(eventually([&] { return texts_to("123").size() == 2 && texts_to("999").size() == 1; }))
        << askd.log();
    EXPECT_NE(texts_to("123")[1].find("Urząd jest teraz zamknięty"), std::string::npos) << texts_to("123")[1];
    EXPECT_NE(texts_to("123")[1].find("112"), std::string::npos) << texts_to("123")[1];
    EXPECT_NE(texts_to("999")[0].find("PILNE zgłoszenie nr " + std::to_string(id)), std::string::npos)
        << texts_to("999")[0];
    db_probe db(askd.db_path());
    const std::vector<std::vector<std::string>> once{{"1"}};
    EXPECT_EQ(
        db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'waits_for_opening'",
                std::to_string(id)),
        once);
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'notified' AND "
                      "json_extract(detail, '$.who') = 'after_hours_phone'",
                      std::to_string(id)),
              once)
        << "the after-hours text is in the request's history";

    two_seconds_pass(); // more ticks of the closed office tell nobody again
    EXPECT_EQ(texts_to("123").size(), 2u) << askd.log();
    EXPECT_EQ(texts_to("999").size(), 1u) << askd.log();
}

// Anna took Ewa's request and has not yet recorded a contact when the office closes: "Anna will contact
// you" must not stand through the closed hours. Ewa is told, on the page and by text, who has it, that the
// office is closed and when it opens, and (she is deaf) the Alarm112 app.
TEST_F(office_closing_soon, a_resident_whose_taken_request_is_not_yet_contacted_hears_as_the_office_closes) {
    auto id = ewa_presses("124", false);
    ASSERT_FALSE(HasFailure());
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(anna->next_of("ok", 2s)) << askd.log();
    ASSERT_TRUE(eventually([&] { return texts_to("124").size() == 2; })) << askd.log();
    EXPECT_NE(texts_to("124")[1].find("Anna z urzędu skontaktuje się z Tobą."), std::string::npos)
        << texts_to("124")[1];

    auto closed = status_saying(id, true);
    ASSERT_TRUE(closed) << "the resident's page was not told the office closed\n" << askd.log();
    EXPECT_EQ(str(closed->at("state")), "acknowledged");
    ASSERT_TRUE(closed->at("opens_at").is_string()) << boost::json::serialize(*closed);
    auto pl = str(closed->at("text").as_object().at("pl"));
    EXPECT_EQ(pl.rfind("Anna z urzędu ma Twoje zgłoszenie. Urząd jest teraz zamknięty; otwiera się ", 0), 0u)
        << pl;
    EXPECT_NE(pl.find("aplikację Alarm112"), std::string::npos) << pl;
    ASSERT_TRUE(eventually([&] { return texts_to("124").size() == 3; })) << askd.log();
    EXPECT_NE(texts_to("124")[2].find("Anna z urzędu ma Twoje zgłoszenie. Urząd jest teraz zamknięty"),
              std::string::npos)
        << texts_to("124")[2];

    two_seconds_pass(); // more ticks of the closed office tell her nothing again
    EXPECT_EQ(texts_to("124").size(), 3u) << askd.log();
}

class office_opening_soon : public office_changing_soon {
protected:
    office_opening_soon() : office_changing_soon(true) {}
};

// The other end of the night: a resident told the office is closed, and when it opens, is told as it
// opens that staff are being alerted (Anna kept her dashboard on duty), on the page and by text.
TEST_F(office_opening_soon, a_resident_told_the_office_is_closed_hears_when_it_opens) {
    auto id = ewa_presses("126", true);
    ASSERT_FALSE(HasFailure());
    EXPECT_NE(texts_to("126")[0].find("Urząd jest teraz zamknięty"), std::string::npos) << texts_to("126")[0];

    auto opened = status_saying(id, false);
    ASSERT_TRUE(opened) << "the resident's page still says the office is closed\n" << askd.log();
    EXPECT_TRUE(opened->at("opens_at").is_null()) << boost::json::serialize(*opened);
    auto pl = str(opened->at("text").as_object().at("pl"));
    EXPECT_NE(pl.find("Powiadamiamy pracowników urzędu"), std::string::npos) << pl;
    ASSERT_TRUE(eventually([&] { return texts_to("126").size() == 2; })) << askd.log();
    EXPECT_NE(texts_to("126")[1].find("Powiadamiamy pracowników urzędu"), std::string::npos)
        << texts_to("126")[1];

    two_seconds_pass(); // more ticks of the open office tell her nothing again
    EXPECT_EQ(texts_to("126").size(), 2u) << askd.log();
}

// Anna takes Ewa's request while the office is closed: Ewa hears who has it, that the office is closed and
// when it opens; as it opens, that Anna will contact her.
TEST_F(office_opening_soon,
       a_request_taken_while_closed_is_said_to_wait_for_the_opening_then_to_be_called_back) {
    auto id = ewa_presses("127", true);
    ASSERT_FALSE(HasFailure());
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(anna->next_of("ok", 2s)) << askd.log();
    ASSERT_TRUE(eventually([&] { return texts_to("127").size() == 2; })) << askd.log();
    EXPECT_NE(texts_to("127")[1].find("Anna z urzędu ma Twoje zgłoszenie. Urząd jest teraz zamknięty"),
              std::string::npos)
        << texts_to("127")[1];

    auto opened = status_saying(id, false);
    ASSERT_TRUE(opened) << "the resident's page still says the office is closed\n" << askd.log();
    EXPECT_EQ(str(opened->at("text").as_object().at("pl")), "Anna z urzędu skontaktuje się z Tobą.");
    ASSERT_TRUE(eventually([&] { return texts_to("127").size() == 3; })) << askd.log();
    EXPECT_NE(texts_to("127")[2].find("Anna z urzędu skontaktuje się z Tobą."), std::string::npos)
        << texts_to("127")[2];
    two_seconds_pass();
    EXPECT_EQ(texts_to("127").size(), 3u) << askd.log();
}

// A closed office's coordinator, for statistics.
class closed_office_stats : public closed_office {
  protected:
    void SetUp() override {
        askd.add_staff("cecylia", "Cecylia", staff_password, "coordinator");
        closed_office::SetUp();
    }
};

// The 60 s share is of requests someone could have acknowledged in time: one that came in while the
// office was closed (by its calendar, as the route reads it) is left out of it, and said to be.
TEST_F(closed_office_stats, a_request_while_closed_is_left_out_of_the_60s_share) {
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    ASSERT_GT(id, 0);
    auto stats = http_get(port(), "/api/v1/stats", login(port(), "cecylia", staff_password));
    ASSERT_EQ(stats.status, 200) << stats.body;
    auto s = stats.json();
    EXPECT_EQ(s.at("total").as_int64(), 1);
    EXPECT_EQ(s.at("within_60s_counted").as_int64(), 0) << stats.body;
    EXPECT_EQ(s.at("within_60s_left_out").as_object().at("arrived_while_closed").as_int64(), 1) << stats.body;
    EXPECT_TRUE(s.at("share_acknowledged_within_60s").is_null()) << stats.body;
    const auto& urgent = s.at("by_priority_times").as_object().at("urgent").as_object();
    EXPECT_EQ(urgent.at("within_60s_left_out").as_object().at("arrived_while_closed").as_int64(), 1)
        << stats.body;
}

} // namespace
} // namespace ask::test
