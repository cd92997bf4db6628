// protocol/: enum spellings, every parser's acceptance and refusals, the serialisers.
#include "protocol/client_messages.hpp"
#include "protocol/civil_time.hpp"
#include "protocol/server_messages.hpp"
#include "protocol/types.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace ask::protocol {
namespace {

status_view status(request_state state, priority level, std::optional<std::string> by = std::nullopt,
                   std::optional<outcome> result = std::nullopt) {
    status_view s;
    s.id = 1;
    s.state = state;
    s.level = level;
    s.by = std::move(by);
    s.result = result;
    return s;
}

const text_limits limits{10, 20};

boost::json::object obj(const std::string& text) { return boost::json::parse(text).as_object(); }

TEST(protocol_types, every_enum_round_trips_and_unknown_names_are_refused) {
    for (auto p : {priority::urgent, priority::normal})
        EXPECT_EQ(priority_from_string(to_string(p)), p);
    for (auto c : {channel::web, channel::button, channel::sms})
        EXPECT_EQ(channel_from_string(to_string(c)), c);
    for (auto s : {request_state::received, request_state::queued, request_state::notifying,
                   request_state::acknowledged, request_state::resolved, request_state::cancelled})
        EXPECT_EQ(request_state_from_string(to_string(s)), s);
    for (auto o : {outcome::called_back, outcome::visit_scheduled, outcome::referred, outcome::emergency_services,
                   outcome::no_contact, outcome::other})
        EXPECT_EQ(outcome_from_string(to_string(o)), o);
    for (auto r : {staff_role::staff, staff_role::coordinator, staff_role::admin})
        EXPECT_EQ(staff_role_from_string(to_string(r)), r);
    EXPECT_EQ(to_string(outcome::emergency_services), "emergency_services");
    EXPECT_FALSE(priority_from_string("Urgent"));
    EXPECT_FALSE(outcome_from_string(""));
    EXPECT_TRUE(is_open(request_state::acknowledged));
    EXPECT_FALSE(is_open(request_state::cancelled));
    EXPECT_LT(rank(priority::urgent), rank(priority::normal));
}

struct refusal {
    const char* text;
    error code;
    const char* names; ///< a word the detail must contain
};

TEST(protocol_parsers, staff_messages_are_accepted_with_their_fields) {
    auto duty = parse_staff_message(R"({"type":"duty","on":true,"ref":"d-1"})", limits);
    ASSERT_TRUE(duty);
    EXPECT_EQ(duty->ref, "d-1");
    EXPECT_TRUE(std::get<duty_message>(duty->message).on);
    auto ack = parse_staff_message(R"({"type":"ack","id":42,"extra":"ignored"})", limits);
    ASSERT_TRUE(ack);
    EXPECT_EQ(std::get<ack_message>(ack->message).id, 42);
    auto resolve = parse_staff_message(R"({"type":"resolve","id":7,"outcome":"visit_scheduled","note":"Wizyta we wtorek"})", limits);
    ASSERT_TRUE(resolve);
    const auto& r = std::get<resolve_message>(resolve->message);
    EXPECT_EQ(r.result, outcome::visit_scheduled);
    EXPECT_EQ(r.note, "Wizyta we wtorek");
}

TEST(protocol_parsers, staff_messages_are_refused_with_the_field_named) {
    const refusal cases[] = {
        {"{", error::malformed_json, "JSON"},
        {"[1]", error::not_an_object, "object"},
        {R"({"id":1})", error::missing_type, "type"},
        {R"({"type":5})", error::missing_type, "type"},
        {R"({"type":"launch"})", error::unknown_type, "launch"},
        {R"({"type":"ack"})", error::missing_field, "id"},
        {R"({"type":"ack","id":"7"})", error::wrong_type, "id"},
        {R"({"type":"ack","id":0})", error::bad_value, "id"},
        {R"({"type":"ack","id":-3})", error::bad_value, "id"},
        {R"({"type":"ack","id":1.5})", error::bad_value, "id"},
        {R"({"type":"ack","id":99999999999999999999})", error::bad_value, "id"},
        {R"({"type":"duty","on":1})", error::wrong_type, "on"},
        {R"({"type":"resolve","id":1})", error::missing_field, "outcome"},
        {R"({"type":"resolve","id":1,"outcome":"fixed"})", error::bad_value, "outcome"},
        {R"({"type":"resolve","id":1,"outcome":"other","note":"123456789012345678901"})", error::too_long, "note"},
        {R"({"type":"ack","id":1,"ref":"has space"})", error::bad_value, "ref"},
    };
    for (const auto& c : cases) {
        auto p = parse_staff_message(c.text, limits);
        ASSERT_FALSE(p) << c.text;
        EXPECT_EQ(p.error().code, c.code) << c.text << ": " << p.error().detail;
        EXPECT_NE(p.error().detail.find(c.names), std::string::npos) << c.text << ": " << p.error().detail;
    }
    EXPECT_EQ(wire_code(error::unknown_type), "unknown_type");
    EXPECT_EQ(wire_code(error::wrong_type), "bad_request");
    EXPECT_EQ(wire_code(error::too_long), "too_long") << "a page can ask for a shorter text";
}

TEST(protocol_parsers, new_requests_and_their_limits) {
    auto ok = parse_new_request(R"({"priority":"urgent","message":"Pomocy","request_id":"btn-1:a_b.c","channel":"button"})", limits);
    ASSERT_TRUE(ok);
    EXPECT_EQ(ok->level, priority::urgent);
    EXPECT_EQ(ok->via, channel::button);
    EXPECT_EQ(ok->request_id, "btn-1:a_b.c");
    auto defaults = parse_new_request(R"({"priority":"normal"})", limits);
    ASSERT_TRUE(defaults);
    EXPECT_EQ(defaults->via, channel::web);
    EXPECT_TRUE(defaults->message.empty());
    EXPECT_TRUE(defaults->request_id.empty());

    // Limits count characters, not bytes: ten Polish letters fit a limit of ten, eleven do not.
    EXPECT_TRUE(parse_new_request(R"({"priority":"normal","message":"ąęśćżźółńą"})", limits));
    auto long_one = parse_new_request(R"({"priority":"normal","message":"ąęśćżźółńąą"})", limits);
    ASSERT_FALSE(long_one);
    EXPECT_EQ(long_one.error().code, error::too_long);

    const refusal cases[] = {
        {R"({"message":"x"})", error::missing_field, "priority"},
        {R"({"priority":"high"})", error::bad_value, "priority"},
        {R"({"priority":"normal","channel":"sms"})", error::bad_value, "channel"},
        {R"({"priority":"normal","request_id":""})", error::bad_value, "request_id"},
        {R"({"priority":"normal","request_id":"zażółć"})", error::bad_value, "request_id"},
        {"{\"priority\":\"normal\",\"message\":\"\xc3\x28\"}", error::malformed_json, "JSON"},
    };
    for (const auto& c : cases) {
        auto p = parse_new_request(c.text, limits);
        ASSERT_FALSE(p) << c.text;
        EXPECT_EQ(p.error().code, c.code) << c.text;
        EXPECT_NE(p.error().detail.find(c.names), std::string::npos) << p.error().detail;
    }
    std::string long_key = R"({"priority":"normal","request_id":")" + std::string(65, 'k') + "\"}";
    EXPECT_FALSE(parse_new_request(long_key, limits));
}

