// The per-key allowance for inbound texts (by phone number) and presses (by resident).
#include "server/app/flood_guard.hpp"

#include <gtest/gtest.h>

namespace ask {
namespace {

// A text that is allowed and then stored: what receive_text does when the store job succeeds.
bool store_if_allowed(flood_guard& guard, const std::string& phone, protocol::millis now) {
    if (!guard.reserve(phone, now))
        return false;
    guard.settle(phone, now, true);
    return true;
}

TEST(flood_guard, allows_the_window_then_refuses_then_forgets) {
    flood_guard guard(3, 10'000);
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 0));
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 1));
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 2));
    EXPECT_FALSE(store_if_allowed(guard, "+48600100200", 3)) << "the fourth text in the window";
    EXPECT_TRUE(store_if_allowed(guard, "+48600300400", 3)) << "another number has its own allowance";
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 10'000)) << "the first text left the window";
    EXPECT_FALSE(store_if_allowed(guard, "+48600100200", 10'000)) << "texts at 1, 2 and 10 000 are in the window";
}

// The wall clock stepped back an hour (NTP, an administrator) after a full window: the items stored "in
// the future" count as stored at the step, so the key has room again one window later, not an hour later.
TEST(flood_guard, a_clock_stepped_back_holds_the_allowance_one_window_not_the_step) {
    flood_guard guard(2, 10'000);
    const protocol::millis hour = 3'600'000;
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", hour));
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", hour + 1));
    EXPECT_FALSE(guard.reserve("+48600100200", 0)) << "just after the step the window is still full";
    EXPECT_EQ(guard.room_at("+48600100200", 0), 10'000) << "room one window after the step";
    EXPECT_FALSE(guard.reserve("+48600100200", 9'999));
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 10'000)) << "refused for the step, not one window";
}

TEST(flood_guard, tries_that_were_not_stored_use_none_of_the_allowance) {
    flood_guard guard(2, 10'000);
    for (int attempt = 0; attempt < 10; ++attempt) {
        ASSERT_TRUE(guard.reserve("+48600100200", attempt)) << "refused tries used the allowance up";
        guard.settle("+48600100200", attempt, false); // the store refused it, or it was a retry
    }
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 10));
    EXPECT_TRUE(store_if_allowed(guard, "+48600100200", 11));
    EXPECT_FALSE(guard.reserve("+48600100200", 12));
}

TEST(flood_guard, a_burst_at_work_at_once_is_held_to_the_allowance) {
    flood_guard guard(2, 10'000);
    EXPECT_TRUE(guard.reserve("+48600100200", 0));
    EXPECT_TRUE(guard.reserve("+48600100200", 0));
    EXPECT_FALSE(guard.reserve("+48600100200", 0)) << "two are at work: the third must wait its turn";
    guard.settle("+48600100200", 1, false);
    EXPECT_TRUE(guard.reserve("+48600100200", 1)) << "a place given back is free again";
}

TEST(flood_guard, room_comes_back_when_the_oldest_stored_item_leaves_the_window) {
    flood_guard guard(3, 10'000);
    EXPECT_EQ(guard.room_at("+48600100200", 5), 5) << "a key never seen has room now";
    ASSERT_TRUE(store_if_allowed(guard, "+48600100200", 1'000));
    ASSERT_TRUE(store_if_allowed(guard, "+48600100200", 2'000));
    EXPECT_EQ(guard.room_at("+48600100200", 2'500), 2'500) << "one place is still free";
    ASSERT_TRUE(store_if_allowed(guard, "+48600100200", 4'000));
    ASSERT_FALSE(guard.reserve("+48600100200", 4'500));
    EXPECT_EQ(guard.room_at("+48600100200", 4'500), 11'000) << "the item stored at 1 000 leaves at 11 000";
    EXPECT_TRUE(guard.reserve("+48600100200", 11'000)) << "and then there is room, as promised";
    guard.settle("+48600100200", 11'000, true);
    EXPECT_EQ(guard.room_at("+48600100200", 11'500), 12'000)
        << "items at 2 000, 4 000, 11 000: the next at 12 000";
}

TEST(flood_guard, places_held_count_as_stored_now_so_room_is_never_promised_too_soon) {
    flood_guard guard(2, 10'000);
    ASSERT_TRUE(store_if_allowed(guard, "+48600100200", 0));
    ASSERT_TRUE(guard.reserve("+48600100200", 3'000)); // at work
    EXPECT_EQ(guard.room_at("+48600100200", 3'000), 10'000) << "the stored one leaves first";
    ASSERT_TRUE(guard.reserve("+48600300400", 0));
    ASSERT_TRUE(guard.reserve("+48600300400", 0));
    EXPECT_EQ(guard.room_at("+48600300400", 2'000), 12'000)
        << "both places are at work: stored now, they would leave a window from now";
}

TEST(flood_guard, tracks_a_bounded_number_of_numbers_but_never_forgets_one_at_work) {
    flood_guard guard(1, 60'000, 2);
    EXPECT_TRUE(store_if_allowed(guard, "a", 0));
    EXPECT_TRUE(store_if_allowed(guard, "b", 1));
    EXPECT_TRUE(store_if_allowed(guard, "c", 2)) << "'a', the least recently seen, is forgotten";
    EXPECT_TRUE(store_if_allowed(guard, "a", 3));
    EXPECT_FALSE(store_if_allowed(guard, "c", 4));

    flood_guard busy(1, 60'000, 1);
    ASSERT_TRUE(busy.reserve("x", 0));
    ASSERT_TRUE(busy.reserve("y", 1)) << "'x' is at work: tracked beside it";
    EXPECT_FALSE(busy.reserve("x", 2)) << "'x' was forgotten while its text was at work";
}

// A flood of tokens nobody has (each tried once, none stored) must not push a resident whose presses
// fill their window out of the guard, which would give them a fresh allowance.
TEST(flood_guard, keys_that_store_nothing_push_out_no_key_that_did) {
    flood_guard guard(1, 60'000, 2);
    ASSERT_TRUE(store_if_allowed(guard, "resident", 0));
    for (int i = 0; i < 10; ++i) {
        auto unknown = "unknown-" + std::to_string(i);
        ASSERT_TRUE(guard.reserve(unknown, 1 + i));
        guard.settle(unknown, 1 + i, false); // no resident has it: nothing stored
    }
    EXPECT_FALSE(guard.reserve("resident", 20)) << "the resident's window was forgotten";
}

} // namespace
} // namespace ask
