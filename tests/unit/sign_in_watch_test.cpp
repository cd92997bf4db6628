// app/sign_in_watch: when the live sign-ins are due a check, which connections a lapsed sign-in ends,
// a sign-in registered after a check began (its handshake in between) owing the next one, and a
// sign-out ending its own session's connections, also one whose handshake ran as it was signed out.
#include "server/app/sign_in_watch.hpp"

#include <gtest/gtest.h>

#include <algorithm>

namespace ask {
namespace {

using staff = sign_in_watch::staff_sign_in;
using resident = sign_in_watch::resident_sign_in;
const auto nothing = [] {}; // an end that does nothing

TEST(sign_in_watch, a_check_is_due_only_when_another_connection_committed) {
    sign_in_watch watch;
    EXPECT_FALSE(watch.due(7)) << "the first version is only noted";
    EXPECT_FALSE(watch.due(7));
    EXPECT_EQ(watch.changes_seen(), 0u);

    int a = 0;
    watch.add(&a, staff{1, 0, "session-1", 0}, nothing, watch.changes_seen());
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
    watch.add(&a, resident{"h-a"}, nothing, watch.changes_seen());
    EXPECT_TRUE(watch.due(3));
}

// Ends collected by the key of the connection they belong to.
struct ended_log {
    std::vector<const void*> keys;
    std::function<void()> end(const void* key) {
        return [this, key] { keys.push_back(key); };
    }
};

std::vector<const void*> sorted(std::vector<const void*> keys) {
    std::sort(keys.begin(), keys.end());
    return keys;
}

// A staff member's sign-in lapses when the account is disabled or gone, or its count of ended sign-ins
// has moved since the sign-in was looked up; only the staff checked are judged.
TEST(sign_in_watch, a_staff_sign_in_lapses_with_a_disable_or_an_end_of_sign_ins_after_it) {
    sign_in_watch watch;
    ended_log ended;
    int bob_before = 0, bob_after = 0, anna = 0, eve = 0, gone = 0, jan = 0, unchecked = 0;
    watch.add(&bob_before, staff{2, 0, "session-2", 0}, ended.end(&bob_before), 0);
    // Bob signed in again after the new password.
    watch.add(&bob_after, staff{2, 1, "session-2b", 0}, ended.end(&bob_after), 0);
    watch.add(&anna, staff{1, 3, "session-1", 0}, ended.end(&anna), 0);
    watch.add(&eve, staff{3, 0, "session-3", 0}, ended.end(&eve), 0);
    watch.add(&gone, staff{4, 0, "session-4", 0}, ended.end(&gone), 0);
    watch.add(&jan, resident{"2"}, ended.end(&jan), 0);
    watch.add(&unchecked, staff{5, 0, "session-5", 0}, ended.end(&unchecked), 0);

    auto ids = watch.staff_to_check();
    std::sort(ids.begin(), ids.end());
    EXPECT_EQ(ids, (std::vector<std::int64_t>{1, 2, 3, 4, 5})) << "each staff member once";

    std::vector<store::staff_access> access{{1, false, 3}, {2, false, 1}, {3, true, 0}};
    EXPECT_EQ(watch.end_lapsed_staff({1, 2, 3, 4}, access), 3u);
    EXPECT_EQ(sorted(ended.keys), sorted({&bob_before, &eve, &gone}))
        << "Bob's sign-in after the new password, Anna's, a resident's or one not checked was ended";

    ended.keys.clear();
    watch.remove(&bob_before); // closed
    EXPECT_EQ(watch.end_lapsed_staff({2}, {{2, false, 2}}), 1u) << "a second new password";
    EXPECT_EQ(ended.keys, std::vector<const void*>{&bob_after});
}

TEST(sign_in_watch, a_lapsed_token_ends_every_page_open_with_it_and_no_other) {
    sign_in_watch watch;
    ended_log ended;
    int first = 0, second = 0, other = 0, bob = 0;
    watch.add(&first, resident{"jan"}, ended.end(&first), 0);
    watch.add(&second, resident{"jan"}, ended.end(&second), 0);
    watch.add(&other, resident{"maria"}, ended.end(&other), 0);
    watch.add(&bob, staff{2, 0, "session-2", 0}, ended.end(&bob), 0);

    auto tokens = watch.resident_tokens_to_check();
    std::sort(tokens.begin(), tokens.end());
    EXPECT_EQ(tokens, (std::vector<std::string>{"jan", "maria"})) << "each token once";
    EXPECT_EQ(watch.end_lapsed_residents({"jan"}), 2u);
    EXPECT_EQ(sorted(ended.keys), sorted({&first, &second}));

    watch.remove(&first);
    watch.remove(&second);
    EXPECT_EQ(watch.size(), 2u);
    EXPECT_EQ(watch.end_lapsed_residents({}), 0u);
}

// An end that unregisters its connection at once (as a closing connection may) does not disturb the walk.
TEST(sign_in_watch, an_end_that_unregisters_at_once_is_safe) {
    sign_in_watch watch;
    int a = 0, b = 0;
    auto unregister_a = [&] { watch.remove(&a); };
    auto unregister_b = [&] { watch.remove(&b); };
    watch.add(&a, resident{"x"}, unregister_a, 0);
    watch.add(&b, resident{"x"}, unregister_b, 0);
    EXPECT_EQ(watch.end_lapsed_residents({"x"}), 2u);
    EXPECT_EQ(watch.size(), 0u);
}

TEST(sign_in_watch, a_sign_in_looked_up_before_a_check_began_and_registered_after_owes_one) {
    sign_in_watch watch;
    watch.due(1);
    int early = 0, late = 0;
    watch.add(&early, resident{"e"}, nothing, 0);
    auto seen_before_lookup = watch.changes_seen();
    ASSERT_TRUE(watch.due(2)); // a command's change; the check takes the sign-ins live now
    watch.add(&late, resident{"l"}, nothing, seen_before_lookup);
    EXPECT_TRUE(watch.due(2)) << "the late one would never be checked against that change";
    watch.add(&late, resident{"l"}, nothing, watch.changes_seen());
    EXPECT_FALSE(watch.due(2));
}

// Two tabs of one browser share a session; the same person's other computer has another.
TEST(sign_in_watch, a_sign_out_ends_the_connections_of_that_session_and_no_other) {
    sign_in_watch watch;
    ended_log ended;
    int tab = 0, other_tab = 0, other_computer = 0, colleague = 0, page = 0;
    watch.add(&tab, staff{1, 0, "desk", 0}, ended.end(&tab), 0);
    watch.add(&other_tab, staff{1, 0, "desk", 0}, ended.end(&other_tab), 0);
    watch.add(&other_computer, staff{1, 0, "laptop", 0}, ended.end(&other_computer), 0);
    watch.add(&colleague, staff{2, 0, "colleague", 0}, ended.end(&colleague), 0);
    watch.add(&page, resident{"desk"}, ended.end(&page), 0);

    EXPECT_EQ(watch.end_session("desk", true), 2u);
    EXPECT_EQ(sorted(ended.keys), sorted({&tab, &other_tab}));
    EXPECT_EQ(watch.sign_outs(), 1u);
    ended.keys.clear();
    EXPECT_EQ(watch.end_session("gone", true), 0u) << "a session with no live connection";
    EXPECT_TRUE(ended.keys.empty());
    EXPECT_EQ(watch.sign_outs(), 2u);
}

// Anyone may post a sign-out with a made-up token: however many, a real dashboard's handshake under way
// is not refused for them. A session the store no longer had still closes its live dashboards.
TEST(sign_in_watch, sign_outs_of_sessions_the_store_did_not_have_are_not_kept) {
    sign_in_watch watch;
    ended_log ended;
    int connecting = 0, left_open = 0;
    watch.add(&left_open, staff{1, 0, "expired", 0}, ended.end(&left_open), 0);
    for (int i = 0; i < 2000; ++i)
        watch.end_session("made-up-" + std::to_string(i), false);
    EXPECT_EQ(watch.sign_outs(), 0u);
    EXPECT_TRUE(watch.add(&connecting, staff{2, 0, "desk", 0}, nothing, 0));
    EXPECT_EQ(watch.end_session("expired", false), 1u);
    EXPECT_EQ(ended.keys, std::vector<const void*>{&left_open});
}

TEST(sign_in_watch, a_sign_in_whose_session_was_signed_out_during_its_handshake_is_refused) {
    sign_in_watch watch;
    int late = 0, fresh = 0, before = 0;
    auto seen_before_lookup = watch.sign_outs();
    watch.end_session("desk", true); // the sign-out commits while the upgrade's handshake runs
    EXPECT_FALSE(watch.add(&late, staff{1, 0, "desk", seen_before_lookup}, nothing, 0));
    EXPECT_EQ(watch.size(), 0u) << "registered, so nothing would ever end it";
    EXPECT_TRUE(watch.add(&fresh, staff{1, 0, "laptop", seen_before_lookup}, nothing, 0))
        << "another session of the same person";
    EXPECT_TRUE(watch.add(&before, staff{1, 0, "desk", watch.sign_outs()}, nothing, 0))
        << "no sign-out since its lookup (which would then have found no session)";
}

TEST(sign_in_watch, a_sign_in_older_than_the_sign_outs_kept_is_taken_as_signed_out) {
    sign_in_watch watch;
    int old = 0, recent = 0;
    for (int i = 0; i < 1025; ++i)
        watch.end_session("s" + std::to_string(i), true);
    EXPECT_FALSE(watch.add(&old, staff{1, 0, "laptop", 0}, nothing, 0))
        << "the first sign-out is no longer kept: it may have been this one";
    EXPECT_TRUE(watch.add(&recent, staff{1, 0, "laptop", 1}, nothing, 0));
    EXPECT_FALSE(watch.add(&recent, staff{1, 0, "s1024", 1}, nothing, 0));
}

} // namespace
} // namespace ask
