// The office's changes to accounts, made with askd's commands beside the serving askd: someone who
// has left is disabled, a password is replaced, a resident gets a new link or is removed. Each takes
// effect at once for sign-in and the API, and the serving askd closes the live connections that lost
// their right with code 4001 within seconds, leaving everyone else's open.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <sodium.h>

#include <array>
#include <cstring>
#include <future>
#include <map>
#include <thread>

namespace ask::test {
namespace {

using rows = std::vector<std::vector<std::string>>;
constexpr int signed_out = 4001;
constexpr auto closes_within = 5s; // the upkeep loop notices a change within a second
// A change beside askd that takes nobody's right away.
const std::string unrelated_change =
    "UPDATE residents SET address = 'ul. Polna 2' WHERE name = 'Maria Wiśniewska'";

class account_changes : public office_fixture {
  protected:
    account_changes() : office_fixture("[alerts]\nrenotify_seconds = 600\n") {}

    command_result askd_command(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin() + 2, {"--config", askd.config_path()});
        return run_askd(args, input);
    }
    std::string resident_id(const std::string& name) {
        return db_probe(askd.db_path()).rows("SELECT id FROM residents WHERE name = ?1", name).at(0).at(0);
    }
    http_reply login_reply(const std::string& username, const std::string& password) {
        return http_post(
            port(), "/api/v1/login",
            boost::json::serialize(boost::json::object{{"username", username}, {"password", password}}));
    }
    /// What the API answers a request of a staff member's session (going off duty: 200 while it holds).
    int session_status(const std::string& token) {
        return http_post(port(), "/api/v1/duty", R"({"on":false})", token).status;
    }
    /// Waits until the upkeep loop has passed three times since now: a change committed before this call
    /// has been checked by then (the store thread reads data_version within a second of it).
    void wait_for_the_check() {
        auto passes = metric(port(), "ask_upkeep_passes_total");
        EXPECT_TRUE(eventually([&] { return metric(port(), "ask_upkeep_passes_total") >= passes + 3; }, 10s))
            << askd.log();
    }
    /// Commits `sql` from another connection, as an askd command does, and waits until the serving askd
    /// has checked the live sign-ins against it. `sql` must change a row: SQLite commits nothing for an
    /// UPDATE that leaves every value as it was, and then there is no change to check.
    void change_and_wait_for_the_check(const std::string& sql) {
        wait_for_the_check(); // a check owed from before is done, and cannot be taken for this one's
        auto checks = metric(port(), "ask_sign_in_checks_total");
        change_the_file(askd.db_path(), sql);
        EXPECT_TRUE(eventually([&] { return metric(port(), "ask_sign_in_checks_total") > checks; }, 10s))
            << "the change was not checked\n"
            << askd.log();
    }
    /// Anna takes and closes the request with this id on her dashboard.
    void take_and_close(ws_client& anna, std::int64_t id) {
        anna.send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "ack"}});
        ASSERT_TRUE(anna.next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "ack"; }));
        anna.send(boost::json::object{
            {"type", "resolve"}, {"id", id}, {"outcome", "called_back"}, {"ref", "done"}});
        ASSERT_TRUE(anna.next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "done"; }));
    }
};

