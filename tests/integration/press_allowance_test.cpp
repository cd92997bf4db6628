// The press allowance (app/press_guard.hpp) as a resident's page and button device meet it: at most
// five stored presses a minute by default, past that 429 (or the WebSocket's error) and nothing
// stored, nobody rung; a retry is answered all the same, a new request after the open one closed is
// heard, and presses the store refused use none of it. A refusal says when to try again (Retry-After,
// the WebSocket error's retry_after) and is counted in /metrics by reason. What is stored is read from
// the database file.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

namespace ask::test {
namespace {

// Re-notifications every 10 minutes: every ring a dashboard gets in a test is a press's.
constexpr const char* quiet_alerts = "[alerts]\nrenotify_seconds = 600\n";

class press_allowance : public office_fixture {
  protected:
    explicit press_allowance(std::string store_toml = "")
        : office_fixture(quiet_alerts, std::move(store_toml)) {}

    static std::string code_of(const http_reply& r) {
        return str(r.json().at("error").as_object().at("code"));
    }
    static std::string message_of(const http_reply& r) {
        return str(r.json().at("error").as_object().at("message"));
    }
    /// The Retry-After header as a number of seconds, or -1 when absent or not a number.
    static long long retry_after_of(const http_reply& r) {
        auto it = r.headers.find("retry-after");
        if (it == r.headers.end() || it->second.empty() ||
            it->second.find_first_not_of("0123456789") != std::string::npos)
            return -1;
        return std::stoll(it->second);
    }
    long long refused(const std::string& reason) {
        return metric(port(), "ask_presses_refused_total{reason=\"" + reason + "\"}");
    }

    /// The request's column as stored.
    std::string stored(std::int64_t id, const std::string& column) {
        db_probe db(askd.db_path());
        auto rows = db.rows("SELECT " + column + " FROM requests WHERE id = " + std::to_string(id));
        return rows.empty() ? "(no such request)" : rows[0][0];
    }
    int repeated_events(std::int64_t id) {
        db_probe db(askd.db_path());
        return static_cast<int>(
            db.rows("SELECT 1 FROM request_events WHERE kind = 'repeated' AND request_id = " +
                    std::to_string(id))
                .size());
    }
    int requests_of(const std::string& name) {
        db_probe db(askd.db_path());
        return std::stoi(
            db.rows("SELECT count(*) FROM requests AS r JOIN residents AS p ON p.id = r.resident_id "
                    "WHERE p.name = ?1",
                    name)[0][0]);
    }
    http_reply cancel(std::int64_t id, const std::string& token) {
        return http_post(port(), "/api/v1/requests/" + std::to_string(id) + "/cancel", "", token);
    }
    /// Jan's request and four presses into it: the five stored presses the allowance lets through a minute.
    std::int64_t use_the_allowance() {
        auto first = press(jan, "normal", "Proszę o telefon");
        EXPECT_EQ(first.status, 201) << first.body;
        for (int i = 1; i <= 4; ++i) {
            auto again = press(jan, "normal", "Proszę o telefon");
            EXPECT_EQ(again.status, 200) << "press " << i + 1 << ": " << again.body;
            EXPECT_TRUE(again.json().at("merged").as_bool()) << again.body;
        }
        return id_of(first.json());
    }
};

bool alert_with_repeats(const boost::json::object& m, std::int64_t id, std::int64_t repeats) {
    const auto& a = m.at("alert").as_object();
    return a.at("id").as_int64() == id && a.at("repeat_count").as_int64() == repeats;
}

TEST_F(press_allowance, a_flood_of_presses_is_held_to_five_a_minute_answered_429_and_the_request_stays) {
    auto anna = dashboard("anna");
    auto id = use_the_allowance();
    ASSERT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) { return alert_with_repeats(m, id, 4); }))
        << "the fifth press did not ring";
    while (anna->next(300ms)) { // the rings of the five stored presses
    }

    EXPECT_EQ(refused("too_many_presses"), 0) << "the counter is shown before any refusal";
    for (int i = 0; i < 50; ++i) {
        auto r = press(jan, "urgent", "", "flood-" + std::to_string(i));
        ASSERT_EQ(r.status, 429) << "press " << i + 6 << " in the minute: " << r.body;
        EXPECT_EQ(code_of(r), "too_many_presses");
        EXPECT_EQ(message_of(r).rfind("Twoje zgłoszenie jest już przyjęte", 0), 0u)
            << "the resident is not told, in Polish first, that the request stands: " << message_of(r);
        auto wait = retry_after_of(r);
        EXPECT_GT(wait, 0) << "no Retry-After in seconds on press " << i + 6;
        EXPECT_LE(wait, 60) << "Retry-After past the minute's window";
    }
    EXPECT_EQ(refused("too_many_presses"), 50);
    EXPECT_EQ(refused("too_many_new_requests"), 0);
    EXPECT_TRUE(anna->quiet_for("alert", 500ms)) << "staff were rung for a press past the allowance";
    EXPECT_EQ(stored(id, "repeat_count"), "4");
    EXPECT_EQ(repeated_events(id), 4);
    EXPECT_EQ(stored(id, "state"), "notifying");
    EXPECT_EQ(stored(id, "priority"), "urgent") << "the repeats that were stored raised it";
    db_probe db(askd.db_path());
    EXPECT_TRUE(db.landed("flood-0").empty()) << "a press answered 429 was stored";
    EXPECT_EQ(requests_of("Jan Kowalski"), 1);

    EXPECT_EQ(press(maria, "urgent", "Pomocy").status, 201)
        << "another resident has an allowance of their own";
    for (int i = 0; i < 10; ++i)
        EXPECT_EQ(press("no-such-token", "urgent").status, 401) << "a token nobody has is not a resident";
}

