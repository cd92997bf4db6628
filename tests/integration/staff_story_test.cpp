// The core story (issue 2): Jan presses, every on-duty dashboard rings within a second
// with his details, above normal requests; it repeats until Anna acknowledges; Bob sees
// it taken; Jan is told Anna will contact him; Anna resolves it with an outcome.
#include "tests/integration/office_fixture.hpp"

#include <chrono>

namespace ask::test {
namespace {

using namespace std::chrono;

class staff_story : public office_fixture {};

bool is_alert_for(const boost::json::object& m, std::int64_t id) { return m.at("alert").as_object().at("id").as_int64() == id; }

TEST_F(staff_story, press_reaches_on_duty_staff_repeats_until_acknowledged_and_resolves) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto jan_page = resident_socket(jan);

    auto normal = press(maria, "normal", "Proszę o oddzwonienie w sprawie wniosku");
    ASSERT_EQ(normal.status, 201) << normal.body;
    auto normal_id = id_of(normal.json());

    auto pressed_at = steady_clock::now();
    auto urgent = press(jan, "urgent", "Upadłem, nie mogę wstać", "jan-press-1");
    ASSERT_EQ(urgent.status, 201) << urgent.body;
    auto id = id_of(urgent.json());
    EXPECT_EQ(str(urgent.json().at("state")), "notifying");

    // Every on-duty dashboard rings within a second, with who, how to reach them and what they need.
    for (auto* ws : {anna.get(), bob.get()}) {
        auto alert = ws->next_of("alert", 1s, [&](const auto& m) { return is_alert_for(m, id); });
        ASSERT_TRUE(alert) << "no alert within 1 s";
        const auto& a = alert->at("alert").as_object();
        EXPECT_EQ(str(a.at("priority")), "urgent");
        EXPECT_EQ(str(a.at("message")), "Upadłem, nie mogę wstać");
        const auto& who = a.at("resident").as_object();
        EXPECT_EQ(str(who.at("name")), "Jan Kowalski");
        EXPECT_EQ(str(who.at("phone")), "+48600100200");
        EXPECT_EQ(str(who.at("address")), "ul. Lipowa 5");
        ASSERT_EQ(who.at("needs").as_array().size(), 2u);
        EXPECT_EQ(str(who.at("needs").as_array()[0]), "wheelchair");
    }
    EXPECT_LT(steady_clock::now() - pressed_at, 2s);

    // A dashboard connecting now sees the urgent request above the older normal one.
    auto late = dashboard("bob", false);
    const auto& queue = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(queue.size(), 2u);
    EXPECT_EQ(queue[0].as_object().at("id").as_int64(), id);
    EXPECT_EQ(queue[1].as_object().at("id").as_int64(), normal_id);

    // Unacknowledged, it rings again (renotify_seconds = 1 here).
    auto again = anna->next_of("alert", 3s, [&](const auto& m) { return is_alert_for(m, id) && m.at("renotified").as_bool(); });
    ASSERT_TRUE(again) << "no re-notification";

