// GET /api/v1/requests?state=closed, the dashboard's list of recently closed requests, against the real
// askd: the latest closed first (by when they closed, not when they were made), how each ended and who
// took and closed it, pages by `limit` and `before`, a 400 naming the parameter for every bad value, and
// only for staff of the request's office.
#include "tests/integration/office_fixture.hpp"

#include <thread>

namespace ask::test {
namespace {

// Two offices: "demo" (Anna, Bob, Jan, Maria) and "las" (Ewa, Ola).
class closed_requests : public office_fixture {
  protected:
    closed_requests()
        : office_fixture("[alerts]\nrenotify_seconds = 1\n"
                         "[[offices]]\nslug = \"demo\"\nname = \"Urząd Testowy\"\ntime_zone = \"UTC\"\n"
                         "[[offices]]\nslug = \"las\"\nname = \"Urząd Leśny\"\ntime_zone = \"UTC\"\n") {}

    void SetUp() override {
        askd.add_staff("ewa", "Ewa", staff_password, "staff", "", "las");
        ola = askd.add_resident("Ola Leśna", "600 500 600", "", "", "las");
        office_fixture::SetUp();
    }

    /// GET /api/v1/requests?state=closed`query` with `token` (a staff session, or a resident's).
    http_reply list(const std::string& token, const std::string& query = "") {
        return http_get(port(), "/api/v1/requests?state=closed" + query, token);
    }

    /// The ids listed, in order; the answer must be 200.
    std::vector<std::int64_t> ids(const http_reply& reply) {
        EXPECT_EQ(reply.status, 200) << reply.body;
        std::vector<std::int64_t> out;
        if (reply.status != 200)
            return out;
        auto body = reply.json();
        for (const auto& r : body.at("requests").as_array())
            out.push_back(id_of(r.as_object()));
        return out;
    }

    /// `type` sent on `ws` about request `id` (with `extra` fields), and confirmed.
    void act(ws_client& ws, const std::string& type, std::int64_t id, boost::json::object extra = {}) {
        auto ref = type + "-" + std::to_string(id);
        extra["type"] = type;
        extra["id"] = id;
        extra["ref"] = ref;
        ws.send(extra);
        auto answer =
            ws.next_of("ok", 3s, [&](const auto& m) { return m.contains("ref") && str(m.at("ref")) == ref; });
        ASSERT_TRUE(answer) << type << " of " << id << " not confirmed\n" << askd.log();
    }

    /// A press of `token`'s, then cancelled by its resident: the request's id.
    std::int64_t pressed_and_cancelled(const std::string& token) {
        auto pressed = press(token, "normal");
        EXPECT_EQ(pressed.status, 201) << pressed.body;
        auto id = id_of(pressed.json());
        auto cancelled = http_post(port(), "/api/v1/requests/" + std::to_string(id) + "/cancel", "", token);
        EXPECT_EQ(cancelled.status, 200) << cancelled.body;
        return id;
    }

    std::string ola;
};

TEST_F(closed_requests, lists_the_latest_closed_first_with_how_each_ended_and_who_took_and_closed_it) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    // Times are kept in milliseconds: each step waits a few, so that none shares its moment with the one
    // before it and the order below is the order of the steps, not of the ids a tie falls back to.
    auto step_apart = [] { std::this_thread::sleep_for(5ms); };
    auto jans = id_of(press(jan, "normal", "Proszę o telefon").json());
    step_apart();
    auto marias = id_of(press(maria, "urgent", "Nie działa winda").json());
    act(*anna, "ack", jans);
    act(*bob, "ack", marias);
    act(*bob, "resolve", marias, {{"outcome", "visit_scheduled"}, {"note", "Wizyta jutro o 10"}});
    step_apart();
    // Jan's, made first, closes last: taken by Anna, then cancelled by Jan himself.
    ASSERT_EQ(http_post(port(), "/api/v1/requests/" + std::to_string(jans) + "/cancel", "", jan).status, 200);
    auto open = press(jan, "normal"); // a new one, open: not listed
    ASSERT_EQ(open.status, 201) << open.body;

