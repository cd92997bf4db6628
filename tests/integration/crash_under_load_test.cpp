// kill -9 under steady load, again and again (issue 6): residents press continuously over HTTP
// while a staff dashboard takes and closes requests, and askd is killed at random moments and
// restarted on the same database. Afterwards the SQLite file itself is checked: every press that
// got a success reply is stored exactly once, on the request it was told; nothing that was never
// sent is there; every acknowledgement and resolution that was confirmed holds, nothing that was
// never asked for happened; and a freshly connected on-duty dashboard is rung for every request
// still waiting (alerts resume).
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <thread>

namespace ask::test {
namespace {

// The presses are load, sent as fast as askd answers, not residents pressing: the press allowance
// ([limits] presses_per_window) is lifted so that every press is stored.
class crash_under_load : public office_fixture {
protected:
  crash_under_load()
      : office_fixture("[alerts]\nrenotify_seconds = 1\n[limits]\npresses_per_window = 1000000\n") {}
};

/// What the staff dashboard was told was done (its "ok" replies) and what it asked for at all.
struct staff_record {
    std::mutex m;
    std::set<std::int64_t> acks_sent, acks_ok, resolves_sent, resolves_ok;
    int connections = 0;
};

/// Anna's dashboard for as long as `stop` is false, reconnecting after every crash: acknowledges
/// Jan's and Maria's requests, resolves Jan's once acknowledged, never touches anyone else's.
void staff_worker(const std::atomic<std::uint16_t>& live_port, const std::atomic<bool>& stop, const std::string& token,
                  staff_record& rec) {
    while (!stop) {
        auto port = live_port.load();
        if (port == 0) {
            std::this_thread::sleep_for(10ms);
            continue;
        }
        ws_client anna(port, "/ws/staff", {{"Authorization", "Bearer " + token}});
        if (!anna.connected()) {
            std::this_thread::sleep_for(20ms);
            continue;
        }
        {
            std::lock_guard lock(rec.m);
            ++rec.connections;
        }
        anna.send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "duty"}});
        std::set<std::int64_t> acked_here, resolved_here; // asked on this connection
        auto consider = [&](const boost::json::object& alert) {
            auto id = alert.at("id").as_int64();
            auto state = str(alert.at("state"));
            auto resident = str(alert.at("resident").as_object().at("name"));
            bool jan = resident == "Jan Kowalski", maria = resident == "Maria Wiśniewska";
            if (!jan && !maria)
                return; // "Otwarty …": left waiting on purpose
            if ((state == "notifying" || state == "queued") && !acked_here.count(id)) {
                acked_here.insert(id);
                {
                    std::lock_guard lock(rec.m);
                    rec.acks_sent.insert(id);
                }
                anna.send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "ack-" + std::to_string(id)}});
            } else if (jan && state == "acknowledged" && !resolved_here.count(id) && alert.at("acknowledged_by").is_object() &&
                       str(alert.at("acknowledged_by").as_object().at("name")) == "Anna") {
                resolved_here.insert(id);
                {
                    std::lock_guard lock(rec.m);
                    rec.resolves_sent.insert(id);
                }
                anna.send(boost::json::object{
                    {"type", "resolve"}, {"id", id}, {"outcome", "called_back"}, {"ref", "resolve-" + std::to_string(id)}});
            }
        };
        while (!stop && !anna.closed()) {
            auto m = anna.next(100ms);
            if (!m)
                continue;
            auto type = str(m->at("type"));
            if (type == "snapshot") {
                for (const auto& a : m->at("alerts").as_array())
                    consider(a.as_object());
            } else if (type == "alert" || type == "alert_update") {
                consider(m->at("alert").as_object());
            } else if (type == "ok" && m->contains("ref") && m->contains("id")) { // duty's ok has no id
                auto ref = str(m->at("ref"));
                auto id = m->at("id").as_int64();
                std::lock_guard lock(rec.m);
                if (ref.rfind("ack-", 0) == 0)
                    rec.acks_ok.insert(id);
                else if (ref.rfind("resolve-", 0) == 0)
                    rec.resolves_ok.insert(id);
            }
        }
    }
}

