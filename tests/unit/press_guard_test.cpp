// The press allowance: what a resident's press may still be stored as, and what it uses up.
#include "server/app/press_guard.hpp"

#include "server/store/requests.hpp"

#include <gtest/gtest.h>

namespace ask {
namespace {

using store::press_effect;

constexpr protocol::millis minute = 60'000;

// What the store job stored for a press: a new request, a repeat merged into the open one, or
// nothing (a retry, a refusal).
const store::insert_result made_new{{}, true, false};
const store::insert_result merged{{}, false, true};
const store::insert_result retried{{}, false, false};

// A press by `key` at `now` that stores `what` when the guard allows what it does (`effect`).
bool press(press_guard& guard, press_effect effect, const store::insert_result* what, protocol::millis now,
           const std::string& key = "hash-jan") {
    auto room = guard.reserve(key, now);
    bool allowed = room.allows(effect);
    guard.settle(key, now, room, allowed ? what : nullptr);
    return allowed;
}

TEST(press_guard, the_first_press_and_four_repeats_a_minute_are_stored_then_repeats_are_refused) {
    press_guard guard(5, minute);
    auto room = guard.reserve("hash-jan", 0);
    EXPECT_TRUE(room.any()) << "a first press is stored as it comes";
    guard.settle("hash-jan", 0, room, &made_new);
    for (int i = 1; i <= 4; ++i)
        EXPECT_TRUE(press(guard, press_effect::repeat, &merged, i)) << "repeat " << i;
    EXPECT_FALSE(press(guard, press_effect::repeat, &merged, 5)) << "the sixth press in the minute";
    EXPECT_TRUE(press(guard, press_effect::retry, &retried, 6)) << "a retry is answered past the allowance";
    EXPECT_TRUE(press(guard, press_effect::repeat, &merged, 7, "hash-maria"))
        << "another resident has an allowance of their own";
    EXPECT_TRUE(press(guard, press_effect::repeat, &merged, minute)) << "the first press left the window";
}

TEST(press_guard, repeats_never_use_up_the_allowance_of_new_requests) {
    press_guard guard(5, minute);
    ASSERT_TRUE(press(guard, press_effect::create, &made_new, 0));
    for (int i = 1; i <= 20; ++i)
        press(guard, press_effect::repeat, &merged, i);
    ASSERT_FALSE(press(guard, press_effect::repeat, &merged, 21));
    EXPECT_TRUE(press(guard, press_effect::create, &made_new, 22))
        << "the request was closed: a new one is heard";
    EXPECT_FALSE(press(guard, press_effect::repeat, &merged, 23))
        << "its repeats are still past the allowance";
}

TEST(press_guard, new_requests_have_an_allowance_of_their_own) {
    press_guard guard(5, minute);
    for (int i = 0; i < 5; ++i)
        ASSERT_TRUE(press(guard, press_effect::create, &made_new, i))
            << "request " << i + 1; // each cancelled
    EXPECT_FALSE(press(guard, press_effect::create, &made_new, 5)) << "a press-and-cancel loop";
    EXPECT_TRUE(press(guard, press_effect::retry, &retried, 6));
    EXPECT_TRUE(press(guard, press_effect::create, &made_new, minute)) << "the first request left the window";
}

TEST(press_guard, a_refusal_says_in_whole_seconds_when_its_own_allowance_has_room) {
    press_guard guard(2, minute);
    ASSERT_TRUE(press(guard, press_effect::create, &made_new, 0));
    ASSERT_TRUE(press(guard, press_effect::repeat, &merged, 20'000));
    ASSERT_FALSE(press(guard, press_effect::repeat, &merged, 30'500));
    EXPECT_EQ(guard.retry_after_seconds("hash-jan", press_effect::repeat, 30'500), 30)
        << "the press at 0 leaves the window at 60 000: 29.5 s, rounded up";
    EXPECT_TRUE(press(guard, press_effect::repeat, &merged, 30'500 + 30'000)) << "and then it is stored";

    // The request closed: new requests at 61 000 and 62 000 (the one at 0 has left the window).
    ASSERT_TRUE(press(guard, press_effect::create, &made_new, 61'000));
    ASSERT_TRUE(press(guard, press_effect::create, &made_new, 62'000));
    ASSERT_FALSE(press(guard, press_effect::create, &made_new, 63'000));
    EXPECT_EQ(guard.retry_after_seconds("hash-jan", press_effect::create, 63'000), 58)
        << "from the allowance of new requests: the one at 61 000 leaves at 121 000";
    EXPECT_EQ(guard.retry_after_seconds("hash-jan", press_effect::repeat, 63'000), 17)
        << "repeats wait for the presses' own window: the press at 20 000 leaves at 80 000";
    EXPECT_EQ(guard.retry_after_seconds("hash-maria", press_effect::create, 63'000), 1)
        << "never 0: a client told 0 would ask again at once";
}

TEST(press_guard, presses_that_stored_nothing_use_none_of_the_allowance) {
    press_guard guard(2, minute);
    for (int i = 0; i < 10; ++i) {
        auto room = guard.reserve("hash-jan", i);
        ASSERT_TRUE(room.any()) << "try " << i << ": the refused or retried tries used the allowance";
        guard.settle("hash-jan", i, room, i % 2 ? &retried : nullptr); // a retry, or the store refused it
    }
    EXPECT_TRUE(press(guard, press_effect::create, &made_new, 10));
    EXPECT_TRUE(press(guard, press_effect::repeat, &merged, 11));
    EXPECT_FALSE(press(guard, press_effect::repeat, &merged, 12));
}

TEST(press_guard, a_burst_at_work_at_once_is_held_to_the_allowance) {
    press_guard guard(2, minute);
    auto first = guard.reserve("hash-jan", 0);
    auto second = guard.reserve("hash-jan", 0);
    auto third = guard.reserve("hash-jan", 0);
    EXPECT_TRUE(first.any());
    EXPECT_TRUE(second.any());
    EXPECT_FALSE(third.allows(press_effect::repeat)) << "two are at work: the third must wait its turn";
    EXPECT_FALSE(third.allows(press_effect::create));
    EXPECT_TRUE(third.allows(press_effect::retry));
    guard.settle("hash-jan", 1, first, &made_new);
    guard.settle("hash-jan", 1, second, &merged);
    guard.settle("hash-jan", 1, third, nullptr);
    EXPECT_FALSE(press(guard, press_effect::repeat, &merged, 2));
    EXPECT_TRUE(press(guard, press_effect::create, &made_new, 3)) << "one new request of two was made";
}

} // namespace
} // namespace ask
