// The resident-facing API: idempotent creation, cancel, reading a request, the resident
// WebSocket, login and health. Every "received" is checked against the database file.
#include "tests/integration/office_fixture.hpp"

#include <sqlite3.h>

#include <future>
#include <map>

namespace ask::test {
namespace {

class requests_api : public office_fixture {
protected:
    // Counts rows straight from the SQLite file, as a second reader would see them.
    int count_rows(const std::string& sql) {
        sqlite3* db = nullptr;
        EXPECT_EQ(sqlite3_open_v2(askd.db_path().c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
        sqlite3_stmt* stmt = nullptr;
        EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr), SQLITE_OK) << sql;
        int n = sqlite3_step(stmt) == SQLITE_ROW ? sqlite3_column_int(stmt, 0) : -1;
        sqlite3_finalize(stmt);
        sqlite3_close(db);
        return n;
    }
};

TEST_F(requests_api, created_request_is_in_the_database_when_201_arrives) {
    auto r = press(jan, "normal", "Proszę o kontakt", "k-1");
    ASSERT_EQ(r.status, 201) << r.body;
    auto id = id_of(r.json());
    EXPECT_EQ(count_rows("SELECT count(*) FROM requests WHERE id = " + std::to_string(id)), 1);
}

TEST_F(requests_api, a_retry_with_the_same_request_id_returns_the_same_request) {
    auto first = press(jan, "urgent", "Pomocy", "button-7f3a");
    ASSERT_EQ(first.status, 201);
    auto retry = press(jan, "urgent", "Pomocy", "button-7f3a");
    ASSERT_EQ(retry.status, 200) << retry.body;
    EXPECT_EQ(id_of(retry.json()), id_of(first.json()));
    EXPECT_EQ(count_rows("SELECT count(*) FROM requests"), 1);

    auto different = press(jan, "normal", "Inna sprawa", "button-7f3a");
    EXPECT_EQ(different.status, 409) << different.body;
    EXPECT_EQ(str(different.json().at("error").as_object().at("code")), "conflict");

    // The same key from another resident is another request.
    auto other = press(maria, "urgent", "Pomocy", "button-7f3a");
    EXPECT_EQ(other.status, 201);
    EXPECT_EQ(count_rows("SELECT count(*) FROM requests"), 2);
}

// A button whose answer was lost retries its first press after a second press raised the request
// to urgent: the retry is the stored press, not a conflict.
TEST_F(requests_api, a_retry_after_a_repeat_raised_the_request_still_finds_it) {
    auto first = press(jan, "normal", "Proszę o telefon", "button-1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto again = press(jan, "normal", "Proszę o telefon", "button-2");
    ASSERT_EQ(again.status, 200) << again.body;
    ASSERT_TRUE(again.json().at("merged").as_bool());
    ASSERT_EQ(count_rows("SELECT count(*) FROM requests WHERE priority = 'urgent'"), 1);

    auto retry = press(jan, "normal", "Proszę o telefon", "button-1");
    EXPECT_EQ(retry.status, 200) << retry.body;
    EXPECT_EQ(id_of(retry.json()), id_of(first.json()));
    EXPECT_EQ(count_rows("SELECT repeat_count FROM requests"), 1) << "the retry was counted as another press";
    EXPECT_EQ(press(jan, "normal", "Inna sprawa", "button-1").status, 409) << "a different message is still a conflict";
}

TEST_F(requests_api, resident_cancels_own_request_only) {
    auto anna = dashboard("anna");
    auto r = press(jan, "normal");
    auto id = id_of(r.json());
    auto path = "/api/v1/requests/" + std::to_string(id);

    auto by_maria = http_post(port(), path + "/cancel", "", maria);
    EXPECT_EQ(by_maria.status, 404) << by_maria.body;
    EXPECT_EQ(http_post(port(), path + "/cancel", "").status, 401) << "no token";
    EXPECT_EQ(http_post(port(), path + "/cancel", "", "no-such-token").status, 401);

    auto cancelled = http_post(port(), path + "/cancel", "", jan);
    ASSERT_EQ(cancelled.status, 200) << cancelled.body;
    EXPECT_EQ(str(cancelled.json().at("state")), "cancelled");
    EXPECT_TRUE(anna->next_of("alert_update", 2s, [&](const auto& m) {
        return m.at("alert").as_object().at("state").as_string() == "cancelled";
    }));

    auto again = http_post(port(), path + "/cancel", "", jan);
    EXPECT_EQ(again.status, 404);

    // A cancelled request is no longer in the queue of a fresh dashboard.
    auto bob = dashboard("bob", false);
    EXPECT_TRUE(last_snapshot.at("alerts").as_array().empty());
}

TEST_F(requests_api, request_details_are_visible_to_their_resident_and_office_staff_only) {
    auto id = id_of(press(jan, "urgent", "Test").json());
    auto path = "/api/v1/requests/" + std::to_string(id);
    EXPECT_EQ(http_get(port(), path, jan).status, 200);
    EXPECT_EQ(http_get(port(), path, maria).status, 404);
    EXPECT_EQ(http_get(port(), path, "not-a-token").status, 401);
    EXPECT_EQ(http_get(port(), path).status, 401);
    auto staff_token = login(port(), "anna", staff_password);
    auto by_staff = http_get(port(), path, staff_token);
    ASSERT_EQ(by_staff.status, 200);
    EXPECT_EQ(str(by_staff.json().at("message")), "Test");
    auto by_cookie = http_request(port(), "GET", path, "", {{"Cookie", "ask_session=" + staff_token}});
    EXPECT_EQ(by_cookie.status, 200);
    EXPECT_EQ(http_get(port(), "/api/v1/requests/999999", jan).status, 404);
    EXPECT_EQ(http_get(port(), "/api/v1/requests/abc", jan).status, 404);
}

TEST_F(requests_api, resident_websocket_requests_cancels_and_gets_status_after_reconnect) {
    auto page = resident_socket(jan);
    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"request_id", "ws-1"}, {"ref", "r1"}});
    auto accepted = page->next_of("accepted", 2s);
    ASSERT_TRUE(accepted);
    EXPECT_EQ(str(accepted->at("ref")), "r1");
    EXPECT_TRUE(accepted->at("created").as_bool());
    auto id = id_of(*accepted);

