// Statistics: counts, nearest-rank percentiles, first responses from the request's log, the share
// acknowledged within 60 s of the requests that could be, and all of it by priority.
#include "server/app/stats.hpp"
#include "server/store/accounts.hpp"
#include "server/store/migrations.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ask {
namespace {

using protocol::millis;
using protocol::priority;
using protocol::request_state;

const office_open_fn always_open = [](millis) { return true; };

// A request made at `created`, acknowledged (for the first time, and still) `ack` and resolved as
// called back `resolved` after it, with no separate contact step.
store::request_history request(priority p, millis created, std::optional<millis> ack,
                               std::optional<millis> resolved) {
    store::request_history h;
    auto& r = h.record;
    r.view.level = p;
    r.view.created_at = created;
    r.view.state = resolved ? request_state::resolved : (ack ? request_state::acknowledged : request_state::notifying);
    if (ack) {
        r.acknowledged_at = created + *ack;
        h.first_acknowledged_at = r.acknowledged_at;
    }
    if (resolved) {
        r.resolved_at = created + *resolved;
        r.outcome = protocol::outcome::called_back;
    }
    return h;
}

TEST(stats, counts_percentiles_and_share) {
    std::vector<store::request_history> rows;
    for (int i = 1; i <= 10; ++i) // acknowledged after 10 s, 20 s, … 100 s
        rows.push_back(request(i % 2 ? priority::urgent : priority::normal, 1000, i * 10'000, i * 20'000));
    rows.push_back(request(priority::normal, 1000, std::nullopt, std::nullopt));
    auto r = compute_stats(rows, 0, 5000, always_open);
    EXPECT_EQ(r.total, 11u);
    EXPECT_EQ(r.by_priority.at("urgent"), 5u);
    EXPECT_EQ(r.by_priority.at("normal"), 6u);
    EXPECT_EQ(r.by_state.at("notifying"), 1u);
    EXPECT_EQ(r.by_outcome.at("called_back"), 10u);
    EXPECT_EQ(r.all.to_acknowledge.count, 10u);
    EXPECT_EQ(r.all.to_acknowledge.p50, 50'000);
    EXPECT_EQ(r.all.to_acknowledge.p90, 90'000);
    EXPECT_EQ(r.all.to_acknowledge.max, 100'000);
    EXPECT_EQ(r.all.to_resolve.max, 200'000);
    EXPECT_EQ(r.all.acknowledged_within_60s, 6u);
    EXPECT_EQ(r.all.within_60s_counted, 11u);
    ASSERT_TRUE(r.all.share_acknowledged_within_60s);
    EXPECT_NEAR(*r.all.share_acknowledged_within_60s, 6.0 / 11.0, 1e-9)
        << "of all requests that came in while open, not only acknowledged ones";

    auto json = boost::json::parse(stats_json(r)).as_object();
    EXPECT_EQ(json.at("to_acknowledge").as_object().at("p90_s").as_double(), 90.0);
    auto csv = stats_csv(r);
    EXPECT_EQ(csv.rfind("metric,value\r\n", 0), 0u);
    EXPECT_NE(csv.find("to_acknowledge.p50_s,50.000\r\n"), std::string::npos) << csv;
}

TEST(stats, an_empty_period_has_no_share) {
    auto r = compute_stats({}, 0, 1, always_open);
    EXPECT_EQ(r.total, 0u);
    EXPECT_FALSE(r.all.share_acknowledged_within_60s);
    EXPECT_NE(stats_csv(r).find("\r\nshare_acknowledged_within_60s,\r\n"), std::string::npos);
    EXPECT_NE(stats_csv(r).find("\r\npriority.urgent.share_acknowledged_within_60s,\r\n"), std::string::npos)
        << "both priorities are always there, for spreadsheets that expect their rows";
}

TEST(stats, a_resolve_as_called_back_is_when_the_resident_was_reached) {
    auto called_back = request(priority::normal, 0, 10'000, 100'000); // no contact step before it
    auto contacted_first = request(priority::normal, 0, 10'000, 300'000);
    contacted_first.first_contacted_at = 50'000;
    auto visit = request(priority::normal, 0, 10'000, 400'000);
    visit.record.outcome = protocol::outcome::visit_scheduled; // a visit arranged: not yet reached
    auto r = compute_stats({called_back, contacted_first, visit}, 0, 1, always_open);
    EXPECT_EQ(r.all.to_contact.count, 2u);
    EXPECT_EQ(r.all.to_contact.p50, 50'000) << "the contact step, not the later resolve";
    EXPECT_EQ(r.all.to_contact.max, 100'000) << "the call-back reached the resident when it was resolved";
}

TEST(stats, the_60s_share_leaves_out_only_the_requests_no_one_could_acknowledge_in_time) {
    const millis closes = 1'000'000;
    const office_open_fn open_before_closing = [&](millis at) { return at < closes; };
    auto cancelled = [](store::request_history h, millis after) {
        h.record.view.state = request_state::cancelled;
        h.cancelled_at = h.record.view.created_at + after;
        return h;
    };
    std::vector<store::request_history> rows{
        request(priority::urgent, 0, 30'000, std::nullopt),                          // in time
        request(priority::urgent, 0, 90'000, std::nullopt),                          // late
        cancelled(request(priority::urgent, 0, std::nullopt, std::nullopt), 30'000), // left out: gone in 30 s
        cancelled(request(priority::urgent, 0, std::nullopt, std::nullopt), 300'000), // waited 5 min in vain
        cancelled(request(priority::urgent, 0, 20'000, std::nullopt), 40'000), // in time, then cancelled
        request(priority::urgent, 0, std::nullopt, std::nullopt),              // still waiting: late
        request(priority::urgent, closes, std::nullopt, std::nullopt),         // left out: office closed
        request(priority::urgent, closes, 8 * 3'600'000, std::nullopt),        // left out: taken next morning
        request(priority::urgent, closes, 20'000, std::nullopt),               // closed, but taken in time
    };
    auto r = compute_stats(rows, 0, 1, open_before_closing);
    EXPECT_EQ(r.all.acknowledged_within_60s, 3u);
    EXPECT_EQ(r.all.within_60s_counted, 6u);
    EXPECT_EQ(r.all.left_out_arrived_while_closed, 2u);
    EXPECT_EQ(r.all.left_out_cancelled_within_60s, 1u);
    ASSERT_TRUE(r.all.share_acknowledged_within_60s);
    EXPECT_NEAR(*r.all.share_acknowledged_within_60s, 0.5, 1e-9);

    auto json = boost::json::parse(stats_json(r)).as_object();
    EXPECT_EQ(json.at("within_60s_counted").as_int64(), 6);
    EXPECT_EQ(json.at("within_60s_left_out").as_object().at("arrived_while_closed").as_int64(), 2);
    EXPECT_EQ(json.at("within_60s_left_out").as_object().at("cancelled_within_60s").as_int64(), 1);
    EXPECT_EQ(json.at("share_acknowledged_within_60s").as_double(), 0.5);
    auto csv = stats_csv(r);
    EXPECT_NE(csv.find("\r\nwithin_60s_counted,6\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\nwithin_60s_left_out.arrived_while_closed,2\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\nwithin_60s_left_out.cancelled_within_60s,1\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\nshare_acknowledged_within_60s,0.5000\r\n"), std::string::npos) << csv;
}

TEST(stats, response_times_are_also_given_by_priority) {
    std::vector<store::request_history> rows{
        request(priority::urgent, 0, 10'000, 100'000),
        request(priority::urgent, 0, 20'000, 200'000),
        request(priority::normal, 0, 100'000, 1'000'000),
        request(priority::normal, 0, 300'000, std::nullopt),
        request(priority::normal, 0, std::nullopt, std::nullopt),
    };
    auto r = compute_stats(rows, 0, 1, always_open);
    const auto& urgent = r.by_priority_times.at("urgent");
    const auto& normal = r.by_priority_times.at("normal");
    EXPECT_EQ(urgent.to_acknowledge.count, 2u);
    EXPECT_EQ(urgent.to_acknowledge.max, 20'000);
    EXPECT_EQ(urgent.to_contact.max, 200'000);
    EXPECT_EQ(urgent.to_resolve.p50, 100'000);
    EXPECT_EQ(urgent.share_acknowledged_within_60s, 1.0);
    EXPECT_EQ(normal.to_acknowledge.p50, 100'000);
    EXPECT_EQ(normal.to_resolve.count, 1u);
    EXPECT_EQ(normal.within_60s_counted, 3u);
    EXPECT_EQ(normal.share_acknowledged_within_60s, 0.0);
    EXPECT_EQ(r.all.to_acknowledge.count, 4u) << "the whole stays as it was";

    auto json = boost::json::parse(stats_json(r)).as_object();
    const auto& by = json.at("by_priority_times").as_object();
    EXPECT_EQ(by.at("urgent").as_object().at("to_acknowledge").as_object().at("max_s").as_double(), 20.0);
    EXPECT_EQ(by.at("urgent").as_object().at("share_acknowledged_within_60s").as_double(), 1.0);
    EXPECT_EQ(by.at("normal").as_object().at("to_contact").as_object().at("count").as_int64(), 1);
    EXPECT_EQ(by.at("normal").as_object().at("within_60s_counted").as_int64(), 3);
    auto csv = stats_csv(r);
    EXPECT_NE(csv.find("\r\npriority.urgent.to_acknowledge.p90_s,20.000\r\n"), std::string::npos) << csv;
    EXPECT_NE(csv.find("\r\npriority.normal.share_acknowledged_within_60s,0.0000\r\n"), std::string::npos)
        << csv;
}

// The store's side: the first acknowledgement and contact, and the cancel, read from the log, whatever
// a give-back cleared from the request since.
class stats_store : public ::testing::Test {
  protected:
    void SetUp() override {
        db = std::make_unique<store::database>(
            store::database::open((dir.path() / "ask.db").string()).value());
        ASSERT_TRUE(store::migrate(*db));
        office = store::upsert_office(*db, "demo", "Urząd", "Europe/Warsaw").value();
        anna = staff("anna", "Anna");
        bob = staff("bob", "Bob");
    }
    std::int64_t staff(const std::string& username, const std::string& name) {
        store::staff_record s;
        s.office_id = office;
        s.username = username;
        s.display_name = name;
        return store::add_staff(*db, s, "$argon2id$fake", 1).value();
    }
    std::int64_t press(const std::string& name, millis at) {
        store::resident_record r;
        r.office_id = office;
        r.name = name;
        auto who = store::add_resident(*db, r, "hash-" + name, 1).value();
        store::new_request_record n;
        n.office_id = office;
        n.resident_id = who;
        return store::submit_request(*db, n, at, [](const store::request_record&) { return false; })
            ->request.view.id;
    }

    test::temp_dir dir;
    std::unique_ptr<store::database> db;
    std::int64_t office = 0, anna = 0, bob = 0;
};

TEST_F(stats_store, a_give_back_does_not_undo_the_first_acknowledgement_or_contact) {
    auto given_back = press("Jan", 1'000);
    ASSERT_TRUE(store::acknowledge(*db, given_back, anna, 11'000));
    ASSERT_TRUE(store::release(*db, given_back, anna, true, 20'000));
    ASSERT_TRUE(store::acknowledge(*db, given_back, bob, 201'000));
    ASSERT_TRUE(store::resolve(*db, given_back, bob, protocol::outcome::called_back, "", 261'000));

    auto reached_then_given_back = press("Maria", 2'000);
    ASSERT_TRUE(store::acknowledge(*db, reached_then_given_back, anna, 5'000));
    ASSERT_TRUE(store::mark_contacted(*db, reached_then_given_back, anna, "", 32'000));
    ASSERT_TRUE(store::release(*db, reached_then_given_back, anna, true, 40'000));

    auto cancelled = press("Ewa", 3'000);
    ASSERT_TRUE(
        store::cancel(*db, cancelled, store::find_request(*db, cancelled).value()->view.resident.id, 23'000));

    auto rows = store::request_histories_created_between(*db, office, 0, 10'000).value();
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].record.acknowledged_at, 201'000) << "the request as it now stands";
    EXPECT_EQ(rows[0].first_acknowledged_at, 11'000);
    EXPECT_EQ(rows[1].record.contacted_at, std::nullopt) << "the give-back cleared it";
    EXPECT_EQ(rows[1].first_contacted_at, 32'000);
    EXPECT_EQ(rows[2].cancelled_at, 23'000);
    EXPECT_EQ(rows[2].first_acknowledged_at, std::nullopt);

    auto r = compute_stats(rows, 0, 10'000, always_open);
    EXPECT_EQ(r.all.to_acknowledge.max, 10'000) << "Anna responded after 10 s, though she gave it back";
    EXPECT_EQ(r.all.acknowledged_within_60s, 2u);
    EXPECT_EQ(r.all.to_contact.count, 2u);
    EXPECT_EQ(r.all.to_contact.p50, 30'000) << "Maria was reached after 30 s";
    EXPECT_EQ(r.all.to_contact.max, 260'000) << "Jan, by the call-back that resolved his request";
    EXPECT_EQ(r.all.left_out_cancelled_within_60s, 1u);
    EXPECT_EQ(r.all.within_60s_counted, 2u);
}

} // namespace
} // namespace ask