    // Anna takes it: persisted, then everyone is told.
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "a1"}});
    auto ok = anna->next_of("ok", 2s);
    ASSERT_TRUE(ok);
    EXPECT_EQ(str(ok->at("ref")), "a1");

    auto taken = bob->next_of("alert_update", 2s, [&](const auto& m) {
        return is_alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "acknowledged";
    });
    ASSERT_TRUE(taken) << "Bob was not told it is taken";
    EXPECT_EQ(str(taken->at("alert").as_object().at("acknowledged_by").as_object().at("name")), "Anna");

    bob->send(boost::json::object{{"type", "ack"}, {"id", id}});
    auto refused = bob->next_of("error", 2s);
    ASSERT_TRUE(refused);
    EXPECT_EQ(str(refused->at("code")), "already_acknowledged");
    EXPECT_EQ(str(refused->at("holder").as_object().at("name")), "Anna");

    auto told = jan_page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "acknowledged"; });
    ASSERT_TRUE(told) << "Jan was not told who will contact him";
    EXPECT_EQ(str(told->at("by")), "Anna");
    EXPECT_NE(str(told->at("text").as_object().at("pl")).find("Anna"), std::string::npos);

    // Acknowledged means no more ringing for it (the normal request still rings).
    EXPECT_FALSE(anna->next_of("alert", 2500ms, [&](const auto& m) { return is_alert_for(m, id); }));

    anna->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}, {"note", "Wezwano pomoc sąsiedzką"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto done = jan_page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "resolved"; });
    ASSERT_TRUE(done);
    EXPECT_EQ(str(done->at("outcome")), "called_back");

    auto details = http_get(port(), "/api/v1/requests/" + std::to_string(id), jan);
    ASSERT_EQ(details.status, 200) << details.body;
    auto d = details.json();
    EXPECT_EQ(str(d.at("state")), "resolved");
    EXPECT_EQ(str(d.at("outcome")), "called_back");
    std::vector<std::string> kinds;
    for (const auto& e : d.at("events").as_array())
        kinds.push_back(str(e.as_object().at("kind")));
    ASSERT_GE(kinds.size(), 4u);
    EXPECT_EQ(kinds.front(), "created");
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "notified"), kinds.end());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "acknowledged"), kinds.end());
    EXPECT_EQ(kinds.back(), "resolved");

    auto metrics = http_get(port(), "/metrics");
    EXPECT_NE(metrics.body.find("ask_requests_total{channel=\"web\",priority=\"urgent\"} 1"), std::string::npos)
        << metrics.body;
    EXPECT_NE(metrics.body.find("ask_time_to_acknowledge_seconds_count 1"), std::string::npos);
}

TEST_F(staff_story, off_duty_staff_see_the_queue_but_are_not_rung) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob", false);
    auto r = press(jan, "urgent");
    ASSERT_EQ(r.status, 201);
    auto id = id_of(r.json());
    ASSERT_TRUE(anna->next_of("alert", 1s));
    EXPECT_TRUE(bob->next_of("alert_update", 1s, [&](const auto& m) { return is_alert_for(m, id); }));
    EXPECT_TRUE(bob->quiet_for("alert", 1500ms));

    // Going on duty rings what is waiting, at once.
    bob->send(boost::json::object{{"type", "duty"}, {"on", true}});
    EXPECT_TRUE(bob->next_of("alert", 1s, [&](const auto& m) { return is_alert_for(m, id); }));
}

// Every dashboard of a person shows the duty they set, from whichever dashboard or over HTTP, so a
// second tab's switch never claims "off duty" while that person is being rung.
TEST_F(staff_story, a_duty_change_shows_on_every_dashboard_of_that_person) {
    auto first_tab = dashboard("anna", false);
    auto second_tab = dashboard("anna", false);
    auto bob = dashboard("bob", false);
    auto duty_is = [](bool on) {
        return [on](const boost::json::object& m) { return m.at("on_duty") == on; };
    };

    first_tab->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "on"}});
    EXPECT_TRUE(first_tab->next_of("duty", 2s, duty_is(true)));
    EXPECT_TRUE(first_tab->next_of("ok", 2s));
    EXPECT_TRUE(second_tab->next_of("duty", 2s, duty_is(true))) << "the other tab still shows off duty";

    auto off = http_post(port(), "/api/v1/duty", R"({"on":false})", login(port(), "anna", staff_password));
    ASSERT_EQ(off.status, 200) << off.body;
    EXPECT_TRUE(first_tab->next_of("duty", 2s, duty_is(false)));
    EXPECT_TRUE(second_tab->next_of("duty", 2s, duty_is(false)));
    EXPECT_TRUE(bob->quiet_for("duty", 500ms)) << "someone else's duty is not Bob's";

    auto third_tab = dashboard("anna", false);
    EXPECT_EQ(last_snapshot.at("me").at("on_duty"), false);
}

