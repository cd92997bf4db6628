// Statistics: counts, nearest-rank percentiles and the share acknowledged within 60 s.
#include "server/app/stats.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ask {
namespace {

using protocol::millis;
using protocol::priority;
using protocol::request_state;

store::request_record request(priority p, millis created, std::optional<millis> ack, std::optional<millis> resolved) {
    store::request_record r;
    r.view.level = p;
    r.view.created_at = created;
    r.view.state = resolved ? request_state::resolved : (ack ? request_state::acknowledged : request_state::notifying);
    if (ack)
        r.acknowledged_at = created + *ack;
    if (resolved) {
        r.resolved_at = created + *resolved;
        r.outcome = protocol::outcome::called_back;
    }
    return r;
}

TEST(stats, counts_percentiles_and_share) {
    std::vector<store::request_record> rows;
    for (int i = 1; i <= 10; ++i) // acknowledged after 10 s, 20 s, … 100 s
        rows.push_back(request(i % 2 ? priority::urgent : priority::normal, 1000, i * 10'000, i * 20'000));
    rows.push_back(request(priority::normal, 1000, std::nullopt, std::nullopt));
    auto r = compute_stats(rows, 0, 5000);
    EXPECT_EQ(r.total, 11u);
    EXPECT_EQ(r.by_priority.at("urgent"), 5u);
    EXPECT_EQ(r.by_priority.at("normal"), 6u);
    EXPECT_EQ(r.by_state.at("notifying"), 1u);
    EXPECT_EQ(r.by_outcome.at("called_back"), 10u);
    EXPECT_EQ(r.to_acknowledge.count, 10u);
    EXPECT_EQ(r.to_acknowledge.p50, 50'000);
    EXPECT_EQ(r.to_acknowledge.p90, 90'000);
    EXPECT_EQ(r.to_acknowledge.max, 100'000);
    EXPECT_EQ(r.to_resolve.max, 200'000);
    EXPECT_EQ(r.acknowledged_within_60s, 6u);
    ASSERT_TRUE(r.share_acknowledged_within_60s);
    EXPECT_NEAR(*r.share_acknowledged_within_60s, 6.0 / 11.0, 1e-9) << "of all requests, not only acknowledged ones";

    auto json = boost::json::parse(stats_json(r)).as_object();
    EXPECT_EQ(json.at("to_acknowledge").as_object().at("p90_s").as_double(), 90.0);
    auto csv = stats_csv(r);
    EXPECT_EQ(csv.rfind("metric,value\r\n", 0), 0u);
    EXPECT_NE(csv.find("to_acknowledge.p50_s,50.000\r\n"), std::string::npos) << csv;
}

TEST(stats, an_empty_period_has_no_share) {
    auto r = compute_stats({}, 0, 1);
    EXPECT_EQ(r.total, 0u);
    EXPECT_FALSE(r.share_acknowledged_within_60s);
    EXPECT_NE(stats_csv(r).find("share_acknowledged_within_60s,\r\n"), std::string::npos);
}

} // namespace
} // namespace ask
