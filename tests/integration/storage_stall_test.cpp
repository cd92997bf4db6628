// When the storage stalls rather than fails, every client still hears something in bounded time,
// and nothing is lost or doubled. The stall here is real: another process holds the database's
// write lock, and askd's busy timeout (30 s) is longer than its reply deadline (1 s), so askd's
// store thread waits on the lock as it would on a disk that stopped answering.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <future>
#include <optional>
#include <set>
#include <thread>
#include <vector>

namespace ask::test {
namespace {

using clock = std::chrono::steady_clock;

class storage_stall : public office_fixture {
protected:
    explicit storage_stall(const std::string& store = "busy_timeout_ms = 30000")
        : office_fixture("[alerts]\nrenotify_seconds = 600\n[limits]\nreply_timeout_seconds = 1\n", store) {}

    void lock() {
        locker_.emplace(askd.db_path());
        ASSERT_TRUE(locker_->held());
    }
    void unlock() { locker_.reset(); }
    void TearDown() override { unlock(); }

    long long wait_for(const std::string& series, long long value) {
        auto deadline = clock::now() + 5s;
        while (metric(port(), series) != value && clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
        return metric(port(), series);
    }

    std::optional<write_lock> locker_;
};

TEST_F(storage_stall, clients_hear_not_confirmed_in_time_and_what_is_saved_later_still_alerts_once) {
    auto anna = dashboard("anna");
    auto page = resident_socket(maria);
    lock();

    auto began = clock::now();
    auto http = press(jan, "normal", "", "stalled-http");
    auto waited = clock::now() - began;
    EXPECT_EQ(http.status, 503) << http.body;
    EXPECT_EQ(str(http.json().at("error").as_object().at("code")), "not_confirmed") << http.body;
    EXPECT_GE(waited, 900ms) << "answered before the deadline: the press was not waiting for the store";
    EXPECT_LT(waited, 3s) << "the reply deadline (1 s) did not bound the wait";
    EXPECT_EQ(metric(port(), "ask_http_not_confirmed_total"), 1);

    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"request_id", "stalled-ws"},
                                   {"ref", "press-1"}});
    auto late = page->next_of("error", 3s);
    ASSERT_TRUE(late) << "the resident's page heard nothing while the store stalled";
    EXPECT_EQ(str(late->at("code")), "not_confirmed");
    EXPECT_EQ(str(late->at("ref")), "press-1");
    // The page's connection reads on, and while its press is still at work the next message is
    // refused at once and unhandled (a cancel must not overtake the press it would cancel).
    page->send(boost::json::object{{"type", "cancel"}, {"id", 1}, {"ref", "cancel-1"}});
    auto busy = page->next_of("error", 2s);
    ASSERT_TRUE(busy) << "the connection stopped reading while a press waited for the store";
    EXPECT_EQ(str(busy->at("code")), "busy");
    EXPECT_EQ(str(busy->at("ref")), "cancel-1");
    // A page connecting meanwhile signs in through the store too: refused in time, with a 503.
    began = clock::now();
    ws_client late_page(port(), "/ws/resident", {{"Authorization", "Bearer " + jan}});
    EXPECT_FALSE(late_page.connected());
    EXPECT_EQ(late_page.refusal_status(), 503);
    EXPECT_LT(clock::now() - began, 3s);
    EXPECT_TRUE(anna->quiet_for("alert", 200ms)) << "staff were alerted about a request not yet stored";

    unlock();
    // Both presses were still at work: they commit now, and staff are alerted about each.
    auto first = anna->next_of("alert", 5s);
    auto second = anna->next_of("alert", 5s);
    ASSERT_TRUE(first && second) << "a request saved after the deadline never reached the dashboard";
    auto accepted = page->next_of("accepted", 2s);
    ASSERT_TRUE(accepted) << "the page was not told when its press was saved after all";
    EXPECT_EQ(str(accepted->at("ref")), "press-1");

    // Retrying, as the 503 invites, finds the saved request instead of making another.
    auto retry = press(jan, "normal", "", "stalled-http");
    EXPECT_EQ(retry.status, 200) << retry.body;
    std::set<std::int64_t> alerted{id_of(first->at("alert").as_object()), id_of(second->at("alert").as_object())};
    EXPECT_TRUE(alerted.count(id_of(retry.json()))) << retry.body;
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests")[0][0], "2");
}

