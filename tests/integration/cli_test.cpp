// The askd command line: accounts, token output, a resident's export and configuration errors.
#include "tests/integration/office_fixture.hpp"
#include "tests/support/askd_process.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <filesystem>
#include <fstream>

namespace ask::test {
namespace {

TEST(cli, resident_add_prints_the_token_as_the_last_line) {
    temp_dir dir;
    auto db = (dir.path() / "a.db").string();
    auto r = run_askd({"resident", "add", "--db", db, "--name", "Jan", "--phone", "0048 600 100 200", "--needs", "deaf"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto text = r.out.substr(0, r.out.find_last_not_of('\n') + 1);
    auto token = text.substr(text.rfind('\n') + 1);
    EXPECT_GE(token.size(), 22u) << "at least 128 bits in base64";
    EXPECT_EQ(token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"), std::string::npos);
    std::ifstream file(db, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), {});
    EXPECT_EQ(bytes.find(token), std::string::npos) << "the token must be stored only as a hash";

    auto second = run_askd({"resident", "add", "--db", db, "--name", "Ewa"});
    auto text2 = second.out.substr(0, second.out.find_last_not_of('\n') + 1);
    EXPECT_NE(text2.substr(text2.rfind('\n') + 1), token);
}

TEST(cli, staff_add_reads_the_password_from_stdin_and_refuses_short_ones_and_duplicates) {
    temp_dir dir;
    auto db = (dir.path() / "a.db").string();
    auto ok = run_askd({"staff", "add", "--db", db, "--username", "anna", "--name", "Anna", "--role", "coordinator"},
                       "a long enough password\n");
    EXPECT_EQ(ok.exit_code, 0) << ok.err;
    auto dup = run_askd({"staff", "add", "--db", db, "--username", "anna", "--name", "Anna 2"}, "another long password\n");
    EXPECT_EQ(dup.exit_code, 2);
    EXPECT_NE(dup.err.find("--username"), std::string::npos) << dup.err;
    auto shorty = run_askd({"staff", "add", "--db", db, "--username", "bob", "--name", "Bob"}, "short\n");
    EXPECT_EQ(shorty.exit_code, 2);
    EXPECT_NE(shorty.err.find("password"), std::string::npos);
    auto role = run_askd({"staff", "add", "--db", db, "--username", "eve", "--name", "Eve", "--role", "boss"},
                         "a long enough password\n");
    EXPECT_EQ(role.exit_code, 2);
    EXPECT_NE(role.err.find("--role"), std::string::npos);
    auto phone = run_askd({"resident", "add", "--db", db, "--name", "X", "--phone", "call me"});
    EXPECT_EQ(phone.exit_code, 2);
    EXPECT_NE(phone.err.find("--phone"), std::string::npos);
}

struct bad_config {
    const char* toml;
    const char* names;
};

TEST(cli, bad_configuration_names_the_key_and_exits_2) {
    const bad_config cases[] = {
        {"[limits]\nhttp_body_bytes = 5\n", "limits.http_body_bytes"},
        {"[limits]\nws_idle_timeout_seconds = \"soon\"\n", "limits.ws_idle_timeout_seconds"},
        {"[alerts]\nrenotify_second = 30\n", "alerts.renotify_second"},
        {"[server]\nlisten = \"localhost\"\n", "server.listen"},
        {"[[offices]]\nslug = \"Bad Slug\"\nname = \"X\"\n", "offices[0].slug"},
        {"[log]\nlevel = \"loud\"\n", "log.level"},
        {"[store\npath = 1\n", "askd.toml"},
    };
    for (const auto& c : cases) {
        temp_dir dir;
        auto path = (dir.path() / "askd.toml").string();
        std::ofstream(path) << c.toml;
        auto r = run_askd({"serve", "--config", path});
        EXPECT_EQ(r.exit_code, 2) << c.toml;
        EXPECT_NE(r.err.find(c.names), std::string::npos) << "expected '" << c.names << "' in: " << r.err;
    }
    auto missing = run_askd({"serve", "--config", "/nonexistent/askd.toml"});
    EXPECT_EQ(missing.exit_code, 2);
    auto bad_flag = run_askd({"serve", "--listen", "nowhere"});
    EXPECT_EQ(bad_flag.exit_code, 2);
    EXPECT_NE(bad_flag.err.find("--listen"), std::string::npos);
}

// A step that names someone without an account would alert nobody when it is reached: askd refuses to
// serve. A disabled account is warned about instead.
TEST(cli, serve_refuses_a_ladder_that_names_someone_without_an_account) {
    askd_process askd(R"([escalation.urgent]
steps = [{ after_seconds = 0, who = "on_duty", how = ["dashboard"] },
         { after_seconds = 60, who = "named", staff = ["kowalska", "nowak", "zielinska"], how = ["sms"] }]
)");
    askd.add_staff("nowak", "Jan Nowak", "a long enough password");
    auto r = run_askd({"serve", "--config", askd.config_path()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("escalation.urgent.steps[1].staff: no staff account named kowalska, zielinska"),
              std::string::npos)
        << r.err;

    askd.add_staff("kowalska", "Anna Kowalska", "a long enough password");
    askd.add_staff("zielinska", "Ewa Zielińska", "a long enough password");
    // Someone named who has left is warned about, when disabled and at each start, and does not stop it.
    auto disabled = run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "zielinska"});
    ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
    EXPECT_NE(disabled.err.find("escalation.urgent.steps[1].staff names zielinska, who is no longer alerted"),
              std::string::npos)
        << disabled.err;
    askd.start(); // fails the test unless it starts listening
    EXPECT_TRUE(askd.running());
    EXPECT_NE(askd.log().find("escalation.urgent.steps[1].staff: zielinska is disabled and is not alerted"),
              std::string::npos)
        << askd.log();
}

// What an office must still do for the accessibility statement is said as askd starts: keys left empty,
// and a statement not reviewed since before the yearly deadline of 31 March (the last one passed: this
// test's 2020 is before it whatever today is).
TEST(cli, serve_warns_of_an_accessibility_statement_overdue_for_its_yearly_review) {
    // Logged just after askd starts listening, the overdue warning before the one of empty keys.
    const std::string empty_keys =
        "[accessibility] contact_person, email, phone, office_statement_url, published, "
        "updated: set them";
    askd_process overdue("[accessibility]\nprepared = \"2020-01-15\"\n");
    overdue.start();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return overdue.log().find(empty_keys) != std::string::npos; }, 5s))
        << overdue.log();
    EXPECT_NE(overdue.log().find(
                  "was prepared or last reviewed on 2020-01-15: the act wants it updated by 31 March "
                  "every year"),
              std::string::npos)
        << overdue.log();