TEST_F(press_allowance, a_retry_is_answered_however_many_presses_came_and_uses_none_of_the_allowance) {
    auto first = press(jan, "urgent", "Pomocy", "btn-1");
    ASSERT_EQ(first.status, 201) << first.body;
    auto id = id_of(first.json());
    for (int i = 0; i < 10; ++i) {
        auto retry = press(jan, "urgent", "Pomocy", "btn-1");
        ASSERT_EQ(retry.status, 200) << retry.body;
        EXPECT_EQ(id_of(retry.json()), id);
    }
    for (int i = 2; i <= 5; ++i) {
        auto again = press(jan, "urgent", "Pomocy", "btn-" + std::to_string(i));
        ASSERT_EQ(again.status, 200) << "the retries used the allowance: press " << i << ": " << again.body;
        EXPECT_TRUE(again.json().at("merged").as_bool());
    }
    auto over = press(jan, "urgent", "Pomocy", "btn-6");
    ASSERT_EQ(over.status, 429) << over.body;
    EXPECT_EQ(code_of(over), "too_many_presses");

    // Past the allowance a device that lost its answer still gets it: for its first press and for a
    // press that was merged.
    for (const auto* key : {"btn-1", "btn-3"}) {
        auto retry = press(jan, "urgent", "Pomocy", key);
        EXPECT_EQ(retry.status, 200) << key << ": " << retry.body;
        if (retry.status == 200) {
            EXPECT_EQ(id_of(retry.json()), id) << key;
        }
    }
    EXPECT_EQ(stored(id, "repeat_count"), "4");
}