TEST_F(crash_under_load, repeated_kill_9_under_load_keeps_every_confirmed_press_once_in_its_state_and_alerts_resume) {
    auto open1 = askd.add_resident("Otwarty Jeden", "600 700 801");
    auto open2 = askd.add_resident("Otwarty Dwa", "600 700 802");
    auto anna_token = login(port(), "anna", staff_password);
    ASSERT_FALSE(anna_token.empty());

    std::atomic<std::uint16_t> live_port{port()};
    std::atomic<bool> stop_pressing{false}, stop_staff{false};
    std::mutex m;
    std::map<std::string, std::int64_t> confirmed; // idempotency key -> request id, for 200/201 replies only
    std::set<std::string> unanswered;              // sent (or tried), no success reply
    std::map<int, int> other_statuses;             // anything else, by HTTP status
    staff_record staff;

    auto presser = [&](std::string token, std::string tag) {
        for (int i = 0; !stop_pressing; ++i) {
            auto p = live_port.load();
            if (p == 0) {
                std::this_thread::sleep_for(5ms);
                continue;
            }
            auto key = tag + "-" + std::to_string(i);
            boost::json::object body{{"priority", i % 4 ? "normal" : "urgent"}, {"request_id", key}};
            auto r = http_post(p, "/api/v1/requests", boost::json::serialize(body), token);
            std::lock_guard lock(m);
            if (r.status == 201 || r.status == 200) {
                confirmed[key] = id_of(r.json());
            } else {
                unanswered.insert(key);
                if (r.status != 0)
                    ++other_statuses[r.status];
            }
        }
    };
    std::vector<std::thread> threads;
    threads.emplace_back(presser, jan, "jan");
    threads.emplace_back(presser, maria, "maria");
    threads.emplace_back(presser, open1, "open1");
    threads.emplace_back(presser, open2, "open2");
    std::thread staff_thread(staff_worker, std::cref(live_port), std::cref(stop_staff), anna_token, std::ref(staff));
    // However this test ends, the threads are stopped and joined before the locals they use go away.
    struct joiner {
        std::atomic<bool>& a;
        std::atomic<bool>& b;
        std::vector<std::thread>& ts;
        std::thread& staff;
        void operator()() {
            a = true;
            b = true;
            for (auto& t : ts)
                if (t.joinable())
                    t.join();
            if (staff.joinable())
                staff.join();
        }
        ~joiner() { (*this)(); }
    } join_all{stop_pressing, stop_staff, threads, staff_thread};

    std::random_device seed_source;
    auto seed = seed_source();
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> pause_ms(250, 900);
    constexpr int kills = 6;
    std::vector<std::size_t> confirmed_by_round;
    for (int round = 0; round < kills; ++round) {
        std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
        askd.kill9(); // a random moment: presses, acks and renotifications are in flight
        live_port = 0;
        askd.start();
        ASSERT_FALSE(HasFatalFailure()) << "restart " << round + 1 << " failed (seed " << seed << ")";
        live_port = port();
        std::lock_guard lock(m);
        confirmed_by_round.push_back(confirmed.size());
    }
    std::this_thread::sleep_for(700ms);
    stop_pressing = true;
    for (auto& t : threads)
        t.join();
    std::this_thread::sleep_for(1500ms); // Anna takes what came last
    join_all();

    SCOPED_TRACE("random seed " + std::to_string(seed));
    ASSERT_GT(confirmed.size(), 40u) << "the load was too light to prove anything";
    for (std::size_t i = 1; i < confirmed_by_round.size(); ++i)
        EXPECT_GT(confirmed_by_round[i], confirmed_by_round[i - 1]) << "no press confirmed after restart " << i;
    EXPECT_GE(staff.connections, kills) << "the dashboard did not reconnect after each crash";
    EXPECT_FALSE(staff.acks_ok.empty());
    EXPECT_FALSE(staff.resolves_ok.empty());
    for (const auto& [status, count] : other_statuses)
        EXPECT_LT(status, 500) << count << " presses answered " << status;

    db_probe db(askd.db_path());
    // Every confirmed press is stored exactly once, on the request its reply named.
    for (const auto& [key, id] : confirmed) {
        auto landed = db.landed(key);
        ASSERT_EQ(landed.size(), 1u) << key << " was confirmed as request " << id << " but is stored " << landed.size()
                                     << " times";
        EXPECT_EQ(landed[0], id) << key;
    }
    // A press without a reply was either stored once or not at all.
    int in_flight_stored = 0;
    for (const auto& key : unanswered) {
        auto landed = db.landed(key);
        EXPECT_LE(landed.size(), 1u) << key << " (no reply) is stored twice";
        in_flight_stored += static_cast<int>(landed.size());
    }
    // Nothing is stored that nobody sent.
    auto stored_keys = db.rows("SELECT client_request_id FROM requests UNION ALL SELECT json_extract(detail, '$.request_id') "
                               "FROM request_events WHERE kind = 'repeated'");
    for (const auto& row : stored_keys)
        EXPECT_TRUE(confirmed.count(row[0]) || unanswered.count(row[0])) << "stored press '" << row[0] << "' was never sent";
    EXPECT_EQ(stored_keys.size(), confirmed.size() + in_flight_stored);
    // Each request counts its merged presses once.
    for (const auto& row : db.rows("SELECT r.id, r.repeat_count, (SELECT count(*) FROM request_events AS e "
                                   "WHERE e.request_id = r.id AND e.kind = 'repeated') FROM requests AS r"))
        EXPECT_EQ(row[1], row[2]) << "request " << row[0] << ": repeat_count disagrees with its repeated presses";

    // States: what Anna was told was done holds; what nobody asked for did not happen.
    std::set<std::int64_t> waiting; // stored, open and unacknowledged: must ring again
    for (const auto& row : db.rows("SELECT id, state, coalesce(acked_by, 0), coalesce(outcome, '') FROM requests")) {
        auto id = std::stoll(row[0]);
        const auto& state = row[1];
        auto acked_by = std::stoll(row[2]);
        SCOPED_TRACE("request " + row[0] + " in state " + state);
        if (staff.resolves_ok.count(id)) {
            EXPECT_EQ(state, "resolved");
            EXPECT_EQ(row[3], "called_back");
        } else if (!staff.resolves_sent.count(id)) {
            EXPECT_NE(state, "resolved");
        }
        if (staff.acks_ok.count(id)) {
            EXPECT_TRUE(state == "acknowledged" || state == "resolved");
            EXPECT_EQ(acked_by, anna_id);
        } else if (!staff.acks_sent.count(id)) {
            EXPECT_TRUE(state == "notifying" || state == "queued") << "nobody acknowledged it";
            EXPECT_EQ(acked_by, 0);
        }
        if (state == "notifying" || state == "queued")
            waiting.insert(id);
    }
    // The two residents nobody answers each have a request waiting.
    for (const char* tag : {"open1-", "open2-"}) {
        auto it = std::find_if(confirmed.begin(), confirmed.end(), [&](const auto& c) { return c.first.rfind(tag, 0) == 0; });
        ASSERT_NE(it, confirmed.end()) << "no press of " << tag << " was confirmed";
        EXPECT_TRUE(waiting.count(it->second)) << tag << " request " << it->second << " is not waiting";
    }

    std::cout << "[ info     ] " << kills << " kills; " << confirmed.size() << " presses confirmed, " << unanswered.size()
              << " unanswered (" << in_flight_stored << " of them stored); " << db.rows("SELECT id FROM requests").size()
              << " requests; " << staff.acks_ok.size() << " acks and " << staff.resolves_ok.size()
              << " resolutions confirmed; " << waiting.size() << " waiting\n";

    // Alerts resume: a dashboard that goes on duty now is rung for every waiting request.
    auto bob = dashboard("bob");
    std::set<std::int64_t> rung;
    auto deadline = std::chrono::steady_clock::now() + 4s;
    while (rung.size() < waiting.size() && std::chrono::steady_clock::now() < deadline) {
        auto alert = bob->next_of("alert", 200ms);
        if (alert)
            rung.insert(alert->at("alert").as_object().at("id").as_int64());
    }
    for (auto id : waiting)
        EXPECT_TRUE(rung.count(id)) << "waiting request " << id << " was not alerted after the last restart";
    for (auto id : rung)
        EXPECT_TRUE(waiting.count(id)) << "request " << id << " rang but is not waiting";
}

} // namespace
} // namespace ask::test
