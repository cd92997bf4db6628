// The office corrects a person's details with askd's commands beside the serving askd: a resident's
// name, phone, address, needs or texts (askd resident edit), a staff member's name, phone or role (askd
// staff edit). The store has the change at once; the serving askd shows it on the cards of open
// requests within seconds, texts the resident at their new number, and a new role reopens the
// dashboards of whoever has it.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <thread>

namespace ask::test {
namespace {

using rows = std::vector<std::vector<std::string>>;
constexpr int signed_out = 4001;
constexpr auto shows_within = 5s; // the store reads data_version each second, the upkeep loop acts the next

class account_edits : public office_fixture {
  protected:
    account_edits()
        : office_fixture("[alerts]\nrenotify_seconds = 600\n[[offices]]\nslug = \"demo\"\nname = \"Urząd "
                         "Testowy\"\ntime_zone = \"UTC\"\nafter_hours_phone = \"+48 600 999 999\"\n") {}

    command_result askd_command(std::vector<std::string> args, const std::string& input = "") {
        args.insert(args.begin() + 2, {"--config", askd.config_path()});
        return run_askd(args, input);
    }
    std::string resident_id(const std::string& name) {
        return db_probe(askd.db_path()).rows("SELECT id FROM residents WHERE name = ?1", name).at(0).at(0);
    }
    /// The next card of request `id` on this dashboard that `matches`.
    static std::optional<boost::json::object>
    card_update(ws_client& dashboard, std::int64_t id,
                const std::function<bool(const boost::json::object&)>& matches) {
        auto m = dashboard.next_of("alert_update", shows_within, [&](const auto& message) {
            const auto& alert = message.at("alert").as_object();
            return alert.at("id") == id && matches(alert);
        });
        if (!m)
            return std::nullopt;
        return m->at("alert").as_object();
    }
    bool wait_texts(const std::string& tail, std::size_t n) {
        for (int i = 0; i < 50 && texts_to(tail).size() < n; ++i)
            std::this_thread::sleep_for(100ms);
        return texts_to(tail).size() >= n;
    }
};

TEST_F(account_edits, a_residents_corrected_details_reach_the_card_of_their_open_request) {
    auto anna = dashboard("anna");
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    wait_for_the_start_jobs();

    auto r =
        askd_command({"resident", "edit", "--id", resident_id("Maria Wiśniewska"), "--name", "Maria Nowak",
                      "--phone", "600 300 999", "--address", "ul. Nowa 1", "--needs", "blind,wheelchair"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("changed: name, phone, address, needs"), std::string::npos) << r.out;

    auto card =
        card_update(*anna, id, [](const auto& a) { return a.at("resident").at("name") == "Maria Nowak"; });
    ASSERT_TRUE(card) << "Anna's dashboard still shows the old details\n" << askd.log();
    const auto& resident = card->at("resident").as_object();
    EXPECT_EQ(str(resident.at("phone")), "+48600300999");
    EXPECT_EQ(str(resident.at("address")), "ul. Nowa 1");
    EXPECT_EQ(resident.at("needs"), (boost::json::array{"blind", "wheelchair"}));
    EXPECT_FALSE(resident.at("unknown_sender").as_bool());
    EXPECT_EQ(str(card->at("state")), "notifying") << "the request itself changed";
    EXPECT_TRUE(anna->quiet_for("alert", 300ms)) << "a correction rang as a new alert";

    // What the dashboard shows later comes from the hub's copy: a dashboard opened now shows it too.
    auto bob = dashboard("bob");
    const auto& queued = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(queued.size(), 1u);
    EXPECT_EQ(str(queued[0].at("resident").at("name")), "Maria Nowak");
    // Only what was given changed.
    EXPECT_EQ(db_probe(askd.db_path())
                  .rows("SELECT name, phone, address, needs, sms_opt_out FROM residents WHERE "
                        "id = " +
                        resident_id("Maria Nowak")),
              (rows{{"Maria Nowak", "+48600300999", "ul. Nowa 1", "blind,wheelchair", "0"}}));
    auto jans =
        askd_command({"resident", "edit", "--id", resident_id("Jan Kowalski"), "--address", "ul. Lipowa 7"});
    ASSERT_EQ(jans.exit_code, 0) << jans.err;
    EXPECT_EQ(db_probe(askd.db_path())
                  .rows("SELECT name, phone, needs FROM residents WHERE address = 'ul. Lipowa 7'"),
              (rows{{"Jan Kowalski", "+48600100200", "wheelchair,hard_of_hearing"}}));
}

// A resident who is texted at each step (deaf) changes their number while their request is open: the next
// step goes to the new number. Texts switched off by the office are recorded as not sent, and switched on
// again, reach them.
TEST_F(account_edits, a_residents_new_number_and_texts_switched_off_or_on_are_what_the_next_text_does) {
    auto ewa = askd.add_resident("Ewa Głucha", "+48 600 555 140", "deaf");
    auto anna = dashboard("anna");
    auto id = id_of(press(ewa, "normal", "Proszę o SMS").json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    ASSERT_TRUE(wait_texts("140", 1)) << askd.log();
    auto ewas_id = resident_id("Ewa Głucha");

    ASSERT_EQ(askd_command({"resident", "edit", "--id", ewas_id, "--phone", "+48 600 555 141"}).exit_code, 0);
    ASSERT_TRUE(card_update(*anna, id, [](const auto& a) {
        return a.at("resident").at("phone") == "+48600555141";
    })) << askd.log();
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; }));
    ASSERT_TRUE(wait_texts("141", 1)) << "the new number is not texted\n" << askd.log();
    EXPECT_NE(texts_to("141")[0].find("Anna z urzędu"), std::string::npos) << texts_to("141")[0];
    EXPECT_EQ(texts_to("140").size(), 1u) << "the old number was texted again";

