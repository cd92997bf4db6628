// Who of the staff was shown a resident's card (name, phone, address, needs: RODO art. 9 data): each
// dashboard a card is sent to, and each member reading a request's details or history over the API, is
// recorded, a row per person, resident and day, in the resident's export.
// The record waits while the store refuses it and is stored when it can be, or as askd stops.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <algorithm>
#include <ctime>
#include <functional>
#include <thread>

namespace ask::test {
namespace {

using rows = std::vector<std::vector<std::string>>;

// Makes every write of the record fail, as a full disk would only for it.
constexpr const char* refuse_views =
    "CREATE TRIGGER refuse_views BEFORE INSERT ON resident_views BEGIN SELECT json('not json'); END";
constexpr const char* not_stored_yet = "records of staff shown a resident's card not stored yet";

class resident_views : public office_fixture {
  protected:
    // No repeated alert within a test: each card a dashboard gets comes from what the test does. Two
    // offices: "demo" (Anna, Bob, Jan, Maria) and "las".
    resident_views()
        : office_fixture("[alerts]\nrenotify_seconds = 600\n"
                         "[[offices]]\nslug = \"demo\"\nname = \"Urząd Testowy\"\ntime_zone = \"UTC\"\n"
                         "[[offices]]\nslug = \"las\"\nname = \"Urząd Leśny\"\ntime_zone = \"UTC\"\n") {}