TEST_F(account_changes, a_disabled_staff_member_is_signed_out_everywhere_and_cannot_sign_in) {
    auto bob = dashboard("bob");
    auto bob_token = login(port(), "bob", staff_password);
    auto anna = dashboard("anna");
    auto reply = press(maria, "normal", "Proszę o telefon");
    ASSERT_EQ(reply.status, 201) << reply.body;
    auto marias = id_of(reply.json());
    ASSERT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) { return m.at("alert").at("id") == marias; }));
    bob->send(boost::json::object{{"type", "ack"}, {"id", marias}, {"ref", "take"}});
    ASSERT_TRUE(bob->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; }));
    wait_for_the_start_jobs();

    auto r = askd_command({"staff", "disable", "--username", "bob"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("disabled"), std::string::npos) << r.out;
    EXPECT_NE(r.err.find("had taken open requests #" + std::to_string(marias)), std::string::npos)
        << "the request Bob holds is not named\n"
        << r.err;

    ASSERT_TRUE(bob->wait_closed(closes_within)) << "Bob's dashboard stays open\n" << askd.log();
    EXPECT_EQ(bob->close_code(), signed_out);
    // He will not call Maria back: her request rings on Anna's dashboard again, given back by the system.
    EXPECT_TRUE(anna->next_of("alert", closes_within,
                              [&](const auto& m) {
                                  const auto& alert = m.at("alert").as_object();
                                  return alert.at("id") == marias && alert.at("state") == "notifying" &&
                                         alert.at("acknowledged_by").is_null();
                              }))
        << "the request Bob held does not ring again\n"
        << askd.log();
    EXPECT_EQ(
        db_probe(askd.db_path())
            .rows("SELECT actor_kind, json_extract(detail, '$.reason'), json_extract(detail, '$.held_by') "
                  "FROM request_events WHERE kind = 'released' AND request_id = ?1",
                  std::to_string(marias)),
        (rows{{"system", "account_disabled", std::to_string(bob_id)}}));
    EXPECT_EQ(session_status(bob_token), 401) << "a session of his still works";
    auto refused = login_reply("bob", staff_password);
    EXPECT_EQ(refused.status, 403) << refused.body;
    EXPECT_EQ(str(refused.json().at("error").as_object().at("code")), "account_disabled") << refused.body;
    EXPECT_EQ(login_reply("bob", "a wrong password").status, 401) << "the state is told only to the password";
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT on_duty FROM staff WHERE username = 'bob'"),
              (rows{{"0"}}));

    // Anna's dashboard was left open: it still rings.
    wait_for_the_check();
    EXPECT_FALSE(anna->wait_closed(500ms)) << "Anna's dashboard was closed too";
    ASSERT_EQ(press(jan, "normal", "Proszę o telefon").status, 201);
    EXPECT_TRUE(anna->next_of("alert", 2s)) << "Anna's dashboard no longer rings";

    r = askd_command({"staff", "enable", "--username", "bob"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(login_reply("bob", staff_password).status, 200) << "enabled again, he signs in";
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT on_duty FROM staff WHERE username = 'bob'"),
              (rows{{"0"}}))
        << "enabled on duty, without a dashboard";
}

// Between `staff disable` and the check that closes the dashboard (the store notices another process's
// commit about once a second, the upkeep loop within the next), whatever the dashboard asks is refused,
// says why, and changes nothing: taking a request, calling in more people, going on duty. The messages
// go out as soon as the command has returned, well inside that second; should the check still close the
// dashboard before all four are answered, Bob is enabled and the attempt made again, three times at most.
TEST_F(account_changes, what_a_disabled_member_asks_before_the_dashboard_closes_is_refused_and_says_why) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) { return m.at("alert").at("id") == id; }));
    wait_for_the_start_jobs();

    const std::vector<std::string> refs = {"take", "more", "none", "duty"};
    std::map<std::string, boost::json::object> answers; // by ref: what askd answered before the close
    for (int attempt = 1; attempt <= 3 && answers.size() < refs.size(); ++attempt) {
        answers.clear();
        auto bob = dashboard("bob");
        ASSERT_EQ(askd_command({"staff", "disable", "--username", "bob"}).exit_code, 0);
        bob->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
        bob->send(boost::json::object{{"type", "escalate"}, {"id", id}, {"ref", "more"}});
        bob->send(boost::json::object{{"type", "ack"}, {"id", 999999}, {"ref", "none"}});
        bob->send(boost::json::object{{"type", "duty"}, {"on", true}, {"ref", "duty"}});
        while (answers.size() < refs.size()) {
            auto m = bob->next(2s); // nullopt once the dashboard is closed
            if (!m)
                break;
            if (!m->contains("ref") || (m->at("type") != "ok" && m->at("type") != "error"))
                continue;
            // Judged in every attempt, also one cut short: an attempt that is tried again must not
            // hide an action carried out for a disabled account.
            EXPECT_EQ(str(m->at("type")), "error")
                << "attempt " << attempt << ": " << boost::json::serialize(*m);
            answers[str(m->at("ref"))] = *m;
        }
        ASSERT_TRUE(bob->wait_closed(closes_within)) << askd.log();
        EXPECT_EQ(bob->close_code(), signed_out);
        if (answers.size() < refs.size()) {
            ASSERT_EQ(askd_command({"staff", "enable", "--username", "bob"}).exit_code, 0);
        }
    }
    ASSERT_EQ(answers.size(), refs.size()) << "three times, the dashboard closed before its messages were "
                                              "answered\n"
                                           << askd.log();
    for (const auto& ref : refs) {
        const auto& answer = answers.at(ref);
        auto said = str(answer.at("type")) + " " + (answer.contains("code") ? str(answer.at("code")) : "");
        EXPECT_EQ(said, "error account_disabled") << ref << ": " << boost::json::serialize(answer);
    }
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT kind FROM request_events WHERE request_id = ?1 AND actor_kind = 'staff'",
                      std::to_string(id)),
              rows{})
        << "a disabled account changed the request";
    EXPECT_EQ(db.rows("SELECT on_duty FROM staff WHERE username = 'bob'"), (rows{{"0"}}));
}