TEST(protocol_parsers, resident_messages_and_login) {
    auto req = parse_resident_message(R"({"type":"request","priority":"urgent","ref":"r1"})", limits);
    ASSERT_TRUE(req);
    EXPECT_EQ(std::get<new_request>(req->message).level, priority::urgent);
    auto cancel = parse_resident_message(R"({"type":"cancel","id":3})", limits);
    ASSERT_TRUE(cancel);
    EXPECT_EQ(std::get<cancel_message>(cancel->message).id, 3);
    EXPECT_EQ(parse_resident_message(R"({"type":"ack","id":3})", limits).error().code, error::unknown_type);
    auto ping = parse_resident_message(R"({"type":"ping","ref":"keepalive"})", limits);
    ASSERT_TRUE(ping);
    EXPECT_TRUE(std::holds_alternative<ping_message>(ping->message));
    EXPECT_EQ(ping->ref, "keepalive");
    auto staff_ping = parse_staff_message(R"({"type":"ping"})", limits);
    ASSERT_TRUE(staff_ping);
    EXPECT_TRUE(std::holds_alternative<ping_message>(staff_ping->message));

    auto login = parse_login(R"({"username":"anna","password":"tajne hasło"})");
    ASSERT_TRUE(login);
    EXPECT_EQ(login->password, "tajne hasło");
    EXPECT_EQ(parse_login(R"({"username":"anna"})").error().code, error::missing_field);
    EXPECT_EQ(parse_login(R"({"username":"","password":"x"})").error().code, error::bad_value);
    EXPECT_EQ(parse_login(R"({"username":"anna","password":7})").error().code, error::wrong_type);
}