    auto token = login(port(), "anna", staff_password);
    auto reply = list(token);
    ASSERT_EQ(ids(reply), (std::vector<std::int64_t>{jans, marias}));
    auto body = reply.json();
    EXPECT_FALSE(body.at("more").as_bool());
    const auto& cancelled = body.at("requests").as_array()[0].as_object();
    EXPECT_EQ(str(cancelled.at("state")), "cancelled");
    EXPECT_TRUE(cancelled.at("outcome").is_null());
    EXPECT_EQ(str(cancelled.at("resident").as_object().at("name")), "Jan Kowalski");
    EXPECT_EQ(str(cancelled.at("closed_by").as_object().at("kind")), "resident");
    EXPECT_EQ(str(cancelled.at("closed_by").as_object().at("name")), "Jan Kowalski");
    EXPECT_EQ(str(cancelled.at("taken_by").as_object().at("name")), "Anna");
    EXPECT_EQ(str(cancelled.at("priority")), "normal");

    const auto& resolved = body.at("requests").as_array()[1].as_object();
    EXPECT_EQ(str(resolved.at("state")), "resolved");
    EXPECT_EQ(str(resolved.at("outcome")), "visit_scheduled");
    EXPECT_EQ(str(resolved.at("note")), "Wizyta jutro o 10");
    EXPECT_EQ(str(resolved.at("closed_by").as_object().at("kind")), "staff");
    EXPECT_EQ(resolved.at("closed_by").as_object().at("id").as_int64(), bob_id);
    EXPECT_EQ(str(resolved.at("closed_by").as_object().at("name")), "Bob");
    EXPECT_EQ(str(resolved.at("taken_by").as_object().at("name")), "Bob");
    EXPECT_EQ(str(resolved.at("channel")), "web");
    EXPECT_EQ(str(resolved.at("priority")), "urgent");
    // Times as ISO 8601 UTC with milliseconds: ordered as text. Maria's closed before Jan's did.
    EXPECT_EQ(str(resolved.at("created_at")).size(), 24u);
    EXPECT_LE(str(resolved.at("created_at")), str(resolved.at("closed_at")));
    EXPECT_LT(str(resolved.at("closed_at")), str(cancelled.at("closed_at")));
    EXPECT_LT(str(cancelled.at("created_at")), str(resolved.at("created_at")));
    // Only the resident's name: the list is no card (no phone, address or needs).
    EXPECT_EQ(resolved.at("resident").as_object().size(), 2u) << resolved;
    for (const auto* field : {"phone", "address", "needs", "message"})
        EXPECT_EQ(boost::json::serialize(body).find(field), std::string::npos) << field << " in " << body;

