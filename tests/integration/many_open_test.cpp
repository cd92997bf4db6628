// More open requests than the periodic loop looks at in one turn of the I/O thread. The escalation
// ladders and the check for residents waiting with nobody on duty walk every open request each second,
// in slices of 256 (app/escalator.cpp, sms/resident_notifier.cpp) so that a long queue does not hold
// presses and pushes up: every request past the first slice is still looked at. And more requests due at
// once than the escalator hands the store together (128): their jobs are committed in a few groups,
// not one commit each.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include "tests/integration/twilio_webhook.hpp"

#include <fmt/format.h>

namespace ask::test {
namespace {

constexpr int texts_in = 600; // two slices and some

constexpr const char* twilio_toml = R"(
[sms]
sender = "log"
[gateways.twilio]
enabled = true
account_sid = "AC1"
auth_token = "tw-token"
from = "+48732100200"
)";

/// An office that takes residents' texts over Twilio; `extra_toml` before the SMS settings.
class texted_office : public office_fixture {
  protected:
    explicit texted_office(const std::string& extra_toml) : office_fixture(extra_toml + twilio_toml) {}

    /// A signed Twilio text from a number askd has not seen: a request of a resident of its own, texted.
    http_reply text_from(int n) {
        gateways::params form{{"MessageSid", fmt::format("SMmany{:06}", n)},
                              {"AccountSid", "AC1"},
                              {"From", fmt::format("+48510{:06}", n)},
                              {"To", "+48732100200"},
                              {"Body", "Proszę o telefon"}};
        return twilio_webhook(port(), form, "tw-token");
    }

    int count(const std::string& sql) { return std::stoi(db_probe(askd.db_path()).rows(sql).at(0).at(0)); }

    int escalated() {
        return count("SELECT count(DISTINCT request_id) FROM request_events WHERE kind = 'escalated'");
    }
};

class many_open : public texted_office {
  protected:
    // A second after the last dashboard goes off duty, nobody on duty counts; each request's one
    // step texts the staff with a phone. Anna's dashboard is read only once she goes off duty: the idle
    // timeout must not close it before, however slow the machine.
    many_open()
        : texted_office(R"(
[alerts]
renotify_seconds = 600
reconnect_grace_seconds = 1
[limits]
ws_idle_timeout_seconds = 120
[escalation.normal]
ack_timeout_seconds = 0
repeat = 0
steps = [{ after_seconds = 1, who = "all_staff", how = ["sms"] }]
)") {}

    void SetUp() override {
        office_fixture::SetUp();
        auto r = run_askd({"staff", "add", "--config", askd.config_path(), "--username", "ola", "--name",
                           "Ola", "--phone", "+48 600 000 001"},
                          std::string(staff_password) + "\n");
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }
};

TEST_F(many_open,
       every_open_request_past_the_first_slices_escalates_and_its_resident_hears_nobody_is_on_duty) {
    auto told_nobody = [&] { return log_count("Nikt z urzędu nie ma teraz dyżuru"); };
    // Anna on duty as the texts come: each resident is told the staff are being alerted.
    auto anna = dashboard("anna");
    for (int n = 0; n < texts_in; ++n)
        ASSERT_EQ(text_from(n).status, 200) << n << "\n" << askd.log();
    ASSERT_EQ(count("SELECT count(*) FROM requests WHERE state NOT IN ('resolved', 'cancelled')"), texts_in);

    EXPECT_TRUE(eventually([&] { return escalated() == texts_in; }, 20s))
        << escalated() << " of " << texts_in << " requests escalated\n"
        << askd.log().substr(0, 4000);
    // Each step carried out: its text to Ola sent (and recorded as sent).
    auto staff_texts_sent = [&] {
        return count("SELECT count(*) FROM request_events WHERE kind = 'sms_sent' AND detail NOT LIKE "
                     "'%\"resident\":true%'");
    };
    EXPECT_TRUE(eventually([&] { return staff_texts_sent() == texts_in; }, 20s))
        << staff_texts_sent() << " of " << texts_in << " texts to Ola sent";

    auto received = [&] {
        return count(
            "SELECT count(*) FROM request_events WHERE kind = 'resident_sms' AND detail LIKE '%received%'");
    };
    ASSERT_TRUE(eventually([&] { return received() == texts_in; }, 10s)) << received() << " of " << texts_in;
    ASSERT_EQ(told_nobody(), 0) << "someone was on duty";

    // Anna goes off duty: a second later (reconnect_grace_seconds), every resident is told nobody is.
    anna->send(boost::json::object{{"type", "duty"}, {"on", false}, {"ref", "off"}});
    ASSERT_TRUE(anna->next_of("ok", 5s));
    EXPECT_TRUE(eventually([&] { return told_nobody() == texts_in; }, 20s))
        << told_nobody() << " of " << texts_in << " residents told nobody is on duty\n"
        << askd.log().substr(0, 4000);
}

// One step, to every member's dashboard, `seconds` after a request comes.
std::string one_step_after(int seconds) {
    return fmt::format(R"(
[alerts]
renotify_seconds = 600
[escalation.normal]
ack_timeout_seconds = 0
repeat = 0
steps = [{{ after_seconds = {}, who = "all_staff", how = ["dashboard"] }}]
)",
                       seconds);
}

class due_together : public texted_office {
  protected:
    due_together() : texted_office(one_step_after(3600)) {}
};

TEST_F(due_together, requests_due_at_once_are_escalated_in_a_few_commits_not_one_each) {
    constexpr int due = 300; // more than two of the escalator's batches (128)
    for (int n = 0; n < due; ++n)
        ASSERT_EQ(text_from(n).status, 200) << n << "\n" << askd.log();
    ASSERT_EQ(escalated(), 0);

    // Started again with the step a second after each request came: all are due at once.
    ASSERT_EQ(askd.terminate(10s), 0);
    askd.set_extra_toml(one_step_after(1) + twilio_toml);
    askd.start();
    ASSERT_TRUE(eventually([&] { return escalated() == due; }, 20s))
        << escalated() << " of " << due << " requests escalated\n"
        << askd.log().substr(0, 4000);
    // Each job awaited before the next is submitted commits alone: one commit per request at least.
    auto commits = metric(port(), "ask_store_commits_total");
    EXPECT_LT(commits, due / 4) << "commits since the start, for " << due << " requests escalated\n"
                                << askd.log().substr(0, 4000);
}

} // namespace
} // namespace ask::test
