// A flood of sign-ins with made-up usernames (a password spray, or a script gone wrong) against the
// real askd: every attempt is answered "wrong username or password", and a member of staff signing in
// meanwhile is not held back behind the flood's password checks (app/password_checks.hpp). Without
// that, each made-up name costs a full argon2id check, one at a time, and a new shift waits minutes
// to sign in, receiving no alert.
#include "tests/integration/office_fixture.hpp"

#include <atomic>
#include <thread>
#include <vector>

namespace ask::test {
namespace {

using clock_type = std::chrono::steady_clock;

class login_flood : public office_fixture {
  protected:
    /// How long anna's sign-in takes, from the request to the session.
    clock_type::duration timed_login() {
        auto began = clock_type::now();
        EXPECT_FALSE(login(port(), "anna", staff_password).empty());
        return clock_type::now() - began;
    }
};

TEST_F(login_flood, a_member_signs_in_at_once_while_made_up_usernames_flood_the_sign_in) {
    auto alone = std::min(timed_login(), timed_login()); // one check, nothing else waiting

    // Each sender signs in with made-up names again and again until anna is in: checks for made-up names
    // wait all the time, as many as may.
    constexpr int senders_count = 20;
    std::atomic<bool> done = false;
    std::atomic<int> refused = 0, answered = 0;
    std::vector<std::thread> senders;
    for (int i = 0; i < senders_count; ++i)
        senders.emplace_back([&, i] {
            for (int n = 0; !done; ++n) {
                auto name = "nikt-" + std::to_string(i) + "-" + std::to_string(n);
                auto body = boost::json::serialize(
                    boost::json::object{{"username", name}, {"password", "zgadywane hasło"}});
                auto reply = http_request(port(), "POST", "/api/v1/login", body,
                                          {{"Content-Type", "application/json"}}, 60s);
                ++answered;
                refused += reply.status == 401;
            }
        });
    std::this_thread::sleep_for(300ms);                   // the made-up names' checks are waiting
    auto during = std::min(timed_login(), timed_login()); // the better of two, as for `alone`
    done = true;
    for (auto& t : senders)
        t.join();

    // Before: behind every made-up name's check, one at a time; with only the bound on those waiting (8)
    // and no lane for known names, about nine checks. Now: the check running, then hers.
    EXPECT_LT(during, 3 * alone + std::chrono::milliseconds(50))
        << "alone " << std::chrono::duration_cast<std::chrono::milliseconds>(alone).count() << " ms, during "
        << std::chrono::duration_cast<std::chrono::milliseconds>(during).count() << " ms\n"
        << askd.log();
    EXPECT_GT(answered.load(), senders_count);
    EXPECT_EQ(refused.load(), answered.load())
        << "every made-up name is answered as a wrong password, nothing else";
}

} // namespace
} // namespace ask::test
