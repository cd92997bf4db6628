// Configuration: defaults, every section read, and errors that name the key.
#include "server/config.hpp"
#include "gateways/phone_number.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace ask {
namespace {

config load(const std::string& toml) {
    test::temp_dir dir;
    auto path = (dir.path() / "c.toml").string();
    std::ofstream(path) << toml;
    return load_config(path);
}

std::string error_of(const std::string& toml) {
    try {
        load(toml);
    } catch (const config_error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(config, an_empty_file_keeps_safe_defaults) {
    auto c = load("");
    EXPECT_EQ(c.listen_host, "127.0.0.1");
    EXPECT_EQ(c.listen_port, 8080);
    EXPECT_EQ(c.renotify, std::chrono::seconds(30));
    EXPECT_EQ(c.group_commit_wait_us, 500);
    EXPECT_EQ(c.limits.ws_idle_timeout, std::chrono::seconds(20));
    EXPECT_EQ(c.limits.reply_timeout, std::chrono::seconds(10));
    EXPECT_EQ(c.store_queue_max, 20000u);
    EXPECT_EQ(c.keep_closed_days, 0) << "nothing is deleted until the office chooses a period";
    ASSERT_EQ(c.offices.size(), 1u);
    EXPECT_EQ(c.offices[0].time_zone, "Europe/Warsaw");
}

TEST(config, every_section_is_read) {
    auto c = load(R"(
[server]
listen = "[::1]:9000"
allowed_origins = ["https://ask.gmina.pl"]
[store]
path = "/var/lib/ask/ask.db"
busy_timeout_ms = 100
group_commit_max = 64
group_commit_wait_us = 0
queue_max = 500
[limits]
http_body_bytes = 4096
reply_timeout_seconds = 4
ws_outbox_messages = 32
message_chars = 300
[alerts]
renotify_seconds = 15
[auth]
session_hours = 8
[privacy]
keep_closed_days = 1825
[log]
level = "debug"
[[offices]]
slug = "gmina-a"
name = "Gmina A"
time_zone = "Europe/Warsaw"
[[offices]]
slug = "gmina-b"
name = "Gmina B"
)");
    EXPECT_EQ(c.listen_host, "::1");
    EXPECT_EQ(c.listen_port, 9000);
    EXPECT_EQ(c.allowed_origins, std::vector<std::string>{"https://ask.gmina.pl"});
    EXPECT_EQ(c.db_path, "/var/lib/ask/ask.db");
    EXPECT_EQ(c.busy_timeout_ms, 100);
    EXPECT_EQ(c.group_commit_max, 64u);
    EXPECT_EQ(c.group_commit_wait_us, 0);
    EXPECT_EQ(c.store_queue_max, 500u);
    EXPECT_EQ(c.limits.http_body_bytes, 4096u);
    EXPECT_EQ(c.limits.reply_timeout, std::chrono::seconds(4));
    EXPECT_EQ(c.limits.ws_outbox_messages, 32u);
    EXPECT_EQ(c.limits.text.message_chars, 300u);
    EXPECT_EQ(c.renotify, std::chrono::seconds(15));
    EXPECT_EQ(c.session_ttl, std::chrono::hours(8));
    EXPECT_EQ(c.keep_closed_days, 1825);
    EXPECT_EQ(c.log_level, "debug");
    ASSERT_EQ(c.offices.size(), 2u);
    EXPECT_EQ(c.offices[1].slug, "gmina-b");
}

TEST(config, the_press_allowance_is_read_and_checked) {
    auto defaults = load("");
    EXPECT_EQ(defaults.limits.presses_per_window, 5);
    EXPECT_EQ(defaults.limits.press_window, std::chrono::seconds(60));
    auto c = load("[limits]\npresses_per_window = 3\npress_window_seconds = 120\n");
    EXPECT_EQ(c.limits.presses_per_window, 3);
    EXPECT_EQ(c.limits.press_window, std::chrono::seconds(120));
    EXPECT_NE(error_of("[limits]\npresses_per_window = 0\n").find("limits.presses_per_window"),
              std::string::npos)
        << "no press at all would ever be stored";
    EXPECT_NE(error_of("[limits]\npress_window_seconds = 0\n").find("limits.press_window_seconds"),
              std::string::npos);
}

// A message of allowed length must fit in one WebSocket message and one HTTP body, or it would be
// closed on (1009) or refused (413) instead of being stored or answered "too long".
TEST(config, the_longest_message_allowed_fits_the_connection) {
    auto tight = load("[limits]\nws_message_bytes = 1624\nhttp_body_bytes = 1624\nmessage_chars = 100\n"
                      "note_chars = 100\n");
    EXPECT_EQ(tight.limits.ws_message_bytes, 1624u) << "100 characters at 6 bytes and 1 KiB for the rest";
    auto ws = error_of("[limits]\nws_message_bytes = 1623\nhttp_body_bytes = 1624\nmessage_chars = 100\n"
                       "note_chars = 100\n");
    EXPECT_NE(ws.find("limits.ws_message_bytes: must be at least 1624"), std::string::npos) << ws;
    auto note = error_of("[limits]\nws_message_bytes = 16384\nnote_chars = 2731\n");
    EXPECT_NE(note.find("limits.ws_message_bytes: must be at least 17410"), std::string::npos)
        << "a staff note is a WebSocket message too: " << note;
    auto http = error_of("[limits]\nhttp_body_bytes = 4023\n");
    EXPECT_NE(http.find("limits.http_body_bytes: must be at least 4024"), std::string::npos)
        << "a button's press carries message_chars (500) over HTTP: " << http;
    EXPECT_EQ(load("").limits.http_body_bytes, 16384u) << "the defaults fit";
}

TEST(config, the_accessibility_statement_data_is_read_and_checked) {
    auto defaults = load("");
    EXPECT_EQ(defaults.accessibility.email, "") << "no made-up contact in a real office's statement";
    EXPECT_EQ(defaults.accessibility.published, "");
    auto c = load(R"(
[accessibility]
entity = "Gminny Ośrodek Pomocy Społecznej w Przykładowie"
contact_person = "Jan Nowak"
email = "dostepnosc@gops.example.pl"
phone = "22 600 12 34"
office_statement_url = "https://gops.example.pl/deklaracja"
published = "2026-01-15"
updated = "2026-11-30"
prepared = "2026-12-01"
)");
    const auto& a = c.accessibility;
    EXPECT_EQ(a.entity, "Gminny Ośrodek Pomocy Społecznej w Przykładowie");
    EXPECT_EQ(a.contact_person, "Jan Nowak");
    EXPECT_EQ(a.email, "dostepnosc@gops.example.pl");
    EXPECT_EQ(a.phone, "+48226001234") << "a phone is read as every other number is";
    EXPECT_EQ(a.office_statement_url, "https://gops.example.pl/deklaracja");
    EXPECT_EQ(a.published, "2026-01-15");
    EXPECT_EQ(a.updated, "2026-11-30");
    EXPECT_EQ(a.prepared, "2026-12-01");

    const std::pair<const char*, const char*> mistakes[] = {
        {"[accessibility]\nemail = \"22 600 12 34\"\n", "accessibility.email"},
        {"[accessibility]\nemail = \"dostepnosc@gmina\"\n", "accessibility.email"},
        {"[accessibility]\nemail = \"a b@gmina.pl\"\n", "accessibility.email"},
        {"[accessibility]\nphone = \"dostepnosc@gmina.pl\"\n", "accessibility.phone"},
        {"[accessibility]\noffice_statement_url = \"gmina.pl/deklaracja\"\n",
         "accessibility.office_statement_url"},
        {"[accessibility]\npublished = \"15.01.2026\"\n", "accessibility.published"},
        {"[accessibility]\nupdated = \"2026-02-30\"\n", "accessibility.updated"},
        {"[accessibility]\nprepared = 2026-12-01\n", "accessibility.prepared"},
        {"[accessibility]\npublished = \"2026-05-01\"\nupdated = \"2026-04-01\"\n", "accessibility.updated"},
        {"[accessibility]\ncontact = \"Jan\"\n", "accessibility.contact"},
        {"accessibility = \"tak\"\n", "accessibility"},
    };
    for (const auto& [toml, key] : mistakes)
        EXPECT_NE(error_of(toml).find(key), std::string::npos) << toml << " -> " << error_of(toml);
}

// The act wants the statement updated by 31 March every year: from 1 April, one last prepared or
// reviewed in an earlier year is overdue, and askd serve warns.
TEST(config, an_accessibility_statement_from_before_this_years_deadline_is_overdue) {
    auto day = [](const char* date) { return *engine::parse_date(date); };
    accessibility_config a;
    EXPECT_FALSE(a.review_overdue(day("2030-06-01"))) << "no date: missing() names it";
    a.prepared = "2026-12-01";
    EXPECT_FALSE(a.review_overdue(day("2026-12-06")));
    EXPECT_FALSE(a.review_overdue(day("2027-03-31"))) << "the deadline day itself is still in time";
    EXPECT_TRUE(a.review_overdue(day("2027-04-01")));
    a.prepared = "2027-01-02";
    EXPECT_FALSE(a.review_overdue(day("2027-04-01"))) << "reviewed this year, before the deadline";
    EXPECT_FALSE(a.review_overdue(day("2028-03-31")));
    EXPECT_TRUE(a.review_overdue(day("2028-04-01")));
    a.prepared = "2025-06-01";
    EXPECT_TRUE(a.review_overdue(day("2027-02-01"))) << "the deadline of 2026 passed without a review";
}

TEST(config, office_hours_and_escalation_are_read) {
    auto cfg = load(R"(
[[offices]]
slug = "gmina"
time_zone = "Europe/Warsaw"
after_hours_phone = "600 100 200"
sms_number = "+48 732 100 300"
holidays = ["2026-12-25"]
sms_transliterate = true
[offices.hours]
mon = "07:30-15:30"
fri = "07:30-12:00, 12:30-14:00"

[[offices]]
slug = "gmina-b"

[escalation.urgent]
ack_timeout_seconds = 300
repeat = 1
repeat_after_seconds = 120
steps = [
  { after_seconds = 0, who = "on_duty", how = ["dashboard"] },
  { after_seconds = 30, who = "named", staff = ["anna"], how = ["sms", "dashboard"] },
]
)");
    const auto& office = cfg.offices.at(0);
    EXPECT_EQ(office.after_hours_phone, "+48600100200");
    EXPECT_EQ(office.sms_number, "+48732100300");
    EXPECT_EQ(cfg.offices.at(1).sms_number, "") << "left out: none";
    EXPECT_EQ(office.sms_transliterate, true);
    EXPECT_FALSE(cfg.offices.at(1).sms_transliterate) << "left out: [sms] transliterate decides";
    EXPECT_EQ(office.hours.by_weekday[1].size(), 1u);
    EXPECT_EQ(office.hours.by_weekday[5].size(), 2u);
    EXPECT_TRUE(office.hours.by_weekday[0].empty()) << "days left out of [hours] are closed";
    EXPECT_EQ(office.hours.holidays.size(), 1u);
    const auto& urgent = cfg.escalation.urgent;
    EXPECT_EQ(urgent.ack_timeout, 300'000);
    EXPECT_EQ(urgent.repeat, 1);
    EXPECT_EQ(urgent.repeat_after, 120'000);
    ASSERT_EQ(urgent.steps.size(), 2u);
    EXPECT_EQ(urgent.steps[1].after, 30'000);
    EXPECT_EQ(urgent.steps[1].who, engine::audience::named);
    EXPECT_EQ(urgent.steps[1].usernames, std::vector<std::string>{"anna"});
    EXPECT_TRUE(urgent.steps[1].sms && urgent.steps[1].dashboard);
    EXPECT_EQ(cfg.escalation.normal.steps.size(), engine::escalation_policy::defaults().normal.steps.size())
        << "an absent ladder keeps its defaults";
}

TEST(config, gateways_read_secrets_from_the_file_or_the_environment_with_rotation) {
    ::setenv("ASK_TEST_TWILIO_TOKEN", "from-env", 1);
    auto cfg = load(R"(
[server]
public_url = "https://ask.gmina.example.pl/"
[sms]
sender = "twilio"
failover = "smsapi"
[gateways.twilio]
enabled = true
account_sid = "AC123"
auth_token_env = "ASK_TEST_TWILIO_TOKEN"
auth_token_previous = "old-token"
from = "+48732100200"
[gateways.smsapi]
enabled = true
base_url = "http://127.0.0.1:9/"
token = "t"
from = "ASK"
)");
    EXPECT_EQ(cfg.public_url, "https://ask.gmina.example.pl");
    EXPECT_EQ(cfg.sms.sender, "twilio");
    EXPECT_EQ(cfg.gateways.twilio.auth_token, (secrets{"from-env", "old-token"}));
    EXPECT_EQ(cfg.gateways.smsapi.base_url, "http://127.0.0.1:9");
    EXPECT_FALSE(cfg.gateways.vonage.enabled);
    EXPECT_EQ(cfg.gateways.vonage.base_url, "https://rest.nexmo.com");
}

TEST(config, each_mistake_names_its_key) {
    const std::pair<const char*, const char*> cases[] = {
        {"[limits]\nhttp_body_bytes = 10\n", "limits.http_body_bytes"},
        {"[limits]\nhttp_body_bytes = 1.5\n", "limits.http_body_bytes"},
        {"[alerts]\nrenotify_seconds = 0\n", "alerts.renotify_seconds"},
        {"[alerts]\nrenotify = 30\n", "alerts.renotify"},
        {"[server]\nlisten = \"127.0.0.1:99999\"\n", "server.listen"},
        {"[server]\nallowed_origins = [\"ask.pl\"]\n", "server.allowed_origins"},
        {"[storage]\npath = \"x\"\n", "storage"},
        {"[store]\npath = \"\"\n", "store.path"},
        {"[store]\ngroup_commit_wait_us = 20000\n", "store.group_commit_wait_us"},
        {"[store]\nqueue_max = 0\n", "store.queue_max"},
        {"[limits]\nreply_timeout_seconds = 0\n", "limits.reply_timeout_seconds"},
        {"offices = []\n", "offices"},
        {"[[offices]]\nslug = \"a\"\n[[offices]]\nslug = \"a\"\n", "offices[1].slug"},
        {"[log]\nlevel = 3\n", "log.level"},
        {"store = 5\n", "store"},
        {"[[offices]]\ntime_zone = \"Mars/Base\"\n", "offices[0].time_zone"},
        {"[[offices]]\n[offices.hours]\nmon = \"16:00-08:00\"\n", "offices[0].hours.mon"},
        {"[[offices]]\n[offices.hours]\nmonday = \"08:00-16:00\"\n", "offices[0].hours.monday"},
        {"[[offices]]\nholidays = [\"2026-02-30\"]\n", "offices[0].holidays"},
        {"[[offices]]\n[offices.hours]\nmon = \"closed\"\n", "offices[0].hours"},
        {"[[offices]]\nslug = \"a\"\n[[offices]]\nslug = \"b\"\nhours = {}\n", "offices[1].hours"},
        {"[[offices]]\nafter_hours_phone = \"12\"\n", "offices[0].after_hours_phone"},
        {"[[offices]]\nsms_number = \"numer\"\n", "offices[0].sms_number"},
        {"[[offices]]\nslug = \"a\"\nsms_number = \"732 100 300\"\n[[offices]]\nslug = \"b\"\n"
         "sms_number = \"+48732100300\"\n",
         "offices[1].sms_number"},
        {"[[offices]]\nsms_transliterate = \"yes\"\n", "offices[0].sms_transliterate"},
        {"[sms]\ntransliterate = 1\n", "sms.transliterate"},
        {"[escalation.urgent]\nrepeat = 11\n", "escalation.urgent.repeat"},
        {"[escalation.normal]\nack_timeout_seconds = -1\n", "escalation.normal.ack_timeout_seconds"},
        {"[escalation.urgent]\nsteps = [{ who = \"on_duty\", how = [\"sms\"] }]\n",
         "escalation.urgent.steps[0].after_seconds"},
        {"[escalation.urgent]\nsteps = [{ after_seconds = 1, who = \"boss\", how = [\"sms\"] }]\n",
         "escalation.urgent.steps[0].who"},
        {"[escalation.urgent]\nsteps = [{ after_seconds = 1, who = \"on_duty\", how = [\"pigeon\"] }]\n",
         "escalation.urgent.steps[0].how"},
        {"[escalation.urgent]\nsteps = [{ after_seconds = 1, who = \"named\", how = [\"sms\"] }]\n",
         "escalation.urgent.steps[0].staff"},
        {"[escalation.urgent]\nsteps = [{ after_seconds = 9, who = \"on_duty\", how = [\"sms\"] },"
         " { after_seconds = 5, who = \"on_duty\", how = [\"sms\"] }]\n",
         "escalation.urgent.steps[1].after_seconds"},
        {"[sms]\nsender = \"carrier-pigeon\"\n", "sms.sender"},
        {"[sms]\nsender = \"twilio\"\n", "sms.sender"},
        {"[gateways.twilio]\nenabled = true\nfrom = \"+48500\"\nauth_token = \"x\"\n",
         "gateways.twilio.account_sid"},
        {"[gateways.smsapi]\nenabled = true\nfrom = \"ASK\"\ntoken_env = \"ASK_TEST_UNSET_VARIABLE\"\n",
         "gateways.smsapi.token_env"},
        {"[gateways.smsapi]\nenabled = true\nfrom = \"ASK\"\ntoken = \"t\"\nwebhook_key = \"short\"\n",
         "gateways.smsapi.webhook_key"},
        {"[gateways.smsapi]\nenabled = true\nfrom = \"ASK\"\ntoken = \"t\"\nwebhook_key = "
         "\"long-enough-but-has&amp\"\n",
         "gateways.smsapi.webhook_key"},
        {"[gateways.vonage]\nsignature_method = \"crc32\"\n", "gateways.vonage.signature_method"},
        {"[gateways.smsgate]\nbase_url = \"ftp://x\"\n", "gateways.smsgate.base_url"},
        {"[gateways.smsgate]\npasword = \"typo\"\n", "gateways.smsgate.pasword"},
        {"[gateways.kannel]\nenabled = true\n", "gateways.kannel"},
        {"[server]\npublic_url = \"ask.gmina.pl\"\n", "server.public_url"},
        {"[privacy]\nkeep_closed_days = -1\n", "privacy.keep_closed_days"},
        {"[privacy]\nkeep_days = 30\n", "privacy.keep_days"},
    };
    for (const auto& [toml, key] : cases)
        EXPECT_NE(error_of(toml).find(key), std::string::npos) << toml << " -> " << error_of(toml);
    EXPECT_NE(error_of("[store\n").find("c.toml"), std::string::npos) << "syntax errors name the file and line";
}

TEST(phone_number, polish_and_international_forms_normalise_to_e164) {
    const std::pair<const char*, const char*> good[] = {
        {"+48 600 100 200", "+48600100200"}, {"0048600100200", "+48600100200"}, {"48600100200", "+48600100200"},
        {"600-100-200", "+48600100200"},     {"(+48) 600100200", "+48600100200"}, {"+44 20 7946 0958", "+442079460958"},
    };
    for (const auto& [in, out] : good)
        EXPECT_EQ(gateways::normalise_phone(in).value_or("none"), out) << in;
    for (const char* bad : {"", "+", "call me", "12345", "+48 600 100 200 300 400", "06001002000", "+0600100200"})
        EXPECT_FALSE(gateways::normalise_phone(bad)) << bad;
}

TEST(phone_number, a_log_names_a_number_by_its_last_three_characters) {
    EXPECT_EQ(gateways::phone_tail("+48600100200"), "200");
    EXPECT_EQ(gateways::phone_tail("12"), "12");
    EXPECT_EQ(gateways::phone_tail(""), "");
}

} // namespace
} // namespace ask
