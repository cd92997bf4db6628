// SMS against the real askd: residents who need texts get one at each step (through the log
// sender here; through fake providers on loopback in sms_gateway_test.cpp).
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <sqlite3.h>

#include <thread>

namespace ask::test {
namespace {

class resident_texts : public office_fixture {
  protected:
    using office_fixture::office_fixture;
    bool wait_texts(const std::string& tail, std::size_t n) {
        for (int i = 0; i < 30 && texts_to(tail).size() < n; ++i)
            std::this_thread::sleep_for(100ms);
        return texts_to(tail).size() >= n;
    }
};

TEST_F(resident_texts, a_deaf_resident_is_texted_received_taken_and_resolved_once_each) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 123", "deaf");
    auto anna = dashboard("anna");
    auto pressed = press(ewa, "urgent", "Proszę o SMS");
    ASSERT_EQ(pressed.status, 201) << askd.log();
    auto id = id_of(pressed.json());
    ASSERT_TRUE(wait_texts("123", 1)) << askd.log();
    EXPECT_NE(texts_to("123")[0].find("zgłoszenie nr " + std::to_string(id) + ": Twoje zgłoszenie zostało przyjęte"),
              std::string::npos)
        << texts_to("123")[0];

    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("123", 2));
    EXPECT_NE(texts_to("123")[1].find("Anna z urzędu skontaktuje się z Tobą."), std::string::npos) << texts_to("123")[1];

    anna->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("123", 3));
    EXPECT_NE(texts_to("123")[2].find("Sprawa została zakończona"), std::string::npos);

    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(texts_to("123").size(), 3u) << "a stage was texted twice";
    auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                           login(port(), "anna", staff_password)).json().at("events").as_array();
    int recorded = 0;
    for (const auto& e : events)
        recorded += e.as_object().at("kind").as_string() == "resident_sms";
    EXPECT_EQ(recorded, 3) << "every text is in the request's history";
}

