// What askd forgets on its own, as it starts and every hour after: staff sign-ins
// that expired, the record of texts seen more than a week ago (no provider retries a text that
// long), and requests closed longer ago than [privacy] keep_closed_days. What is still of use stays.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <fmt/format.h>

#include <functional>
#include <thread>

namespace ask::test {
namespace {

using rows = std::vector<std::vector<std::string>>;

// Stops askd, runs `sql` on its file (to age rows as a test needs them) and starts it again, so that its
// upkeep first runs on what `sql` left.
void change_the_file_and_restart(askd_process& askd, const std::string& sql) {
    ASSERT_EQ(askd.terminate(5s), 0);
    change_the_file(askd.db_path(), sql);
    askd.start();
}

class upkeep : public office_fixture {};

TEST_F(upkeep, expired_sign_ins_old_seen_texts_and_incomplete_texts_are_forgotten) {
    login(port(), "anna", staff_password); // made expired below
    login(port(), "bob", staff_password);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    constexpr std::int64_t day = 24LL * 3600 * 1000;
    change_the_file_and_restart(
        askd,
        fmt::format("UPDATE staff_sessions SET expires_at = {0} - 1000 WHERE staff_id = {1};"
                    "INSERT INTO inbound_sms (provider, message_id, received_at) VALUES "
                    "('smsgate', 'eight-days-ago', {0} - 8 * {2}), "
                    "('vonage', 'six-days-ago', {0} - 6 * {2});"
                    "INSERT INTO incomplete_text_parts (provider, sender, part_ref, part_index, part_total, "
                    "message_id, text, received_at, request_id, delivered_at) VALUES "
                    "('vonage', '+48600100200', 'a', 1, 2, 'two-days-ago', 'x', 0, 1, {0} - 2 * {2}), "
                    "('vonage', '+48600100200', 'b', 1, 2, 'an-hour-ago', 'y', 0, 1, {0} - 3600000);",
                    now, anna_id, day));
    ASSERT_FALSE(HasFatalFailure());
    db_probe probe(askd.db_path());
    const rows texts_left{{"six-days-ago"}};
    const rows sign_ins_left{{std::to_string(bob_id)}};
    const rows parts_left{{"an-hour-ago"}};
    const std::string logged = "forgot 1 expired sign-ins, 1 texts seen more than a week ago and 1 parts of "
                               "incomplete texts kept a day";
    eventually([&] {
        return probe.rows("SELECT message_id FROM inbound_sms") == texts_left &&
               probe.rows("SELECT message_id FROM incomplete_text_parts") == parts_left &&
               probe.rows("SELECT staff_id FROM staff_sessions") == sign_ins_left &&
               askd.log().find(logged) != std::string::npos;
    });
    EXPECT_EQ(probe.rows("SELECT message_id FROM inbound_sms"), texts_left) << askd.log();
    EXPECT_EQ(probe.rows("SELECT staff_id FROM staff_sessions"), sign_ins_left) << askd.log();
    EXPECT_EQ(probe.rows("SELECT message_id FROM incomplete_text_parts"), parts_left)
        << "a text delivered with parts missing is kept a day for a late part, then forgotten";
    EXPECT_NE(askd.log().find(logged), std::string::npos) << askd.log();
}

class upkeep_retention : public office_fixture {
  protected:
    upkeep_retention() : office_fixture("[privacy]\nkeep_closed_days = 30\n") {}
};

// Jan's request was resolved and Maria's is still open, both made 40 days ago (aged in the file while
// askd is stopped). As askd starts, Jan's goes with its history; Maria's, as old, stays and is alerted.
TEST_F(upkeep_retention, requests_closed_before_the_retention_period_are_deleted_with_their_history) {
    auto anna = dashboard("anna");
    auto closed = id_of(press(jan, "normal", "Proszę o telefon").json());
    anna->send(boost::json::object{{"type", "ack"}, {"id", closed}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    anna->send(boost::json::object{{"type", "resolve"}, {"id", closed}, {"outcome", "called_back"}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto open = id_of(press(maria, "urgent", "Nadal czekam").json());
    anna.reset();
    constexpr std::int64_t forty_days = 40LL * 24 * 3600 * 1000;
    // Each request keeps a part of a text delivered without its other part (kept far into the future,
    // so only the request's deletion can take it).
    change_the_file_and_restart(
        askd,
        fmt::format("UPDATE requests SET created_at = created_at - {0}, "
                    "resolved_at = resolved_at - {0}, acked_at = acked_at - {0};"
                    "INSERT INTO incomplete_text_parts (provider, sender, part_ref, part_index, part_total, "
                    "message_id, text, received_at, request_id, delivered_at) VALUES "
                    "('vonage', '+48600100200', 'a', 1, 2, 'jan', 'x', 0, {1}, 99999999999999), "
                    "('vonage', '+48600100300', 'a', 1, 2, 'maria', 'y', 0, {2}, 99999999999999);",
                    forty_days, closed, open));
    ASSERT_FALSE(HasFatalFailure());
    db_probe probe(askd.db_path());
    const rows left{{std::to_string(open)}};
    const std::string logged = "deleted 1 requests closed more than 30 days ago";
    eventually([&] {
        return probe.rows("SELECT id FROM requests") == left && askd.log().find(logged) != std::string::npos;
    });
    EXPECT_EQ(probe.rows("SELECT id FROM requests"), left) << askd.log();
    EXPECT_EQ(probe.rows("SELECT count(*) FROM request_events WHERE request_id = ?1", std::to_string(closed)),
              (rows{{"0"}}));
    EXPECT_NE(probe.rows("SELECT count(*) FROM request_events WHERE request_id = ?1", std::to_string(open)),
              (rows{{"0"}}));
    EXPECT_EQ(probe.rows("SELECT message_id FROM incomplete_text_parts"), (rows{{"maria"}}))
        << "a deleted request's words do not stay behind in a kept part";
    EXPECT_NE(askd.log().find(logged), std::string::npos) << askd.log();

    auto again = dashboard("anna");
    const auto& alerts = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(alerts.size(), 1u) << boost::json::serialize(last_snapshot);
    EXPECT_EQ(alerts[0].as_object().at("id").as_int64(), open);
}

// The record of who was shown a resident's card goes after the same period, counted from its day: Anna
// saw Jan's card today; Bob's rows, aged in the file, are from 40 days ago (Maria's card: it goes) and
// 29 days ago (Jan's: it stays).
TEST_F(upkeep_retention, who_was_shown_a_card_is_forgotten_after_the_period) {
    auto anna = dashboard("anna");
    ASSERT_EQ(press(jan, "normal", "Proszę o telefon").status, 201);
    ASSERT_TRUE(anna->next_of("alert", 2s));
    anna.reset();
    const std::string shown =
        "SELECT s.username, r.name FROM resident_views v JOIN staff s ON s.id = v.staff_id "
        "JOIN residents r ON r.id = v.resident_id ORDER BY s.username";
    const rows annas{{"anna", "Jan Kowalski"}};
    ASSERT_EQ(db_probe(askd.db_path()).rows_once(shown, annas), annas);
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    const std::string aged =
        "INSERT INTO resident_views (resident_id, staff_id, day, first_at) SELECT id, {0}, "
        "{1} / 86400000 - {2}, {1} - {2} * 86400000 FROM residents WHERE name = '{3}';";
    change_the_file_and_restart(askd, fmt::format(fmt::runtime(aged), bob_id, now, 40, "Maria Wiśniewska") +
                                          fmt::format(fmt::runtime(aged), bob_id, now, 29, "Jan Kowalski"));
    ASSERT_FALSE(HasFatalFailure());
    db_probe probe(askd.db_path());
    const rows left{{"anna", "Jan Kowalski"}, {"bob", "Jan Kowalski"}};
    const std::string logged = "deleted 1 records of staff shown a resident's card more than 30 days ago";
    eventually([&] { return probe.rows(shown) == left && askd.log().find(logged) != std::string::npos; });
    EXPECT_EQ(probe.rows(shown), left) << askd.log();
    EXPECT_NE(askd.log().find(logged), std::string::npos) << askd.log();
}

} // namespace
} // namespace ask::test