    // A reload shows where the request stands.
    page.reset();
    auto again = resident_socket(jan);
    auto status = again->next_of("status", 2s);
    ASSERT_TRUE(status);
    EXPECT_EQ(id_of(*status), id);
    EXPECT_EQ(str(status->at("state")), "queued");
    EXPECT_FALSE(str(status->at("text").as_object().at("pl")).empty());

    again->send(boost::json::object{{"type", "cancel"}, {"id", id}, {"ref", "c1"}});
    EXPECT_TRUE(again->next_of("ok", 2s));
    auto cancelled = again->next_of("status", 2s, [](const auto& m) { return m.at("state").as_string() == "cancelled"; });
    EXPECT_TRUE(cancelled);
}

TEST_F(requests_api, login_sets_a_session_cookie_and_refuses_wrong_passwords) {
    auto ok = http_post(port(), "/api/v1/login", R"({"username":"anna","password":"correct horse battery"})");
    ASSERT_EQ(ok.status, 200) << ok.body;
    auto cookie = ok.headers["set-cookie"];
    EXPECT_NE(cookie.find("ask_session="), std::string::npos);
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_TRUE(ok.json().contains("expires_at"));

    EXPECT_EQ(http_post(port(), "/api/v1/login", R"({"username":"anna","password":"wrong"})").status, 401);
    EXPECT_EQ(http_post(port(), "/api/v1/login", R"({"username":"nobody","password":"whatever"})").status, 401);
    EXPECT_EQ(askd.log().find("correct horse battery"), std::string::npos) << "a password reached the log";
}

TEST_F(requests_api, repeated_wrong_passwords_lock_that_username_for_a_while) {
    for (int i = 0; i < 5; ++i)
        EXPECT_EQ(http_post(port(), "/api/v1/login", R"({"username":"bob","password":"guess"})").status, 401);
    auto locked = http_post(port(), "/api/v1/login", R"({"username":"bob","password":"correct horse battery"})");
    EXPECT_EQ(locked.status, 429) << locked.body;
    EXPECT_EQ(str(locked.json().at("error").as_object().at("code")), "too_many_attempts");
    // The window began with the first of the five wrong passwords, a moment ago.
    ASSERT_TRUE(locked.headers.contains("retry-after")) << locked.body;
    auto wait = std::stoi(locked.headers["retry-after"]);
    EXPECT_GT(wait, 14 * 60) << locked.headers["retry-after"];
    EXPECT_LE(wait, 15 * 60) << locked.headers["retry-after"];
    // Other accounts are unaffected.
    EXPECT_FALSE(login(port(), "anna", staff_password).empty());
}