// A disable made while askd is down: what the person held goes back to the queue as askd starts.
TEST_F(account_changes, requests_held_by_someone_disabled_while_askd_was_down_ring_again_at_its_start) {
    auto bob = dashboard("bob");
    auto id = id_of(press(jan, "urgent", "Pilne").json());
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(bob->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; }));
    auto kept = id_of(press(maria, "normal", "Zwykłe").json()); // waiting: nobody holds it
    bob.reset();
    ASSERT_EQ(askd.terminate(10s), 0);
    ASSERT_EQ(askd_command({"staff", "disable", "--username", "bob"}).exit_code, 0);

    askd.start();
    db_probe db(askd.db_path());
    EXPECT_TRUE(eventually([&] {
        return db.rows("SELECT acked_by IS NULL FROM requests WHERE id = ?1", std::to_string(id)) ==
               rows{{"1"}};
    })) << "the request Bob held still waits for him\n"
        << askd.log();
    EXPECT_EQ(db.rows("SELECT request_id, actor_kind, json_extract(detail, '$.reason') FROM request_events "
                      "WHERE kind = 'released'"),
              (rows{{std::to_string(id), "system", "account_disabled"}}))
        << "only the request Bob held is given back (request " << kept << " was waiting)";
    EXPECT_EQ(db.rows("SELECT state FROM requests WHERE id = ?1", std::to_string(id)), (rows{{"queued"}}))
        << "nobody was on duty to alert as askd started";
    auto anna = dashboard("anna");
    const auto& queue = last_snapshot.at("alerts").as_array();
    auto shown = std::find_if(queue.begin(), queue.end(), [&](const auto& a) { return a.at("id") == id; });
    ASSERT_NE(shown, queue.end()) << boost::json::serialize(last_snapshot);
    EXPECT_TRUE(shown->at("acknowledged_by").is_null()) << boost::json::serialize(*shown);
}

// When the disabled member was the only one on duty, what they held waits for someone, and says so: it
// is given back only after their dashboard was closed, so they no longer count as reachable.
TEST_F(account_changes, a_request_given_back_when_nobody_else_is_on_duty_waits_and_says_so) {
    auto bob = dashboard("bob");
    auto page = resident_socket(maria);
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(bob->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; }));
    wait_for_the_start_jobs();

    ASSERT_EQ(askd_command({"staff", "disable", "--username", "bob"}).exit_code, 0);
    ASSERT_TRUE(bob->wait_closed(closes_within)) << askd.log();
    auto told =
        page->next_of("status", closes_within, [](const auto& m) { return m.at("state") == "queued"; });
    ASSERT_TRUE(told) << "Maria is not told her request waits again\n" << askd.log();
    EXPECT_EQ(db_probe(askd.db_path())
                  .rows("SELECT state, acked_by IS NULL FROM requests WHERE id = ?1", std::to_string(id)),
              (rows{{"queued", "1"}}))
        << "given back as if someone were being alerted";
}

