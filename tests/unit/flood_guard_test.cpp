// The per-number allowance for inbound texts.
#include "server/sms/flood_guard.hpp"

#include <gtest/gtest.h>

namespace ask::sms {
namespace {

// A text that is allowed and then stored: what receive_text does.
bool store_if_allowed(flood_guard& guard, const std::string& phone, protocol::millis now) {
    if (!guard.allows(phone, now))
        return false;
    guard.count(phone, now);
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

TEST(flood_guard, only_counted_texts_use_the_allowance) {
    flood_guard guard(2, 10'000);
    for (int attempt = 0; attempt < 10; ++attempt)
        EXPECT_TRUE(guard.allows("+48600100200", attempt)) << "tries that were not stored (no count) used it up";
    guard.count("+48600100200", 10);
    EXPECT_TRUE(guard.allows("+48600100200", 11));
    guard.count("+48600100200", 11);
    EXPECT_FALSE(guard.allows("+48600100200", 12));
}

TEST(flood_guard, tracks_a_bounded_number_of_numbers) {
    flood_guard guard(1, 60'000, 2);
    EXPECT_TRUE(store_if_allowed(guard, "a", 0));
    EXPECT_TRUE(store_if_allowed(guard, "b", 1));
    EXPECT_TRUE(store_if_allowed(guard, "c", 2)) << "'a', the least recently counted, is forgotten";
    EXPECT_TRUE(store_if_allowed(guard, "a", 3));
    EXPECT_FALSE(store_if_allowed(guard, "c", 4));
}

} // namespace
} // namespace ask::sms
