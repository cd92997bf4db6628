// What the record of who was shown a resident's card keeps to store: one per staff member, resident
// and UTC day, in order, given back when the store failed, and bounded when it fails for long.
#include "server/app/view_log.hpp"

#include <gtest/gtest.h>

#include <utility>

namespace ask {
namespace {

constexpr protocol::millis day = protocol::ms_per_day;
constexpr protocol::millis day_start = 20000 * day; // 2024-10-04, 00:00 UTC

std::vector<std::pair<std::int64_t, std::int64_t>> who(const std::vector<store::resident_view>& views) {
    std::vector<std::pair<std::int64_t, std::int64_t>> out;
    for (const auto& v : views)
        out.emplace_back(v.staff_id, v.resident_id);
    return out;
}

TEST(view_log, a_staff_member_resident_and_day_is_noted_once) {
    view_log log;
    log.note(1, 10, day_start + 5);
    log.note(1, 10, day_start + 6);
    log.note(2, 10, day_start + 7);
    log.note(1, 11, day_start + 8);
    ASSERT_EQ(log.waiting(), 3u);
    auto batch = log.take(100);
    EXPECT_EQ(who(batch), (decltype(who(batch)){{1, 10}, {2, 10}, {1, 11}}));
    EXPECT_EQ(batch[0].at, day_start + 5) << "the first moment of the day";
    EXPECT_FALSE(log.any_waiting());

    log.note(1, 10, day_start + day - 1);
    EXPECT_FALSE(log.any_waiting()) << "stored already today";
    EXPECT_TRUE(log.take_retired().empty());
    log.note(1, 10, day_start + day);
    ASSERT_EQ(log.waiting(), 1u) << "a new UTC day, a new record";
    EXPECT_EQ(log.take(100)[0].at, day_start + day);
    EXPECT_EQ(log.take_retired().size(), 3u) << "the day gone, for the caller to free off the delivery path";
    EXPECT_TRUE(log.take_retired().empty());
}

TEST(view_log, a_batch_the_store_refused_waits_again_ahead_of_later_ones) {
    view_log log;
    for (std::int64_t resident = 1; resident <= 5; ++resident)
        log.note(7, resident, day_start);
    auto first = log.take(2);
    EXPECT_EQ(who(first), (decltype(who(first)){{7, 1}, {7, 2}}));
    EXPECT_EQ(log.waiting(), 3u);
    log.note(7, 6, day_start + 1);
    log.give_back(std::move(first));
    log.note(7, 1, day_start + 2);
    EXPECT_EQ(who(log.take(100)), (decltype(who(first)){{7, 1}, {7, 2}, {7, 3}, {7, 4}, {7, 5}, {7, 6}}))
        << "given back, not noted twice, in order";
}

TEST(view_log, past_max_waiting_records_are_dropped_counted_and_noted_again_later) {
    view_log log;
    for (std::int64_t resident = 0; resident < static_cast<std::int64_t>(view_log::max_waiting) + 2;
         ++resident)
        log.note(3, resident, day_start);
    EXPECT_EQ(log.waiting(), view_log::max_waiting);
    EXPECT_EQ(log.lost(), 2u);
    auto batch = log.take(view_log::max_waiting);
    EXPECT_EQ(batch.front().resident_id, 0);
    EXPECT_EQ(batch.back().resident_id, static_cast<std::int64_t>(view_log::max_waiting) - 1)
        << "the oldest kept";
    log.note(3, static_cast<std::int64_t>(view_log::max_waiting), day_start + 1);
    EXPECT_EQ(log.waiting(), 1u) << "a dropped record is not taken for stored: the next card notes it";

    log.note(4, 1, day_start + 2);
    log.give_back(std::move(batch));
    EXPECT_EQ(log.waiting(), view_log::max_waiting);
    EXPECT_EQ(log.lost(), 4u) << "the newest two went";
    auto kept = log.take(view_log::max_waiting);
    EXPECT_EQ(kept.front().resident_id, 0) << "the batch given back, first";
    EXPECT_EQ(kept.back().resident_id, static_cast<std::int64_t>(view_log::max_waiting) - 1);
    log.note(4, 1, day_start + 3);
    log.note(3, static_cast<std::int64_t>(view_log::max_waiting), day_start + 3);
    EXPECT_EQ(who(log.take(10)),
              (decltype(who(kept)){{4, 1}, {3, static_cast<std::int64_t>(view_log::max_waiting)}}))
        << "the two dropped are noted again";
}

TEST(view_log, past_max_noted_the_days_pairs_are_forgotten_and_a_card_is_noted_again) {
    view_log log;
    for (std::int64_t resident = 0; resident < static_cast<std::int64_t>(view_log::max_noted); ++resident) {
        log.note(5, resident, day_start);
        if (log.waiting() == 1000)
            log.take(1000);
    }
    log.take(view_log::max_waiting);
    log.note(5, 0, day_start + 1);
    EXPECT_FALSE(log.any_waiting()) << "still remembered at max_noted";
    log.note(5, view_log::max_noted, day_start + 2);
    log.note(5, 0, day_start + 3);
    EXPECT_EQ(who(log.take(10)),
              (decltype(who({})){{5, static_cast<std::int64_t>(view_log::max_noted)}, {5, 0}}))
        << "the pairs were forgotten: noted again, for the store to keep the first";
    EXPECT_EQ(log.lost(), 0u);
}

} // namespace
} // namespace ask
