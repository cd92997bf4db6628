// When storage fails, nobody is told "received": 503, nothing claimed, and service
// returns by itself once the storage does. The failure here is real: another process
// holds the database's write lock (as a stuck backup or admin tool would).
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <map>

namespace ask::test {
namespace {

class storage_failure : public office_fixture {
protected:
    storage_failure() : office_fixture("[alerts]\nrenotify_seconds = 1\n", "busy_timeout_ms = 200") {}
};

TEST_F(storage_failure, locked_database_gives_503_and_no_false_success_then_recovers) {
    auto anna = dashboard("anna");
    auto page = resident_socket(jan);

    write_lock locker(askd.db_path());
    ASSERT_TRUE(locker.held());

    auto refused = press(jan, "urgent", "", "during-outage");
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable");
    EXPECT_TRUE(anna->quiet_for("alert", 500ms)) << "staff were alerted about a request that was not stored";
    EXPECT_TRUE(page->quiet_for("status", 100ms)) << "the resident was told something was received";

    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"ref", "x"}});
    auto ws_refused = page->next_of("error", 2s);
    ASSERT_TRUE(ws_refused);
    EXPECT_EQ(str(ws_refused->at("code")), "storage_unavailable");
    EXPECT_EQ(http_get(port(), "/healthz").body, R"({"status":"degraded","storage":"unavailable"})")
        << "healthz said ok while every write is refused";
    EXPECT_EQ(metric(port(), "ask_storage_available"), 0) << "monitoring would not see the outage";

    locker.release();

    auto accepted = press(jan, "urgent", "", "during-outage");
    EXPECT_EQ(accepted.status, 201) << "the retry after the outage is a new request: " << accepted.body;
    EXPECT_TRUE(anna->next_of("alert", 2s));
    EXPECT_EQ(http_get(port(), "/healthz").status, 200);
    EXPECT_EQ(http_get(port(), "/healthz").body, R"({"status":"ok"})");
    EXPECT_EQ(metric(port(), "ask_storage_available"), 1);
}

// A request accepted before the outage keeps ringing through it: its re-notifications cannot be
// recorded, and the dashboards get them all the same.
TEST_F(storage_failure, a_request_accepted_before_the_outage_keeps_ringing_through_it) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    auto rang_again = [&](std::chrono::milliseconds within) {
        return anna->next_of("alert", within, [&](const auto& m) {
            return m.at("renotified").as_bool() && m.at("alert").as_object().at("id").as_int64() == id;
        });
    };
    ASSERT_TRUE(rang_again(3s)) << "not re-notified before the outage:\n" << askd.log();

    write_lock locker(askd.db_path()); // askd may be writing a record this moment
    ASSERT_TRUE(locker.held());
    while (anna->next(100ms)) { // what was sent before the lock
    }
    int rings = 0;
    for (int i = 0; i < 3; ++i)
        rings += rang_again(3s).has_value();
    auto log = askd.log();
    locker.release();
    EXPECT_EQ(rings, 3) << "the dashboard went quiet while the database was locked:\n" << log;
    EXPECT_NE(log.find("rung, not recorded"), std::string::npos) << "the records did not fail: no outage\n"
                                                                 << log;
    EXPECT_TRUE(eventually([&] { return askd.log().find("records stored again") != std::string::npos; }))
        << "the records did not resume after the outage:\n"
        << askd.log();
}