    auto today = std::time(nullptr);
    char date[11];
    std::strftime(date, sizeof date, "%Y-%m-%d", std::gmtime(&today));
    askd_process current("[accessibility]\nprepared = \"" + std::string(date) + "\"\n");
    current.start();
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return current.log().find(empty_keys) != std::string::npos; }, 5s))
        << current.log();
    EXPECT_EQ(current.log().find("last reviewed"), std::string::npos) << current.log();
}

TEST(cli, the_documented_example_config_loads) {
    temp_dir dir;
    std::ifstream example(ASK_EXAMPLE_CONFIG);
    ASSERT_TRUE(example.good()) << ASK_EXAMPLE_CONFIG;
    auto r = run_askd({"staff", "add", "--config", ASK_EXAMPLE_CONFIG, "--db", (dir.path() / "x.db").string(),
                       "--username", "anna", "--name", "Anna"},
                      "a long enough password\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
}

// The lists give the ids the other commands take. Every office's accounts, or one office's with --office;
// disabled staff are listed as such; a name holding a tab keeps each line to the header's columns.
TEST(cli, the_lists_give_every_account_with_its_id_and_keep_to_one_office_on_request) {
    askd_process askd("[[offices]]\nslug = \"rynek\"\nname = \"Urząd A\"\ntime_zone = \"UTC\"\n"
                      "[[offices]]\nslug = \"las\"\nname = \"Urząd B\"\ntime_zone = \"UTC\"\n");
    auto anna =
        askd.add_staff("anna", "Anna Nowak", "a long enough password", "coordinator", "+48 600 100 200");
    auto in_las = run_askd({"staff", "add", "--config", askd.config_path(), "--username", "piotr", "--name",
                            "Piotr Las", "--office", "las"},
                           "a long enough password\n");
    ASSERT_EQ(in_las.exit_code, 0) << in_las.err;
    ASSERT_EQ(run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "piotr"}).exit_code,
              0);
    askd.add_resident("Jan\tKowalski", "600 300 400", "deaf,wheelchair");
    askd.add_resident("Ewa Leśna", "", "", "", "las");

    auto staff = run_askd({"staff", "list", "--config", askd.config_path()});
    ASSERT_EQ(staff.exit_code, 0) << staff.err;
    auto rows = listing_rows(staff.out);
    ASSERT_EQ(rows.size(), 2u) << staff.out;
    EXPECT_EQ(rows[0], (std::map<std::string, std::string>{{"id", std::to_string(anna)},
                                                           {"username", "anna"},
                                                           {"name", "Anna Nowak"},
                                                           {"role", "coordinator"},
                                                           {"office", "rynek"},
                                                           {"phone", "+48600100200"},
                                                           {"on_duty", "no"},
                                                           {"account", "active"}}));
    EXPECT_EQ(rows[1]["username"], "piotr");
    EXPECT_EQ(rows[1]["office"], "las");
    EXPECT_EQ(rows[1]["account"], "disabled");

    auto residents = run_askd({"resident", "list", "--config", askd.config_path()});
    ASSERT_EQ(residents.exit_code, 0) << residents.err;
    rows = listing_rows(residents.out);
    ASSERT_EQ(rows.size(), 2u) << residents.out;
    EXPECT_EQ(rows[0]["name"], "Jan Kowalski") << "the tab shown as a space";
    EXPECT_EQ(rows[0]["phone"], "+48600300400");
    EXPECT_EQ(rows[0]["office"], "rynek");
    EXPECT_EQ(rows[0]["needs"], "deaf,wheelchair");
    EXPECT_EQ(rows[0]["source"], "registered");
    EXPECT_EQ(rows[0]["texts"], "on");
    EXPECT_EQ(rows[0]["open_requests"], "0");
    EXPECT_EQ(rows[0]["created_at"].substr(0, 2), "20") << rows[0]["created_at"];
    auto exported = run_askd({"resident", "export", "--config", askd.config_path(), "--id", rows[0]["id"]});
    EXPECT_EQ(exported.exit_code, 0) << "the listed id is the one the commands take: " << exported.err;
    EXPECT_NE(exported.out.find("+48600300400"), std::string::npos) << exported.out;
    EXPECT_EQ(rows[1]["name"], "Ewa Leśna");
    EXPECT_EQ(rows[1]["office"], "las");

    auto one_office = run_askd({"resident", "list", "--config", askd.config_path(), "--office", "las"});
    ASSERT_EQ(one_office.exit_code, 0) << one_office.err;
    rows = listing_rows(one_office.out);
    ASSERT_EQ(rows.size(), 1u) << one_office.out;
    EXPECT_EQ(rows[0]["name"], "Ewa Leśna");
    rows = listing_rows(run_askd({"staff", "list", "--config", askd.config_path(), "--office", "rynek"}).out);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0]["username"], "anna");

    auto unknown = run_askd({"staff", "list", "--config", askd.config_path(), "--office", "gora"});
    EXPECT_EQ(unknown.exit_code, 2);
    EXPECT_NE(unknown.err.find("--office: no office 'gora'"), std::string::npos) << unknown.err;
    auto missing = (askd.dir() / "typo.db").string();
    EXPECT_EQ(run_askd({"resident", "list", "--db", missing}).exit_code, 1);
    EXPECT_FALSE(std::filesystem::exists(missing)) << "a mistyped --db made a new database";
}