    auto off = askd_command({"resident", "edit", "--id", ewas_id, "--sms", "off"});
    ASSERT_EQ(off.exit_code, 0) << off.err;
    wait_for_the_start_jobs();
    anna->send(boost::json::object{{"type", "contacted"}, {"id", id}, {"ref", "called"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "called"; }));
    ASSERT_TRUE(eventually(
        [&] {
            return !db_probe(askd.db_path())
                        .rows("SELECT 1 FROM request_events WHERE kind = 'resident_sms' AND request_id = " +
                              std::to_string(id) + " AND json_extract(detail, '$.not_sent') = 'opted_out'")
                        .empty();
        },
        shows_within))
        << "the text not sent is not recorded\n"
        << askd.log();
    EXPECT_EQ(texts_to("141").size(), 1u) << "texted while texts were off";

    auto on = askd_command({"resident", "edit", "--id", ewas_id, "--sms", "on"});
    ASSERT_EQ(on.exit_code, 0) << on.err;
    EXPECT_NE(on.err.find("texts to them start again"), std::string::npos) << on.err;
    wait_for_the_start_jobs();
    anna->send(
        boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}, {"ref", "done"}});
    ASSERT_TRUE(anna->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "done"; }));
    ASSERT_TRUE(wait_texts("141", 2)) << "texts switched on again do not reach her\n" << askd.log();
    EXPECT_NE(texts_to("141")[1].find("zakończona"), std::string::npos) << texts_to("141")[1];
}