TEST_F(press_allowance, a_new_request_after_the_open_one_closed_is_heard_however_many_repeats_came_before) {
    auto anna = dashboard("anna");
    auto id = use_the_allowance();
    ASSERT_EQ(press(jan, "urgent").status, 429);
    ASSERT_EQ(cancel(id, jan).status, 200);

    auto fresh = press(jan, "urgent", "Znowu potrzebuję pomocy");
    ASSERT_EQ(fresh.status, 201) << "the repeats used up the allowance of new requests: " << fresh.body;
    auto fresh_id = id_of(fresh.json());
    EXPECT_NE(fresh_id, id);
    EXPECT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) { return alert_with_repeats(m, fresh_id, 0); }))
        << "staff were not rung for the new request";

    auto again = press(jan, "urgent");
    ASSERT_EQ(again.status, 429) << "a repeat of it is still past the allowance: " << again.body;
    EXPECT_EQ(code_of(again), "too_many_presses");
    EXPECT_EQ(stored(fresh_id, "repeat_count"), "0");
}

TEST_F(press_allowance,
       new_requests_have_an_allowance_of_their_own_so_a_press_and_cancel_loop_is_held_to_it) {
    for (int i = 0; i < 5; ++i) {
        auto made = press(jan, "urgent", "Pomocy");
        ASSERT_EQ(made.status, 201) << "request " << i + 1 << ": " << made.body;
        ASSERT_EQ(cancel(id_of(made.json()), jan).status, 200);
    }
    auto sixth = press(jan, "urgent", "Pomocy");
    ASSERT_EQ(sixth.status, 429) << sixth.body;
    EXPECT_EQ(code_of(sixth), "too_many_new_requests");
    EXPECT_EQ(message_of(sixth).rfind("Za dużo nowych zgłoszeń", 0), 0u) << message_of(sixth);
    EXPECT_NE(message_of(sixth).find("112"), std::string::npos)
        << "nothing is open: the resident is pointed to 112";
    EXPECT_EQ(message_of(sixth).find("jest już przyjęte"), std::string::npos)
        << "nothing was received, and the answer must not say so";
    EXPECT_EQ(requests_of("Jan Kowalski"), 5);
    auto wait = retry_after_of(sixth);
    EXPECT_GT(wait, 0) << "no Retry-After in seconds";
    EXPECT_LE(wait, 60) << "Retry-After past the minute's window";
    EXPECT_EQ(refused("too_many_new_requests"), 1);
    EXPECT_EQ(refused("too_many_presses"), 0);
    EXPECT_EQ(press(maria, "urgent", "Pomocy").status, 201);
}

// Two presses per 3 s: short enough to wait for the room a refusal names.
class press_allowance_short_window : public office_fixture {
  protected:
    press_allowance_short_window()
        : office_fixture(std::string(quiet_alerts) +
                         "[limits]\npresses_per_window = 2\npress_window_seconds = 3\n") {}
};

// Retry-After comes from the window and the resident's own stored presses: never past the window, no
// shorter than what is left of it since the press that must leave it, and a press sent once it has
// passed is stored. The page's refusal carries the same as retry_after.
TEST_F(press_allowance_short_window, a_refused_press_says_when_to_try_again_and_is_heard_then) {
    using clock = std::chrono::steady_clock;
    auto seconds_since = [](clock::time_point t) {
        return std::chrono::duration<double>(clock::now() - t).count();
    };
    auto first_at = clock::now();
    auto first = http_post(port(), "/api/v1/requests", R"({"priority":"normal"})", jan);
    ASSERT_EQ(first.status, 201) << first.body;
    ASSERT_EQ(http_post(port(), "/api/v1/requests", R"({"priority":"normal"})", jan).status, 200);

    auto over = http_post(port(), "/api/v1/requests", R"({"priority":"normal"})", jan);
    ASSERT_EQ(over.status, 429) << over.body;
    auto header = over.headers.find("retry-after");
    ASSERT_NE(header, over.headers.end()) << "no Retry-After on the 429";
    long long wait = std::stoll(header->second);
    EXPECT_GT(wait, 0);
    EXPECT_LE(wait, 3) << "past the 3 s window";
    EXPECT_GE(static_cast<double>(wait), 3.0 - seconds_since(first_at) - 1.0)
        << "shorter than what is left of the window since the first press";

    auto page = resident_socket(jan);
    while (page->next(300ms)) { // the open request's status
    }
    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"ref", "r3"}});
    auto error = page->next_of("error", 2s, [](const auto& m) { return m.at("ref") == "r3"; });
    ASSERT_TRUE(error) << "the page's press past the allowance got no error";
    ASSERT_TRUE(error->contains("retry_after")) << boost::json::serialize(*error);
    auto page_wait = error->at("retry_after").as_int64();
    EXPECT_GT(page_wait, 0);
    EXPECT_LE(page_wait, 3);
    EXPECT_EQ(metric(port(), "ask_presses_refused_total{reason=\"too_many_presses\"}"), 2);

    std::this_thread::sleep_for(std::chrono::seconds(page_wait));
    auto heard = http_post(port(), "/api/v1/requests", R"({"priority":"normal"})", jan);
    EXPECT_EQ(heard.status, 200) << "a press sent after retry_after was refused: " << heard.body;
    EXPECT_EQ(metric(port(), "ask_presses_refused_total{reason=\"too_many_presses\"}"), 2);
}