// RODO's right of access: everything kept about a resident, as JSON, read beside the serving askd. Jan
// pressed and Anna took his request: his record and the request with its history are there, his token
// (even its hash) is not. By --phone or by --id; nobody is exit 1, and neither or both flags exit 2.
class resident_export : public office_fixture {};

TEST_F(resident_export, prints_everything_kept_about_a_resident_as_json) {
    auto pressed = press(jan, "urgent", "Proszę o telefon");
    ASSERT_EQ(pressed.status, 201) << pressed.body;
    auto id = id_of(pressed.json());
    auto anna = dashboard("anna");
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s));

    auto r = run_askd({"resident", "export", "--config", askd.config_path(), "--phone", "+48 600 100 200"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto document = boost::json::parse(r.out).as_object();
    EXPECT_TRUE(document.at("exported_at").is_string());
    const auto& him = document.at("resident").as_object();
    EXPECT_EQ(him.at("name").as_string(), "Jan Kowalski");
    EXPECT_EQ(him.at("phone").as_string(), "+48600100200");
    EXPECT_EQ(him.at("address").as_string(), "ul. Lipowa 5");
    EXPECT_EQ(him.at("needs"), (boost::json::array{"wheelchair", "hard_of_hearing"}));
    EXPECT_EQ(him.at("office").as_string(), "demo");
    EXPECT_TRUE(him.at("created_at").as_string().starts_with("20")) << r.out;
    const auto& kept = document.at("retention").as_object();
    EXPECT_TRUE(kept.at("closed_requests_kept_days").is_null()) << "no period set in this office's config";
    EXPECT_NE(kept.at("pl").as_string().find("nie ustalił"), boost::json::string::npos) << r.out;
    const auto& requests = him.at("requests").as_array();
    ASSERT_EQ(requests.size(), 1u) << r.out;
    const auto& request = requests[0].as_object();
    EXPECT_EQ(request.at("id").as_int64(), id);
    EXPECT_EQ(request.at("message").as_string(), "Proszę o telefon");
    EXPECT_EQ(request.at("acknowledged_by").as_object().at("name").as_string(), "Anna");
    std::vector<std::string> kinds;
    for (const auto& e : request.at("events").as_array())
        kinds.emplace_back(e.as_object().at("kind").as_string());
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "created"), kinds.end()) << r.out;
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), "acknowledged"), kinds.end()) << r.out;
    EXPECT_EQ(r.out.find("token"), std::string::npos) << "no token, not even its hash: " << r.out;

    auto by_id = run_askd({"resident", "export", "--config", askd.config_path(), "--id",
                           std::to_string(him.at("id").as_int64())});
    ASSERT_EQ(by_id.exit_code, 0) << by_id.err;
    EXPECT_EQ(boost::json::parse(by_id.out).at("resident").at("requests"), him.at("requests"));

    auto maria_export =
        run_askd({"resident", "export", "--config", askd.config_path(), "--phone", "600 300 400"});
    ASSERT_EQ(maria_export.exit_code, 0) << maria_export.err;
    auto maria_document = boost::json::parse(maria_export.out);
    EXPECT_EQ(maria_document.at("resident").at("name").as_string(), "Maria Wiśniewska");
    EXPECT_TRUE(maria_document.at("resident").at("requests").as_array().empty())
        << "Jan's request is not in Maria's export";

    EXPECT_EQ(run_askd({"resident", "export", "--config", askd.config_path(), "--id", "999999"}).exit_code,
              1);
    EXPECT_EQ(run_askd({"resident", "export", "--config", askd.config_path()}).exit_code, 2);
    EXPECT_EQ(run_askd({"resident", "export", "--config", askd.config_path(), "--id", "1", "--phone",
                        "600 300 400"})
                  .exit_code,
              2);
}