TEST_F(account_changes, a_new_password_ends_every_session_signed_in_with_the_old_one) {
    auto bob = dashboard("bob");
    auto old_token = login(port(), "bob", staff_password);
    wait_for_the_start_jobs();

    auto r = askd_command({"staff", "password", "--username", "bob"}, "a brand new password 2026\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    ASSERT_TRUE(bob->wait_closed(closes_within)) << askd.log();
    EXPECT_EQ(bob->close_code(), signed_out);
    EXPECT_EQ(session_status(old_token), 401);
    EXPECT_EQ(login_reply("bob", staff_password).status, 401) << "the old password still works";
    auto fresh = login(port(), "bob", "a brand new password 2026");
    EXPECT_EQ(session_status(fresh), 200);
    // A dashboard signed in after the change stays open through the checks of later changes.
    ws_client again(port(), "/ws/staff", {{"Authorization", "Bearer " + fresh}});
    ASSERT_TRUE(again.next_of("snapshot"));
    change_and_wait_for_the_check(
        "UPDATE residents SET address = 'ul. Polna 2' WHERE name = 'Maria Wiśniewska'");
    EXPECT_FALSE(again.wait_closed(500ms)) << "a sign-in made after the new password was ended";

    auto short_one = askd_command({"staff", "password", "--username", "bob"}, "short\n");
    EXPECT_EQ(short_one.exit_code, 2) << short_one.err;
    EXPECT_EQ(session_status(fresh), 200) << "a refused password ended the session";
    ASSERT_EQ(askd_command({"staff", "password", "--username", "bob"}, "a third password 2026\n").exit_code,
              0);
    ASSERT_TRUE(again.wait_closed(closes_within)) << "the next new password ends it\n" << askd.log();
    EXPECT_EQ(again.close_code(), signed_out);
}

// A login whose password check is still running when a new password commits gets no session: the
// session is made only if no sign-in of the account ended since the password was looked up. Bob's hash
// is given a cost that makes the check take over a second, so the command commits inside it.
TEST_F(account_changes, a_login_checked_against_the_old_password_during_the_change_gets_no_session) {
    ASSERT_GE(sodium_init(), 0);
    std::array<char, crypto_pwhash_STRBYTES> slow{};
    constexpr unsigned long long slow_ops = 90; // ~2 s here, against 0.1 s for askd's own hashes
    ASSERT_EQ(crypto_pwhash_str_alg(slow.data(), staff_password, std::strlen(staff_password), slow_ops,
                                    crypto_pwhash_MEMLIMIT_INTERACTIVE, crypto_pwhash_ALG_ARGON2ID13),
              0);
    change_the_file(askd.db_path(), "UPDATE staff SET password_hash = '" + std::string(slow.data()) +
                                        "' WHERE username = 'bob'");

    auto started = std::chrono::steady_clock::now();
    auto login = std::async(std::launch::async, [&] { return login_reply("bob", staff_password); });
    std::this_thread::sleep_for(200ms); // the lookup is done; the check has begun
    auto r = askd_command({"staff", "password", "--username", "bob"}, "a brand new password 2026\n");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto changed_after = std::chrono::steady_clock::now() - started;
    ASSERT_EQ(login.wait_for(0s), std::future_status::timeout)
        << "the login ended before the change committed (" << changed_after / 1ms
        << " ms): the case was not reached";
    auto reply = login.get();
    EXPECT_EQ(reply.status, 401) << "a session made with the old password: " << reply.body;
    // Refused for the change, not for a wrong password (a lookup after the change would give that too).
    EXPECT_NE(askd.log().find("login: refused for staff " + std::to_string(bob_id) +
                              ": the account changed during the password check"),
              std::string::npos)
        << askd.log();
    EXPECT_EQ(askd.log().find("login: failed"), std::string::npos) << askd.log();
    EXPECT_EQ(db_probe(askd.db_path())
                  .rows("SELECT count(*) FROM staff_sessions WHERE staff_id = " + std::to_string(bob_id)),
              (rows{{"0"}}));
    EXPECT_EQ(login_reply("bob", "a brand new password 2026").status, 200);
}

TEST_F(account_changes, a_residents_new_link_closes_pages_open_with_the_old_one) {
    auto old_page = resident_socket(jan);
    auto marias_page = resident_socket(maria);
    wait_for_the_start_jobs();

    auto r = askd_command({"resident", "token", "--id", resident_id("Jan Kowalski")});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto lines = r.out.substr(0, r.out.size() - 1);
    auto new_token = lines.substr(lines.rfind('\n') + 1);
    ASSERT_EQ(new_token.size(), jan.size()) << r.out;

    ASSERT_TRUE(old_page->wait_closed(closes_within)) << askd.log();
    EXPECT_EQ(old_page->close_code(), signed_out);
    EXPECT_EQ(press(jan, "normal").status, 401) << "the old link still presses";
    EXPECT_EQ(press(new_token, "normal", "Proszę o telefon").status, 201);
    wait_for_the_check();
    EXPECT_FALSE(marias_page->wait_closed(500ms)) << "Maria's page was closed too";

    auto nobody = askd_command({"resident", "token", "--id", "999"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.err.find("no resident with id 999"), std::string::npos) << nobody.err;
}

TEST_F(account_changes, a_resident_is_removed_with_their_closed_requests_never_with_an_open_one) {
    auto anna = dashboard("anna");
    auto page = resident_socket(jan);
    auto reply = press(jan, "normal", "Proszę o telefon");
    ASSERT_EQ(reply.status, 201) << reply.body;
    auto id = id_of(reply.json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    auto jans_id = resident_id("Jan Kowalski");

    auto refused = askd_command({"resident", "remove", "--id", jans_id});
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find("open request"), std::string::npos) << refused.err;
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT count(*) FROM requests"), (rows{{"1"}}))
        << "changed anyway";
    // A refused command commits nothing; a change to someone else is checked, and Jan's page stays.
    change_and_wait_for_the_check(
        "UPDATE residents SET address = 'ul. Polna 2' WHERE name = 'Maria Wiśniewska'");
    EXPECT_FALSE(page->wait_closed(500ms)) << "Jan's page was closed";

    take_and_close(*anna, id);
    ASSERT_FALSE(HasFatalFailure());
    wait_for_the_start_jobs(); // the record of Anna shown Jan's card is stored
    ASSERT_EQ(db_probe(askd.db_path()).rows("SELECT count(*) FROM resident_views"), (rows{{"1"}}));

    auto removed = askd_command({"resident", "remove", "--id", jans_id});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_NE(removed.out.find("with 1 closed requests"), std::string::npos) << removed.out;
    ASSERT_TRUE(page->wait_closed(closes_within)) << askd.log();
    EXPECT_EQ(page->close_code(), signed_out);
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM residents WHERE name = 'Jan Kowalski'"), (rows{{"0"}}));
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests"), (rows{{"0"}}));
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events"), (rows{{"0"}}));
    EXPECT_EQ(db.rows("SELECT count(*) FROM resident_views"), (rows{{"0"}}));
    EXPECT_EQ(press(jan, "normal").status, 401);
    auto gone = askd_command({"resident", "export", "--id", jans_id});
    EXPECT_EQ(gone.exit_code, 1) << gone.out;
    EXPECT_EQ(askd_command({"resident", "remove", "--id", jans_id}).exit_code, 1) << "removed twice";

    // Maria and the office go on.
    ASSERT_EQ(press(maria, "urgent").status, 201);
    EXPECT_TRUE(anna->next_of("alert", 2s));
}

// Beside the serving askd, the lists show what the office acts on: who is disabled and on duty, and whose
// requests are open (a resident with an open request cannot be removed).
TEST_F(account_changes, the_lists_show_who_is_disabled_on_duty_and_has_an_open_request) {
    auto anna = dashboard("anna");
    ASSERT_EQ(press(maria, "normal", "Proszę o telefon").status, 201);
    ASSERT_TRUE(anna->next_of("alert", 2s));
    ASSERT_EQ(askd_command({"staff", "disable", "--username", "bob"}).exit_code, 0);

    auto staff = askd_command({"staff", "list"});
    ASSERT_EQ(staff.exit_code, 0) << staff.err;
    std::map<std::string, std::map<std::string, std::string>> by_username;
    for (auto& row : listing_rows(staff.out))
        by_username[row["username"]] = row;
    EXPECT_EQ(by_username["anna"]["id"], std::to_string(anna_id));
    EXPECT_EQ(by_username["anna"]["on_duty"], "yes");
    EXPECT_EQ(by_username["anna"]["account"], "active");
    EXPECT_EQ(by_username["bob"]["id"], std::to_string(bob_id));
    EXPECT_EQ(by_username["bob"]["on_duty"], "no");
    EXPECT_EQ(by_username["bob"]["account"], "disabled");

    auto residents = askd_command({"resident", "list"});
    ASSERT_EQ(residents.exit_code, 0) << residents.err;
    std::map<std::string, std::map<std::string, std::string>> by_name;
    for (auto& row : listing_rows(residents.out))
        by_name[row["name"]] = row;
    EXPECT_EQ(by_name["Maria Wiśniewska"]["open_requests"], "1") << residents.out;
    EXPECT_EQ(by_name["Maria Wiśniewska"]["id"], resident_id("Maria Wiśniewska"));
    EXPECT_EQ(by_name["Jan Kowalski"]["open_requests"], "0") << residents.out;
    EXPECT_EQ(askd_command({"resident", "remove", "--id", by_name["Maria Wiśniewska"]["id"]}).exit_code, 1);
}

TEST_F(account_changes, the_commands_name_what_they_cannot_find_and_create_no_database) {
    auto r = askd_command({"staff", "disable", "--username", "nobody"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("no staff account named 'nobody'"), std::string::npos) << r.err;
    EXPECT_EQ(askd_command({"staff", "enable", "--username", "nobody"}).exit_code, 1);
    EXPECT_EQ(askd_command({"staff", "password", "--username", "nobody"}, "long enough password\n").exit_code,
              1);

    auto missing = (askd.dir() / "typo.db").string();
    auto typo = run_askd({"staff", "disable", "--db", missing, "--username", "bob"});
    EXPECT_EQ(typo.exit_code, 1);
    EXPECT_NE(typo.err.find(missing), std::string::npos) << typo.err;
    EXPECT_FALSE(std::filesystem::exists(missing)) << "a mistyped --db made a new database";
    EXPECT_EQ(run_askd({"resident", "remove", "--db", missing, "--id", "1"}).exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(missing));
}

} // namespace
} // namespace ask::test