alert_view sample_alert() {
    alert_view a;
    a.id = 12;
    a.level = priority::urgent;
    a.via = channel::button;
    a.state = request_state::acknowledged;
    a.message = "Upadłam w łazience";
    a.created_at = 1795427700123;
    a.resident = {5, "Zofia Łęcka", "+48600100200", "ul. Źródlana 3", {"deaf", "wheelchair"}};
    a.acknowledged_by = person_ref{2, "Anna"};
    a.notify_count = 3;
    return a;
}

TEST(protocol_serialisers, alerts_carry_everything_staff_need_and_polish_text_intact) {
    auto a = sample_alert();
    auto m = obj(alert_json(a, true));
    EXPECT_EQ(m.at("type").as_string(), "alert");
    EXPECT_TRUE(m.at("renotified").as_bool());
    const auto& x = m.at("alert").as_object();
    EXPECT_EQ(x.at("id").as_int64(), 12);
    EXPECT_EQ(x.at("priority").as_string(), "urgent");
    EXPECT_EQ(x.at("channel").as_string(), "button");
    EXPECT_EQ(x.at("state").as_string(), "acknowledged");
    EXPECT_EQ(x.at("message").as_string(), "Upadłam w łazience");
    EXPECT_EQ(x.at("created_at").as_string(), "2026-11-23T09:55:00.123Z");
    EXPECT_EQ(x.at("resident").as_object().at("name").as_string(), "Zofia Łęcka");
    EXPECT_EQ(x.at("resident").as_object().at("needs").as_array().size(), 2u);
    EXPECT_EQ(x.at("acknowledged_by").as_object().at("name").as_string(), "Anna");
    EXPECT_EQ(x.at("notify_count").as_int64(), 3);

    a.acknowledged_by.reset();
    EXPECT_TRUE(obj(alert_update_json(a)).at("alert").as_object().at("acknowledged_by").is_null());

    std::vector<alert_view> two{sample_alert(), a};
    auto snap = obj(snapshot_json(two, staff_identity{2, "Anna", staff_role::coordinator, true}));
    EXPECT_EQ(snap.at("alerts").as_array().size(), 2u);
    EXPECT_EQ(snap.at("me").as_object().at("role").as_string(), "coordinator");
    EXPECT_TRUE(snap.at("me").as_object().at("on_duty").as_bool());
}

TEST(protocol_serialisers, replies_and_errors) {
    EXPECT_EQ(obj(ok_json("", 0)), obj(R"({"type":"ok"})"));
    EXPECT_EQ(obj(ok_json("a1", 9)), obj(R"({"type":"ok","ref":"a1","id":9})"));
    auto e = obj(error_json("x", "already_acknowledged", "Anna has it", person_ref{2, "Anna"}));
    EXPECT_EQ(e.at("code").as_string(), "already_acknowledged");
    EXPECT_EQ(e.at("holder").as_object().at("name").as_string(), "Anna");
    EXPECT_FALSE(obj(error_json("", "not_found", "no")).contains("holder"));
    EXPECT_FALSE(obj(error_json("", "not_found", "no")).contains("retry_after"));
    EXPECT_EQ(
        obj(error_json("r6", "too_many_presses", "za dużo", std::nullopt, 42)).at("retry_after").as_int64(),
        42);
    EXPECT_EQ(obj(accepted_json("r", 4, request_state::queued, false, true)),
              obj(R"({"type":"accepted","ref":"r","id":4,"state":"queued","created":false,"merged":true})"));
    EXPECT_EQ(obj(http_error_json("bad_request", "field 'id'")).at("error").as_object().at("code").as_string(),
              "bad_request");
    status_view alerting;
    alerting.id = 3;
    alerting.state = request_state::notifying;
    EXPECT_EQ(
        obj(request_created_json(alerting, false, 0)),
        obj(R"({"id":3,"state":"notifying","merged":false,"repeat_count":0,"office_closed":false,)"
            R"("opens_at":null,"text":{"pl":"Twoje zgłoszenie zostało przyjęte. Powiadamiamy pracowników urzędu.",)"
            R"("en":"Your request has been received. We are alerting the office staff."}})"));
    EXPECT_EQ(obj(login_json("t", 0)).at("expires_at").as_string(), "1970-01-01T00:00:00.000Z");
}