    // The dashboard asks with its session cookie.
    auto by_cookie = http_request(port(), "GET", "/api/v1/requests?state=closed", "",
                                  {{"Cookie", "ask_session=" + token}});
    EXPECT_EQ(ids(by_cookie), (std::vector<std::int64_t>{jans, marias}));
}

TEST_F(closed_requests, limit_and_before_page_through_in_the_same_order) {
    std::vector<std::int64_t> closed;
    for (const auto* token : {&jan, &maria, &jan, &maria, &jan})
        closed.insert(closed.begin(), pressed_and_cancelled(*token)); // the latest closed first
    auto token = login(port(), "bob", staff_password);
    EXPECT_EQ(ids(list(token)), closed);
    EXPECT_EQ(ids(list(token, "&limit=200")), closed);

    auto first = list(token, "&limit=2");
    ASSERT_EQ(ids(first), (std::vector<std::int64_t>{closed[0], closed[1]}));
    EXPECT_TRUE(first.json().at("more").as_bool());
    auto second = list(token, "&limit=2&before=" + std::to_string(closed[1]));
    ASSERT_EQ(ids(second), (std::vector<std::int64_t>{closed[2], closed[3]}));
    EXPECT_TRUE(second.json().at("more").as_bool());
    auto last = list(token, "&before=" + std::to_string(closed[3]) + "&limit=2");
    ASSERT_EQ(ids(last), (std::vector<std::int64_t>{closed[4]}));
    EXPECT_FALSE(last.json().at("more").as_bool());
    auto exact = list(token, "&limit=5");
    EXPECT_EQ(ids(exact), closed);
    EXPECT_FALSE(exact.json().at("more").as_bool()) << "five of five: no next page";
}

TEST_F(closed_requests, a_bad_parameter_is_a_400_that_names_it) {
    auto token = login(port(), "anna", staff_password);
    auto open = id_of(press(jan, "normal").json());
    auto ours = pressed_and_cancelled(maria);
    auto theirs = pressed_and_cancelled(ola);
    const std::vector<std::pair<std::string, std::string>> bad{
        {"/api/v1/requests", "state"},
        {"/api/v1/requests?state=open", "state"},
        {"/api/v1/requests?state=", "state"},
        {"/api/v1/requests?limit=5", "state"},
        {"/api/v1/requests?state=closed&limit=0", "limit"},
        {"/api/v1/requests?state=closed&limit=-1", "limit"},
        {"/api/v1/requests?state=closed&limit=201", "limit"},
        {"/api/v1/requests?state=closed&limit=abc", "limit"},
        {"/api/v1/requests?state=closed&limit=5x", "limit"},
        {"/api/v1/requests?state=closed&limit=99999999999999999999999", "limit"},
        {"/api/v1/requests?state=closed&before=abc", "before"},
        {"/api/v1/requests?state=closed&before=0", "before"},
        {"/api/v1/requests?state=closed&before=999999", "before"},
        {"/api/v1/requests?state=closed&before=" + std::to_string(open), "before"},
        {"/api/v1/requests?state=closed&before=" + std::to_string(theirs), "before"},
    };
    for (const auto& [target, named] : bad) {
        auto reply = http_get(port(), target, token);
        EXPECT_EQ(reply.status, 400) << target << ": " << reply.body;
        if (reply.status != 400)
            continue;
        auto body = reply.json();
        const auto& error = body.at("error").as_object();
        EXPECT_EQ(str(error.at("code")), "bad_request") << target;
        EXPECT_NE(str(error.at("message")).find(named), std::string::npos) << target << ": " << reply.body;
    }
    EXPECT_EQ(ids(list(token, "&before=" + std::to_string(ours))), std::vector<std::int64_t>{})
        << "nothing closed before the first";
    auto put = http_request(port(), "PUT", "/api/v1/requests?state=closed", "",
                            {{"Authorization", "Bearer " + token}});
    EXPECT_EQ(put.status, 405);
    EXPECT_EQ(put.headers["allow"], "GET, POST");
}

TEST_F(closed_requests, only_staff_of_the_office_read_its_closed_requests) {
    auto ours = pressed_and_cancelled(jan);
    auto theirs = pressed_and_cancelled(ola);
    EXPECT_EQ(list(jan).status, 401) << "a resident's token";
    EXPECT_EQ(list(ola).status, 401);
    EXPECT_EQ(list("").status, 401);
    EXPECT_EQ(list("not-a-token").status, 401);
    EXPECT_EQ(
        http_request(port(), "GET", "/api/v1/requests?state=closed", "", {{"Cookie", "ask_session=" + jan}})
            .status,
        401);

    EXPECT_EQ(ids(list(login(port(), "anna", staff_password))), std::vector<std::int64_t>{ours});
    EXPECT_EQ(ids(list(login(port(), "ewa", staff_password))), std::vector<std::int64_t>{theirs});
}

} // namespace
} // namespace ask::test