class press_allowance_outage : public press_allowance {
  protected:
    press_allowance_outage() : press_allowance("busy_timeout_ms = 200") {}
};

// A button retrying through a storage outage: every try is answered 503 and none uses the allowance,
// so its presses are stored once the storage is back, and the allowance then holds as always.
TEST_F(press_allowance_outage, presses_the_store_refused_use_none_of_the_allowance) {
    write_lock locker(askd.db_path());
    ASSERT_TRUE(locker.held());
    for (int i = 0; i < 8; ++i) {
        auto r = press(jan, "urgent", "", "outage-" + std::to_string(i));
        EXPECT_EQ(r.status, 503) << r.body;
    }
    locker.release();

    for (int i = 0; i < 5; ++i) {
        auto r = press(jan, "urgent", "", "outage-" + std::to_string(i));
        ASSERT_EQ(r.status, i == 0 ? 201 : 200)
            << "the presses refused during the outage used the allowance: " << r.body;
    }
    auto past = press(jan, "urgent", "", "outage-5");
    EXPECT_EQ(past.status, 429) << past.body;
}

// The page and the button device of one resident share one allowance; the page is answered with an
// error carrying its press's ref, and the request stays as it was.
TEST_F(press_allowance, the_page_past_the_allowance_gets_the_error_with_its_ref_and_the_request_stays) {
    auto page = resident_socket(jan);
    auto first = press(jan, "normal", "Przycisk");
    ASSERT_EQ(first.status, 201) << first.body;
    auto id = id_of(first.json());
    for (int i = 0; i < 3; ++i)
        ASSERT_EQ(press(jan, "normal", "Przycisk").status, 200);
    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"ref", "r5"}});
    ASSERT_TRUE(page->next_of("accepted", 2s, [](const auto& m) { return m.at("ref") == "r5"; }))
        << "the fifth press, from the page, was not accepted";
    while (page->next(300ms)) { // the statuses of the stored presses
    }

    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"ref", "r6"}});
    auto refused = page->next_of("error", 2s, [](const auto& m) { return m.at("ref") == "r6"; });
    ASSERT_TRUE(refused) << "the sixth press got no error";
    EXPECT_EQ(str(refused->at("code")), "too_many_presses");
    EXPECT_EQ(str(refused->at("message")).rfind("Twoje zgłoszenie jest już przyjęte", 0), 0u);
    EXPECT_TRUE(page->quiet_for("accepted", 300ms));
    EXPECT_TRUE(page->quiet_for("status", 100ms)) << "nothing changed, and the page must not be told it did";
    EXPECT_EQ(stored(id, "repeat_count"), "4");
    EXPECT_EQ(press(jan, "normal", "Przycisk").status, 429) << "the button shares the page's allowance";
}

} // namespace
} // namespace ask::test
