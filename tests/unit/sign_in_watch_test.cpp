// app/sign_in_watch: when the live sign-ins are due a check, which connections a lapsed token ends,
// and a sign-in registered after a check began (its handshake in between) owing the next one.
#include "server/app/sign_in_watch.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ask {
namespace {

using kind = sign_in_watch::kind;
const auto nothing = [] {}; // an end that does nothing

TEST(sign_in_watch, a_check_is_due_only_when_another_connection_committed) {
    sign_in_watch watch;
    EXPECT_FALSE(watch.due(7)) << "the first version is only noted";
    EXPECT_FALSE(watch.due(7));
    EXPECT_EQ(watch.changes_seen(), 0u);

    int a = 0;
    watch.add(&a, {kind::staff_session, "h-a"}, nothing, watch.changes_seen());
    EXPECT_FALSE(watch.due(7));
    EXPECT_TRUE(watch.due(8));
    EXPECT_EQ(watch.changes_seen(), 1u);
    EXPECT_FALSE(watch.due(8));
    watch.owe_check();
    EXPECT_TRUE(watch.due(8)) << "a check that failed is owed";
    EXPECT_FALSE(watch.due(8));
}

TEST(sign_in_watch, connections_live_before_any_version_was_noted_are_checked) {
    sign_in_watch watch;
    int a = 0;
    watch.add(&a, {kind::resident_token, "h-a"}, nothing, watch.changes_seen());
    EXPECT_TRUE(watch.due(3));
}

TEST(sign_in_watch, a_lapsed_token_ends_every_connection_signed_in_with_it_and_no_other) {
    sign_in_watch watch;
    watch.due(1);
    int first = 0, second = 0, other = 0, resident = 0;
    std::vector<const void*> ended;
    auto ender = [&](const void* key) { return [&ended, key] { ended.push_back(key); }; };
    watch.add(&first, {kind::staff_session, "bob"}, ender(&first), 0);
    watch.add(&second, {kind::staff_session, "bob"}, ender(&second), 0);
    watch.add(&other, {kind::staff_session, "anna"}, ender(&other), 0);
    watch.add(&resident, {kind::resident_token, "bob"}, ender(&resident), 0);

    auto staff = watch.to_check(kind::staff_session);
    std::sort(staff.begin(), staff.end());
    EXPECT_EQ(staff, (std::vector<std::string>{"anna", "bob"})) << "each token once";
    EXPECT_EQ(watch.to_check(kind::resident_token), std::vector<std::string>{"bob"});

    EXPECT_EQ(watch.end_lapsed(kind::staff_session, {"bob"}), 2u);
    std::sort(ended.begin(), ended.end());
    std::vector<const void*> expected{&first, &second};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(ended, expected) << "a resident's token of the same text or Anna's session was ended";

    watch.remove(&first);
    watch.remove(&second);
    EXPECT_EQ(watch.size(), 2u);
    EXPECT_EQ(watch.end_lapsed(kind::staff_session, {}), 0u);
}

// An end that unregisters its connection at once (as a closing connection may) does not disturb the walk.
TEST(sign_in_watch, an_end_that_unregisters_at_once_is_safe) {
    sign_in_watch watch;
    int a = 0, b = 0;
    auto unregister_a = [&] { watch.remove(&a); };
    auto unregister_b = [&] { watch.remove(&b); };
    watch.add(&a, {kind::staff_session, "x"}, unregister_a, 0);
    watch.add(&b, {kind::staff_session, "x"}, unregister_b, 0);
    EXPECT_EQ(watch.end_lapsed(kind::staff_session, {"x"}), 2u);
    EXPECT_EQ(watch.size(), 0u);
}

TEST(sign_in_watch, a_sign_in_looked_up_before_a_check_began_and_registered_after_owes_one) {
    sign_in_watch watch;
    watch.due(1);
    int early = 0, late = 0;
    watch.add(&early, {kind::staff_session, "e"}, nothing, 0);
    auto seen_before_lookup = watch.changes_seen();
    ASSERT_TRUE(watch.due(2)); // a command's change; the check takes the sign-ins live now
    watch.add(&late, {kind::staff_session, "l"}, nothing, seen_before_lookup);
    EXPECT_TRUE(watch.due(2)) << "the late one would never be checked against that change";
    watch.add(&late, {kind::staff_session, "l"}, nothing, watch.changes_seen());
    EXPECT_FALSE(watch.due(2));
}

} // namespace
} // namespace ask