// Every ring during an outage is counted once the records are stored again: the request's notify_count
// (on the card and in the statistics) matches what the dashboard heard. Before, the rings between two
// records counted as one.
TEST_F(storage_failure, the_rings_during_an_outage_are_all_counted_once_it_ends) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "urgent", "Nie mogę wstać").json());
    int heard = 0; // re-rings of the request the dashboard got
    auto listen = [&](std::chrono::milliseconds span) {
        for (auto until = std::chrono::steady_clock::now() + span; std::chrono::steady_clock::now() < until;)
            if (auto m = anna->next(100ms); m && m->at("type") == "alert" && m->at("renotified").as_bool() &&
                                            m->at("alert").as_object().at("id").as_int64() == id)
                ++heard;
    };
    write_lock locker(askd.db_path()); // askd may be writing a record this moment
    ASSERT_TRUE(locker.held());
    listen(4500ms);
    locker.release();
    ASSERT_TRUE(eventually([&] { return askd.log().find("records stored again") != std::string::npos; }))
        << askd.log();
    // Off duty: no ring after the reply, so every ring came before it.
    anna->send(boost::json::object{{"type", "duty"}, {"on", false}, {"ref", "off"}});
    for (std::optional<boost::json::object> m; (m = anna->next(2s)) && m->at("type") != "ok";)
        if (m->at("type") == "alert" && m->at("renotified").as_bool() &&
            m->at("alert").as_object().at("id").as_int64() == id)
            ++heard;
    EXPECT_GE(heard, 4) << askd.log();
    db_probe db(askd.db_path());
    const auto count = "SELECT notify_count FROM requests WHERE id = " + std::to_string(id);
    const std::vector<std::vector<std::string>> expected{{std::to_string(1 + heard)}}; // 1: as it was made
    EXPECT_TRUE(eventually([&] { return db.rows(count) == expected; }))
        << db.rows(count)[0][0] << " pushes recorded, " << 1 + heard << " heard\n"
        << askd.log();
}

// Another process holds the write lock, and every write of askd waits busy_timeout (2 s) for it before
// failing: the requests accepted before keep ringing every second all the same. (Recording each before
// its ring rang three of them once per six seconds, and before that, not at all.)
class storage_held : public office_fixture {
  protected:
    explicit storage_held(const std::string& escalation = "")
        : office_fixture("[alerts]\nrenotify_seconds = 1\n" + escalation, "busy_timeout_ms = 2000") {}
    void SetUp() override {
        ola = askd.add_resident("Ola Wiśniewska");
        office_fixture::SetUp();
    }

    /// Three urgent requests, then 9 s of a held lock: each must be rung again at least three times.
    void three_requests_keep_ringing_through_the_lock() {
        auto anna = dashboard("anna");
        std::map<std::int64_t, int> rings;
        for (const auto* who : {&maria, &jan, &ola})
            rings[id_of(press(*who, "urgent").json())] = 0;
        write_lock locker(askd.db_path()); // askd may be writing a record this moment
        ASSERT_TRUE(locker.held());
        while (anna->next(100ms)) { // what was sent before the lock
        }
        auto until = std::chrono::steady_clock::now() + 9s;
        while (std::chrono::steady_clock::now() < until)
            if (auto m =
                    anna->next_of("alert", 500ms, [](const auto& m) { return m.at("renotified").as_bool(); }))
                ++rings[m->at("alert").as_object().at("id").as_int64()];
        auto log = askd.log();
        locker.release();
        for (const auto& [id, n] : rings)
            EXPECT_GE(n, 3) << "request " << id << " was rung " << n << " times in 9 s:\n" << log;
    }

    std::string ola;
};

TEST_F(storage_held, three_waiting_requests_keep_ringing_while_every_write_waits_for_the_lock) {
    three_requests_keep_ringing_through_the_lock();
}

// The same with a ladder step due for each request during the lock: the escalation tick's three
// writes (each failing after 2 s, tried again every tick) must not hold the re-rings up.
class storage_held_with_steps_due : public storage_held {
  protected:
    storage_held_with_steps_due()
        : storage_held("[escalation.urgent]\nack_timeout_seconds = 0\nrepeat = 0\n"
                       "steps = [{ after_seconds = 2, who = \"on_duty\", how = [\"dashboard\"] }]\n") {}
};

TEST_F(storage_held_with_steps_due, escalation_steps_stuck_on_the_lock_do_not_hold_up_the_rings) {
    three_requests_keep_ringing_through_the_lock();
}

} // namespace
} // namespace ask::test
