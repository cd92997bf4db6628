// A staff member signs out (POST /api/v1/logout): exactly that session ends, in the store and on its
// open dashboards, which close at once with code 4001; the same person's other sessions stay signed in.
// Signing out again, or with no session, is answered 204 and ends nothing else; the session cookie from
// another Origin is refused.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <future>

namespace ask::test {
namespace {

constexpr int signed_out = 4001;

class sign_out : public office_fixture {
  protected:
    void SetUp() override {
        office_fixture::SetUp();
        request_path = "/api/v1/requests/" + std::to_string(id_of(press(maria, "normal").json()));
    }
    std::string own_origin() const { return "http://127.0.0.1:" + std::to_string(port()); }
    std::map<std::string, std::string> with_cookie(const std::string& token,
                                                   const std::string& origin) const {
        return {{"Cookie", "ask_session=" + token}, {"Origin", origin}};
    }
    /// A GET that needs a staff session: a request of their office.
    int authenticated_get(const std::string& token) { return http_get(port(), request_path, token).status; }
    int authenticated_get_by_cookie(const std::string& token) {
        return http_request(port(), "GET", request_path, "", {{"Cookie", "ask_session=" + token}}).status;
    }
    /// A dashboard on this session, by the cookie from our own page as the browser opens it.
    std::unique_ptr<ws_client> dashboard_of(const std::string& token) {
        auto ws = std::make_unique<ws_client>(port(), "/ws/staff", with_cookie(token, own_origin()));
        EXPECT_TRUE(ws->connected());
        EXPECT_TRUE(ws->next_of("snapshot", 2s)) << "no snapshot on connect";
        return ws;
    }
    long long sessions_of_anna() {
        return std::stoll(
            db_probe(askd.db_path())
                .rows("SELECT count(*) FROM staff_sessions WHERE staff_id = ?1", std::to_string(anna_id))
                .at(0)
                .at(0));
    }

    std::string request_path;
};

TEST_F(sign_out, ends_that_session_and_closes_its_dashboards_while_the_other_session_stays) {
    auto desk = login(port(), "anna", staff_password);
    auto laptop = login(port(), "anna", staff_password);
    auto desk_dashboard = dashboard_of(desk);
    auto desk_second_tab = dashboard_of(desk);
    auto laptop_dashboard = dashboard_of(laptop);
    ASSERT_EQ(sessions_of_anna(), 2);

    auto reply = http_request(port(), "POST", "/api/v1/logout", "", with_cookie(desk, own_origin()));
    ASSERT_EQ(reply.status, 204) << reply.body;
    auto cookie = reply.headers["set-cookie"];
    EXPECT_NE(cookie.find("ask_session=;"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Max-Age=0"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("Path=/"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;

    // At once, not at the upkeep loop's next check.
    ASSERT_TRUE(desk_dashboard->wait_closed(1s)) << "the signed-out dashboard stays open\n" << askd.log();
    EXPECT_EQ(desk_dashboard->close_code(), signed_out);
    ASSERT_TRUE(desk_second_tab->wait_closed(1s)) << "a second tab on that session stays open";
    EXPECT_EQ(desk_second_tab->close_code(), signed_out);

    EXPECT_EQ(authenticated_get_by_cookie(desk), 401);
    EXPECT_EQ(authenticated_get(desk), 401);
    ws_client again(port(), "/ws/staff", with_cookie(desk, own_origin()));
    EXPECT_FALSE(again.connected());
    EXPECT_EQ(again.refusal_status(), 401);
    EXPECT_EQ(sessions_of_anna(), 1);

    // Her laptop is still signed in: its dashboard stays open and acts, its session answers.
    EXPECT_FALSE(laptop_dashboard->wait_closed(300ms)) << "the other session's dashboard was closed";
    laptop_dashboard->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "on"}});
    EXPECT_TRUE(laptop_dashboard->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "on"; }));
    EXPECT_EQ(authenticated_get(laptop), 200);
    EXPECT_EQ(authenticated_get_by_cookie(laptop), 200);
    EXPECT_NE(askd.log().find("sign-out: staff " + std::to_string(anna_id) +
                              " ended a session (2 dashboard(s) closed)"),
              std::string::npos)
        << askd.log();
}

TEST_F(sign_out, with_a_bearer_token_ends_that_session_too) {
    auto token = login(port(), "anna", staff_password);
    auto ws = std::make_unique<ws_client>(
        port(), "/ws/staff", std::map<std::string, std::string>{{"Authorization", "Bearer " + token}});
    ASSERT_TRUE(ws->next_of("snapshot", 2s));
    EXPECT_EQ(http_post(port(), "/api/v1/logout", "", token).status, 204);
    ASSERT_TRUE(ws->wait_closed(1s));
    EXPECT_EQ(ws->close_code(), signed_out);
    EXPECT_EQ(authenticated_get(token), 401);
}

