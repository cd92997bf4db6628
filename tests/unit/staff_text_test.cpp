// Which kept staff texts (store/staff_texts.hpp) askd sends again, as it starts or after a provider
// outage: those still true; and what a staff text says.
#include "server/app/staff_text.hpp"

#include <gtest/gtest.h>

namespace ask {
namespace {

using protocol::request_state;
using store::staff_text_kind;

store::request_record in_state(request_state state) {
    store::request_record r;
    r.view.state = state;
    return r;
}

/// Decided in `decided_in`, taken then by staff 3 unless the request waited.
store::unsent_staff_text text(staff_text_kind kind, request_state decided_in) {
    auto held_by = protocol::awaiting_ack(decided_in) ? std::nullopt : std::optional<std::int64_t>(3);
    return {1, 7, 3, "+48600000001", kind, decided_in, held_by, "", false};
}

/// The request now in `now`, held by staff 3 unless it waits (or by `holder`).
bool still_true(const store::unsent_staff_text& t, request_state now, bool office_open = true,
                std::int64_t holder = 3) {
    auto r = in_state(now);
    if (!protocol::awaiting_ack(now))
        r.view.acknowledged_by = protocol::person_ref{holder, "Ola"};
    return staff_text_still_true(t, r, office_open);
}

TEST(staff_text_still_true, a_ladder_step_while_the_request_waits_and_the_office_is_open) {
    auto step = text(staff_text_kind::step, request_state::notifying);
    EXPECT_TRUE(still_true(step, request_state::notifying));
    EXPECT_TRUE(still_true(step, request_state::queued)) << "still waiting, with nobody on duty now";
    EXPECT_FALSE(still_true(step, request_state::acknowledged));
    EXPECT_FALSE(still_true(step, request_state::resolved));
    EXPECT_FALSE(still_true(step, request_state::notifying, false))
        << "closed: the ladder waits for the opening";
}

TEST(staff_text_still_true, a_follow_up_while_the_request_is_taken_and_not_contacted) {
    auto follow_up = text(staff_text_kind::follow_up, request_state::acknowledged);
    EXPECT_TRUE(still_true(follow_up, request_state::acknowledged));
    EXPECT_TRUE(still_true(follow_up, request_state::acknowledged, false));
    EXPECT_FALSE(still_true(follow_up, request_state::contacted));
    EXPECT_FALSE(still_true(follow_up, request_state::notifying)) << "given back";
    EXPECT_FALSE(still_true(follow_up, request_state::acknowledged, true, 4))
        << "given back, taken by another";
}

TEST(staff_text_still_true, an_escalation_by_hand_while_the_request_is_where_it_was) {
    auto of_taken = text(staff_text_kind::by_hand, request_state::acknowledged);
    EXPECT_TRUE(still_true(of_taken, request_state::acknowledged, false));
    EXPECT_FALSE(still_true(of_taken, request_state::contacted));
    EXPECT_FALSE(still_true(of_taken, request_state::acknowledged, true, 4));
    auto of_waiting = text(staff_text_kind::by_hand, request_state::queued);
    EXPECT_TRUE(still_true(of_waiting, request_state::notifying, false));
    EXPECT_FALSE(still_true(of_waiting, request_state::acknowledged));
}

TEST(staff_text_still_true, not_to_a_member_whose_account_is_gone) {
    auto step = text(staff_text_kind::step, request_state::notifying);
    step.staff_gone = true;
    EXPECT_FALSE(still_true(step, request_state::notifying));
}

TEST(staff_text_still_true, the_after_hours_phone_only_while_the_office_is_closed) {
    auto after_hours = text(staff_text_kind::after_hours, request_state::queued);
    after_hours.staff_id.reset();
    EXPECT_TRUE(still_true(after_hours, request_state::queued, false));
    EXPECT_FALSE(still_true(after_hours, request_state::queued, true));
    EXPECT_FALSE(still_true(after_hours, request_state::acknowledged, false));
}

/// Request 12, Jan Kowalski's, urgent, made 7.5 minutes before `now` (1,000,000).
store::request_record janes_request() {
    auto r = in_state(request_state::notifying);
    r.view.id = 12;
    r.view.level = protocol::priority::urgent;
    r.view.resident.name = "Jan Kowalski";
    r.view.created_at = 1'000'000 - 450'000;
    return r;
}

TEST(staff_text, of_a_request_waiting_says_how_long_it_waits_and_how_to_take_it_not_to_close_it) {
    auto t = text(staff_text_kind::step, request_state::notifying);
    t.situation = "czeka na przyjęcie";
    EXPECT_EQ(staff_text(t, janes_request(), 1'000'000),
              "ASK: PILNE zgłoszenie nr 12 (Jan K.) czeka na przyjęcie od 7 min. Odpisz 12a, aby przyjąć.");
}

// A request just made waits "od chwili", not "od 0 min"; a number that wrote in is "nieznany numer", not its
// placeholder name cut to "Nieznany n.".
TEST(staff_text, of_a_new_request_from_an_unknown_number_reads_plainly) {
    auto t = text(staff_text_kind::step, request_state::notifying);
    t.situation = "czeka na przyjęcie";
    auto r = janes_request();
    r.view.resident.name = "Nieznany numer +48511222399";
    r.view.resident.unknown_sender = true;
    EXPECT_EQ(staff_text(t, r, r.view.created_at + 59'000),
              "ASK: PILNE zgłoszenie nr 12 (nieznany numer) czeka na przyjęcie od chwili. Odpisz 12a, aby "
              "przyjąć.");
}

TEST(staff_text, to_an_after_hours_phone_no_reply_is_taken_from_points_to_the_dashboard) {
    auto t = text(staff_text_kind::after_hours, request_state::queued);
    t.staff_id.reset();
    t.situation = "poza godzinami urzędu, czeka";
    t.replies_taken = false;
    EXPECT_EQ(
        staff_text(t, janes_request(), 1'000'000),
        "ASK: PILNE zgłoszenie nr 12 (Jan K.) poza godzinami urzędu, czeka od 7 min. Przyjmij je w panelu "
        "ASK.");
    t.replies_taken = true;
    EXPECT_NE(staff_text(t, janes_request(), 1'000'000).find("Odpisz 12a, aby przyjąć"), std::string::npos)
        << "the phone of a member of the office";
}

TEST(staff_text, of_a_taken_request_offers_closing_to_its_holder_alone) {
    auto to_holder = text(staff_text_kind::follow_up, request_state::acknowledged);
    to_holder.situation = "przyjęte, bez kontaktu z mieszkańcem";
    auto r = janes_request();
    r.view.level = protocol::priority::normal;
    EXPECT_EQ(
        staff_text(to_holder, r, 1'000'000),
        "ASK: zwykłe zgłoszenie nr 12 (Jan K.) sprzed 7 min: przyjęte, bez kontaktu z mieszkańcem. Odpisz "
        "12c, aby zamknąć.");

    auto to_helper = text(staff_text_kind::by_hand, request_state::acknowledged);
    to_helper.staff_id = 4;
    to_helper.situation = "ma je Ola N., potrzebna pomoc";
    EXPECT_EQ(
        staff_text(to_helper, r, r.view.created_at + 59'000),
        "ASK: zwykłe zgłoszenie nr 12 (Jan K.) sprzed chwili: ma je Ola N., potrzebna pomoc. Szczegóły w "
        "panelu ASK.");
}

} // namespace
} // namespace ask