TEST_F(staff_story, nobody_on_duty_keeps_the_request_queued_and_the_resident_is_told) {
    auto page = resident_socket(jan);
    auto r = press(jan, "urgent");
    ASSERT_EQ(r.status, 201);
    EXPECT_EQ(str(r.json().at("state")), "queued");
    auto status = page->next_of("status", 2s);
    ASSERT_TRUE(status);
    EXPECT_EQ(str(status->at("state")), "queued");

    auto anna = dashboard("anna");
    EXPECT_TRUE(anna->next_of("alert", 1s));
    auto moving = page->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "notifying"; });
    EXPECT_TRUE(moving) << "the resident was not told staff are now being alerted";
}

// "Rozmawiałem(-am)" before the request is taken is refused as not taken; a second one, from the holder's
// other dashboard after the first, is refused as recorded already, not as a request nobody has taken.
TEST_F(staff_story, marking_contact_twice_says_it_is_recorded_already) {
    auto anna = dashboard("anna");
    auto id = id_of(press(jan, "normal").json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    auto refusal = [&](ws_client& ws, const std::string& ref) {
        auto m = ws.next_of("error", 2s, [&](const auto& e) { return e.at("ref").as_string() == ref; });
        return m ? str(m->at("code")) : std::string("(no error)");
    };
    anna->send(boost::json::object{{"type", "contacted"}, {"id", id}, {"ref", "early"}});
    EXPECT_EQ(refusal(*anna, "early"), "not_acknowledged");
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto other = dashboard("anna");
    anna->send(boost::json::object{{"type", "contacted"}, {"id", id}, {"ref", "first"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref").as_string() == "first"; }));
    other->send(boost::json::object{{"type", "contacted"}, {"id", id}, {"ref", "second"}});
    EXPECT_EQ(refusal(*other, "second"), "already_contacted");
}

TEST_F(staff_story, two_staff_racing_to_acknowledge_exactly_one_wins) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    for (int round = 0; round < 5; ++round) {
        auto r = press(jan, "urgent", "", "race-" + std::to_string(round));
        ASSERT_EQ(r.status, 201);
        auto id = id_of(r.json());
        ASSERT_TRUE(anna->next_of("alert", 1s, [&](const auto& m) { return is_alert_for(m, id); }));
        ASSERT_TRUE(bob->next_of("alert", 1s, [&](const auto& m) { return is_alert_for(m, id); }));
        anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "race"}});
        bob->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "race"}});
        auto reply = [&](ws_client& ws) {
            return ws.next(2s).value_or(boost::json::object{});
        };
        auto is_reply = [](const boost::json::object& m) {
            auto t = m.at("type").as_string();
            return t == "ok" || t == "error";
        };
        boost::json::object a, b;
        for (int i = 0; i < 20 && (a.empty() || !is_reply(a)); ++i)
            a = reply(*anna);
        for (int i = 0; i < 20 && (b.empty() || !is_reply(b)); ++i)
            b = reply(*bob);
        ASSERT_FALSE(a.empty());
        ASSERT_FALSE(b.empty());
        int wins = (a.at("type").as_string() == "ok") + (b.at("type").as_string() == "ok");
        EXPECT_EQ(wins, 1) << boost::json::serialize(a) << " / " << boost::json::serialize(b);
        const auto& loser = a.at("type").as_string() == "ok" ? b : a;
        EXPECT_EQ(str(loser.at("code")), "already_acknowledged");
        auto d = http_get(port(), "/api/v1/requests/" + std::to_string(id), jan).json();
        EXPECT_EQ(str(d.at("acknowledged_by").as_object().at("name")),
                  a.at("type").as_string() == "ok" ? "Anna" : "Bob");
        int acks = 0;
        for (const auto& e : d.at("events").as_array())
            acks += e.as_object().at("kind").as_string() == "acknowledged";
        EXPECT_EQ(acks, 1);
        // Closed, so Jan's next press is a new request rather than "I still need help" on this one.
        auto& winner = a.at("type").as_string() == "ok" ? *anna : *bob;
        winner.send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}});
        ASSERT_TRUE(winner.next_of("ok", 2s));
    }
}

} // namespace
} // namespace ask::test
