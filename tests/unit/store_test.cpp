// The SQLite store on a real file: durability settings, migrations, accounts, the request
// lifecycle and its append-only log, and storage failures reported as such.
#include "server/store/account_changes.hpp"
#include "server/store/accounts.hpp"
#include "server/store/database.hpp"
#include "server/store/error.hpp"
#include "server/store/migrations.hpp"
#include "server/store/replies.hpp"
#include "server/store/requests.hpp"
#include "server/store/resident_views.hpp"
#include "server/store/retention.hpp"
#include "server/store/sign_in_check.hpp"
#include "server/store/sms_parts.hpp"
#include "server/store/staff_texts.hpp"
#include "tests/support/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ask::store {
namespace {

using protocol::priority;
using protocol::request_state;

// The ladder rule of a press into a waiting request, for tests that are not about it: start again.
const keeps_ladder_fn restarts = [](const request_record&) { return false; };

class store_test : public ::testing::Test {
protected:
    void SetUp() override {
        db = std::make_unique<database>(open());
        ASSERT_TRUE(migrate(*db));
        office = upsert_office(*db, "demo", "Urząd", "Europe/Warsaw").value();
        other_office = upsert_office(*db, "inna", "Inny urząd", "Europe/Warsaw").value();
        anna = staff(office, "anna", "Anna");
        bob = staff(office, "bob", "Bob");
        eve = staff(other_office, "eve", "Eve");
        jan = resident(office, "Jan", "hash-jan");
        maria = resident(office, "Maria", "hash-maria");
    }

    database open() {
        auto r = database::open((dir.path() / "ask.db").string());
        EXPECT_TRUE(r) << r.error().message();
        return std::move(*r);
    }
    std::int64_t staff(std::int64_t office_id, const std::string& username, const std::string& name) {
        staff_record s;
        s.office_id = office_id;
        s.username = username;
        s.display_name = name;
        return add_staff(*db, s, "$argon2id$fake", 1).value();
    }
    std::int64_t resident(std::int64_t office_id, const std::string& name, const std::string& token_hash) {
        resident_record r;
        r.office_id = office_id;
        r.name = name;
        r.phone = "+48600100200";
        r.needs = {"deaf", "wheelchair"};
        return add_resident(*db, r, token_hash, 1).value();
    }
    request_record press(std::int64_t who, priority level, protocol::millis at, const std::string& key = "",
                         const std::string& message = "") {
        new_request_record n;
        n.office_id = office;
        n.resident_id = who;
        n.level = level;
        n.client_request_id = key;
        n.message = message;
        auto r = submit_request(*db, n, at, restarts);
        EXPECT_TRUE(r);
        return r->request;
    }
    std::string pragma(const std::string& name) {
        auto s = db->prepare("PRAGMA " + name).value();
        EXPECT_TRUE(s.step().value());
        return s.column_text(0);
    }

    test::temp_dir dir;
    std::unique_ptr<database> db;
    std::int64_t office = 0, other_office = 0, anna = 0, bob = 0, eve = 0, jan = 0, maria = 0;
};

TEST_F(store_test, durability_settings_are_in_effect) {
    EXPECT_EQ(pragma("journal_mode"), "wal");
    EXPECT_EQ(pragma("synchronous"), "2"); // FULL
    EXPECT_EQ(pragma("foreign_keys"), "1");
    EXPECT_EQ(pragma("user_version"), std::to_string(schema_version()));
}

TEST_F(store_test, migrations_are_idempotent_and_refuse_a_newer_schema) {
    EXPECT_TRUE(migrate(*db));
    ASSERT_TRUE(db->exec("PRAGMA user_version = " + std::to_string(schema_version() + 1)));
    auto r = migrate(*db);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), errc::conflict);
}

TEST_F(store_test, accounts_sessions_and_residents) {
    staff_record dup;
    dup.office_id = office;
    dup.username = "anna";
    dup.display_name = "Other";
    auto taken = add_staff(*db, dup, "x", 1);
    ASSERT_FALSE(taken);
    EXPECT_EQ(taken.error(), errc::constraint);

    auto creds = find_staff_by_username(*db, "anna").value();
    ASSERT_TRUE(creds);
    EXPECT_EQ(creds->staff.display_name, "Anna");
    EXPECT_EQ(creds->password_hash, "$argon2id$fake");
    EXPECT_FALSE(find_staff_by_username(*db, "nobody").value());

    ASSERT_TRUE(create_session(*db, "h1", anna, 100, 200));
    EXPECT_EQ(staff_by_session(*db, "h1", 150).value()->id, anna);
    EXPECT_FALSE(staff_by_session(*db, "h1", 200).value()) << "expired";
    EXPECT_FALSE(staff_by_session(*db, "h2", 150).value());
    EXPECT_EQ(delete_expired_sessions(*db, 201).value(), 1);

    ASSERT_TRUE(set_duty(*db, anna, true));
    EXPECT_TRUE(find_staff(*db, anna).value()->on_duty);

    auto r = resident_by_token(*db, "hash-jan").value();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->name, "Jan");
    EXPECT_EQ(r->needs, (std::vector<std::string>{"deaf", "wheelchair"}));
    ASSERT_TRUE(set_resident_token(*db, jan, "hash-new"));
    EXPECT_FALSE(resident_by_token(*db, "hash-jan").value());
    EXPECT_EQ(resident_by_phone(*db, "+48600100200").value()->id, jan) << "the oldest with that number";
}