// Guesses sent all at once: each was let in before any had failed, so all were checked. Now a check
// under way counts, and no more than five of twenty are.
TEST_F(requests_api, wrong_passwords_sent_at_once_get_no_more_checks_than_one_after_another) {
    std::vector<std::future<int>> guesses;
    for (int i = 0; i < 20; ++i)
        guesses.push_back(std::async(std::launch::async, [this, i] {
            auto body = R"({"username":"bob","password":"guess )" + std::to_string(i) + R"("})";
            return http_post(port(), "/api/v1/login", body).status;
        }));
    std::map<int, int> answers;
    for (auto& g : guesses)
        ++answers[g.get()];
    EXPECT_EQ(answers, (std::map<int, int>{{401, 5}, {429, 15}}));
    EXPECT_EQ(
        http_post(port(), "/api/v1/login", R"({"username":"bob","password":"correct horse battery"})").status,
        429)
        << "locked, as after five guesses one by one";
}

// A foreign page that signs a browser in as its own account would have that browser's dashboard come back
// as that account, in its office: sign-in takes JSON from our own Origin (or from a tool, with none).
TEST_F(requests_api, a_foreign_page_cannot_sign_a_browser_in) {
    auto body = std::string(R"({"username":"anna","password":"correct horse battery"})");
    auto host = "127.0.0.1:" + std::to_string(port());
    for (int i = 0; i < 6; ++i) {
        auto foreign =
            http_request(port(), "POST", "/api/v1/login", body,
                         {{"Content-Type", "application/json"}, {"Origin", "https://evil.example"}});
        EXPECT_EQ(foreign.status, 403) << foreign.body;
        EXPECT_FALSE(foreign.headers.contains("set-cookie"));
        // What an HTML form can send: text/plain whose body reads as JSON.
        auto form = http_request(port(), "POST", "/api/v1/login", body, {{"Content-Type", "text/plain"}});
        EXPECT_EQ(form.status, 415) << form.body;
        EXPECT_FALSE(form.headers.contains("set-cookie"));
    }
    // Refused before any password check: no lockout after more than five.
    auto own =
        http_request(port(), "POST", "/api/v1/login", body,
                     {{"Content-Type", "application/json; charset=UTF-8"}, {"Origin", "http://" + host}});
    ASSERT_EQ(own.status, 200) << own.body;
    EXPECT_NE(own.headers["set-cookie"].find("ask_session="), std::string::npos);
}

TEST_F(requests_api, staff_websocket_with_a_cookie_needs_our_own_origin) {
    auto token = login(port(), "anna", staff_password);
    auto host = "127.0.0.1:" + std::to_string(port());
    ws_client foreign(port(), "/ws/staff", {{"Cookie", "ask_session=" + token}, {"Origin", "https://evil.example"}});
    EXPECT_FALSE(foreign.connected());
    EXPECT_EQ(foreign.refusal_status(), 403);
    ws_client own(port(), "/ws/staff", {{"Cookie", "ask_session=" + token}, {"Origin", "http://" + host}});
    EXPECT_TRUE(own.connected());
    EXPECT_EQ(own.negotiated_subprotocol(), "ask.v1");
    EXPECT_TRUE(own.next_of("snapshot", 2s));
}

TEST_F(requests_api, health_and_metrics) {
    auto health = http_get(port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"ok"})");
    auto anna = dashboard("anna");
    press(jan, "normal");
    auto metrics = http_get(port(), "/metrics");
    EXPECT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.headers["content-type"].find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("ask_open_alerts 1"), std::string::npos) << metrics.body;
    EXPECT_NE(metrics.body.find("ask_websocket_connections{kind=\"staff\"} 1"), std::string::npos);
    EXPECT_NE(metrics.body.find("ask_requests_total{channel=\"web\",priority=\"normal\"} 1"), std::string::npos);
    EXPECT_EQ(metric(port(), "ask_storage_available"), 1) << metrics.body;
    auto commits = metric(port(), "ask_store_commits_total");
    EXPECT_GE(commits, 1) << "the press was committed";
    EXPECT_GE(metric(port(), "ask_store_jobs_total"), commits) << "a commit holds one job or more";
    press(jan, "urgent");
    EXPECT_GT(metric(port(), "ask_store_commits_total"), commits) << "counted as it happens";
}

} // namespace
} // namespace ask::test
