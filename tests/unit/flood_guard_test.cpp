// The per-number allowance for inbound texts.
#include "server/sms/flood_guard.hpp"

#include <gtest/gtest.h>

namespace ask::sms {
namespace {

TEST(flood_guard, allows_the_window_then_refuses_then_forgets) {
    flood_guard guard(3, 10'000);
    EXPECT_TRUE(guard.allow("+48600100200", 0));
    EXPECT_TRUE(guard.allow("+48600100200", 1));
    EXPECT_TRUE(guard.allow("+48600100200", 2));
    EXPECT_FALSE(guard.allow("+48600100200", 3)) << "the fourth text in the window";
    EXPECT_TRUE(guard.allow("+48600300400", 3)) << "another number has its own allowance";
    EXPECT_TRUE(guard.allow("+48600100200", 10'000)) << "the first text left the window";
    EXPECT_FALSE(guard.allow("+48600100200", 10'000)) << "texts at 1, 2 and 10 000 are in the window";
}

TEST(flood_guard, tracks_a_bounded_number_of_numbers) {
    flood_guard guard(1, 60'000, 2);
    EXPECT_TRUE(guard.allow("a", 0));
    EXPECT_TRUE(guard.allow("b", 1));
    EXPECT_TRUE(guard.allow("c", 2)) << "'a', the least recently seen, is forgotten";
    EXPECT_TRUE(guard.allow("a", 3));
    EXPECT_FALSE(guard.allow("c", 4));
}

} // namespace
} // namespace ask::sms