// Józef pressed his physical button, which shows nothing, while nobody is on duty. The answer to the device
// says so (for a device that can light or say something), and Józef is texted so, with 112; then that staff
// are alerted, as Anna goes on duty, and once she takes it, who will call. A web press by a resident who can
// hear is not texted: the page shows it all.
TEST_F(resident_texts, a_button_press_is_answered_and_texted_where_it_stands) {
    auto jozef = askd.add_resident("Józef Nowak", "+48 600 555 130", "wheelchair");
    auto pressed =
        http_post(port(), "/api/v1/requests", R"({"priority":"urgent","channel":"button"})", jozef);
    ASSERT_EQ(pressed.status, 201) << pressed.body;
    auto answer = pressed.json();
    EXPECT_EQ(answer.at("office_closed"), true) << pressed.body;
    const std::string said = answer.at("text").as_object().at("pl").as_string().c_str();
    EXPECT_EQ(said.rfind("Nikt z urzędu nie ma teraz dyżuru.", 0), 0u) << said;
    EXPECT_NE(said.find("dzwoń pod 112"), std::string::npos) << said;
    ASSERT_TRUE(wait_texts("130", 1)) << askd.log();
    EXPECT_NE(texts_to("130")[0].find("Nikt z urzędu nie ma teraz dyżuru."), std::string::npos)
        << texts_to("130")[0];

    auto anna = dashboard("anna"); // on duty: Józef hears that staff are being alerted now
    ASSERT_TRUE(wait_texts("130", 2)) << askd.log();
    EXPECT_NE(texts_to("130")[1].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("130")[1];
    anna->send(boost::json::object{{"type", "ack"}, {"id", answer.at("id").as_int64()}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("130", 3)) << askd.log();
    EXPECT_NE(texts_to("130").back().find("Anna z urzędu skontaktuje się z Tobą."), std::string::npos)
        << texts_to("130").back();

    auto ala = askd.add_resident("Ala Nowak", "+48 600 555 131", "wheelchair");
    auto from_page = press(ala, "normal");
    ASSERT_EQ(from_page.status, 201) << from_page.body;
    EXPECT_EQ(from_page.json().at("office_closed"), false) << "Anna is on duty";
    std::this_thread::sleep_for(700ms);
    EXPECT_TRUE(texts_to("131").empty()) << texts_to("131").front();
}

// A button's request closed with no text to its resident recorded (made before button presses were texted,
// as the deletion below leaves it): askd starting within the hour does not text Józef how it ended, out of
// the blue.
TEST_F(resident_texts, a_closed_button_request_never_texted_is_not_texted_as_askd_starts) {
    auto jozef = askd.add_resident("Józef Nowak", "+48 600 555 132", "wheelchair");
    auto anna = dashboard("anna");
    auto pressed =
        http_post(port(), "/api/v1/requests", R"({"priority":"normal","channel":"button"})", jozef);
    ASSERT_EQ(pressed.status, 201) << pressed.body;
    auto id = pressed.json().at("id").as_int64();
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    anna->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("132", 3)) << askd.log();
    anna.reset();
    ASSERT_EQ(askd.terminate(5s), 0) << askd.log();
    change_the_file(askd.db_path(), "DELETE FROM request_events WHERE kind IN ('resident_sms', 'sms_sent')");
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(texts_to("132").size(), 3u) << askd.log();
}

// Texts whose record cannot be written: a trigger the test adds makes it fail with an error of the
// storage (SQLITE_ERROR), as a failing disk would.
class resident_texts_unrecorded : public resident_texts {
protected:
    void SetUp() override {
        resident_texts::SetUp();
        ewa = askd.add_resident("Ewa Głucha", "+48 600 555 124", "deaf");
        ASSERT_EQ(sqlite3_open(askd.db_path().c_str(), &db), SQLITE_OK);
        sqlite3_busy_timeout(db, 5000);
        exec("CREATE TRIGGER refuse_resident_sms BEFORE INSERT ON request_events WHEN NEW.kind = "
             "'resident_sms' "
             "BEGIN SELECT json('not json'); END");
    }
    void TearDown() override { sqlite3_close(db); }

    void exec(const char* sql) {
        EXPECT_EQ(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    }
    int refusals() { return log_count("text to the resident not recorded"); }
    /// Ewa presses; returns the request's id once her "received" text was refused `n` times.
    std::int64_t press_refused(int n) {
        auto pressed = press(ewa, "urgent", "Proszę o SMS");
        EXPECT_EQ(pressed.status, 201) << askd.log();
        for (int i = 0; i < 80 && refusals() < n; ++i)
            std::this_thread::sleep_for(100ms);
        EXPECT_GE(refusals(), n) << "the text was not tried again\n" << askd.log();
        EXPECT_TRUE(texts_to("124").empty()) << "a text went out unrecorded";
        return id_of(pressed.json());
    }
    int recorded(std::int64_t id) {
        auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                               login(port(), "anna", staff_password)).json();
        int n = 0;
        for (const auto& e : events.at("events").as_array())
            n += e.as_object().at("kind").as_string() == "resident_sms";
        return n;
    }

    std::string ewa;
    sqlite3* db = nullptr;
};

// Neither sent unrecorded nor dropped: the text is tried again, and goes out once its record can be written.
TEST_F(resident_texts_unrecorded, a_text_is_tried_again_until_it_is_recorded) {
    auto id = press_refused(2);
    exec("DROP TRIGGER refuse_resident_sms");
    for (int i = 0; i < 60 && texts_to("124").empty(); ++i)
        std::this_thread::sleep_for(100ms);
    ASSERT_EQ(texts_to("124").size(), 1u) << askd.log();
    EXPECT_NE(texts_to("124")[0].find("Twoje zgłoszenie czeka w kolejce"), std::string::npos) << texts_to("124")[0];
    EXPECT_EQ(recorded(id), 1);
}

// A newer step ends the wait of a text to be tried again and goes instead, at once: after three
// refusals the "received" text waits 4 s, and Anna's taking the request must not wait with it.
TEST_F(resident_texts_unrecorded, a_newer_step_goes_at_once_instead_of_the_waiting_text) {
    auto anna = dashboard("anna");
    auto id = press_refused(3);
    exec("DROP TRIGGER refuse_resident_sms");
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    for (int i = 0; i < 15 && texts_to("124").empty(); ++i)
        std::this_thread::sleep_for(100ms);
    ASSERT_EQ(texts_to("124").size(), 1u) << "the newer text waited for the older one's retry\n" << askd.log();
    EXPECT_NE(texts_to("124")[0].find("Anna z urzędu skontaktuje się z Tobą."), std::string::npos)
        << texts_to("124")[0];
    std::this_thread::sleep_for(4s);
    EXPECT_EQ(texts_to("124").size(), 1u) << "the replaced text went out after all";
    EXPECT_EQ(recorded(id), 1);
}

// A request cancelled while its text waits to be tried again: the text is dropped, not sent later.
TEST_F(resident_texts_unrecorded, a_cancelled_request_drops_its_waiting_text) {
    auto id = press_refused(2);
    exec("DROP TRIGGER refuse_resident_sms"); // the next try, due 2 s after the second refusal, would work
    ASSERT_EQ(http_post(port(), "/api/v1/requests/" + std::to_string(id) + "/cancel", "", ewa).status, 200);
    std::this_thread::sleep_for(3s);
    EXPECT_TRUE(texts_to("124").empty()) << "a text went out about a cancelled request: " << texts_to("124")[0];
    EXPECT_EQ(recorded(id), 0);
}

// askd died between a change's commit and the record of its text: as it starts again, the resident is
// texted where the request stands, once. Nothing else would tell them: the provider's retry of their
// own text finds the request already made.
TEST_F(resident_texts_unrecorded, a_text_not_recorded_before_a_crash_goes_out_as_askd_starts_again) {
    auto id = press_refused(1);
    askd.kill9();
    exec("DROP TRIGGER refuse_resident_sms");
    askd.start();
    ASSERT_TRUE(wait_texts("124", 1)) << "Ewa was never told her request was received\n" << askd.log();
    EXPECT_NE(texts_to("124")[0].find("zgłoszenie nr " + std::to_string(id) +
                                      ": Nikt z urzędu nie ma teraz dyżuru"),
              std::string::npos)
        << texts_to("124")[0];
    EXPECT_EQ(recorded(id), 1);

    askd.kill9(); // recorded now: the next start has nothing to tell her
    askd.start();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(texts_to("124").size(), 1u) << askd.log();
    EXPECT_EQ(recorded(id), 1);
}

// The same as above within a stage: what was last recorded told "Anna will contact you"; Anna gave the
// request back and Bob took it, and askd died before either text was recorded. Ewa is told Bob will.
TEST_F(resident_texts_unrecorded, a_lost_text_of_the_same_stage_goes_out_as_askd_starts_again) {
    exec("DROP TRIGGER refuse_resident_sms");
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto id = id_of(press(ewa, "urgent", "Proszę o SMS").json());
    ASSERT_TRUE(wait_texts("124", 1)) << askd.log();
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 2)) << askd.log();
    EXPECT_NE(texts_to("124")[1].find("Anna z urzędu"), std::string::npos) << texts_to("124")[1];

    exec("CREATE TRIGGER refuse_resident_sms BEFORE INSERT ON request_events WHEN NEW.kind = 'resident_sms' "
         "BEGIN SELECT json('not json'); END");
    anna->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s));
    ASSERT_TRUE(eventually([&] { return refusals() >= 1; })) << askd.log();
    askd.kill9();
    exec("DROP TRIGGER refuse_resident_sms");
    askd.start();
    ASSERT_TRUE(wait_texts("124", 3)) << "Ewa still believes Anna will contact her\n" << askd.log();
    EXPECT_NE(texts_to("124")[2].find("Bob z urzędu skontaktuje się z Tobą"), std::string::npos)
        << texts_to("124")[2];
}