TEST(protocol_serialisers, resident_is_told_plainly_and_honestly) {
    auto s = status(request_state::acknowledged, priority::urgent, "Anna");
    auto m = obj(status_json(s));
    EXPECT_EQ(m.at("by").as_string(), "Anna");
    EXPECT_EQ(m.at("text").as_object().at("pl").as_string(), "Anna z urzędu skontaktuje się z Tobą.");
    EXPECT_EQ(m.at("text").as_object().at("en").as_string(), "Anna from the office will contact you.");

    auto queued = status(request_state::queued, priority::urgent);
    EXPECT_NE(resident_text(queued, "pl").find("112"), std::string::npos) << "urgent and waiting: point to 112";
    queued.level = priority::normal;
    EXPECT_EQ(resident_text(queued, "pl").find("112"), std::string::npos);
    auto notifying = status(request_state::notifying, priority::normal);
    EXPECT_NE(resident_text(notifying, "pl").find("Powiadamiamy"), std::string::npos);
    auto resolved = status(request_state::resolved, priority::normal, "Anna", outcome::visit_scheduled);
    EXPECT_NE(resident_text(resolved, "pl").find("wizyt"), std::string::npos);
    EXPECT_TRUE(obj(status_json(resolved)).at("outcome").as_string() == "visit_scheduled");
    EXPECT_EQ(resident_text(resolved, "de"), resident_text(resolved, "pl")) << "unknown languages fall back to Polish";
}

TEST(protocol_serialisers,
     a_resident_whose_request_closed_without_help_is_not_thanked_for_it_being_dealt_with) {
    for (auto how : {outcome::referred, outcome::emergency_services, outcome::no_contact, outcome::other}) {
        auto closed = status(request_state::resolved, priority::urgent, "Anna", how);
        auto pl = resident_text(closed, "pl"), en = resident_text(closed, "en");
        EXPECT_EQ(pl.find("Dziękujemy"), std::string::npos) << pl;
        EXPECT_EQ(en.find("dealt with"), std::string::npos) << en;
        EXPECT_NE(pl.find("zamknięte"), std::string::npos) << "says the request is closed: " << pl;
        EXPECT_NE(en.find("closed"), std::string::npos) << en;
    }
    auto unreached = status(request_state::resolved, priority::normal, "Anna", outcome::no_contact);
    EXPECT_NE(resident_text(unreached, "pl").find("Nie udało się z Tobą skontaktować"), std::string::npos);
    EXPECT_NE(resident_text(unreached, "pl").find("poproś o kontakt ponownie"), std::string::npos)
        << "tells them how to ask again";
    EXPECT_NE(
        resident_text(status(request_state::resolved, priority::normal, "Anna", outcome::emergency_services),
                      "pl")
            .find("112"),
        std::string::npos);
    EXPECT_EQ(
        resident_text(status(request_state::resolved, priority::normal, "Anna", outcome::called_back), "pl"),
        "Sprawa została zakończona. Dziękujemy.");
}

TEST(protocol_serialisers, request_details_embed_the_event_log) {
    std::vector<event_view> events{
        {1000, "created", "resident", person_ref{5, "Zofia"}, R"({"priority":"urgent"})"},
        {2000, "notified", "system", std::nullopt, "not json"},
    };
    auto d = obj(request_detail_json(sample_alert(), outcome::called_back, "ok", events));
    const auto& log = d.at("events").as_array();
    ASSERT_EQ(log.size(), 2u);
    EXPECT_EQ(log[0].as_object().at("actor").as_object().at("name").as_string(), "Zofia");
    EXPECT_EQ(log[0].as_object().at("detail").as_object().at("priority").as_string(), "urgent");
    EXPECT_FALSE(log[1].as_object().at("actor").as_object().contains("id"));
    EXPECT_TRUE(log[1].as_object().at("detail").as_object().empty()) << "a broken detail becomes {}";
    EXPECT_EQ(d.at("outcome").as_string(), "called_back");
}

TEST(protocol_serialisers, iso8601_of_known_instants) {
    EXPECT_EQ(iso8601(0), "1970-01-01T00:00:00.000Z");
    EXPECT_EQ(iso8601(951782400000), "2000-02-29T00:00:00.000Z");
    EXPECT_EQ(iso8601(1795427700123), "2026-11-23T09:55:00.123Z");
}