// Two residents share a phone (a household): exporting by that phone would hand one the other's health
// details, so it lists them and exports neither; each is exported by --id.
TEST_F(resident_export, a_shared_phone_lists_the_residents_and_exports_none) {
    askd.add_resident("Anna Kowalska", "+48 600 100 200", "blind");
    auto r = run_askd({"resident", "export", "--config", askd.config_path(), "--phone", "600 100 200"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_TRUE(r.out.empty()) << r.out;
    EXPECT_NE(r.err.find("Jan Kowalski"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("Anna Kowalska"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("--id"), std::string::npos) << r.err;
}

// The export says how long what it shows is kept: here the office set a period.
class resident_export_with_retention : public office_fixture {
  protected:
    resident_export_with_retention() : office_fixture("[privacy]\nkeep_closed_days = 365\n") {}
};

TEST_F(resident_export_with_retention,
       says_how_long_closed_requests_are_kept_and_since_when_the_resident_is) {
    auto r = run_askd({"resident", "export", "--config", askd.config_path(), "--phone", "+48 600 100 200"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    auto document = boost::json::parse(r.out).as_object();
    const auto& kept = document.at("retention").as_object();
    EXPECT_EQ(kept.at("closed_requests_kept_days"), 365);
    EXPECT_NE(kept.at("pl").as_string().find("po upływie 365 dni od zamknięcia"), boost::json::string::npos)
        << r.out;
    EXPECT_NE(kept.at("en").as_string().find("365 days after they close"), boost::json::string::npos)
        << r.out;
    // Registered as the fixture started, moments ago: the same UTC day as the export (or the one before,
    // across midnight).
    auto day = [](std::time_t t) {
        char out[11];
        std::strftime(out, sizeof out, "%Y-%m-%d", std::gmtime(&t));
        return std::string(out);
    };
    auto since = std::string(document.at("resident").at("created_at").as_string()).substr(0, 10);
    auto now = std::time(nullptr);
    EXPECT_TRUE(since == day(now) || since == day(now - 3600)) << r.out;
}

// The export only reads: a mistyped database path is an error, not an empty database that would say
// "we hold nothing about you" (and no file is left there).
TEST(cli, resident_export_of_a_missing_database_fails_and_creates_nothing) {
    temp_dir dir;
    auto missing = dir.path() / "typo" / "ask.db";
    auto r = run_askd({"resident", "export", "--db", missing.string(), "--id", "1"});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find("cannot open database"), std::string::npos) << r.err;
    EXPECT_FALSE(std::filesystem::exists(missing.parent_path()));
}

} // namespace
} // namespace ask::test