TEST_F(account_edits,
       a_staff_members_new_name_reaches_cards_and_residents_and_a_new_role_reopens_dashboards) {
    auto anna = dashboard("anna");
    auto bob = dashboard("bob");
    auto page = resident_socket(maria);
    auto id = id_of(press(maria, "normal", "Proszę o telefon").json());
    ASSERT_TRUE(anna->next_of("alert", 2s));
    bob->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(bob->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; }));
    wait_for_the_start_jobs();

    auto renamed = askd_command({"staff", "edit", "--username", "bob", "--name", "Robert"});
    ASSERT_EQ(renamed.exit_code, 0) << renamed.err;
    EXPECT_TRUE(
        card_update(*anna, id, [](const auto& a) { return a.at("acknowledged_by").at("name") == "Robert"; }))
        << "Anna's card still names Bob\n"
        << askd.log();
    EXPECT_TRUE(page->next_of(
        "status", shows_within,
        [](const auto& m) { return str(m.at("text").at("pl")).starts_with("Robert z urzędu"); }))
        << "Maria is still told Bob has her request\n"
        << askd.log();
    EXPECT_FALSE(bob->wait_closed(500ms)) << "a new name signed Bob out";

    auto bob_token = login(port(), "bob", staff_password);
    EXPECT_EQ(http_get(port(), "/api/v1/duty", bob_token).status, 403) << "staff see the duty roster";
    auto promoted = askd_command({"staff", "edit", "--username", "bob", "--role", "coordinator"});
    ASSERT_EQ(promoted.exit_code, 0) << promoted.err;
    EXPECT_NE(promoted.out.find("every sign-in of theirs ended"), std::string::npos) << promoted.out;
    ASSERT_TRUE(bob->wait_closed(shows_within)) << "Bob's dashboard keeps the old role\n" << askd.log();
    EXPECT_EQ(bob->close_code(), signed_out);
    EXPECT_EQ(http_get(port(), "/api/v1/duty", bob_token).status, 401) << "a sign-in from before the role";
    auto again = dashboard("bob");
    EXPECT_EQ(str(last_snapshot.at("me").at("role")), "coordinator");
    EXPECT_EQ(http_get(port(), "/api/v1/duty", login(port(), "bob", staff_password)).status, 200);
    EXPECT_FALSE(anna->wait_closed(500ms)) << "Anna's dashboard was closed too";

    // The same role again, with a new name, changes the name and ends nothing. The upkeep pass that
    // updates the card has checked the sign-ins first (application::upkeep_loop).
    auto same =
        askd_command({"staff", "edit", "--username", "bob", "--role", "coordinator", "--name", "Rob"});
    ASSERT_EQ(same.exit_code, 0) << same.err;
    EXPECT_EQ(same.out.find("sign-in"), std::string::npos) << same.out;
    ASSERT_TRUE(card_update(*anna, id, [](const auto& a) {
        return a.at("acknowledged_by").at("name") == "Rob";
    })) << askd.log();
    EXPECT_FALSE(again->wait_closed(500ms)) << "the same role signed Bob out";
}