TEST_F(sign_out, twice_or_without_a_session_is_answered_204_and_ends_nothing_else) {
    auto desk = login(port(), "anna", staff_password);
    auto bobs = login(port(), "bob", staff_password);
    auto bobs_dashboard = dashboard_of(bobs);

    EXPECT_EQ(http_request(port(), "POST", "/api/v1/logout", "", with_cookie(desk, own_origin())).status,
              204);
    auto twice = http_request(port(), "POST", "/api/v1/logout", "", with_cookie(desk, own_origin()));
    EXPECT_EQ(twice.status, 204) << twice.body;
    EXPECT_NE(twice.headers["set-cookie"].find("Max-Age=0"), std::string::npos)
        << "the cookie is cleared again";
    auto none = http_post(port(), "/api/v1/logout", "");
    EXPECT_EQ(none.status, 204) << none.body;
    EXPECT_NE(none.headers["set-cookie"].find("Max-Age=0"), std::string::npos);
    EXPECT_EQ(http_post(port(), "/api/v1/logout", "", "not-a-session").status, 204);

    EXPECT_FALSE(bobs_dashboard->wait_closed(300ms)) << "someone else's dashboard was closed";
    EXPECT_EQ(authenticated_get(bobs), 200);
    EXPECT_EQ(http_get(port(), "/api/v1/logout").status, 405)
        << "a link or an image must not sign anyone out";
}

TEST_F(sign_out, the_session_cookie_from_another_origin_is_refused) {
    auto desk = login(port(), "anna", staff_password);
    auto desk_dashboard = dashboard_of(desk);

    auto foreign =
        http_request(port(), "POST", "/api/v1/logout", "", with_cookie(desk, "https://evil.example"));
    EXPECT_EQ(foreign.status, 403) << foreign.body;
    EXPECT_EQ(foreign.headers.count("set-cookie"), 0u) << "the cookie was cleared for a foreign page";
    auto no_origin = http_request(port(), "POST", "/api/v1/logout", "", {{"Cookie", "ask_session=" + desk}});
    EXPECT_EQ(no_origin.status, 403) << no_origin.body;

    EXPECT_FALSE(desk_dashboard->wait_closed(300ms)) << "a foreign page signed the dashboard out";
    EXPECT_EQ(authenticated_get_by_cookie(desk), 200);
    EXPECT_EQ(sessions_of_anna(), 1);
}

// A dashboard whose session is looked up before the sign-out commits, and whose handshake ends after it:
// refused as it opens, before it joins the hub or is sent anyone's details (app/sign_in_watch.hpp). The
// store is held (another process has the write lock) behind a press, so that the dashboard's lookup and
// then the sign-out queue up and commit in one group: the sign-out is heard of while the handshake is
// still being written.
TEST_F(sign_out, a_dashboard_whose_handshake_ends_after_its_session_was_signed_out_is_closed_unsent) {
    auto desk = login(port(), "anna", staff_password);
    wait_for_the_start_jobs(); // no other store job comes between the three below
    write_lock held(askd.db_path());
    ASSERT_TRUE(held.held());
    auto pressed = std::async(std::launch::async, [&] { return press(jan, "normal").status; });
    ASSERT_TRUE(eventually([&] { return metric(port(), "ask_store_running_jobs") == 1; }))
        << "the press's group is not waiting at the lock";
    auto opening = std::async(std::launch::async, [&] {
        return std::make_unique<ws_client>(port(), "/ws/staff", with_cookie(desk, own_origin()));
    });
    ASSERT_TRUE(eventually([&] { return metric(port(), "ask_store_queue_jobs") == 1; }))
        << "the dashboard's lookup is not queued";
    auto leaving = std::async(std::launch::async, [&] {
        return http_request(port(), "POST", "/api/v1/logout", "", with_cookie(desk, own_origin())).status;
    });
    ASSERT_TRUE(eventually([&] { return metric(port(), "ask_store_queue_jobs") == 2; }))
        << "the sign-out is not queued";
    held.release();

    EXPECT_EQ(pressed.get(), 201);
    EXPECT_EQ(leaving.get(), 204);
    auto dashboard = opening.get();
    if (dashboard->connected()) { // the handshake was answered: closed at once, before its snapshot
        ASSERT_TRUE(dashboard->wait_closed(2s)) << "the dashboard stays open\n" << askd.log();
        EXPECT_EQ(dashboard->close_code(), signed_out);
        EXPECT_FALSE(dashboard->next_of("snapshot", 100ms)) << "sent the office's requests";
    }
    EXPECT_NE(askd.log().find("ws: staff " + std::to_string(anna_id) +
                              " refused: the session was signed out during the handshake"),
              std::string::npos)
        << askd.log();
    EXPECT_EQ(log_count("ws: staff " + std::to_string(anna_id) + " connected"), 0) << askd.log();
}

} // namespace
} // namespace ask::test