    /// The usernames of the staff recorded as shown the resident's card, in order.
    rows shown(const std::string& resident_name) {
        return db_probe(askd.db_path())
            .rows("SELECT s.username FROM resident_views v JOIN staff s ON s.id = v.staff_id "
                  "JOIN residents r ON r.id = v.resident_id WHERE r.name = ?1 ORDER BY s.username",
                  resident_name);
    }
    /// Anna's dashboard rings with Jan's request while a trigger makes the record's writes fail, until
    /// askd has tried to store it once. Returns the dashboard (kept open by the caller).
    std::unique_ptr<ws_client> shown_jans_card_the_store_refuses_to_record() {
        change_the_file(askd.db_path(), refuse_views);
        auto anna = dashboard("anna");
        EXPECT_EQ(press(jan, "normal", "Proszę o telefon").status, 201);
        EXPECT_TRUE(anna->next_of("alert", 2s));
        EXPECT_TRUE(eventually([&] { return askd.log().find(not_stored_yet) != std::string::npos; }))
            << askd.log();
        return anna;
    }
    /// Jan presses and cancels with no dashboard open, so nobody has been shown his card; the request's id,
    /// and a member of the other office, "las": Iga.
    std::string jan_cancels_unseen_and_iga_joins_las() {
        auto pressed = press(jan, "normal", "Proszę o telefon");
        EXPECT_EQ(pressed.status, 201);
        auto id = std::to_string(pressed.json().at("id").as_int64());
        EXPECT_EQ(http_post(port(), "/api/v1/requests/" + id + "/cancel", "", jan).status, 200);
        wait_for_the_start_jobs();
        EXPECT_TRUE(shown("Jan Kowalski").empty()) << testing::PrintToString(shown("Jan Kowalski"));
        askd.add_staff("iga", "Iga", staff_password, "staff", "", "las");
        return id;
    }
    boost::json::object exported(const std::vector<std::string>& options) {
        std::vector<std::string> args{"resident", "export", "--config", askd.config_path()};
        args.insert(args.end(), options.begin(), options.end());
        auto r = run_askd(args);
        EXPECT_EQ(r.exit_code, 0) << r.err;
        return boost::json::parse(r.out).as_object();
    }
};

TEST_F(resident_views, every_dashboard_a_card_reaches_is_recorded_once_a_day_and_exported) {
    askd.add_staff("ewa", "Ewa", staff_password);
    auto anna = dashboard("anna");
    auto ewa = dashboard("ewa", false);
    ASSERT_EQ(press(jan, "normal", "Proszę o telefon").status, 201);
    ASSERT_TRUE(anna->next_of("alert", 2s)) << "rung on duty";
    ASSERT_TRUE(ewa->next_of("alert_update", 2s)) << "the quiet update off duty";
    EXPECT_TRUE(eventually([&] {
        return shown("Jan Kowalski") == rows{{"anna"}, {"ewa"}};
    })) << testing::PrintToString(shown("Jan Kowalski"));

    auto bob = dashboard("bob", false);
    ASSERT_EQ(last_snapshot.at("alerts").as_array().size(), 1u) << "Jan's card in Bob's snapshot";
    EXPECT_TRUE(eventually([&] {
        return shown("Jan Kowalski") == rows{{"anna"}, {"bob"}, {"ewa"}};
    })) << testing::PrintToString(shown("Jan Kowalski"));
    EXPECT_TRUE(shown("Maria Wiśniewska").empty()) << "nobody was shown Maria's card";

    EXPECT_EQ(metric(port(), "ask_views_lost_total"), 0);

    auto today = [](std::time_t t) {
        char out[11];
        std::strftime(out, sizeof out, "%Y-%m-%d", std::gmtime(&t));
        return std::string(out);
    };
    auto now = std::time(nullptr);
    // The resident's copy says on which days their card was shown, by role, naming no employee.
    auto document = exported({"--phone", "+48 600 100 200"});
    const auto& views = document.at("resident").at("card_shown_to_staff").as_array();
    ASSERT_EQ(views.size(), 3u) << boost::json::serialize(document);
    for (const auto& v : views) {
        const auto& view = v.as_object();
        auto day = str(view.at("day_utc"));
        EXPECT_TRUE(day == today(now) || day == today(now - 60)) << boost::json::serialize(view);
        EXPECT_TRUE(str(view.at("first_at")).starts_with(day)) << boost::json::serialize(view);
        EXPECT_EQ(str(view.at("role")), "staff");
        EXPECT_FALSE(view.contains("username") || view.contains("name") || view.contains("staff_id"))
            << boost::json::serialize(view);
    }
    // The office's own check names them.
    std::vector<std::string> names;
    auto named = exported({"--phone", "+48 600 100 200", "--staff-names"});
    for (const auto& v : named.at("resident").at("card_shown_to_staff").as_array())
        names.emplace_back(v.at("username").as_string());
    std::sort(names.begin(), names.end());
    EXPECT_EQ(names, (std::vector<std::string>{"anna", "bob", "ewa"})) << boost::json::serialize(named);
    EXPECT_TRUE(
        exported({"--phone", "600 300 400"}).at("resident").at("card_shown_to_staff").as_array().empty());
}

TEST_F(resident_views,
       staff_reading_a_requests_details_or_history_over_the_api_are_recorded_as_shown_the_card) {
    auto id = jan_cancels_unseen_and_iga_joins_las();
    ASSERT_FALSE(HasFailure());

    // A member of another office is refused both, and shown nothing.
    auto iga = login(port(), "iga", staff_password);
    ASSERT_EQ(http_get(port(), "/api/v1/requests/" + id + "/events", iga).status, 404);
    ASSERT_EQ(http_get(port(), "/api/v1/requests/" + id, iga).status, 404);

    // Bob reads the closed request's history, Anna its details (with the card).
    ASSERT_EQ(
        http_get(port(), "/api/v1/requests/" + id + "/events", login(port(), "bob", staff_password)).status,
        200);
    auto anna = login(port(), "anna", staff_password);
    ASSERT_EQ(http_get(port(), "/api/v1/requests/" + id, anna).status, 200);
    EXPECT_TRUE(eventually([&] {
        return shown("Jan Kowalski") == rows{{"anna"}, {"bob"}};
    })) << testing::PrintToString(shown("Jan Kowalski"))
        << " (Iga must not be among them)";
}

// The list of closed requests shows Jan's name, how his request ended and the staff's note: whoever reads
// it is recorded as shown his card; a member of another office gets their own office's list, without him.
TEST_F(resident_views, staff_reading_the_list_of_closed_requests_are_recorded_as_shown_each_resident_listed) {
    jan_cancels_unseen_and_iga_joins_las();
    ASSERT_FALSE(HasFailure());
    auto theirs = http_get(port(), "/api/v1/requests?state=closed", login(port(), "iga", staff_password));
    ASSERT_EQ(theirs.status, 200);
    EXPECT_TRUE(theirs.json().at("requests").as_array().empty()) << theirs.body;
    auto ours = http_get(port(), "/api/v1/requests?state=closed", login(port(), "bob", staff_password));
    ASSERT_EQ(ours.status, 200);
    ASSERT_EQ(ours.json().at("requests").as_array().size(), 1u) << ours.body;
    EXPECT_TRUE(eventually([&] { return shown("Jan Kowalski") == rows{{"bob"}}; }))
        << testing::PrintToString(shown("Jan Kowalski"));
}

TEST_F(resident_views, records_the_store_refuses_wait_and_are_stored_once_it_takes_them) {
    auto anna = shown_jans_card_the_store_refuses_to_record();
    ASSERT_FALSE(HasFailure());
    EXPECT_EQ(metric(port(), "ask_views_waiting"), 1);
    EXPECT_TRUE(shown("Jan Kowalski").empty());

    change_the_file(askd.db_path(), "DROP TRIGGER refuse_views");
    EXPECT_TRUE(eventually([&] { return shown("Jan Kowalski") == rows{{"anna"}}; })) << askd.log();
    EXPECT_EQ(metric(port(), "ask_views_waiting"), 0);
    EXPECT_EQ(metric(port(), "ask_views_lost_total"), 0);
}

// The upkeep tries again a second after a failure; askd is stopped within milliseconds of the store
// taking the record again, so what stores it is the stop. Should the retry land in between, the test
// says it was skipped rather than pass without the stop's path.
TEST_F(resident_views, records_waiting_as_askd_stops_are_stored_before_it_exits) {
    auto anna = shown_jans_card_the_store_refuses_to_record();
    ASSERT_FALSE(HasFailure());
    change_the_file(askd.db_path(), "DROP TRIGGER refuse_views");
    ASSERT_EQ(askd.terminate(5s), 0);
    EXPECT_EQ(shown("Jan Kowalski"), (rows{{"anna"}})) << askd.log();
    if (askd.log().find("are stored again") != std::string::npos)
        GTEST_SKIP() << "the upkeep's retry stored the record before the stop: the stop's path was not run";
}

} // namespace
} // namespace ask::test