TEST_F(account_edits, a_number_texted_in_is_registered_by_naming_it) {
    change_the_file(askd.db_path(),
                    "INSERT INTO residents (office_id, name, phone, token_hash, created_at, unknown_sender) "
                    "SELECT id, 'Nieznany numer +48511222333', '+48511222333', 'unknown-sender:x', 0, 1 "
                    "FROM offices LIMIT 1");
    auto id = resident_id("Nieznany numer +48511222333");
    auto r =
        askd_command({"resident", "edit", "--id", id, "--name", "Helena Nowak", "--needs", "wheelchair"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    EXPECT_NE(r.out.find("registered"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("askd resident token --id " + id), std::string::npos) << r.out;
    EXPECT_EQ(
        db_probe(askd.db_path()).rows("SELECT name, unknown_sender, needs FROM residents WHERE id = " + id),
        (rows{{"Helena Nowak", "0", "wheelchair"}}));

    // Details for a placeholder need a name: without one they would be deleted with its last request, and a
    // new number would sit beside "Nieznany numer" and the old one. Its texts may be switched off alone.
    change_the_file(askd.db_path(),
                    "INSERT INTO residents (office_id, name, phone, token_hash, created_at, unknown_sender) "
                    "SELECT id, 'Nieznany numer +48511222444', '+48511222444', 'unknown-sender:y', 0, 1 "
                    "FROM offices LIMIT 1");
    auto other = resident_id("Nieznany numer +48511222444");
    for (const auto& option : {"--address", "--phone", "--needs"}) {
        auto refused = askd_command({"resident", "edit", "--id", other, option, "600 111 222"});
        EXPECT_EQ(refused.exit_code, 2) << option;
        EXPECT_NE(refused.err.find("give --name as well"), std::string::npos) << refused.err;
    }
    ASSERT_EQ(askd_command({"resident", "edit", "--id", other, "--sms", "off"}).exit_code, 0);
    EXPECT_EQ(
        db_probe(askd.db_path())
            .rows("SELECT unknown_sender, address, phone, needs, sms_opt_out FROM residents WHERE id = " +
                  other),
        (rows{{"1", "", "+48511222444", "", "1"}}));
}

// A number is a staff member's or residents': a text from a staff member's number is read as their reply,
// so a resident sharing it could not ask for help by text. Both commands, and both adds, refuse to mix them.
TEST_F(account_edits, a_staff_members_number_is_never_a_residents_too) {
    ASSERT_EQ(askd_command({"staff", "edit", "--username", "anna", "--phone", "600 700 800"}).exit_code, 0);
    auto before = db_probe(askd.db_path()).rows("SELECT * FROM residents ORDER BY id");
    auto staff_before = db_probe(askd.db_path()).rows("SELECT * FROM staff ORDER BY id");

    auto resident =
        askd_command({"resident", "edit", "--id", resident_id("Jan Kowalski"), "--phone", "600700800"});
    EXPECT_EQ(resident.exit_code, 2);
    EXPECT_NE(resident.err.find("+48600700800 is the phone of staff member anna"), std::string::npos)
        << resident.err;
    auto added = askd_command({"resident", "add", "--name", "Ola", "--phone", "+48 600 700 800"});
    EXPECT_EQ(added.exit_code, 2) << added.out;
    EXPECT_NE(added.err.find("+48600700800 is the phone of staff member anna"), std::string::npos)
        << added.err;
    auto staff = askd_command({"staff", "edit", "--username", "bob", "--phone", "600 300 400"});
    EXPECT_EQ(staff.exit_code, 2);
    EXPECT_NE(
        staff.err.find("is the phone of resident " + resident_id("Maria Wiśniewska") + " (Maria Wiśniewska)"),
        std::string::npos)
        << staff.err;
    auto new_staff =
        askd_command({"staff", "add", "--username", "ela", "--name", "Ela", "--phone", "600 100 200"},
                     "a long enough password\n");
    EXPECT_EQ(new_staff.exit_code, 2) << new_staff.out;
    EXPECT_NE(new_staff.err.find("+48600100200 is the phone of resident " + resident_id("Jan Kowalski")),
              std::string::npos)
        << new_staff.err;
    // A number that texted in from a staff member's phone is not registered as a resident's with it.
    change_the_file(askd.db_path(),
                    "INSERT INTO residents (office_id, name, phone, token_hash, created_at, unknown_sender) "
                    "SELECT id, 'Nieznany numer +48600700800', '+48600700800', 'unknown-sender:z', 0, 1 "
                    "FROM offices LIMIT 1");
    auto placeholder = resident_id("Nieznany numer +48600700800");
    auto registered = askd_command({"resident", "edit", "--id", placeholder, "--name", "Ola"});
    EXPECT_EQ(registered.exit_code, 2);
    EXPECT_NE(
        registered.err.find("resident " + placeholder + ": +48600700800 is the phone of staff member anna"),
        std::string::npos)
        << registered.err;
    change_the_file(askd.db_path(), "DELETE FROM residents WHERE id = " + placeholder);
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT * FROM residents ORDER BY id"), before);
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT * FROM staff ORDER BY id"), staff_before);

    // A disabled account's number too: they may be enabled. Enabling one whose number texted in meanwhile
    // (a placeholder made from it) says the two now share it.
    ASSERT_EQ(askd_command({"staff", "disable", "--username", "anna"}).exit_code, 0);
    auto of_disabled =
        askd_command({"resident", "edit", "--id", resident_id("Jan Kowalski"), "--phone", "600700800"});
    EXPECT_EQ(of_disabled.exit_code, 2);
    EXPECT_NE(of_disabled.err.find("staff member anna (disabled"), std::string::npos) << of_disabled.err;
    change_the_file(askd.db_path(),
                    "INSERT INTO residents (office_id, name, phone, token_hash, created_at, unknown_sender) "
                    "SELECT id, 'Nieznany numer +48600700800', '+48600700800', 'unknown-sender:z', 0, 1 "
                    "FROM offices LIMIT 1");
    auto enabled = askd_command({"staff", "enable", "--username", "anna"});
    ASSERT_EQ(enabled.exit_code, 0) << enabled.err;
    EXPECT_NE(enabled.err.find("their phone is also that of resident " +
                               resident_id("Nieznany numer +48600700800") + " (Nieznany numer +48600700800)"),
              std::string::npos)
        << enabled.err;

    // The office's after-hours phone, when it was this member's, is said to need changing too.
    ASSERT_EQ(askd_command({"staff", "edit", "--username", "bob", "--phone", "600 999 999"}).exit_code, 0);
    auto moved = askd_command({"staff", "edit", "--username", "bob", "--phone", "600 999 998"});
    ASSERT_EQ(moved.exit_code, 0) << moved.err;
    EXPECT_NE(moved.err.find("+48600999999 is still the after-hours phone of office demo"), std::string::npos)
        << moved.err;
}

TEST_F(account_edits, wrong_or_missing_values_change_nothing_and_say_which) {
    auto jans = resident_id("Jan Kowalski");
    auto before = db_probe(askd.db_path()).rows("SELECT * FROM residents ORDER BY id");
    auto staff_before = db_probe(askd.db_path()).rows("SELECT * FROM staff ORDER BY id");

    auto nothing = askd_command({"resident", "edit", "--id", jans});
    EXPECT_EQ(nothing.exit_code, 2);
    EXPECT_NE(nothing.err.find("give at least one of"), std::string::npos) << nothing.err;
    auto phone = askd_command({"resident", "edit", "--id", jans, "--name", "Jan K.", "--phone", "call me"});
    EXPECT_EQ(phone.exit_code, 2);
    EXPECT_NE(phone.err.find("--phone"), std::string::npos) << phone.err;
    EXPECT_EQ(askd_command({"resident", "edit", "--id", jans, "--sms", "maybe"}).exit_code, 2);
    EXPECT_EQ(askd_command({"resident", "edit", "--id", jans, "--name", ""}).exit_code, 2);
    auto nobody = askd_command({"resident", "edit", "--id", "999", "--name", "X"});
    EXPECT_EQ(nobody.exit_code, 1);
    EXPECT_NE(nobody.err.find("no resident with id 999"), std::string::npos) << nobody.err;

    EXPECT_EQ(askd_command({"staff", "edit", "--username", "bob"}).exit_code, 2);
    auto role = askd_command({"staff", "edit", "--username", "bob", "--role", "boss"});
    EXPECT_EQ(role.exit_code, 2);
    EXPECT_NE(role.err.find("--role"), std::string::npos) << role.err;
    auto no_staff = askd_command({"staff", "edit", "--username", "nobody", "--name", "X"});
    EXPECT_EQ(no_staff.exit_code, 1);
    EXPECT_NE(no_staff.err.find("no staff account named 'nobody'"), std::string::npos) << no_staff.err;

    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT * FROM residents ORDER BY id"), before);
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT * FROM staff ORDER BY id"), staff_before);

    // A number given to a second person is allowed (a household's phone), with a word on whom texts reach.
    auto shared =
        askd_command({"resident", "edit", "--id", resident_id("Maria Wiśniewska"), "--phone", "600 100 200"});
    ASSERT_EQ(shared.exit_code, 0) << shared.err;
    EXPECT_NE(shared.err.find("also the number of resident " + jans + " (Jan Kowalski)"), std::string::npos)
        << shared.err;
    EXPECT_NE(shared.err.find("makes a request for resident " + jans), std::string::npos) << shared.err;
    auto removed = askd_command({"resident", "edit", "--id", jans, "--phone", "", "--needs", ""});
    ASSERT_EQ(removed.exit_code, 0) << removed.err;
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT phone, needs FROM residents WHERE id = " + jans),
              (rows{{"", ""}}));

    ASSERT_EQ(askd_command({"staff", "edit", "--username", "anna", "--phone", "600 700 800"}).exit_code, 0);
    auto twice = askd_command({"staff", "edit", "--username", "bob", "--phone", "+48600700800"});
    ASSERT_EQ(twice.exit_code, 0) << twice.err;
    EXPECT_NE(twice.err.find("also the number of anna; a reply texted from it is taken as anna's"),
              std::string::npos)
        << twice.err;
}

} // namespace
} // namespace ask::test
