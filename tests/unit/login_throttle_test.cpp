// The limit on password guesses per username: checks under way count, so guesses sent at once get no
// more checks than guesses sent one after another.
#include "server/app/login_throttle.hpp"

#include <gtest/gtest.h>

namespace ask {
namespace {

constexpr protocol::millis t0 = 1'000'000'000;

TEST(login_throttle, checks_under_way_count_against_the_limit) {
    login_throttle logins;
    for (int i = 0; i < login_throttle::max_failures; ++i)
        EXPECT_TRUE(logins.begin("bob", t0)) << i;
    EXPECT_FALSE(logins.begin("bob", t0)) << "five checks under way: a sixth guess waits for them";
    EXPECT_TRUE(logins.begin("anna", t0)) << "another username is not held up";
    logins.abandoned("bob");
    EXPECT_TRUE(logins.begin("bob", t0 + 1)) << "a check the store could not make is no failure";
    for (int i = 0; i < login_throttle::max_failures; ++i)
        logins.failed("bob", t0 + 2);
    EXPECT_FALSE(logins.begin("bob", t0 + 3));
    EXPECT_EQ(logins.retry_after_seconds("bob", t0 + 3), login_throttle::window / 1000)
        << "the window began at t0, 3 ms ago: rounded up";
    EXPECT_EQ(logins.retry_after_seconds("bob", t0 + 60'500), login_throttle::window / 1000 - 60);
    EXPECT_FALSE(logins.begin("bob", t0 + login_throttle::window - 1));
    EXPECT_EQ(logins.retry_after_seconds("bob", t0 + login_throttle::window - 1), 1) << "never 0";
    EXPECT_TRUE(logins.begin("bob", t0 + login_throttle::window)) << "the window has passed";
}

TEST(login_throttle, a_right_password_forgets_the_failures_but_not_other_checks_under_way) {
    login_throttle logins;
    for (int i = 0; i < 3; ++i) {
        ASSERT_TRUE(logins.begin("bob", t0));
        logins.failed("bob", t0);
    }
    ASSERT_TRUE(logins.begin("bob", t0)); // the right one
    ASSERT_TRUE(logins.begin("bob", t0)); // a guess sent beside it
    logins.succeeded("bob");
    for (int i = 0; i < login_throttle::max_failures - 1; ++i)
        EXPECT_TRUE(logins.begin("bob", t0 + 1)) << i;
    EXPECT_FALSE(logins.begin("bob", t0 + 1)) << "the guess still under way counts";
}

TEST(login_throttle, a_check_never_ended_stops_counting_after_the_window) {
    login_throttle logins;
    for (int i = 0; i < login_throttle::max_failures; ++i)
        ASSERT_TRUE(logins.begin("bob", t0));
    EXPECT_FALSE(logins.begin("bob", t0 + login_throttle::window - 1));
    EXPECT_TRUE(logins.begin("bob", t0 + login_throttle::window));
}

} // namespace
} // namespace ask