// SIGTERM while the store stalls: the store thread cannot finish the commit it waits on, and would hold
// the exit for as long as the lock is kept. askd exits after its store_stop_limit (10 s) with code 1 and
// says why; what was confirmed before is kept, and the stalled press, never confirmed, is not stored.
TEST_F(storage_stall, sigterm_with_the_store_stalled_exits_within_its_limit_and_keeps_what_was_confirmed) {
    auto confirmed = press(maria, "normal", "Proszę o telefon", "before");
    ASSERT_EQ(confirmed.status, 201) << confirmed.body;
    lock();
    wait_for_the_start_jobs();
    auto stalled = std::async(std::launch::async, [this] { return press(jan, "normal", "", "stalled"); });
    ASSERT_EQ(wait_for("ask_store_running_jobs", 1), 1) << "the press did not reach the store thread";
    auto began = clock::now();
    auto code = askd.terminate(std::chrono::milliseconds(15000));
    ASSERT_TRUE(code.has_value()) << "askd did not exit within 15 s of SIGTERM with its store stalled";
    EXPECT_EQ(*code, 1);
    EXPECT_GE(clock::now() - began, 9s) << "the store was not given its time";
    EXPECT_NE(askd.log().find("the store did not finish its commits within 10 s"), std::string::npos)
        << askd.log();
    EXPECT_NE(stalled.get().status, 201) << "a press confirmed that was never committed";
    unlock();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests WHERE client_request_id = 'before'")[0][0], "1");
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests WHERE client_request_id = 'stalled'")[0][0], "0");
}

class storage_stall_small_queue : public storage_stall {
protected:
  storage_stall_small_queue() : storage_stall("busy_timeout_ms = 30000\nqueue_max = 2") {}
  /// Locks the store and fills its queue with three of Jan's presses, which stall: the first's job
  /// is taken by the store thread, which then waits on the lock; the next two wait in the queue.
  /// First the jobs askd runs as it starts must be done: on a busy machine they may not be yet, and
  /// one of them held by the lock would take the store thread or a place in the queue from a press.
  std::vector<std::future<http_reply>> fill_the_queue() {
      wait_for_the_start_jobs();
      lock();
      auto stall = [this](int i) {
          return std::async(std::launch::async,
                            [this, i] { return press(jan, "normal", "", "stalled-" + std::to_string(i)); });
      };
      std::vector<std::future<http_reply>> stalled;
      stalled.push_back(stall(0));
      EXPECT_EQ(wait_for("ask_store_running_jobs", 1), 1) << "the store thread did not take the first press";
      stalled.push_back(stall(1));
      stalled.push_back(stall(2));
      EXPECT_EQ(wait_for("ask_store_queue_jobs", 2), 2) << "the stalled presses did not fill the queue";
      return stalled;
    }
};