TEST(protocol_resident_text, the_office_closed_answer_says_when_it_opens_and_about_112) {
    status_view s;
    s.id = 18;
    s.state = request_state::queued;
    s.office_closed = true;
    s.opens_at_local = days_from_civil(2026, 11, 24) * ms_per_day + (7 * 60 + 30) * 60'000;
    EXPECT_EQ(resident_text(s, "pl"),
              "Urząd jest teraz zamknięty. Twoje zgłoszenie czeka w kolejce; urząd otwiera się we wtorek 24.11 o 7:30. "
              "ASK nie jest numerem alarmowym: jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.");
    EXPECT_EQ(resident_text(s, "en"),
              "The office is closed now. Your request is queued; the office opens on Tuesday 24 Nov at 7:30. "
              "ASK is not an emergency service: if life or health is in danger, call 112.");
    s.nobody_on_duty = true;
    EXPECT_EQ(resident_text(s, "pl").rfind("Nikt z urzędu nie ma teraz dyżuru.", 0), 0u);
    s.no_voice_calls = true;
    EXPECT_EQ(
        resident_text(s, "pl"),
        "Nikt z urzędu nie ma teraz dyżuru. Twoje zgłoszenie czeka w kolejce: dostanie je pierwsza osoba, "
        "która rozpocznie dyżur. ASK nie jest numerem alarmowym: jeśli zagrożone jest życie lub zdrowie, "
        "wezwij pomoc przez aplikację Alarm112 albo poproś kogoś o telefon pod 112.")
        << "a resident who cannot make a voice call is not told to call";
    EXPECT_EQ(
        resident_text(s, "en"),
        "Nobody at the office is on duty right now. Your request is queued: the first person to start duty "
        "will get it. ASK is not an emergency service: if life or health is in danger, get help through the "
        "Alarm112 app, or ask someone to call 112.");
    s.state = request_state::acknowledged;
    s.by = "Anna";
    s.nobody_on_duty = false;
    s.no_voice_calls = false;
    EXPECT_EQ(
        resident_text(s, "pl"),
        "Anna z urzędu ma Twoje zgłoszenie. Urząd jest teraz zamknięty; otwiera się we wtorek 24.11 o 7:30. "
        "ASK nie jest numerem alarmowym: jeśli zagrożone jest życie lub zdrowie, dzwoń pod 112.")
        << "taken, and the office closed: no promise of a call through the closed hours";
    EXPECT_EQ(
        resident_text(s, "en"),
        "Anna from the office has your request. The office is closed now; it opens on Tuesday 24 Nov at "
        "7:30. ASK is not an emergency service: if life or health is in danger, call 112.");
    s.office_closed = false;
    EXPECT_EQ(resident_text(s, "pl"), "Anna z urzędu skontaktuje się z Tobą.") << "taken, the office open";
    s.office_closed = true;
    s.state = request_state::contacted;
    EXPECT_EQ(resident_text(s, "en"), "Anna from the office has been in touch and is handling your request.");
}

// An urgent request waiting with the office open and someone reachable (queued between rings) points to 112
// too; a resident who cannot make a call is pointed to the Alarm112 app instead.
TEST(protocol_resident_text, an_urgent_request_waiting_points_to_112_in_the_way_the_resident_can_use) {
    status_view s;
    s.id = 5;
    s.state = request_state::queued;
    s.level = priority::urgent;
    EXPECT_EQ(resident_text(s, "pl"), "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu. Jeśli "
                                      "zagrożone jest życie lub zdrowie, dzwoń pod 112.");
    s.no_voice_calls = true;
    EXPECT_EQ(resident_text(s, "pl"),
              "Twoje zgłoszenie zostało przyjęte i czeka na pracownika urzędu. Jeśli "
              "zagrożone jest życie lub zdrowie, wezwij pomoc przez aplikację Alarm112 albo "
              "poproś kogoś o telefon pod 112.");
    EXPECT_EQ(resident_text(s, "en"),
              "Your request has been received and is waiting for a member of staff. If life "
              "or health is in danger, get help through the Alarm112 app, or ask someone to "
              "call 112.");
}

TEST(protocol_parse, the_new_staff_messages) {
    auto contacted = parse_staff_message(R"({"type":"contacted","id":3,"note":"tel."})", {});
    ASSERT_TRUE(contacted);
    EXPECT_EQ(std::get<contacted_message>(contacted->message).note, "tel.");
    EXPECT_TRUE(parse_staff_message(R"({"type":"release","id":3})", {}));
    EXPECT_TRUE(parse_staff_message(R"({"type":"escalate","id":3})", {}));
    EXPECT_FALSE(parse_staff_message(R"({"type":"escalate"})", {}));
    EXPECT_FALSE(parse_staff_message(R"({"type":"note","id":3,"text":""})", {}));
    EXPECT_FALSE(parse_staff_message(R"({"type":"note","id":3,"text":5})", {}));
    EXPECT_TRUE(parse_duty(R"({"on":false})"));
    EXPECT_FALSE(parse_duty(R"({"on":1})"));
    EXPECT_FALSE(parse_duty("[]"));
}

} // namespace
} // namespace ask::protocol
