// Which kept staff texts (store/staff_texts.hpp) askd sends again as it starts: those still true.
#include "server/app/escalator.hpp"

#include <gtest/gtest.h>

namespace ask {
namespace {

using protocol::request_state;

store::request_record in_state(request_state state) {
    store::request_record r;
    r.view.state = state;
    return r;
}

store::unsent_staff_text to_staff(bool about_waiting) {
    return {1, 7, 3, "+48600000001", "", about_waiting, false};
}

TEST(staff_text_still_true, a_waiting_text_while_the_request_waits) {
    EXPECT_TRUE(staff_text_still_true(to_staff(true), in_state(request_state::queued), true));
    EXPECT_TRUE(staff_text_still_true(to_staff(true), in_state(request_state::notifying), true));
    EXPECT_FALSE(staff_text_still_true(to_staff(true), in_state(request_state::acknowledged), true));
    EXPECT_FALSE(staff_text_still_true(to_staff(true), in_state(request_state::contacted), true));
}

TEST(staff_text_still_true, a_follow_up_while_the_request_is_taken_and_not_contacted) {
    EXPECT_TRUE(staff_text_still_true(to_staff(false), in_state(request_state::acknowledged), true));
    EXPECT_FALSE(staff_text_still_true(to_staff(false), in_state(request_state::contacted), true));
    EXPECT_FALSE(staff_text_still_true(to_staff(false), in_state(request_state::notifying), true));
}

TEST(staff_text_still_true, not_to_a_member_whose_account_is_gone) {
    auto text = to_staff(true);
    text.staff_gone = true;
    EXPECT_FALSE(staff_text_still_true(text, in_state(request_state::notifying), true));
}

TEST(staff_text_still_true, the_after_hours_phone_only_while_the_office_is_closed) {
    auto text = to_staff(true);
    text.staff_id.reset();
    EXPECT_TRUE(staff_text_still_true(text, in_state(request_state::queued), false));
    EXPECT_FALSE(staff_text_still_true(text, in_state(request_state::queued), true));
    EXPECT_FALSE(staff_text_still_true(text, in_state(request_state::acknowledged), false));
}

} // namespace
} // namespace ask