// Someone who has left: no session, no duty, not reached by escalation, their texts no staff reply; the
// row stays for the histories that name them, and enabling them again lets them sign in, off duty.
TEST_F(store_test, a_disabled_staff_member_cannot_sign_in_be_alerted_or_reply) {
    ASSERT_TRUE(db->exec("UPDATE staff SET phone = '+48600900900' WHERE id = " + std::to_string(bob)));
    ASSERT_TRUE(create_session(*db, "bob-1", bob, 100, 1000));
    ASSERT_TRUE(create_session(*db, "anna-1", anna, 100, 1000));
    ASSERT_TRUE(set_duty(*db, bob, true));

    auto disabled = disable_staff(*db, "bob", 150).value();
    EXPECT_EQ(disabled.id, bob);
    EXPECT_TRUE(disabled.disabled);
    EXPECT_FALSE(staff_by_session(*db, "bob-1", 160).value());
    EXPECT_EQ(staff_by_session(*db, "anna-1", 160).value()->id, anna) << "someone else's session ended";
    auto access = staff_access_of(*db, {anna, bob, 999}).value();
    ASSERT_EQ(access.size(), 2u) << "an id with no account is left out";
    EXPECT_EQ(access[0].staff_id, anna);
    EXPECT_FALSE(access[0].disabled);
    EXPECT_EQ(access[0].sign_ins_ended, 0);
    EXPECT_EQ(access[1].staff_id, bob);
    EXPECT_TRUE(access[1].disabled);
    EXPECT_EQ(access[1].sign_ins_ended, 1);
    EXPECT_EQ(disabled.sign_ins_ended, 1);
    auto office_staff = staff_of_office(*db, office).value();
    ASSERT_EQ(office_staff.size(), 1u);
    EXPECT_EQ(office_staff[0].id, anna) << "escalation would still text Bob";
    EXPECT_FALSE(staff_by_phone(*db, "+48600900900").value()) << "Bob's texts would still be staff replies";
    auto found = find_staff(*db, bob).value();
    ASSERT_TRUE(found);
    EXPECT_FALSE(found->on_duty);
    EXPECT_EQ(set_duty(*db, bob, true).error(), errc::account_disabled)
        << "a dashboard not closed yet went on duty";
    EXPECT_EQ(set_duty(*db, 999'999, true).error(), errc::not_found);
    EXPECT_TRUE(find_staff_by_username(*db, "bob").value()->staff.disabled) << "login must tell it apart";
    ASSERT_TRUE(create_session(*db, "bob-2", bob, 170, 1000));
    EXPECT_FALSE(staff_by_session(*db, "bob-2", 180).value()) << "a session of a disabled account signs in";

    auto enabled = enable_staff(*db, "bob").value();
    EXPECT_FALSE(enabled.disabled);
    EXPECT_FALSE(find_staff(*db, bob).value()->on_duty);
    EXPECT_EQ(staff_of_office(*db, office).value().size(), 2u);
    EXPECT_EQ(staff_by_phone(*db, "+48600900900").value()->id, bob);
    EXPECT_TRUE(set_duty(*db, bob, true));
    ASSERT_TRUE(set_duty(*db, anna, true));
    EXPECT_TRUE(enable_staff(*db, "anna").value().on_duty)
        << "enabling someone not disabled took them off duty";
    EXPECT_TRUE(find_staff(*db, anna).value()->on_duty);
    EXPECT_EQ(disable_staff(*db, "nobody", 1).error(), errc::not_found);
    EXPECT_EQ(enable_staff(*db, "nobody").error(), errc::not_found);
}

// Someone disabled acts on no request, also from a dashboard not closed yet; what they had taken goes
// back to the queue, by the system, ringing where anyone is reachable.
TEST_F(store_test, a_disabled_staff_member_acts_on_nothing_and_what_they_held_is_given_back) {
    auto taken = press(jan, priority::urgent, 100);
    auto contacted = press(maria, priority::normal, 101);
    ASSERT_TRUE(acknowledge(*db, taken.view.id, bob, 102));
    ASSERT_TRUE(acknowledge(*db, contacted.view.id, bob, 103));
    ASSERT_TRUE(mark_contacted(*db, contacted.view.id, bob, "", 104));
    auto waiting = press(resident(office, "Ola", "hash-ola"), priority::normal, 105);
    ASSERT_TRUE(disable_staff(*db, "bob", 110));

    // Told why (account_disabled), whatever the request: one that does not exist too.
    EXPECT_EQ(acknowledge(*db, waiting.view.id, bob, 111).error(), errc::account_disabled);
    EXPECT_EQ(resolve(*db, taken.view.id, bob, protocol::outcome::called_back, "", 111).error(),
              errc::account_disabled);
    EXPECT_EQ(add_note(*db, taken.view.id, bob, "x", 111).error(), errc::account_disabled);
    EXPECT_EQ(mark_contacted(*db, taken.view.id, bob, "", 111).error(), errc::account_disabled);
    EXPECT_EQ(release(*db, taken.view.id, bob, true, 111).error(), errc::account_disabled);
    EXPECT_EQ(acknowledge(*db, 999'999, bob, 111).error(), errc::account_disabled);
    EXPECT_EQ(office_of_staff(*db, bob).error(), errc::account_disabled);
    EXPECT_EQ(office_of_staff(*db, anna).value(), office);
    EXPECT_FALSE(office_of_staff(*db, 999'999).value()) << "an unknown id is no office, not an error";
    EXPECT_FALSE(find_request(*db, waiting.view.id).value()->view.acknowledged_by)
        << "taken by a disabled account";

    auto given = release_held_by_disabled(*db, {{office, 1}}, 120).value();
    ASSERT_EQ(given.size(), 2u);
    for (const auto& r : given) {
        EXPECT_EQ(r.view.state, request_state::notifying) << r.view.id;
        EXPECT_FALSE(r.view.acknowledged_by) << r.view.id;
        auto events = request_events(*db, r.view.id).value();
        ASSERT_FALSE(events.empty());
        EXPECT_EQ(events.back().kind, "released");
        EXPECT_EQ(events.back().actor_kind, "system");
        EXPECT_EQ(boost::json::parse(events.back().detail_json).at("reason"), "account_disabled");
        EXPECT_EQ(boost::json::parse(events.back().detail_json).at("held_by"), bob);
    }
    EXPECT_TRUE(release_held_by_disabled(*db, {}, 130).value().empty()) << "given back twice";
    ASSERT_TRUE(acknowledge(*db, taken.view.id, anna, 131));
    ASSERT_TRUE(enable_staff(*db, "bob"));
    auto anna_holds = find_request(*db, taken.view.id).value();
    ASSERT_TRUE(anna_holds->view.acknowledged_by);
    EXPECT_EQ(anna_holds->view.acknowledged_by->id, anna);
}

TEST_F(store_test, a_new_password_ends_the_accounts_sign_ins_and_lists_what_they_hold) {
    ASSERT_TRUE(create_session(*db, "anna-1", anna, 100, 1000));
    ASSERT_TRUE(create_session(*db, "bob-1", bob, 100, 1000));
    EXPECT_EQ(replace_staff_password(*db, "anna", "$argon2id$new").value().id, anna);
    EXPECT_EQ(find_staff_by_username(*db, "anna").value()->password_hash, "$argon2id$new");
    EXPECT_FALSE(staff_by_session(*db, "anna-1", 160).value());
    EXPECT_EQ(staff_by_session(*db, "bob-1", 160).value()->id, bob);
    auto access = staff_access_of(*db, {anna}).value();
    ASSERT_EQ(access.size(), 1u);
    EXPECT_FALSE(access[0].disabled);
    EXPECT_EQ(access[0].sign_ins_ended, 1);
    ASSERT_TRUE(create_session(*db, "anna-2", anna, 170, 1000));
    EXPECT_EQ(staff_by_session(*db, "anna-2", 180).value()->sign_ins_ended, 1)
        << "a sign-in after the change is read with the count it must match";
    ASSERT_TRUE(replace_staff_password(*db, "anna", "$argon2id$newer"));
    EXPECT_EQ(staff_access_of(*db, {anna}).value().at(0).sign_ins_ended, 2);
    EXPECT_EQ(replace_staff_password(*db, "nobody", "x").error(), errc::not_found);

    auto taken = press(jan, priority::normal, 200);
    press(maria, priority::normal, 201); // waiting: nobody holds it
    ASSERT_TRUE(acknowledge(*db, taken.view.id, anna, 202));
    EXPECT_EQ(requests_held_by(*db, anna).value(), std::vector<std::int64_t>{taken.view.id});
    EXPECT_TRUE(requests_held_by(*db, bob).value().empty());
    ASSERT_TRUE(resolve(*db, taken.view.id, anna, protocol::outcome::called_back, "", 203));
    EXPECT_TRUE(requests_held_by(*db, anna).value().empty()) << "a closed request is held";
}

// The right to erasure: never while a request is open; then the resident goes with their requests, the
// requests' histories and the record of cards shown, and nobody else's.
TEST_F(store_test, a_resident_is_removed_with_what_is_kept_about_them_once_nothing_is_open) {
    auto open = press(jan, priority::normal, 10);
    auto marias = press(maria, priority::normal, 11);
    ASSERT_TRUE(record_views(*db, {{anna, jan, 12}, {anna, maria, 12}}));
    // Both texted in parts, one missing: the parts are kept for a late one.
    for (auto [request, sender] :
         {std::pair{open.view.id, "+48600100200"}, std::pair{marias.view.id, "+48600100300"}})
        ASSERT_TRUE(keep_incomplete_text(*db, {{"vonage", sender, "r", 1, 2, sender, "", "Proszę ", 12}},
                                         request, 12));
    EXPECT_EQ(remove_resident(*db, jan).error(), errc::conflict);
    EXPECT_TRUE(find_resident(*db, jan).value()) << "removed with a request open";

    ASSERT_TRUE(acknowledge(*db, open.view.id, anna, 13));
    ASSERT_TRUE(resolve(*db, open.view.id, anna, protocol::outcome::called_back, "", 14));
    EXPECT_EQ(cancel(*db, press(jan, priority::urgent, 15).view.id, jan, 16).value().view.state,
              request_state::cancelled);
    EXPECT_EQ(remove_resident(*db, jan).value().requests, 2);
    EXPECT_FALSE(find_resident(*db, jan).value());
    EXPECT_TRUE(requests_of_resident(*db, jan).value().empty());
    EXPECT_TRUE(views_of_resident(*db, jan).value().empty());
    EXPECT_EQ(lapsed_resident_tokens(*db, {"hash-jan", "hash-maria"}).value(),
              std::vector<std::string>{"hash-jan"});
    auto left = db->prepare("SELECT count(*) FROM request_events WHERE request_id <> ?1").value();
    left.bind(1, marias.view.id);
    ASSERT_TRUE(left.step().value());
    EXPECT_EQ(left.column_int(0), 0) << "a history of Jan's requests is left";
    auto parts = db->prepare("SELECT sender FROM incomplete_text_parts").value();
    ASSERT_TRUE(parts.step().value());
    EXPECT_EQ(parts.column_text(0), "+48600100300") << "only Maria's kept part is left";
    EXPECT_FALSE(parts.step().value());

    EXPECT_EQ(requests_of_resident(*db, maria).value().size(), 1u);
    EXPECT_EQ(views_of_resident(*db, maria).value().size(), 1u);
    EXPECT_EQ(remove_resident(*db, jan).error(), errc::not_found);
}

// What a serving askd watches to notice a command's change: another connection's commit moves it,
// its own does not.
TEST_F(store_test, data_version_moves_with_another_connections_commit_only) {
    auto before = data_version(*db).value();
    ASSERT_TRUE(set_duty(*db, anna, true));
    EXPECT_EQ(data_version(*db).value(), before) << "moved by its own commit";
    auto other = open();
    ASSERT_TRUE(set_duty(other, bob, true));
    EXPECT_NE(data_version(*db).value(), before) << "another connection's commit not seen";
}

// Texts seen before a cutoff are forgotten, by when they arrived: a later one, of the same provider
// or another, is still recognised as seen.
TEST_F(store_test, texts_seen_before_a_cutoff_are_forgotten) {
    ASSERT_TRUE(mark_inbound(*db, "smsgate", "old", 100));
    ASSERT_TRUE(mark_inbound(*db, "vonage", "old", 199));
    ASSERT_TRUE(mark_inbound(*db, "smsgate", "new", 200));
    EXPECT_EQ(forget_inbound_before(*db, 200).value(), 2);
    EXPECT_FALSE(inbound_seen(*db, "smsgate", "old").value());
    EXPECT_FALSE(inbound_seen(*db, "vonage", "old").value());
    EXPECT_TRUE(inbound_seen(*db, "smsgate", "new").value());
    EXPECT_EQ(forget_inbound_before(*db, 200).value(), 0);
}

TEST_F(store_test, a_repeated_request_id_returns_the_first_request) {
    auto first = press(jan, priority::urgent, 10, "k1", "Pomocy");
    new_request_record again;
    again.office_id = office;
    again.resident_id = jan;
    again.level = priority::urgent;
    again.client_request_id = "k1";
    again.message = "Pomocy";
    auto repeat = submit_request(*db, again, 20, restarts).value();
    EXPECT_FALSE(repeat.created);
    EXPECT_EQ(repeat.request.view.id, first.view.id);

    again.message = "Inna treść";
    auto conflict = submit_request(*db, again, 30, restarts);
    ASSERT_FALSE(conflict);
    EXPECT_EQ(conflict.error(), errc::conflict);

    EXPECT_NE(press(maria, priority::urgent, 40, "k1", "Pomocy").view.id, first.view.id);
}

TEST_F(store_test, a_press_while_a_request_is_open_is_merged_into_it_as_urgent) {
    auto first = press(jan, priority::normal, 10, "k1", "Proszę o telefon");
    new_request_record again;
    again.office_id = office;
    again.resident_id = jan;
    again.level = priority::normal;
    again.client_request_id = "k2";
    again.message = "Dalej czekam";
    auto merged = submit_request(*db, again, 5000, restarts).value();
    EXPECT_FALSE(merged.created);
    EXPECT_TRUE(merged.merged);
    EXPECT_EQ(merged.request.view.id, first.view.id);
    EXPECT_EQ(merged.request.view.level, priority::urgent) << "a repeated press means it is urgent now";
    EXPECT_EQ(merged.request.view.repeat_count, 1);
    EXPECT_EQ(merged.request.ladder_started_at, 5000) << "the ladder restarts";

    auto retry = submit_request(*db, again, 6000, restarts).value();
    EXPECT_FALSE(retry.merged) << "a retry of the merged press is not another repeat";
    EXPECT_EQ(retry.request.view.id, first.view.id);
    EXPECT_EQ(retry.request.view.repeat_count, 1);

    auto events = request_events(*db, first.view.id).value();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, "repeated");

    auto other = press(maria, priority::normal, 7000);
    EXPECT_NE(other.view.id, first.view.id) << "another resident's press is their own request";
}

// A waiting request whose ladder goes on (engine::keeps_ladder_on_repeat, asked about the request
// as it was before the press) keeps its position: the press does not put the next step off.
TEST_F(store_test, a_press_into_a_waiting_request_whose_ladder_goes_on_keeps_its_position) {
    auto first = press(jan, priority::urgent, 10);
    ASSERT_TRUE(db->exec("UPDATE requests SET ladder_started_at = 10, ladder_cycle = 1, ladder_next_step = 2"));
    new_request_record again;
    again.office_id = office;
    again.resident_id = jan;
    again.level = priority::normal;
    std::optional<request_record> asked;
    auto merged = submit_request(*db, again, 5000, [&](const request_record& open) {
                      asked = open;
                      return true;
                  }).value();
    ASSERT_TRUE(merged.merged);
    ASSERT_TRUE(asked);
    EXPECT_EQ(asked->view.repeat_count, 0) << "asked about the request before the press";
    EXPECT_EQ(merged.request.view.repeat_count, 1);
    EXPECT_EQ(merged.request.ladder_started_at, 10);
    EXPECT_EQ(merged.request.ladder_cycle, 1);
    EXPECT_EQ(merged.request.ladder_next_step, 2);
    auto events = request_events(*db, first.view.id).value();
    ASSERT_EQ(events.back().kind, "repeated");
    EXPECT_NE(events.back().detail_json.find(R"("ladder_restarted":false)"), std::string::npos)
        << events.back().detail_json;

    auto restarted = submit_request(*db, again, 9000, restarts).value();
    EXPECT_EQ(restarted.request.ladder_started_at, 9000);
    EXPECT_EQ(restarted.request.ladder_cycle, 0);
    EXPECT_EQ(restarted.request.ladder_next_step, 0);
}

// A press never puts off a taken request's ack-timeout follow-ups, and keeps its ladder position; the
// coordinators' overdue alerts, which repeat, go on at their time; after a contact they count again
// from the press.
TEST_F(store_test, a_press_into_a_taken_request_puts_no_follow_up_off) {
    auto r = press(jan, priority::normal, 10);
    ASSERT_TRUE(acknowledge(*db, r.view.id, anna, 20));
    ASSERT_TRUE(advance_ladder(*db, r.view.id, 20, 0, 2, 1, {}, 700)); // reminded once; step 2 next by hand
    auto pending = press(jan, priority::normal, 900);
    EXPECT_EQ(pending.view.state, request_state::acknowledged);
    EXPECT_EQ(pending.ladder_started_at, 20) << "the coordinators' follow-up would come later";
    EXPECT_EQ(pending.ack_reminders, 1);
    EXPECT_EQ(pending.ladder_next_step, 2) << "manual escalation would start over";

    ASSERT_TRUE(advance_ladder(*db, r.view.id, 20, 0, 2, 2, {}, 1000)); // the coordinators alerted once
    auto overdue = press(jan, priority::normal, 1100);
    EXPECT_EQ(overdue.ladder_started_at, 20) << "their next overdue alert would come later";
    EXPECT_EQ(overdue.ack_reminders, 2);
    EXPECT_EQ(overdue.ladder_next_step, 2);

    ASSERT_TRUE(mark_contacted(*db, r.view.id, anna, "", 1200));
    auto again = press(jan, priority::normal, 1300);
    EXPECT_EQ(again.view.state, request_state::acknowledged) << "to be contacted again";
    EXPECT_EQ(again.ladder_started_at, 1300);
    EXPECT_EQ(again.contacted_at, 1200) << "the first contact stays for the statistics";
    ASSERT_TRUE(mark_contacted(*db, r.view.id, anna, "", 1400));
    EXPECT_EQ(find_request(*db, r.view.id).value()->contacted_at, 1200);
}

TEST_F(store_test, open_requests_come_in_queue_order) {
    auto piotr = resident(office, "Piotr", "hash-piotr");
    auto ewa = resident(office, "Ewa", "hash-ewa");
    auto old_normal = press(piotr, priority::normal, 100);
    auto new_urgent = press(maria, priority::urgent, 300);
    auto old_urgent = press(jan, priority::urgent, 200);
    auto newest_normal = press(ewa, priority::normal, 400);
    auto open = open_requests(*db).value();
    ASSERT_EQ(open.size(), 4u);
    EXPECT_EQ(open[0].view.id, old_urgent.view.id);
    EXPECT_EQ(open[1].view.id, new_urgent.view.id);
    EXPECT_EQ(open[2].view.id, old_normal.view.id);
    EXPECT_EQ(open[3].view.id, newest_normal.view.id);
    EXPECT_EQ(open[0].view.resident.name, "Jan");
}

TEST_F(store_test, the_first_acknowledgement_wins) {
    auto r = press(jan, priority::urgent, 10);
    auto first = acknowledge(*db, r.view.id, anna, 20).value();
    EXPECT_TRUE(first.acknowledged);
    EXPECT_EQ(first.request.view.state, request_state::acknowledged);
    EXPECT_EQ(first.request.acknowledged_at, 20);
    auto second = acknowledge(*db, r.view.id, bob, 21).value();
    EXPECT_FALSE(second.acknowledged);
    ASSERT_TRUE(second.request.view.acknowledged_by);
    EXPECT_EQ(second.request.view.acknowledged_by->name, "Anna");

    auto foreign = acknowledge(*db, press(jan, priority::normal, 30).view.id, eve, 31);
    ASSERT_FALSE(foreign);
    EXPECT_EQ(foreign.error(), errc::not_found) << "staff of another office cannot see it";
    EXPECT_EQ(acknowledge(*db, 999, anna, 1).error(), errc::not_found);
}

TEST_F(store_test, resolve_needs_an_acknowledgement_and_cancel_needs_the_owner) {
    auto r = press(jan, priority::normal, 10);
    auto early = resolve(*db, r.view.id, anna, protocol::outcome::called_back, "", 11);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error(), errc::conflict);
    ASSERT_TRUE(acknowledge(*db, r.view.id, anna, 12));
    EXPECT_EQ(resolve(*db, r.view.id, bob, protocol::outcome::referred, "", 13).error(), errc::not_holder)
        << "Anna has it, and Bob is not a coordinator";
    EXPECT_EQ(release(*db, r.view.id, bob, true, 13).error(), errc::not_holder);
    EXPECT_EQ(find_request(*db, r.view.id).value()->view.acknowledged_by->id, anna);
    auto reached = mark_contacted(*db, r.view.id, bob, "Zadzwoniłem ja", 13).value();
    EXPECT_EQ(reached.view.state, request_state::contacted) << "Bob, called in to help, reached Jan";
    EXPECT_EQ(reached.view.acknowledged_by->id, anna) << "and Anna still has it";
    staff_record coordinator;
    coordinator.office_id = office;
    coordinator.username = "cecylia";
    coordinator.display_name = "Cecylia";
    coordinator.role = protocol::staff_role::coordinator;
    auto cecylia = add_staff(*db, coordinator, "$argon2id$fake", 1).value();
    auto done = resolve(*db, r.view.id, cecylia, protocol::outcome::referred, "Do OPS", 13).value();
    EXPECT_EQ(done.view.state, request_state::resolved);
    EXPECT_EQ(done.outcome, protocol::outcome::referred);
    EXPECT_EQ(done.note, "Do OPS");
    EXPECT_EQ(resolve(*db, r.view.id, anna, protocol::outcome::other, "", 14).error(), errc::not_found);

    auto mine = press(jan, priority::normal, 20);
    EXPECT_EQ(cancel(*db, mine.view.id, maria, 21).error(), errc::not_found);
    EXPECT_EQ(cancel(*db, mine.view.id, jan, 22).value().view.state, request_state::cancelled);
    EXPECT_EQ(cancel(*db, mine.view.id, jan, 23).error(), errc::not_found);
    EXPECT_TRUE(open_requests(*db).value().empty());
}

TEST_F(store_test, every_step_is_logged_in_order_and_the_log_is_append_only) {
    auto r = press(jan, priority::urgent, 10);
    ASSERT_TRUE(set_notifying(*db, r.view.id, true, 2, 11));
    EXPECT_EQ(record_notified(*db, r.view.id, 2, 12).value().view.notify_count, 1);
    ASSERT_TRUE(acknowledge(*db, r.view.id, anna, 13));
    EXPECT_EQ(set_notifying(*db, r.view.id, false, 0, 14).error(), errc::conflict) << "acknowledged is past that";
    ASSERT_TRUE(resolve(*db, r.view.id, anna, protocol::outcome::called_back, "", 15));
    auto events = request_events(*db, r.view.id).value();
    std::vector<std::string> kinds;
    for (const auto& e : events)
        kinds.push_back(e.kind);
    EXPECT_EQ(kinds, (std::vector<std::string>{"created", "notifying", "notified", "acknowledged", "resolved"}));
    EXPECT_EQ(events[0].actor->name, "Jan");
    EXPECT_EQ(events[0].actor_kind, "resident");
    EXPECT_FALSE(events[1].actor);
    EXPECT_EQ(events[3].actor->name, "Anna");
    EXPECT_EQ(events[3].at, 13);

    EXPECT_FALSE(db->exec("UPDATE request_events SET kind = 'forged'"));
    EXPECT_EQ(request_events(*db, r.view.id).value().size(), 5u);
}

// Requests closed in the same millisecond are paged by id: each once, none skipped at a page's edge.
TEST_F(store_test, closed_requests_closed_together_are_paged_each_once) {
    std::vector<std::int64_t> ids;
    for (millis at : {10, 20, 30}) {
        auto id = press(jan, priority::normal, at).view.id;
        ASSERT_TRUE(acknowledge(*db, id, anna, at + 1));
        ASSERT_TRUE(resolve(*db, id, anna, protocol::outcome::called_back, "", 100));
        ids.insert(ids.begin(), id); // the highest id first among equals
    }
    std::vector<std::int64_t> listed;
    std::optional<std::int64_t> before;
    for (int page = 0; page < 3; ++page) {
        auto got = closed_requests(*db, office, before, 2).value();
        for (const auto& c : got)
            listed.push_back(c.record.view.id);
        if (got.empty())
            break;
        before = got.back().record.view.id;
    }
    EXPECT_EQ(listed, ids);
}

// The requests whose closing text askd looks at as it starts: resolved at or after the given time, not
// cancelled ones (a resident who cancelled is not texted) nor open ones.
TEST_F(store_test, requests_resolved_since_are_the_recently_resolved_ones) {
    auto resolved_at = [&](millis at) {
        auto id = press(jan, priority::normal, at - 2).view.id;
        EXPECT_TRUE(acknowledge(*db, id, anna, at - 1));
        EXPECT_TRUE(resolve(*db, id, anna, protocol::outcome::no_contact, "", at));
        return id;
    };
    resolved_at(100);
    auto recent = resolved_at(200);
    auto later = resolved_at(300);
    ASSERT_TRUE(cancel(*db, press(jan, priority::urgent, 250).view.id, jan, 260));
    press(jan, priority::urgent, 400);

    std::vector<std::int64_t> ids;
    for (const auto& r : requests_resolved_since(*db, 200).value())
        ids.push_back(r.view.id);
    EXPECT_EQ(ids, (std::vector<std::int64_t>{recent, later}));
}

// What the resident was last told, for sms::resident_notifier::resume: a text counts unless every try of
// it failed; staff texts about the request (no `resident` mark) do not count either way.
TEST_F(store_test, the_last_resident_text_is_the_last_that_may_have_reached_them) {
    auto id = press(jan, priority::urgent, 10).view.id;
    protocol::millis at = 11;
    auto event = [&](const char* kind, const char* detail) {
        ASSERT_TRUE(append_event(*db, id, kind, "system", std::nullopt, detail, at++));
    };
    auto told = [&] { return last_resident_text(*db, id).value().told; };
    auto owed = [&] {
        auto texted = last_resident_text(*db, id).value();
        return texted.owed_told + " " + texted.owed_key;
    };
    EXPECT_EQ(told(), std::nullopt);

    event("resident_sms", R"({"stage":"received","told":"r","key":"k1"})");
    EXPECT_EQ(told(), "r") << "an outcome never recorded: it may have gone out";
    EXPECT_EQ(owed(), " ") << "not owed: it may have gone out";
    event("sms_failed", R"({"resident":true,"error":"down"})");
    EXPECT_EQ(told(), std::nullopt) << "every try failed";
    EXPECT_EQ(owed(), "r k1") << "owed, under its key";
    event("sms_failed", R"({"error":"down"})");
    event("sms_sent", R"({"provider_id":"s-1"})");
    EXPECT_EQ(told(), std::nullopt) << "a staff text's outcome is not the resident's";
    event("sms_sent", R"({"resident":true,"provider_id":"s-2"})");
    EXPECT_EQ(told(), "r") << "a later try went out";
    EXPECT_EQ(owed(), " ");

    event("resident_sms", R"({"stage":"taken","told":"t:Anna"})");
    event("sms_failed", R"({"resident":true,"error":"down"})");
    EXPECT_EQ(told(), "r") << "the one before it reached them";
    EXPECT_EQ(owed(), "t:Anna ") << "a record from before keys were kept has none";
    event("resident_sms", R"({"stage":"taken","told":"t:Bob"})");
    event("sms_failed", R"({"resident":true,"error":"bad number","permanent":true})");
    EXPECT_EQ(told(), "t:Bob") << "refused for good: another try would fail too";
    EXPECT_EQ(owed(), " ");
    event("resident_sms", R"({"stage":"taken"})");
    EXPECT_EQ(told(), "taken") << "a record from before `told` was kept";
}

TEST_F(store_test, an_open_requests_history_cannot_be_deleted) {
    auto r = press(jan, priority::urgent, 10);
    ASSERT_TRUE(acknowledge(*db, r.view.id, anna, 13));
    EXPECT_FALSE(db->exec("DELETE FROM request_events"));
    EXPECT_EQ(request_events(*db, r.view.id).value().size(), 2u);
}

// Retention: closed requests past the cutoff go with their history, oldest first, a batch at a time;
// open ones, however old, and ones closed since the cutoff stay. A placeholder resident (a number
// that texted in) goes with their last request, unless they sent STOP; registered residents stay.
TEST_F(store_test, closed_requests_past_the_retention_period_are_deleted_with_their_history) {
    auto close = [&](std::int64_t id, protocol::millis at) {
        ASSERT_TRUE(acknowledge(*db, id, anna, at));
        ASSERT_TRUE(resolve(*db, id, anna, protocol::outcome::called_back, "", at));
    };
    auto texter = [&](const std::string& phone) {
        return resident_for_sms(*db, office, phone, 1).value().id;
    };
    auto resolved = press(jan, priority::normal, 10).view.id;
    close(resolved, 12);
    auto cancelled = press(maria, priority::normal, 20).view.id;
    ASSERT_TRUE(cancel(*db, cancelled, maria, 21));
    auto open = press(jan, priority::urgent, 30).view.id;
    auto recent_texter = texter("+48600000011");
    auto closed_recently = press(recent_texter, priority::normal, 40).view.id;
    close(closed_recently, 600);
    auto gone_texter = texter("+48600000012");
    auto texted = press(gone_texter, priority::normal, 50).view.id;
    close(texted, 60);
    auto stop_texter = texter("+48600000013");
    ASSERT_TRUE(set_sms_opt_out(*db, stop_texter, true));
    auto texted_then_stop = press(stop_texter, priority::normal, 70).view.id;
    close(texted_then_stop, 80);

    auto first = forget_closed_requests(*db, 500, 2).value();
    EXPECT_EQ(first.requests, 2);
    EXPECT_EQ(first.unknown_senders, 0);
    EXPECT_FALSE(find_request(*db, resolved).value()) << "the oldest first";
    EXPECT_FALSE(find_request(*db, cancelled).value());
    EXPECT_TRUE(request_events(*db, resolved).value().empty()) << "its history goes with it";
    auto second = forget_closed_requests(*db, 500, 2).value();
    EXPECT_EQ(second.requests, 2);
    EXPECT_EQ(second.unknown_senders, 1);
    EXPECT_EQ(forget_closed_requests(*db, 500, 2).value().requests, 0);

    EXPECT_FALSE(find_request(*db, texted).value());
    EXPECT_FALSE(find_request(*db, texted_then_stop).value());
    EXPECT_TRUE(find_request(*db, open).value()) << "an open request is never deleted";
    EXPECT_FALSE(request_events(*db, open).value().empty());
    EXPECT_TRUE(find_request(*db, closed_recently).value()) << "closed after the cutoff";
    EXPECT_FALSE(find_resident(*db, gone_texter).value());
    EXPECT_TRUE(find_resident(*db, stop_texter).value()) << "their STOP is kept";
    EXPECT_TRUE(find_resident(*db, recent_texter).value());
    EXPECT_TRUE(find_resident(*db, jan).value());
    EXPECT_TRUE(find_resident(*db, maria).value());
}

// askd's answers to texts are kept until forgotten; as askd starts it reads each back with the member's
// number as it is now and whether their account is gone. An answer goes with its request, and one to
// START with the resident whose number it is.
TEST_F(store_test, answers_to_texts_are_kept_until_forgotten_and_go_with_what_they_name) {
    auto closing = press(maria, priority::normal, 10).view.id;
    auto keep = [&](std::optional<std::int64_t> staff, const std::string& phone, std::int64_t request,
                    const std::string& text) {
        unsent_reply r;
        r.office_id = office;
        r.staff_id = staff;
        r.phone = phone;
        r.request_id = request;
        r.text = text;
        r.decided_at = 30;
        r.send_key = "key " + text;
        auto kept = keep_reply(*db, r);
        return kept ? std::optional(kept->id) : std::nullopt;
    };
    auto to_anna = keep(anna, "+48600000001", closing, "ASK: przyjęto zgłoszenie");
    auto to_bob = keep(bob, "+48600000002", 0, "ASK: odpisz numer zgłoszenia");
    auto start = keep(std::nullopt, "+48600100200", 0, "ASK: wiadomości SMS od urzędu są znowu włączone.");
    auto no_such = keep(anna, "+48600000001", 999, "ASK: nie ma otwartego zgłoszenia nr 999.");
    ASSERT_TRUE(to_anna && to_bob && start && no_such) << "an answer about no such request is kept too";
    ASSERT_TRUE(forget_reply(*db, *no_such));
    ASSERT_TRUE(disable_staff(*db, "bob", 13));
    ASSERT_TRUE(db->exec("UPDATE staff SET phone = '+48600000011' WHERE username = 'anna'"));

    auto kept = unsent_replies(*db).value();
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].id, *to_anna);
    EXPECT_EQ(kept[0].office_id, office);
    EXPECT_EQ(kept[0].staff_id, anna);
    EXPECT_EQ(kept[0].phone, "+48600000011") << "the member's number as it is now";
    EXPECT_EQ(kept[0].request_id, closing);
    EXPECT_EQ(kept[0].text, "ASK: przyjęto zgłoszenie");
    EXPECT_EQ(kept[0].decided_at, 30);
    EXPECT_EQ(kept[0].send_key, "key ASK: przyjęto zgłoszenie") << "each try after a restart is the one text";
    EXPECT_FALSE(kept[0].staff_gone);
    EXPECT_TRUE(kept[1].staff_gone) << "Bob's account is disabled";
    EXPECT_EQ(kept[1].request_id, 0) << "about no request";
    EXPECT_FALSE(kept[2].staff_id);
    EXPECT_EQ(kept[2].phone, "+48600100200");
    EXPECT_FALSE(kept[2].staff_gone);
    auto one = unsent_reply_now(*db, *to_bob).value();
    ASSERT_TRUE(one) << "one answer read again, as before a later try";
    EXPECT_EQ(one->text, "ASK: odpisz numer zgłoszenia");
    EXPECT_TRUE(one->staff_gone);

    ASSERT_TRUE(forget_reply(*db, *to_bob));
    EXPECT_FALSE(unsent_reply_now(*db, *to_bob).value()) << "a forgotten answer is not read again";
    ASSERT_TRUE(acknowledge(*db, closing, anna, 20));
    ASSERT_TRUE(resolve(*db, closing, anna, protocol::outcome::called_back, "", 21));
    ASSERT_TRUE(remove_resident(*db, maria));
    EXPECT_TRUE(unsent_replies(*db).value().empty())
        << "Bob's was forgotten, Anna's went with the request and the START answer with Maria";
}

// An answer that says who has its request is read back with whether they still do: not once it was given
// back, taken by another or closed, and still while contacted. An answer that says no such thing never is
// (it tells what was done), and one about another office's request is kept about none.
TEST_F(store_test, an_answer_saying_who_has_the_request_is_read_back_with_whether_they_still_do) {
    auto taken = press(jan, priority::urgent, 10).view.id;
    ASSERT_TRUE(acknowledge(*db, taken, anna, 20));
    auto keep = [&](std::int64_t request, std::optional<std::int64_t> taken_by) {
        unsent_reply r;
        r.office_id = office;
        r.staff_id = anna;
        r.phone = "+48600000001";
        r.request_id = request;
        r.text = "ASK: zgłoszenie";
        r.decided_at = 30;
        r.taken_by = taken_by;
        return keep_reply(*db, r).value().id;
    };
    auto says_anna_has_it = keep(taken, anna);
    auto says_what_was_done = keep(taken, std::nullopt);
    auto no_longer_true = [&](std::int64_t id) {
        return unsent_reply_now(*db, id).value().value().no_longer_true;
    };
    EXPECT_EQ(unsent_reply_now(*db, says_anna_has_it).value().value().taken_by, anna);
    EXPECT_FALSE(no_longer_true(says_anna_has_it));

    ASSERT_TRUE(mark_contacted(*db, taken, anna, "", 31));
    EXPECT_FALSE(no_longer_true(says_anna_has_it)) << "contacted by her: she still has it";
    ASSERT_TRUE(release(*db, taken, anna, true, 32));
    EXPECT_TRUE(no_longer_true(says_anna_has_it)) << "given back";
    EXPECT_FALSE(no_longer_true(says_what_was_done));
    ASSERT_TRUE(acknowledge(*db, taken, anna, 33));
    EXPECT_FALSE(no_longer_true(says_anna_has_it)) << "taken by her again: the answer is true again";
    ASSERT_TRUE(release(*db, taken, anna, true, 34));
    ASSERT_TRUE(acknowledge(*db, taken, bob, 35));
    EXPECT_TRUE(no_longer_true(says_anna_has_it)) << "taken by someone else";
    ASSERT_TRUE(resolve(*db, taken, bob, protocol::outcome::called_back, "", 36));
    EXPECT_TRUE(no_longer_true(says_anna_has_it));
    EXPECT_FALSE(no_longer_true(says_what_was_done)) << "an answer that says no holder is never dropped so";

    // Closed while still held by her: by herself, or cancelled by the resident.
    auto resolved = press(maria, priority::normal, 40).view.id;
    ASSERT_TRUE(acknowledge(*db, resolved, anna, 41));
    auto says_she_has_the_resolved = keep(resolved, anna);
    ASSERT_TRUE(resolve(*db, resolved, anna, protocol::outcome::called_back, "", 42));
    EXPECT_TRUE(no_longer_true(says_she_has_the_resolved)) << "closed by her";
    auto cancelled = press(maria, priority::normal, 43).view.id;
    ASSERT_TRUE(acknowledge(*db, cancelled, anna, 44));
    auto says_she_has_the_cancelled = keep(cancelled, anna);
    ASSERT_TRUE(cancel(*db, cancelled, maria, 45));
    EXPECT_TRUE(no_longer_true(says_she_has_the_cancelled)) << "cancelled by the resident";

    new_request_record outside;
    outside.office_id = other_office;
    outside.resident_id = resident(other_office, "Ewa", "hash-ewa");
    auto elsewhere = submit_request(*db, outside, 37, restarts);
    ASSERT_TRUE(elsewhere);
    unsent_reply about_another_office;
    about_another_office.office_id = office;
    about_another_office.phone = "+48600000001";
    about_another_office.request_id = elsewhere->request.view.id;
    auto kept = keep_reply(*db, about_another_office).value();
    EXPECT_EQ(kept.request_id, 0) << "an answer is about a request of its own office only";
    EXPECT_EQ(unsent_reply_now(*db, kept.id).value().value().request_id, 0);
    about_another_office.request_id = taken;
    EXPECT_EQ(keep_reply(*db, about_another_office).value().request_id, taken) << "one of its own office";
}

// A text a ladder decided is kept until forgotten; as askd starts it reads each back with whether the
// member's account is gone, and a text goes with its request.
TEST_F(store_test, staff_texts_are_kept_until_forgotten_and_go_with_their_request) {
    auto waiting = press(jan, priority::urgent, 10).view.id;
    auto closing = press(maria, priority::normal, 11).view.id;
    using kind = staff_text_kind;
    const auto waits = request_state::notifying;
    auto to_anna = keep_staff_text(
        *db,
        {0, waiting, anna, "+48600000001", kind::step, waits, std::nullopt, "czeka", false, true, "k-anna"},
        12);
    auto to_bob =
        keep_staff_text(*db, {0, waiting, bob, "+48600000002", kind::step, waits, std::nullopt, "czeka"}, 12);
    auto after_hours = keep_staff_text(
        *db,
        {0, closing, std::nullopt, "+48600000009", kind::after_hours, request_state::queued, anna, "poza"},
        12);
    ASSERT_TRUE(to_anna && to_bob && after_hours);
    ASSERT_TRUE(disable_staff(*db, "bob", 13));
    // Anna's number changed since; Bob's stays.
    ASSERT_TRUE(db->exec("UPDATE staff SET phone = '+48600000011' WHERE username = 'anna'; "
                         "UPDATE staff SET phone = '+48600000002' WHERE username = 'bob'"));

    auto kept = unsent_staff_texts(*db).value();
    ASSERT_EQ(kept.size(), 3u);
    EXPECT_EQ(kept[0].id, *to_anna);
    EXPECT_EQ(kept[0].request_id, waiting);
    EXPECT_EQ(kept[0].staff_id, anna);
    EXPECT_EQ(kept[0].phone, "+48600000011") << "the member's number as it is now";
    EXPECT_EQ(kept[0].situation, "czeka");
    EXPECT_EQ(kept[0].kind, kind::step);
    EXPECT_EQ(kept[0].decided_in, request_state::notifying);
    EXPECT_EQ(kept[0].send_key, "k-anna") << "each try after a restart is the one text";
    EXPECT_FALSE(kept[0].staff_gone);
    EXPECT_TRUE(kept[1].staff_gone) << "Bob's account is disabled";
    EXPECT_FALSE(kept[2].staff_id) << "the after-hours phone";
    EXPECT_EQ(kept[2].kind, kind::after_hours);
    EXPECT_EQ(kept[2].decided_in, request_state::queued);
    EXPECT_EQ(kept[2].held_by, anna);
    EXPECT_FALSE(kept[0].held_by);
    EXPECT_FALSE(kept[2].staff_gone);
    auto anna_now = unsent_staff_text_now(*db, *to_anna).value();
    ASSERT_TRUE(anna_now);
    EXPECT_EQ(anna_now->phone, "+48600000011");
    EXPECT_FALSE(anna_now->staff_gone);
    auto bob_now = unsent_staff_text_now(*db, *to_bob).value();
    ASSERT_TRUE(bob_now);
    EXPECT_TRUE(bob_now->staff_gone);

    ASSERT_TRUE(forget_staff_text(*db, *to_anna));
    EXPECT_FALSE(unsent_staff_text_now(*db, *to_anna).value()) << "forgotten";
    ASSERT_TRUE(acknowledge(*db, closing, anna, 20));
    ASSERT_TRUE(resolve(*db, closing, anna, protocol::outcome::called_back, "", 21));
    EXPECT_EQ(forget_closed_requests(*db, 500, 10).value().requests, 1);
    kept = unsent_staff_texts(*db).value();
    ASSERT_EQ(kept.size(), 1u) << "Anna's was forgotten, and the closed request's went with it";
    EXPECT_EQ(kept[0].id, *to_bob);
}

// Who of the staff was shown a resident's card: a row per person, resident and UTC day with its first
// moment, aged out by day, and gone with a placeholder resident that retention deletes.
TEST_F(store_test, who_was_shown_a_residents_card_is_kept_a_row_a_day) {
    constexpr protocol::millis day = protocol::ms_per_day;
    constexpr protocol::millis start = 20000 * day;
    ASSERT_TRUE(record_views(*db, {{anna, jan, start + 5}, {bob, jan, start + day + 1}}));
    ASSERT_TRUE(record_views(*db, {{anna, jan, start + 9}, {anna, 999999, start}, {999999, jan, start}}))
        << "a later moment of the same day changes nothing; an unknown resident or staff member is skipped";
    auto jans = views_of_resident(*db, jan).value();
    ASSERT_EQ(jans.size(), 2u);
    EXPECT_EQ(jans[0].staff_id, anna);
    EXPECT_EQ(jans[0].staff_username, "anna");
    EXPECT_EQ(jans[0].staff_name, "Anna");
    EXPECT_EQ(jans[0].day, 20000);
    EXPECT_EQ(jans[0].first_at, start + 5);
    EXPECT_EQ(jans[1].staff_id, bob);
    EXPECT_EQ(jans[1].day, 20001);
    EXPECT_TRUE(views_of_resident(*db, maria).value().empty());

    ASSERT_TRUE(record_views(*db, {{bob, maria, start + 2}}));
    EXPECT_EQ(forget_views_before(*db, start + day + 7, 1).value(), 1) << "a batch of one";
    EXPECT_EQ(forget_views_before(*db, start + day + 7, 1).value(), 1);
    EXPECT_EQ(forget_views_before(*db, start + day + 7, 1).value(), 0) << "only the day that ended before it";
    EXPECT_TRUE(views_of_resident(*db, maria).value().empty());
    jans = views_of_resident(*db, jan).value();
    ASSERT_EQ(jans.size(), 1u);
    EXPECT_EQ(jans[0].staff_id, bob);

    auto texter = resident_for_sms(*db, office, "+48600000021", start).value().id;
    auto texted = press(texter, priority::normal, start).view.id;
    ASSERT_TRUE(acknowledge(*db, texted, anna, start + 1));
    ASSERT_TRUE(resolve(*db, texted, anna, protocol::outcome::called_back, "", start + 2));
    ASSERT_TRUE(record_views(*db, {{anna, texter, start + 1}}));
    EXPECT_EQ(forget_closed_requests(*db, start + 3, 10).value().unknown_senders, 1);
    EXPECT_TRUE(views_of_resident(*db, texter).value().empty()) << "gone with the placeholder resident";
}

TEST_F(store_test, data_survives_closing_and_reopening) {
    auto r = press(jan, priority::urgent, 10, "keep");
    ASSERT_TRUE(acknowledge(*db, r.view.id, anna, 11));
    db.reset();
    db = std::make_unique<database>(open());
    ASSERT_TRUE(migrate(*db));
    auto again = find_request(*db, r.view.id).value();
    ASSERT_TRUE(again);
    EXPECT_EQ(again->view.state, request_state::acknowledged);
    EXPECT_EQ(again->client_request_id, "keep");
}

// Every field a caller may read, compared one by one.
void expect_same_record(const request_record& a, const request_record& b) {
    EXPECT_EQ(a.office_id, b.office_id);
    EXPECT_EQ(a.client_request_id, b.client_request_id);
    EXPECT_EQ(a.view.id, b.view.id);
    EXPECT_EQ(a.view.level, b.view.level);
    EXPECT_EQ(a.view.via, b.view.via);
    EXPECT_EQ(a.view.state, b.view.state);
    EXPECT_EQ(a.view.message, b.view.message);
    EXPECT_EQ(a.view.created_at, b.view.created_at);
    EXPECT_EQ(a.view.resident.id, b.view.resident.id);
    EXPECT_EQ(a.view.resident.name, b.view.resident.name);
    EXPECT_EQ(a.view.resident.phone, b.view.resident.phone);
    EXPECT_EQ(a.view.resident.address, b.view.resident.address);
    EXPECT_EQ(a.view.resident.needs, b.view.resident.needs);
    EXPECT_EQ(a.view.resident.unknown_sender, b.view.resident.unknown_sender);
    EXPECT_EQ(a.view.acknowledged_by.has_value(), b.view.acknowledged_by.has_value());
    EXPECT_EQ(a.view.notify_count, b.view.notify_count);
    EXPECT_EQ(a.view.repeat_count, b.view.repeat_count);
    EXPECT_EQ(a.acknowledged_at, b.acknowledged_at);
    EXPECT_EQ(a.outcome, b.outcome);
    EXPECT_EQ(a.note, b.note);
    EXPECT_EQ(a.resolved_by, b.resolved_by);
    EXPECT_EQ(a.resolved_at, b.resolved_at);
    EXPECT_EQ(a.contacted_by.has_value(), b.contacted_by.has_value());
    EXPECT_EQ(a.contacted_at, b.contacted_at);
    EXPECT_EQ(a.ladder_started_at, b.ladder_started_at);
    EXPECT_EQ(a.ladder_cycle, b.ladder_cycle);
    EXPECT_EQ(a.ladder_next_step, b.ladder_next_step);
    EXPECT_EQ(a.ack_reminders, b.ack_reminders);
}

TEST_F(store_test, a_new_request_is_returned_exactly_as_it_is_stored) {
    // submit_request builds the new record instead of reading it back: it must say what a read says.
    new_request_record n;
    n.office_id = office;
    n.resident_id = maria;
    n.client_request_id = "k-new";
    n.level = priority::normal;
    n.via = protocol::channel::sms;
    n.message = "Proszę zadzwonić";
    n.initial_state = request_state::notifying;
    auto created = submit_request(*db, n, 42, restarts).value();
    ASSERT_TRUE(created.created);
    auto stored = find_request(*db, created.request.view.id).value();
    ASSERT_TRUE(stored);
    expect_same_record(created.request, *stored);
    EXPECT_EQ(created.request.view.resident.needs, (std::vector<std::string>{"deaf", "wheelchair"}));

    // The in-place record_notified says what the read-back one would.
    ASSERT_TRUE(record_notified(*db, created.request, 3, 43));
    EXPECT_EQ(created.request.view.notify_count, 1);
    expect_same_record(created.request, *find_request(*db, created.request.view.id).value());

    new_request_record unknown = n;
    unknown.resident_id = 999999;
    EXPECT_EQ(submit_request(*db, unknown, 44, restarts).error(), errc::not_found);
}

TEST_F(store_test, a_full_disk_is_a_storage_failure_not_a_conflict) {
    auto pages = std::stoll(pragma("page_count"));
    ASSERT_TRUE(db->exec("PRAGMA max_page_count = " + std::to_string(pages)));
    std::optional<error_code> failed;
    for (int i = 0; i < 2000 && !failed; ++i) {
        new_request_record n;
        n.office_id = office;
        n.resident_id = jan;
        n.message = std::string(400, 'x');
        auto r = submit_request(*db, n, i, restarts);
        if (!r)
            failed = r.error();
    }
    ASSERT_TRUE(failed) << "the database never filled up";
    EXPECT_TRUE(is_storage_failure(*failed)) << failed->message();
    EXPECT_FALSE(is_storage_failure(make_error_code(errc::constraint)));
    EXPECT_FALSE(is_storage_failure(make_error_code(errc::not_found)));
}

// Office 1, staff 1 (Anna) and resident 1 (Jan), valid in every schema version.
constexpr const char* old_office_rows = R"(
INSERT INTO offices VALUES (1, 'demo', 'Urząd', 'Europe/Warsaw');
INSERT INTO staff (id, office_id, username, display_name, role, password_hash, created_at)
    VALUES (1, 1, 'anna', 'Anna', 'staff', 'x', 0);
INSERT INTO residents (id, office_id, name, token_hash, created_at) VALUES (1, 1, 'Jan', 'h', 0);
)";

// A database in `dir` at schema `version`, with an office, Anna and Jan as that version had them.
database at_version(const test::temp_dir& dir, int version) {
    auto db = database::open((dir.path() / ("v" + std::to_string(version) + ".db")).string()).value();
    EXPECT_TRUE(migrate(db, version));
    EXPECT_TRUE(db.exec(old_office_rows));
    return db;
}

TEST(store_migrations, a_version_1_database_with_requests_keeps_them_through_every_migration) {
    test::temp_dir dir;
    auto db = at_version(dir, 1);
    ASSERT_TRUE(db.exec(R"(
INSERT INTO requests (id, office_id, resident_id, priority, channel, state, created_at, acked_by, acked_at)
    VALUES (1, 1, 1, 'urgent', 'web', 'acknowledged', 5, 1, 7);
INSERT INTO requests (id, office_id, resident_id, priority, channel, state, created_at) VALUES (2, 1, 1, 'normal', 'web', 'queued', 9);
INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id)
    VALUES (1, 5, 'created', 'resident', 1), (1, 7, 'acknowledged', 'staff', 1), (2, 9, 'created', 'resident', 1);
)"));
    ASSERT_TRUE(migrate(db)) << "v1 -> current, rebuilding requests on the way";
    auto open = open_requests(db).value();
    ASSERT_EQ(open.size(), 2u);
    EXPECT_EQ(open[0].view.state, request_state::acknowledged);
    EXPECT_EQ(open[0].view.acknowledged_by->name, "Anna");
    EXPECT_EQ(open[0].ladder_started_at, 7)
        << "v11: a taken request's follow-ups count from its acknowledgement";
    EXPECT_EQ(open[1].ladder_started_at, 9) << "a waiting request's ladder starts where the request did";
    EXPECT_EQ(open[1].view.resident.unknown_sender, false);
    EXPECT_EQ(request_events(db, 1).value().size(), 2u);
    auto fk = db.prepare("PRAGMA foreign_key_check").value();
    EXPECT_FALSE(fk.step().value()) << "foreign keys hold after the rebuild";
    EXPECT_FALSE(db.exec("UPDATE request_events SET kind = 'x'")) << "the log is still append-only";
    auto mark = mark_contacted(db, 1, 1, "", 10);
    EXPECT_TRUE(mark) << "the new 'contacted' state is allowed after the rebuild";
}

// v17 fills latest_message in from the `repeated` events already kept: the latest that had words, past a
// later one without (a button's press again); a request never pressed again has none.
TEST(store_migrations, version_17_takes_a_requests_latest_words_from_its_presses_again) {
    test::temp_dir dir;
    auto db = at_version(dir, 16);
    ASSERT_TRUE(db.exec(R"(
INSERT INTO requests (id, office_id, resident_id, priority, channel, message, state, created_at, repeat_count,
                      ladder_started_at)
    VALUES (1, 1, 1, 'urgent', 'sms', 'Proszę o telefon', 'queued', 5, 3, 5),
           (2, 1, 1, 'normal', 'web', 'Dzień dobry', 'queued', 6, 0, 6);
INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id, detail)
    VALUES (1, 6, 'repeated', 'resident', 1, '{"count":1,"message":"Nadal czekam"}'),
           (1, 7, 'repeated', 'resident', 1, '{"count":2,"message":"Upadłam"}'),
           (1, 8, 'repeated', 'resident', 1, '{"count":3,"message":""}');
)"));
    ASSERT_TRUE(migrate(db));
    EXPECT_EQ(find_request(db, 1).value()->view.latest_message, "Upadłam");
    EXPECT_EQ(find_request(db, 2).value()->view.latest_message, "");
    EXPECT_EQ(find_request(db, 1).value()->view.message, "Proszę o telefon");
}

// v18 gives each text kept before it a key of its own, so that its tries after the upgrade are one text.
TEST(store_migrations, version_18_gives_each_kept_text_a_key_of_its_own) {
    test::temp_dir dir;
    auto db = at_version(dir, 17);
    ASSERT_TRUE(db.exec(R"(
INSERT INTO requests (id, office_id, resident_id, priority, channel, state, created_at, ladder_started_at)
    VALUES (1, 1, 1, 'urgent', 'web', 'notifying', 5, 5);
INSERT INTO unsent_staff_texts (request_id, staff_id, phone, kind, decided_in, situation, decided_at)
    VALUES (1, 1, '+48600000001', 'step', 'notifying', 'czeka', 6), (1, NULL, '+48600000009', 'after_hours',
            'notifying', 'poza', 6);
INSERT INTO unsent_replies (office_id, staff_id, phone, request_id, text, decided_at)
    VALUES (1, 1, '+48600000001', 1, 'ASK: przyjęto', 7);
)"));
    ASSERT_TRUE(migrate(db));
    auto texts = unsent_staff_texts(db).value();
    ASSERT_EQ(texts.size(), 2u);
    EXPECT_EQ(texts[0].send_key.size(), 32u);
    EXPECT_EQ(texts[1].send_key.size(), 32u);
    EXPECT_NE(texts[0].send_key, texts[1].send_key);
    auto replies = unsent_replies(db).value();
    ASSERT_EQ(replies.size(), 1u);
    EXPECT_EQ(replies[0].send_key.size(), 32u);
}

TEST(store_migrations, version_4_keeps_every_row_and_column_and_the_same_constraints) {
    test::temp_dir dir;
    auto db = at_version(dir, 3);
    ASSERT_TRUE(db.exec(R"(
INSERT INTO requests (id, office_id, resident_id, client_request_id, priority, channel, message, state, created_at,
                      notify_count, acked_by, acked_at, contacted_by, contacted_at, resolved_by, resolved_at, outcome,
                      note, repeat_count, ladder_started_at, ladder_cycle, ladder_next_step, ack_reminders)
    VALUES (7, 1, 1, 'k7', 'urgent', 'sms', 'Pomocy', 'resolved', 5, 3, 1, 6, 1, 7, 1, 8, 'visit_scheduled',
            'wizyta', 2, 9, 1, 2, 1);
INSERT INTO request_events (id, request_id, at, kind, actor_kind, actor_id, detail)
    VALUES (3, 7, 5, 'created', 'resident', 1, '{}'), (4, 7, 6, 'sms_sent', 'system', NULL, '{"provider_id":"p-1"}');
)"));
    ASSERT_TRUE(migrate(db)) << "v3 -> v4";
    auto r = find_request(db, 7).value();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->client_request_id, "k7");
    EXPECT_EQ(r->view.via, protocol::channel::sms);
    EXPECT_EQ(r->view.message, "Pomocy");
    EXPECT_EQ(r->view.state, request_state::resolved);
    EXPECT_EQ(r->view.notify_count, 3);
    EXPECT_EQ(r->view.acknowledged_by->name, "Anna");
    EXPECT_EQ(r->acknowledged_at, 6);
    EXPECT_EQ(r->contacted_by->name, "Anna");
    EXPECT_EQ(r->contacted_at, 7);
    EXPECT_EQ(r->resolved_by, 1);
    EXPECT_EQ(r->resolved_at, 8);
    EXPECT_EQ(r->outcome, protocol::outcome::visit_scheduled);
    EXPECT_EQ(r->note, "wizyta");
    EXPECT_EQ(r->view.repeat_count, 2);
    EXPECT_EQ(r->ladder_started_at, 9);
    EXPECT_EQ(r->ladder_cycle, 1);
    EXPECT_EQ(r->ladder_next_step, 2);
    EXPECT_EQ(r->ack_reminders, 1);
    auto events = request_events(db, 7).value();
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[1].kind, "sms_sent");
    auto by_provider = db.prepare("SELECT request_id FROM request_events INDEXED BY request_events_sent_sms "
                                  "WHERE kind = 'sms_sent' AND json_extract(detail, '$.provider_id') = 'p-1'")
                           .value();
    ASSERT_TRUE(by_provider.step().value()) << "the delivery-report index is back";
    EXPECT_EQ(by_provider.column_int(0), 7);
    auto fk = db.prepare("PRAGMA foreign_key_check").value();
    EXPECT_FALSE(fk.step().value());

    // The same values are refused as before; every allowed one is still allowed.
    auto insert = [&](const std::string& priority, const std::string& channel, const std::string& state,
                      const std::string& outcome) {
        return db.exec("INSERT INTO requests (office_id, resident_id, priority, channel, state, created_at, "
                       "ladder_started_at, outcome) VALUES (1, 1, '" + priority + "', '" + channel + "', '" + state +
                       "', 1, 1, " + outcome + ")");
    };
    EXPECT_FALSE(insert("low", "web", "queued", "NULL"));
    EXPECT_FALSE(insert("urgent", "fax", "queued", "NULL"));
    EXPECT_FALSE(insert("urgent", "web", "lost", "NULL"));
    EXPECT_FALSE(insert("urgent", "web", "resolved", "'forgotten'"));
    for (const char* state : {"received", "queued", "notifying", "acknowledged", "contacted", "resolved", "cancelled"})
        EXPECT_TRUE(insert("normal", "button", state, "NULL")) << state;
    for (const char* outcome : {"'called_back'", "'visit_scheduled'", "'referred'", "'emergency_services'",
                                "'no_contact'", "'other'"})
        EXPECT_TRUE(insert("urgent", "sms", "resolved", outcome)) << outcome;
    EXPECT_FALSE(db.exec("INSERT INTO request_events (request_id, at, kind, actor_kind) VALUES (7, 1, 'x', 'robot')"));
    for (const char* actor : {"resident", "staff", "system"})
        EXPECT_TRUE(db.exec(std::string("INSERT INTO request_events (request_id, at, kind, actor_kind) VALUES "
                                        "(7, 1, 'x', '") + actor + "')"))
            << actor;
    EXPECT_FALSE(db.exec("UPDATE request_events SET kind = 'y'")) << "the log is still append-only";
    ASSERT_TRUE(db.exec("INSERT INTO request_events (request_id, at, kind, actor_kind) "
                        "SELECT id, 1, 'x', 'system' FROM requests WHERE state = 'queued'"));
    EXPECT_FALSE(db.exec("DELETE FROM request_events WHERE request_id IN "
                         "(SELECT id FROM requests WHERE state = 'queued')"))
        << "an open request's log cannot be deleted (since v7, a closed one's can)";

    // Why v4 exists: storing a press builds no temporary b-tree (an `IN (...)` list of three or
    // more does, on every execution).
    for (const char* sql : {"EXPLAIN INSERT INTO requests (office_id, resident_id, priority, channel, state, "
                            "created_at, ladder_started_at) VALUES (1, 1, 'urgent', 'web', 'queued', 1, 1)",
                            "EXPLAIN INSERT INTO request_events (request_id, at, kind, actor_kind) "
                            "VALUES (7, 1, 'created', 'resident')"}) {
        auto plan = db.prepare(sql).value();
        while (plan.step().value())
            EXPECT_NE(plan.column_text(1), "OpenEphemeral") << sql;
    }
}

// v16: the closed requests of a database from before know when they closed (a cancelled one by its
// `cancelled` event; statistics keep reading resolved_at as the resolution's alone), and are listed the
// latest closed first; resolving and cancelling set it from then on.
TEST(store_migrations, version_16_lists_closed_requests_by_when_they_closed) {
    test::temp_dir dir;
    auto db = at_version(dir, 15);
    ASSERT_TRUE(db.exec(R"(
INSERT INTO requests (id, office_id, resident_id, priority, channel, state, created_at, ladder_started_at, acked_by,
                      acked_at, resolved_by, resolved_at, outcome)
    VALUES (1, 1, 1, 'normal', 'web', 'resolved', 5, 5, 1, 6, 1, 20, 'called_back'),
           (2, 1, 1, 'urgent', 'web', 'cancelled', 7, 7, NULL, NULL, NULL, NULL, NULL),
           (3, 1, 1, 'normal', 'web', 'queued', 8, 8, NULL, NULL, NULL, NULL, NULL);
INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id)
    VALUES (1, 5, 'created', 'resident', 1), (1, 20, 'resolved', 'staff', 1), (2, 7, 'created', 'resident', 1),
           (2, 30, 'cancelled', 'resident', 1), (3, 8, 'created', 'resident', 1);
)"));
    ASSERT_TRUE(migrate(db));
    auto closed = closed_requests(db, 1, std::nullopt, 10).value();
    ASSERT_EQ(closed.size(), 2u);
    EXPECT_EQ(closed[0].record.view.id, 2);
    EXPECT_EQ(closed[0].closed_at, 30) << "made before request 1, cancelled after it was resolved";
    EXPECT_FALSE(closed[0].resolved_by);
    EXPECT_FALSE(closed[0].record.resolved_at) << "a cancellation is no resolution";
    EXPECT_EQ(closed[1].record.view.id, 1);
    EXPECT_EQ(closed[1].closed_at, 20);
    ASSERT_TRUE(closed[1].resolved_by);
    EXPECT_EQ(closed[1].resolved_by->name, "Anna");
    EXPECT_EQ(closed[1].record.outcome, protocol::outcome::called_back);

    auto after = closed_requests(db, 1, 2, 10).value();
    ASSERT_EQ(after.size(), 1u);
    EXPECT_EQ(after[0].record.view.id, 1);
    EXPECT_EQ(closed_requests(db, 1, 2, 0).value().size(), 0u);
    EXPECT_EQ(closed_requests(db, 1, 3, 10).error(), errc::not_found)
        << "an open request is no place in the list";
    EXPECT_EQ(closed_requests(db, 2, 1, 10).error(), errc::not_found) << "another office's";
    EXPECT_TRUE(closed_requests(db, 2, std::nullopt, 10).value().empty());

    ASSERT_TRUE(acknowledge(db, 3, 1, 40));
    ASSERT_TRUE(resolve(db, 3, 1, protocol::outcome::referred, "OPS", 50));
    auto now = closed_requests(db, 1, std::nullopt, 1).value();
    ASSERT_EQ(now.size(), 1u);
    EXPECT_EQ(now[0].record.view.id, 3);
    EXPECT_EQ(now[0].closed_at, 50);
}

} // namespace
} // namespace ask::store