// A record refused for good (here a constraint: the trigger raises ABORT, as a request deleted meanwhile
// would break its foreign key) is not a storage failure a later try could get past: the text is given
// up at once, and logged as an error, rather than tried every minute for ever.
TEST_F(resident_texts_unrecorded, a_text_whose_record_is_refused_for_good_is_given_up) {
    exec("DROP TRIGGER refuse_resident_sms");
    exec("CREATE TRIGGER refuse_resident_sms BEFORE INSERT ON request_events WHEN NEW.kind = 'resident_sms' "
         "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
    auto id = press_refused(1);
    for (int i = 0; i < 30 && askd.log().find("was given up: its record is refused") == std::string::npos;
         ++i)
        std::this_thread::sleep_for(100ms);
    EXPECT_NE(askd.log().find("was given up: its record is refused"), std::string::npos) << askd.log();
    std::this_thread::sleep_for(2500ms); // a retry would have come after 1 s, and the next after 2 more
    EXPECT_EQ(refusals(), 1) << "a text refused for good was tried again\n" << askd.log();
    EXPECT_TRUE(texts_to("124").empty());
    EXPECT_EQ(recorded(id), 0);
}

// What a resident was texted must stay true: Anna gives the request back, Bob takes it and talks
// to Ewa, and Ewa presses again (Bob is to contact her again); each is texted. Staff going on and
// off duty while it waits moves it between queued and notifying, which is not news: each next
// text must be the one that follows, and the request ends resolved, whose text is the last one,
// so a text sent in between would show up in the sequence.
TEST_F(resident_texts, a_resident_is_texted_again_when_who_has_the_request_changes) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 124", "deaf");
    auto anna = dashboard("anna", false);
    auto bob = dashboard("bob", false);
    auto pressed = press(ewa, "normal", "Proszę o SMS");
    ASSERT_EQ(pressed.status, 201) << askd.log();
    auto id = id_of(pressed.json());
    ASSERT_EQ(pressed.json().at("state").as_string(), "queued") << "nobody is on duty yet";
    ASSERT_TRUE(wait_texts("124", 1)) << askd.log();
    EXPECT_NE(texts_to("124")[0].find("czeka w kolejce"), std::string::npos) << texts_to("124")[0];

    auto duty = [](ws_client& ws, bool on) {
        ws.send(boost::json::object{{"type", "duty"}, {"on", on}, {"ref", on ? "on" : "off"}});
        ASSERT_TRUE(ws.next_of("ok", 2s));
    };
    duty(*anna, true); // queued -> notifying
    ASSERT_TRUE(anna->next_of("alert", 2s)) << "Anna on duty is alerted to the waiting request";
    ASSERT_TRUE(wait_texts("124", 2)) << "Ewa, told nobody is on duty, is not told someone now is";
    EXPECT_NE(texts_to("124")[1].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("124")[1];
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 3));
    EXPECT_NE(texts_to("124")[2].find("Anna z urzędu"), std::string::npos) << texts_to("124")[2];

    anna->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 4)) << "Ewa still believes Anna will contact her";
    EXPECT_NE(texts_to("124")[3].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("124")[3];

    duty(*anna, false); // notifying -> queued
    duty(*bob, true);   // queued -> notifying
    ASSERT_TRUE(bob->next_of("alert", 2s)) << "Bob on duty is alerted to the waiting request";
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 5));
    EXPECT_NE(texts_to("124")[4].find("Bob z urzędu"), std::string::npos) << texts_to("124")[4];
    bob->send(boost::json::object{{"type", "contacted"}, {"id", id}});
    ASSERT_TRUE(bob->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 6));
    EXPECT_NE(texts_to("124")[5].find("Kontakt nawiązany"), std::string::npos) << texts_to("124")[5];

    ASSERT_EQ(press(ewa, "normal", "Nadal czekam").status, 200);
    ASSERT_TRUE(wait_texts("124", 7)) << "Ewa pressed again and was not told Bob will contact her again";
    EXPECT_NE(texts_to("124")[6].find("Bob z urzędu skontaktuje się z Tobą"), std::string::npos)
        << texts_to("124")[6];

    bob->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}});
    ASSERT_TRUE(bob->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("124", 8));
    EXPECT_NE(texts_to("124")[7].find("Sprawa została zakończona"), std::string::npos) << texts_to("124")[7];
    EXPECT_EQ(texts_to("124").size(), 8u) << askd.log();
}