// A stalled store lets only queue_max jobs wait: past that a press is refused at once (nothing
// stored, so storage_unavailable, not not_confirmed), and memory does not grow with the stall.
TEST_F(storage_stall_small_queue, past_queue_max_a_press_is_refused_at_once_and_service_returns) {
    auto stalled = fill_the_queue();
    ASSERT_FALSE(HasFailure());
    auto began = clock::now();
    auto refused = press(maria, "normal", "", "refused");
    EXPECT_LT(clock::now() - began, 900ms) << "a press past queue_max waited (for the 1 s deadline)";
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable") << refused.body;
    EXPECT_EQ(metric(port(), "ask_store_refused_total"), 1);
    for (auto& f : stalled)
        EXPECT_EQ(f.get().status, 503);
    unlock();
    // The stalled presses go on once the store does: all three are saved (Jan's first request and
    // two repeated presses merged into it), and the queue drains.
    db_probe db(askd.db_path());
    const std::string presses_saved = "SELECT coalesce(sum(1 + repeat_count), 0) FROM requests";
    auto deadline = clock::now() + 10s;
    while (db.rows(presses_saved)[0][0] != "3" && clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_EQ(db.rows(presses_saved)[0][0], "3");

    auto accepted = press(maria, "normal", "", "after");
    EXPECT_EQ(accepted.status, 201) << accepted.body;
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests WHERE client_request_id = 'refused'")[0][0], "0");
}

// A resident's page reading its request while the queue is full hears that the store is busy (503), never
// that its link no longer works: the page ends a link on a 401 `unauthorized` alone (resident.js). Before,
// the refused resident check fell through to the staff check, which has the queue's reserve and waited for
// the stalled store.
TEST_F(storage_stall_small_queue, past_queue_max_a_residents_read_is_refused_as_busy_not_as_a_link_ended) {
    auto mine = id_of(press(maria, "normal", "Proszę o telefon").json());
    auto stalled = fill_the_queue();
    ASSERT_FALSE(HasFailure());
    auto began = clock::now();
    auto read = http_get(port(), "/api/v1/requests/" + std::to_string(mine), maria);
    EXPECT_LT(clock::now() - began, 900ms) << "a read past queue_max waited for the stalled store";
    EXPECT_EQ(read.status, 503) << read.body;
    EXPECT_EQ(str(read.json().at("error").as_object().at("code")), "storage_unavailable") << read.body;
    for (auto& f : stalled)
        EXPECT_EQ(f.get().status, 503);
    unlock();
    EXPECT_TRUE(eventually(
        [&] { return http_get(port(), "/api/v1/requests/" + std::to_string(mine), maria).status == 200; },
        10s))
        << "the resident could not read their request once the store went on";
}

// A resident's page that opens (or reconnects) while the queue is full of new work signs in through the
// queue's reserve, as staff do: its presses, an urgent one too, go only over that connection. Here it is
// admitted though no press would be, waits for the stalled store past the reply deadline (503, and nothing
// refused), and the page connects once the store goes on.
TEST_F(storage_stall_small_queue, past_queue_max_a_residents_page_can_still_sign_in) {
    auto stalled = fill_the_queue();
    ASSERT_FALSE(HasFailure());
    auto refused = press(maria, "normal", "", "refused");
    ASSERT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable") << refused.body;
    ASSERT_EQ(metric(port(), "ask_store_refused_total"), 1);

    auto opening = std::async(std::launch::async, [this] {
        ws_client page(port(), "/ws/resident", {{"Authorization", "Bearer " + maria}});
        return std::pair{page.connected(), page.refusal_status()};
    });
    EXPECT_EQ(wait_for("ask_store_queue_jobs", 3), 3) << "the page's sign-in is not waiting in the queue";
    auto [connected, status] = opening.get();
    EXPECT_FALSE(connected);
    EXPECT_EQ(status, 503) << "past the reply deadline, not_confirmed";
    EXPECT_EQ(metric(port(), "ask_store_refused_total"), 1) << "the page's sign-in was refused as new work";
    for (auto& f : stalled)
        EXPECT_EQ(f.get().status, 503);
    unlock();
    EXPECT_TRUE(eventually(
        [&] {
            ws_client page(port(), "/ws/resident", {{"Authorization", "Bearer " + maria}});
            return page.connected();
        },
        10s))
        << "the page could not connect once the store went on";
}

// A queue full of new presses does not lock staff out of what already waits: a staff member's
// action uses the queue's reserve (up to twice queue_max). Here it is admitted though no press would
// be, waits for the stalled store past the reply deadline (not_confirmed, not storage_unavailable),
// and is carried out once the store goes on.
TEST_F(storage_stall_small_queue, past_queue_max_staff_can_still_take_a_request) {
    auto anna = dashboard("anna");
    auto waiting = id_of(press(maria, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    auto stalled = fill_the_queue();
    ASSERT_FALSE(HasFailure());
    auto refused = press(maria, "normal", "", "refused");
    ASSERT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable") << refused.body;

    anna->send(boost::json::object{{"type", "ack"}, {"id", waiting}, {"ref", "take"}});
    auto late = anna->next_of("error", 3s);
    ASSERT_TRUE(late) << "the dashboard heard nothing while the store stalled";
    EXPECT_EQ(str(late->at("code")), "not_confirmed") << boost::json::serialize(*late);
    EXPECT_EQ(metric(port(), "ask_store_queue_jobs"), 3) << "the action is not waiting in the queue";
    for (auto& f : stalled)
        EXPECT_EQ(f.get().status, 503);
    unlock();

    EXPECT_TRUE(anna->next_of("alert_update", 5s, [&](const auto& m) {
        const auto& alert = m.at("alert").as_object();
        return id_of(alert) == waiting && str(alert.at("state")) == "acknowledged";
    })) << "the action admitted past queue_max was not carried out";
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT state FROM requests WHERE id = " + std::to_string(waiting))[0][0], "acknowledged");
}

} // namespace
} // namespace ask::test
