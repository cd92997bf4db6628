// kill -9 at any moment loses nothing anyone was told; SIGTERM shuts down cleanly.
#include "tests/integration/office_fixture.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <thread>

namespace ask::test {
namespace {

// The streams of presses here are load, sent as fast as askd answers, not a resident pressing: the
// press allowance ([limits] presses_per_window) is lifted so that every press is stored.
class crash_restart : public office_fixture {
  protected:
    crash_restart()
        : office_fixture("[alerts]\nrenotify_seconds = 1\n[limits]\npresses_per_window = 1000000\n") {}
};

TEST_F(crash_restart, after_kill_9_every_open_request_is_back_with_its_state) {
    auto anna = dashboard("anna");
    auto closed = id_of(press(jan, "normal", "Pierwsze").json());
    anna->send(boost::json::object{{"type", "ack"}, {"id", closed}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    anna->send(boost::json::object{{"type", "resolve"}, {"id", closed}, {"outcome", "visit_scheduled"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto taken = id_of(press(jan, "urgent", "Drugie").json());
    auto waiting = id_of(press(maria, "normal", "Trzecie").json());
    anna->send(boost::json::object{{"type", "ack"}, {"id", taken}});
    ASSERT_TRUE(anna->next_of("ok", 2s));

    askd.kill9();
    anna.reset();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());

    auto bob = dashboard("bob");
    const auto& queue = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(queue.size(), 2u) << boost::json::serialize(last_snapshot);
    EXPECT_EQ(queue[0].as_object().at("id").as_int64(), taken);
    EXPECT_EQ(str(queue[0].as_object().at("state")), "acknowledged");
    EXPECT_EQ(str(queue[0].as_object().at("acknowledged_by").as_object().at("name")), "Anna");
    EXPECT_EQ(queue[1].as_object().at("id").as_int64(), waiting);

    // Alerts resume for what is still unacknowledged.
    EXPECT_TRUE(bob->next_of("alert", 3s, [&](const auto& m) { return m.at("alert").as_object().at("id").as_int64() == waiting; }));
    auto details = http_get(port(), "/api/v1/requests/" + std::to_string(closed), jan).json();
    EXPECT_EQ(str(details.at("state")), "resolved");
    EXPECT_EQ(str(details.at("outcome")), "visit_scheduled");

    // The idempotency key outlives the crash too (here on a press merged into Jan's open request).
    auto before = press(jan, "urgent", "", "survives");
    EXPECT_TRUE(before.json().at("merged").as_bool());
    askd.kill9();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    auto after = press(jan, "urgent", "", "survives");
    EXPECT_EQ(after.status, 200);
    EXPECT_EQ(id_of(after.json()), id_of(before.json()));
}

TEST_F(crash_restart, kill_9_during_a_stream_of_requests_loses_no_confirmed_one_and_duplicates_none) {
    std::map<std::string, std::int64_t> confirmed; // request_id -> id, only for 201/200 replies
    std::vector<std::string> unanswered;
    for (int round = 0; round < 3; ++round) {
        std::mutex m;
        std::atomic<bool> stop{false};
        std::thread presser([&] {
            for (int i = 0; !stop; ++i) {
                auto key = "stream-" + std::to_string(round) + "-" + std::to_string(i);
                auto r = press(i % 2 ? jan : maria, i % 5 ? "normal" : "urgent", "", key);
                std::lock_guard lock(m);
                if (r.status == 201 || r.status == 200)
                    confirmed[key] = id_of(r.json());
                else
                    unanswered.push_back(key);
            }
        });
        std::this_thread::sleep_for(std::chrono::milliseconds(300 + 150 * round));
        askd.kill9(); // mid-stream: some requests are in flight right now
        stop = true;
        presser.join();
        askd.start();
        ASSERT_FALSE(HasFatalFailure());
    }
    ASSERT_GT(confirmed.size(), 10u);

    auto anna = dashboard("anna", false);
    std::set<std::int64_t> present;
    for (const auto& a : last_snapshot.at("alerts").as_array())
        present.insert(a.as_object().at("id").as_int64());
    for (const auto& [key, id] : confirmed)
        EXPECT_TRUE(present.count(id)) << "request " << id << " (" << key << ") was confirmed and then lost";

    // Whatever was in flight either exists once or not at all: retrying its key never makes a second one.
    for (const auto& key : unanswered) {
        auto resident = std::stoi(key.substr(key.rfind('-') + 1)) % 2 ? jan : maria;
        auto index = std::stoi(key.substr(key.rfind('-') + 1));
        auto retry = press(resident, index % 5 ? "normal" : "urgent", "", key);
        ASSERT_TRUE(retry.status == 200 || retry.status == 201) << retry.body;
        present.insert(id_of(retry.json()));
    }
    auto fresh = dashboard("bob", false);
    EXPECT_EQ(last_snapshot.at("alerts").as_array().size(), present.size()) << "a duplicate or phantom request";

    // Each resident's presses while a request is open merge into it ("I still need help"): every
    // press that was confirmed or retried is counted exactly once in its repeat_count.
    std::map<std::int64_t, int> presses; // request id -> distinct keys that landed on it
    for (const auto& [key, id] : confirmed)
        ++presses[id];
    for (const auto& key : unanswered) {
        auto index = std::stoi(key.substr(key.rfind('-') + 1));
        auto again = press(index % 2 ? jan : maria, index % 5 ? "normal" : "urgent", "", key);
        if (!confirmed.count(key))
            ++presses[id_of(again.json())];
    }
    for (const auto& [id, count] : presses) {
        auto d = http_get(port(), "/api/v1/requests/" + std::to_string(id), login(port(), "anna", staff_password)).json();
        EXPECT_EQ(d.at("repeat_count").as_int64() + 1, count) << "request " << id << ": a press lost or counted twice";
    }
}

TEST_F(crash_restart, sigterm_closes_websockets_with_a_close_frame_and_exits_0_quickly) {
    auto anna = dashboard("anna");
    auto page = resident_socket(jan);
    ASSERT_EQ(press(jan, "urgent").status, 201);
    auto code = askd.terminate(std::chrono::milliseconds(5000));
    ASSERT_TRUE(code.has_value()) << "askd did not exit within 5 s";
    EXPECT_EQ(*code, 0);
    EXPECT_TRUE(anna->wait_closed(1s));
    EXPECT_EQ(anna->close_code(), 1001); // going away
    EXPECT_TRUE(page->wait_closed(1s));
    EXPECT_EQ(page->close_code(), 1001);

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    auto bob = dashboard("bob", false);
    EXPECT_EQ(last_snapshot.at("alerts").as_array().size(), 1u);
}

} // namespace
} // namespace ask::test