// Nobody reachable for a moment (a shift handing over, a dashboard losing its connection, all of them
// reconnecting after a restart: shorter than reconnect_grace_seconds, 60 s by default) shows on the
// page but is not worth a text: a texted resident would get "nobody is on duty, call 112" and then "we
// are alerting the staff" for a blip.
TEST_F(resident_texts, nobody_on_duty_for_a_moment_is_shown_on_the_page_and_not_texted) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 125", "deaf");
    auto anna = dashboard("anna");
    auto page = resident_socket(ewa);
    auto id = id_of(press(ewa, "normal", "Proszę o SMS").json());
    ASSERT_TRUE(wait_texts("125", 1)) << askd.log();
    EXPECT_NE(texts_to("125")[0].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("125")[0];

    anna->send(boost::json::object{{"type", "duty"}, {"on", false}, {"ref", "off"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto nobody = page->next_of("status", 3s, [&](const auto& m) {
        return m.at("id") == id && m.at("state") == "queued" && m.at("office_closed").as_bool();
    });
    ASSERT_TRUE(nobody) << "the page does not show that nobody is on duty\n" << askd.log();
    anna->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "on"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(page->next_of("status", 3s, [&](const auto& m) {
        return m.at("id") == id && !m.at("office_closed").as_bool();
    })) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(texts_to("125").size(), 1u) << askd.log();
}

// Nobody on duty for longer than reconnect_grace_seconds (1 here): a deaf resident who can only read
// a text is told, with the Alarm112 app rather than "call 112", and told again once someone is alerted. The
// last dashboard closing counts as the last person going off duty: Anna may have shut the browser and gone
// home.
/// Re-notifications every second, and dashboards given `grace_seconds` to come back before nobody counts as
/// on duty.
template <int grace_seconds> class resident_texts_with_grace : public resident_texts {
  protected:
    resident_texts_with_grace()
        : resident_texts("[alerts]\nrenotify_seconds = 1\nreconnect_grace_seconds = " +
                         std::to_string(grace_seconds) + "\n") {}
};
using resident_texts_nobody_on_duty = resident_texts_with_grace<1>;

TEST_F(resident_texts_nobody_on_duty, a_resident_waiting_is_texted_when_nobody_has_been_on_duty_for_a_while) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 126", "deaf");
    auto anna = dashboard("anna");
    press(ewa, "normal", "Proszę o SMS");
    ASSERT_TRUE(wait_texts("126", 1)) << askd.log();
    EXPECT_NE(texts_to("126")[0].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("126")[0];

    anna->send(boost::json::object{{"type", "duty"}, {"on", false}, {"ref", "off"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("126", 2)) << askd.log();
    EXPECT_NE(texts_to("126")[1].find("Nikt z urzędu nie ma teraz dyżuru"), std::string::npos)
        << texts_to("126")[1];
    EXPECT_NE(
        texts_to("126")[1].find("wezwij pomoc przez aplikację Alarm112 albo poproś kogoś o telefon pod 112."),
        std::string::npos)
        << "Ewa is deaf: the way to 112 that works without a call\n"
        << texts_to("126")[1];
    EXPECT_EQ(texts_to("126")[1].find("dzwoń pod 112"), std::string::npos) << texts_to("126")[1];

    anna->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "on"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    ASSERT_TRUE(wait_texts("126", 3)) << askd.log();
    EXPECT_NE(texts_to("126")[2].find("Powiadamiamy pracowników"), std::string::npos) << texts_to("126")[2];

    anna.reset(); // the dashboard closes; Anna is still on duty, and reachable by none
    ASSERT_TRUE(wait_texts("126", 4)) << askd.log();
    EXPECT_NE(texts_to("126")[3].find("Nikt z urzędu nie ma teraz dyżuru"), std::string::npos)
        << texts_to("126")[3];
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(texts_to("126").size(), 4u) << "told once while it lasts\n" << askd.log();
}

// Anna's dashboard closes and the re-notification (every second) moves Ewa's request to queued; askd
// restarts before the grace (3 s here) is up, and no dashboard comes back. Nothing changes the request
// after that, and Ewa is told nobody is on duty all the same (what she was last told is read back from
// her request's history).
using resident_texts_nobody_after_restart = resident_texts_with_grace<3>;

TEST_F(resident_texts_nobody_after_restart, a_resident_is_told_nobody_is_on_duty_when_no_dashboard_returns) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 127", "deaf");
    auto anna = dashboard("anna");
    auto id = std::to_string(id_of(press(ewa, "normal", "Proszę o SMS").json()));
    ASSERT_TRUE(wait_texts("127", 1)) << askd.log();
    anna.reset();
    ASSERT_TRUE(eventually(
        [&] {
            db_probe db(askd.db_path());
            return db.rows("SELECT state FROM requests WHERE id = ?1", id) ==
                   std::vector<std::vector<std::string>>{{"queued"}};
        },
        3s))
        << askd.log();
    askd.kill9();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(eventually([&] { return texts_to("127").size() >= 2; }, 8s)) << askd.log();
    EXPECT_NE(texts_to("127")[1].find("Nikt z urzędu nie ma teraz dyżuru"), std::string::npos)
        << texts_to("127")[1];
    EXPECT_EQ(texts_to("127").size(), 2u);
}

TEST_F(resident_texts, residents_who_can_take_a_call_are_not_texted) {
    auto anna = dashboard("anna");
    auto id = id_of(press(jan, "urgent").json()); // hard of hearing, wheelchair: a call works
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    std::this_thread::sleep_for(500ms);
    EXPECT_TRUE(texts_to("200").empty()) << askd.log();
}

} // namespace
} // namespace ask::test
