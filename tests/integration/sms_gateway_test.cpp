// SMS end to end against the real askd, with every provider faked by a real HTTP server on
// loopback speaking that provider's documented send API (tests/support/fake_provider.hpp):
// a text in → dashboard alert → texts to the resident and to staff → a "12a" reply → the
// acknowledgement texted to the resident; duplicate webhooks, bad signatures, unknown senders,
// STOP, a provider down and back, and failover.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"
#include "tests/integration/twilio_webhook.hpp"
#include "tests/support/fake_provider.hpp"

#include "gateways/crypto.hpp"
#include "gateways/vonage.hpp"
#include "gateways/webhook.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <future>
#include <map>
#include <optional>
#include <set>
#include <thread>

namespace ask::test {
namespace {

// The urgent ladder of most tests: a text to whoever is on duty after 1 s.
constexpr const char* one_sms_step = R"({ after_seconds = 1, who = "on_duty", how = ["sms"] })";

// The providers exist before askd's config is written: a base initialised before office_fixture.
struct providers {
    fake_provider twilio{{201, "application/json", R"({"sid":"SMfake0000000000000000000000000001","status":"queued"})"}};
    fake_provider smsapi{{200, "application/json", R"({"count":1,"list":[{"id":"77","points":0.16,"status":"QUEUE"}]})"}};
    fake_provider vonage{{200, "application/json", R"({"message-count":"1","messages":[{"message-id":"v1","status":"0"}]})"}};
    fake_provider smsgate{{202, "application/json", R"({"id":"g1","state":"Pending"})"}};

    /// `sms`: more keys of the [sms] table; `parts_wait`: how long a long text's missing parts are awaited;
    /// `urgent_steps`: the urgent ladder's steps; `ack_timeout`: its ack_timeout_seconds (0: no follow-ups).
    std::string toml(const std::string& sms = "", int parts_wait = 1,
                     const std::string& urgent_steps = one_sms_step, int ack_timeout = 0) const {
        return fmt::format(R"(
[alerts]
renotify_seconds = 60
[escalation.urgent]
ack_timeout_seconds = {}
repeat = 0
steps = [{}]
[sms]
sender = "smsapi"
failover = "twilio"
max_attempts = 3
send_timeout_seconds = 2
parts_wait_seconds = {}
{}
[gateways.twilio]
enabled = true
base_url = "{}"
account_sid = "AC1"
auth_token = "tw-token"
auth_token_previous = "tw-old"
from = "+48732100200"
[gateways.smsapi]
enabled = true
base_url = "{}"
token = "sa-token"
username = "gmina"
webhook_key = "sa-hook-0123456789abcdef"
from = "ASK"
[gateways.vonage]
enabled = true
base_url = "{}"
api_key = "vk"
api_secret = "vs"
signature_secret = "v-secret"
signature_method = "sha256"
from = "ASK"
[gateways.smsgate]
enabled = true
base_url = "{}"
username = "u"
password = "p"
signing_key = "sg-key"
)",
                           ack_timeout, urgent_steps, parts_wait, sms, twilio.base_url(), smsapi.base_url(),
                           vonage.base_url(), smsgate.base_url());
    }
};

class sms_gateways : public providers, public office_fixture {
protected:
    /// `offices`: [[offices]] tables after the SMS settings (none: the one default office); `sms`:
    /// more keys of [sms].
    explicit sms_gateways(const std::string& offices = "", const std::string& store = "",
                          const std::string& sms = "", int parts_wait = 1,
                          const std::string& urgent_steps = one_sms_step, int ack_timeout = 0)
        : office_fixture(providers::toml(sms, parts_wait, urgent_steps, ack_timeout) + offices, store) {}

    void SetUp() override {
        office_fixture::SetUp();
        // Anna's phone, so the ladder can text her and her replies are recognised.
        auto r = run_askd({"staff", "add", "--config", askd.config_path(), "--username", "ola", "--name", "Ola",
                           "--phone", "+48 600 000 001"},
                          std::string(staff_password) + "\n");
        ASSERT_EQ(r.exit_code, 0) << r.err;
    }

    /// A signed Twilio inbound webhook from `from` to our number `to`.
    http_reply twilio_text(const std::string& sid, const std::string& from, const std::string& body,
                           const std::string& token = "tw-token", const std::string& to = "+48732100200") {
        gateways::params form{
            {"MessageSid", sid}, {"AccountSid", "AC1"}, {"From", from}, {"To", to}, {"Body", body}};
        return twilio_webhook(port(), form, token);
    }

    /// Jan texts in and `dashboard` rings: the new request's id (0, and a failure, if not).
    std::int64_t jan_texts_in(ws_client& dashboard, const std::string& sid) {
        EXPECT_EQ(twilio_text(sid, "+48600100200", "Proszę o telefon").status, 200);
        auto alert = dashboard.next_of("alert", 2s);
        EXPECT_TRUE(alert);
        return alert ? alert->at("alert").as_object().at("id").as_int64() : 0;
    }

    http_reply smsgate_text(const std::string& id, const std::string& from, const std::string& text,
                            const std::string& path = "/webhooks/sms/smsgate") {
        std::string body = fmt::format(
            R"({{"deviceId":"d1","event":"sms:received","id":"{}","payload":{{"messageId":"m-{}","message":"{}","sender":"{}","recipient":null}},"webhookId":"w"}})",
            id, id, text, from);
        auto stamp = std::to_string(std::time(nullptr));
        auto sig = gateways::to_hex(gateways::hmac(gateways::digest::sha256, "sg-key", body + stamp));
        return http_request(
            port(), "POST", path, body,
            {{"Content-Type", "application/json"}, {"X-Signature", sig}, {"X-Timestamp", stamp}});
    }

    /// A signed Vonage inbound webhook (form POST); `extra` adds fields such as the concat-* of a long text.
    http_reply vonage_text(const std::string& id, const std::string& from, const std::string& text,
                           const gateways::params& extra = {}, const std::string& to = "48732100200") {
        gateways::params ps{{"msisdn", from},    {"to", to},
                            {"messageId", id},   {"text", text},
                            {"type", "unicode"}, {"timestamp", std::to_string(std::time(nullptr))}};
        ps.insert(ps.end(), extra.begin(), extra.end());
        ps.emplace_back("sig", gateways::vonage_signature(ps, "v-secret", "sha256"));
        return http_request(port(), "POST", "/webhooks/sms/vonage", gateways::form_encode(ps),
                            {{"Content-Type", "application/x-www-form-urlencoded"}});
    }
    static gateways::params part(const std::string& ref, int index, int total) {
        return {{"concat", "true"}, {"concat-ref", ref}, {"concat-part", std::to_string(index)},
                {"concat-total", std::to_string(total)}};
    }
    /// The parts `sent` (index -> words, message id `id_prefix` + index) of a long Vonage text whose
    /// other parts do not come, and the alert `dashboard` rings with the request the timer makes of
    /// them once parts_wait_seconds (1) is up; nullopt if none came.
    std::optional<boost::json::object> text_with_a_gap(ws_client& dashboard, const std::string& id_prefix,
                                                       const std::string& from, const std::string& ref,
                                                       int total, const std::map<int, std::string>& sent) {
        for (const auto& [index, words] : sent)
            EXPECT_EQ(
                vonage_text(id_prefix + std::to_string(index), from, words, part(ref, index, total)).status,
                204);
        auto alert = dashboard.next_of("alert", 5s); // checked every second
        if (!alert)
            return std::nullopt;
        return alert->at("alert").as_object();
    }

    /// Runs `sql` on askd's database from another connection (a trigger that makes a write fail, say).
    void change_schema(const char* sql) { change_the_file(askd.db_path(), sql); }

    /// The form field `field` of each text to `digits` (no '+') the fake SMSAPI was asked to send, in order.
    std::vector<std::string> smsapi_field_to(const std::string& digits, const std::string& field) {
        std::vector<std::string> out;
        for (const auto& r : smsapi.requests()) {
            auto form = form_fields(r.body);
            if (form["to"] == digits)
                out.push_back(form[field]);
        }
        return out;
    }
    /// Texts the fake SMSAPI was asked to send to `digits`, by message text.
    std::vector<std::string> smsapi_texts_to(const std::string& digits) {
        return smsapi_field_to(digits, "message");
    }
    /// How many texts to `digits` the fake SMSAPI has had, once no more came for 300 ms: a request a killed
    /// askd wrote just before it died may still be read after it.
    std::size_t settled_count_to(const std::string& digits) {
        auto count = smsapi_texts_to(digits).size();
        for (;;) {
            std::this_thread::sleep_for(300ms);
            auto now = smsapi_texts_to(digits).size();
            if (now == count)
                return count;
            count = now;
        }
    }
    /// The idx (text_key.hpp) of each text to `digits` the fake SMSAPI was asked to send, in order.
    std::vector<std::string> smsapi_idx_to(const std::string& digits) {
        return smsapi_field_to(digits, "idx");
    }
    bool wait_text(const std::string& digits, const std::string& fragment, std::chrono::milliseconds limit = 4s) {
        auto until = std::chrono::steady_clock::now() + limit;
        for (;;) {
            for (const auto& t : smsapi_texts_to(digits))
                if (t.find(fragment) != std::string::npos)
                    return true;
            if (std::chrono::steady_clock::now() > until)
                return false;
            std::this_thread::sleep_for(50ms);
        }
    }
};

bool alert_for(const boost::json::object& m, std::int64_t id) {
    return m.at("alert").as_object().at("id").as_int64() == id;
}

TEST_F(sms_gateways, a_text_in_alerts_staff_who_acknowledge_by_text_and_the_resident_is_told_by_text) {
    auto ola = dashboard("ola");
    auto in = twilio_text("SM0001", "+48600100200", "PILNE, upadłem");
    ASSERT_EQ(in.status, 200) << in.body << askd.log();
    EXPECT_EQ(in.headers["content-type"], "text/xml");
    EXPECT_EQ(in.body, R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert);
    const auto& a = alert->at("alert").as_object();
    auto id = a.at("id").as_int64();
    EXPECT_EQ(str(a.at("channel")), "sms");
    EXPECT_EQ(str(a.at("priority")), "urgent") << "PILNE means urgent";
    EXPECT_EQ(str(a.at("resident").as_object().at("name")), "Jan Kowalski") << "found by his number";

    // Jan hears it was received, with its number, through the configured sender (SMSAPI).
    ASSERT_TRUE(wait_text("48600100200", "zgłoszenie nr " + std::to_string(id))) << askd.log();
    auto request = smsapi.requests().front();
    EXPECT_EQ(request.target, "/sms.do");
    EXPECT_EQ(request.headers["authorization"], "Bearer sa-token");

    // The ladder texts Ola (on duty) after 1 s, short and with the reply code.
    auto code = std::to_string(id) + "a";
    ASSERT_TRUE(wait_text("48600000001", "Odpisz " + code)) << askd.log();
    for (const auto& t : smsapi_texts_to("48600000001"))
        EXPECT_EQ(t.find("upadłem"), std::string::npos) << "no health details in a staff text: " << t;

    // Ola answers from her phone through another gateway; the reply is confirmed to her.
    auto answer = smsgate_text("r-1", "+48600000001", code);
    ASSERT_EQ(answer.status, 200) << answer.body;
    EXPECT_TRUE(ola->next_of("alert_update", 2s, [&](const auto& m) {
        return alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "acknowledged";
    }));
    EXPECT_TRUE(wait_text("48600000001", "przyjęto zgłoszenie nr " + std::to_string(id)));
    EXPECT_TRUE(wait_text("48600100200", "Ola z urzędu skontaktuje się z Tobą.")) << "Jan is told who, by text";

    // A bare "c" closes the latest request texted to her.
    ASSERT_EQ(smsgate_text("r-3", "+48600000001", "c").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "zamknięto zgłoszenie nr " + std::to_string(id)));
    EXPECT_TRUE(ola->next_of("alert_update", 2s, [&](const auto& m) {
        return alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "resolved";
    }));

    // Anything else from a staff phone gets the short help text.
    ASSERT_EQ(smsgate_text("r-2", "+48600000001", "co mam zrobić?").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "12a przyjmij"));
}

// The provider's setting for incoming messages pointed at the status URL by mistake: a resident's text there
// is still a request (answered 2xx as a report nobody could match, it would be lost without a trace).
TEST_F(sms_gateways, a_text_posted_to_the_status_url_is_still_a_request) {
    auto ola = dashboard("ola");
    gateways::params form{{"MessageSid", "SM0030"},    {"SmsSid", "SM0030"},     {"SmsStatus", "received"},
                          {"AccountSid", "AC1"},       {"From", "+48600100200"}, {"To", "+48732100200"},
                          {"Body", "Proszę o telefon"}};
    auto twilio = twilio_webhook(port(), form, "tw-token", "/webhooks/sms/twilio/status");
    ASSERT_EQ(twilio.status, 200) << twilio.body << askd.log();
    auto first = ola->next_of("alert", 2s);
    ASSERT_TRUE(first) << askd.log();
    EXPECT_EQ(str(first->at("alert").as_object().at("channel")), "sms");

    auto gate = smsgate_text("r-30", "+48600300400", "Pomocy, upadłam", "/webhooks/sms/smsgate/status");
    ASSERT_EQ(gate.status, 200) << gate.body << askd.log();
    auto second = ola->next_of("alert", 2s);
    ASSERT_TRUE(second) << askd.log();
    EXPECT_NE(second->at("alert").as_object().at("id").as_int64(),
              first->at("alert").as_object().at("id").as_int64());
    EXPECT_NE(askd.log().find("a text came to the status URL"), std::string::npos);
}

// Ola has taken Jan's request when she is texted about a second one, urgent, that nobody has handled. Her
// bare "c", meant for Jan's, would close the latest she was texted about: it is refused and she is told how
// to close the one she has (not the urgent one's number: "Nc" would close it unhandled); the urgent request
// stays open and still rings. Its text offered her "a" alone.
TEST_F(sms_gateways, a_bare_c_closes_nothing_its_sender_does_not_have) {
    auto ola = dashboard("ola");
    auto jans = jan_texts_in(*ola, "SM0020");
    ASSERT_NE(jans, 0);
    ola->send(boost::json::object{{"type", "ack"}, {"id", jans}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ASSERT_EQ(twilio_text("SM0021", "+48511222399", "PILNE, upadłam").status, 200);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert) << askd.log();
    auto urgent = alert->at("alert").as_object().at("id").as_int64();
    const auto offer = "Odpisz " + std::to_string(urgent) + "a, aby przyjąć.";
    ASSERT_TRUE(wait_text("48600000001", offer)) << askd.log();

    ASSERT_EQ(smsgate_text("r-20", "+48600000001", "c").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "samo c zamyka tylko zgłoszenie, które masz. Masz zgłoszenie nr " +
                                             std::to_string(jans) + ": aby je zamknąć, odpisz " +
                                             std::to_string(jans) + "c. Nic nie zmieniono."))
        << "she is told how to close hers, never the urgent one's number\n"
        << askd.log();
    db_probe db(askd.db_path());
    const auto states = "SELECT id, state FROM requests ORDER BY id";
    EXPECT_EQ(db.rows(states),
              (std::vector<std::vector<std::string>>{{std::to_string(jans), "acknowledged"},
                                                     {std::to_string(urgent), "notifying"}}));
    for (const auto& t : smsapi_texts_to("48600000001")) {
        EXPECT_EQ(t.find("c, aby zamknąć"), std::string::npos)
            << "closing offered for a waiting request: " << t;
        EXPECT_EQ(t.find(std::to_string(urgent) + "c"), std::string::npos)
            << "the waiting one's closing: " << t;
    }
}

TEST_F(sms_gateways, every_text_and_its_delivery_report_are_in_the_request_history) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0500");
    ASSERT_NE(id, 0);
    ASSERT_TRUE(wait_text("48600100200", "zgłoszenie nr"));
    auto report = http_request(port(), "POST", "/webhooks/sms/smsapi/status?key=sa-hook-0123456789abcdef",
                               "MsgId=77&status=404&status_name=DELIVERED&username=gmina",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(report.status, 200) << report.body;
    // The provider's copy of it (its first delivery unanswered in time) is answered as taken, and is in the
    // history once.
    auto copy = http_request(port(), "POST", "/webhooks/sms/smsapi/status?key=sa-hook-0123456789abcdef",
                             "MsgId=77&status=404&status_name=DELIVERED&username=gmina",
                             {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(copy.status, 200) << copy.body;
    auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events",
                           login(port(), "ola", staff_password)).json().at("events").as_array();
    EXPECT_EQ(
        std::count_if(events.begin(), events.end(),
                      [](const auto& e) { return e.as_object().at("kind").as_string() == "sms_status"; }),
        1)
        << "a delivery report sent again was recorded twice";
    std::string kinds;
    for (const auto& e : events) {
        const auto& o = e.as_object();
        kinds += std::string(o.at("kind").as_string()) + " ";
        if (o.at("kind").as_string() == "sms_sent") {
            EXPECT_EQ(str(o.at("detail").as_object().at("provider_id")), "77");
            EXPECT_FALSE(o.at("detail").as_object().contains("error")) << "a text sent has no error";
            EXPECT_FALSE(o.at("detail").as_object().contains("repeat")) << "taken at its first try";
            EXPECT_TRUE(o.at("detail").as_object().at("ucs2").as_bool()) << "Polish text goes as UCS-2";
        }
        if (o.at("kind").as_string() == "sms_status") {
            EXPECT_EQ(str(o.at("detail").as_object().at("status")), "DELIVERED");
        }
    }
    EXPECT_NE(kinds.find("resident_sms"), std::string::npos) << kinds;
    EXPECT_NE(kinds.find("sms_sent"), std::string::npos) << kinds;
    EXPECT_NE(kinds.find("sms_status"), std::string::npos) << kinds;
    EXPECT_EQ(http_request(port(), "POST", "/webhooks/sms/smsapi/status?key=sa-hook-0123456789abcdef",
                           "MsgId=77&status=404&username=intruder",
                           {{"Content-Type", "application/x-www-form-urlencoded"}})
                  .status,
              403);
}

// Twilio posts delivery reports only where each text asks it to (sms-gateways.md 1.5). With
// server.public_url set, each text asks for {public_url}/webhooks/sms/twilio/status, and a report posted
// there, signed for that URL, is in the request's history.
class twilio_reports : public sms_gateways {
  protected:
    static constexpr const char* public_url = "https://ask.gmina.example";
    twilio_reports() { askd.set_server_toml(fmt::format("public_url = \"{}\"", public_url)); }
};

TEST_F(twilio_reports, each_text_asks_twilio_for_its_delivery_report_at_the_public_url) {
    smsapi.set_down(true); // the failover, Twilio, carries the texts
    auto ola = dashboard("ola");
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(twilio.wait_for(1, 15s)) << "the ladder's text to Ola\n" << askd.log();
    auto form = form_fields(twilio.requests().front().body);
    EXPECT_EQ(form["StatusCallback"], std::string(public_url) + "/webhooks/sms/twilio/status");
    auto token = login(port(), "ola", staff_password);
    auto kinds_of_events = [&] {
        std::string kinds;
        auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events", token).json();
        for (const auto& e : events.at("events").as_array())
            kinds += std::string(e.as_object().at("kind").as_string()) + " ";
        return kinds;
    };
    ASSERT_TRUE(eventually([&] { return kinds_of_events().find("sms_sent") != std::string::npos; }, 5s))
        << kinds_of_events() << askd.log();

    gateways::params report{{"MessageSid", "SMfake0000000000000000000000000001"},
                            {"MessageStatus", "undelivered"},
                            {"ErrorCode", "30003"},
                            {"AccountSid", "AC1"},
                            {"To", "+48600000001"},
                            {"From", "+48732100200"}};
    auto posted = twilio_webhook(port(), report, "tw-token", "/webhooks/sms/twilio/status", public_url);
    ASSERT_EQ(posted.status, 200) << posted.body << askd.log();
    auto events = http_get(port(), "/api/v1/requests/" + std::to_string(id) + "/events", token)
                      .json()
                      .at("events")
                      .as_array();
    std::string statuses;
    for (const auto& e : events)
        if (e.as_object().at("kind").as_string() == "sms_status")
            statuses += str(e.as_object().at("detail").as_object().at("status")) + " ";
    EXPECT_NE(statuses.find("undelivered"), std::string::npos) << statuses;
}

TEST_F(sms_gateways, a_retried_webhook_changes_nothing_and_gets_the_same_success) {
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0100", "+48600300400", "Proszę o telefon").status, 200);
    ASSERT_TRUE(ola->next_of("alert", 2s));
    ASSERT_EQ(twilio_text("SM0100", "+48600300400", "Proszę o telefon").status, 200);
    auto bob = dashboard("bob", false);
    ASSERT_EQ(last_snapshot.at("alerts").as_array().size(), 1u);
    EXPECT_EQ(last_snapshot.at("alerts").as_array()[0].as_object().at("repeat_count").as_int64(), 0)
        << "a retry is not a second press";
    // A different text from Maria while hers is open is "I still need help".
    ASSERT_EQ(twilio_text("SM0101", "+48600300400", "Nadal czekam").status, 200);
    auto fresh = dashboard("bob", false);
    EXPECT_EQ(last_snapshot.at("alerts").as_array()[0].as_object().at("repeat_count").as_int64(), 1);
}

// Maria's second text may say it got worse: its words ring on the dashboards with her request, beside her
// first message, and are still there after askd starts again (they are stored with the request).
TEST_F(sms_gateways, a_second_texts_words_ring_with_the_request_beside_the_first) {
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0110", "+48600300401", "Proszę o telefon").status, 200);
    auto first = ola->next_of("alert", 2s);
    ASSERT_TRUE(first) << askd.log();
    EXPECT_EQ(str(first->at("alert").as_object().at("latest_message")), "");
    ASSERT_EQ(twilio_text("SM0111", "+48600300401", "Upadłam, nie mogę wstać").status, 200);
    auto again = ola->next_of("alert", 2s);
    ASSERT_TRUE(again) << askd.log();
    const auto& rung = again->at("alert").as_object();
    EXPECT_EQ(str(rung.at("message")), "Proszę o telefon");
    EXPECT_EQ(str(rung.at("latest_message")), "Upadłam, nie mogę wstać");
    ola.reset();

    ASSERT_EQ(askd.terminate(5s), 0) << askd.log();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    dashboard("ola");
    const auto& kept = last_snapshot.at("alerts").as_array().at(0).as_object();
    EXPECT_EQ(str(kept.at("message")), "Proszę o telefon");
    EXPECT_EQ(str(kept.at("latest_message")), "Upadłam, nie mogę wstać");
}

TEST_F(sms_gateways, bad_signatures_are_refused_and_store_nothing) {
    auto ola = dashboard("ola");
    EXPECT_EQ(twilio_text("SM0200", "+48600100200", "Pomocy", "wrong-token").status, 403);
    EXPECT_EQ(twilio_text("SM0201", "+48600100200", "Pomocy", "tw-old").status, 200) << "the previous token, mid-rotation";
    ASSERT_TRUE(ola->next_of("alert", 2s));
    auto forged = http_request(port(), "POST", "/webhooks/sms/smsgate",
                               R"({"event":"sms:received","id":"x","payload":{"sender":"+48600300400","message":"SOS"}})",
                               {{"Content-Type", "application/json"}, {"X-Signature", "00"},
                                {"X-Timestamp", std::to_string(std::time(nullptr))}});
    EXPECT_EQ(forged.status, 403);
    // SMSAPI signs nothing: a callback without our key in its URL, or with another, is anyone's.
    for (std::string target :
         {"/webhooks/sms/smsapi", "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdeX",
          "/webhooks/sms/smsapi?key=", "/webhooks/sms/smsapi?sms_from=48600000001&sms_text=1c"})
        EXPECT_EQ(http_request(port(), "POST", target,
                               "sms_from=48600300400&sms_text=SOS&MsgId=0&username=gmina",
                               {{"Content-Type", "application/x-www-form-urlencoded"}})
                      .status,
                  403)
            << target;
    EXPECT_EQ(http_request(port(), "POST", "/webhooks/sms/smsapi/status",
                           "MsgId=77&status=404&username=gmina",
                           {{"Content-Type", "application/x-www-form-urlencoded"}})
                  .status,
              403)
        << "a delivery report without the key";
    auto smsapi_wrong_account =
        http_request(port(), "POST", "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdef",
                     "sms_from=48600300400&sms_text=SOS&MsgId=1&username=someone-else",
                     {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(smsapi_wrong_account.status, 403);
    auto smsapi_ok = http_request(port(), "POST", "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdef",
                                  "sms_from=48600300400&sms_text=SOS&MsgId=2&username=gmina",
                                  {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(smsapi_ok.status, 200);
    EXPECT_EQ(smsapi_ok.body, "OK");
    auto bob = dashboard("bob", false);
    EXPECT_EQ(last_snapshot.at("alerts").as_array().size(), 2u) << "only the two genuine texts were stored";
    EXPECT_NE(askd.log().find("signature check failed"), std::string::npos);
}

TEST_F(sms_gateways, a_raw_hash_or_space_in_a_webhook_is_part_of_the_text) {
    // Found by fuzzing: the form decoder once read past its buffer on a '#', and askd fell over.
    auto ola = dashboard("ola");
    auto posted = http_request(
        port(), "POST", "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdef",
        "sms_from=48600300400&sms_text=Mieszkanie 3#2, prosz%C4%99 o telefon&MsgId=h1&username=gmina",
        {{"Content-Type", "application/x-www-form-urlencoded"}});
    ASSERT_EQ(posted.status, 200) << posted.body << askd.log();
    auto first = ola->next_of("alert", 2s);
    ASSERT_TRUE(first) << askd.log();
    EXPECT_EQ(str(first->at("alert").as_object().at("message")), "Mieszkanie 3#2, proszę o telefon");
    auto got = http_request(
        port(), "GET",
        "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdef&sms_from=48600300401&sms_text=Pok%C3%B3j+4#" +
            std::string(60, 'Y') + "&MsgId=h2&username=gmina");
    ASSERT_EQ(got.status, 200) << got.body << askd.log();
    auto second = ola->next_of("alert", 2s);
    ASSERT_TRUE(second) << askd.log();
    EXPECT_EQ(str(second->at("alert").as_object().at("message")), "Pokój 4#" + std::string(60, 'Y'));
    auto broken = http_request(port(), "POST", "/webhooks/sms/smsapi?key=sa-hook-0123456789abcdef",
                               "sms_from=48600300402&sms_text=%E&MsgId=h3&username=gmina",
                               {{"Content-Type", "application/x-www-form-urlencoded"}});
    EXPECT_EQ(broken.status, 400) << "a broken %-escape is a clear refusal";
    EXPECT_TRUE(ola->quiet_for("alert", 300ms)) << "and stores nothing";
}

TEST_F(sms_gateways, an_unknown_number_still_makes_a_request_flagged_unknown_sender) {
    auto ola = dashboard("ola");
    auto in = vonage_text("0A0001", "48511222333", "Sąsiadka potrzebuje pomocy");
    ASSERT_EQ(in.status, 204) << "Vonage asks for 200 or 204 with no body: " << in.body;
    EXPECT_TRUE(in.body.empty());
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert);
    const auto& resident = alert->at("alert").as_object().at("resident").as_object();
    EXPECT_TRUE(resident.at("unknown_sender").as_bool());
    EXPECT_EQ(str(resident.at("phone")), "+48511222333");
    EXPECT_EQ(str(alert->at("alert").as_object().at("priority")), "urgent") << "\"pomocy\" means urgent";

    // The office finds the number among its residents, to register it or remove it later.
    auto listed = run_askd({"resident", "list", "--config", askd.config_path()});
    ASSERT_EQ(listed.exit_code, 0) << listed.err;
    auto rows = listing_rows(listed.out);
    auto row = std::find_if(rows.begin(), rows.end(), [](auto& r) { return r["phone"] == "+48511222333"; });
    ASSERT_NE(row, rows.end()) << listed.out;
    EXPECT_EQ((*row)["source"], "texted_in");
    EXPECT_EQ((*row)["open_requests"], "1");
    EXPECT_EQ((*row)["id"], std::to_string(resident.at("id").as_int64()));

    // A call back tells who it is: naming the number registers it, and the open request's card says so.
    auto named = run_askd({"resident", "edit", "--config", askd.config_path(), "--id", (*row)["id"], "--name",
                           "Helena Nowak", "--address", "ul. Krótka 3"});
    ASSERT_EQ(named.exit_code, 0) << named.err;
    auto update = ola->next_of("alert_update", 5s, [](const auto& m) {
        return m.at("alert").at("resident").at("name") == "Helena Nowak";
    });
    ASSERT_TRUE(update) << askd.log();
    EXPECT_FALSE(update->at("alert").at("resident").at("unknown_sender").as_bool());
    EXPECT_EQ(str(update->at("alert").at("resident").at("address")), "ul. Krótka 3");
    // Her next text is hers: the same resident, no new placeholder.
    ASSERT_EQ(vonage_text("0A0002", "48511222333", "To znowu ja").status, 204);
    ASSERT_TRUE(ola->next_of("alert", 2s, [](const auto& m) {
        return m.at("alert").at("latest_message") == "To znowu ja" &&
               m.at("alert").at("resident").at("name") == "Helena Nowak";
    })) << askd.log();
    EXPECT_EQ(db_probe(askd.db_path()).rows("SELECT count(*) FROM residents WHERE phone = '+48511222333'"),
              (std::vector<std::vector<std::string>>{{"1"}}));
}

TEST_F(sms_gateways, a_long_text_in_parts_is_one_request_in_the_right_order) {
    auto ola = dashboard("ola");
    ASSERT_EQ(vonage_text("0B0002", "48511222334", "do mnie jak najszybciej.", part("7f", 2, 2)).status, 204);
    EXPECT_TRUE(ola->quiet_for("alert", 300ms)) << "half a text is held until the rest arrives";
    ASSERT_EQ(vonage_text("0B0001", "48511222334", "Proszę o telefon ", part("7f", 1, 2)).status, 204);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert) << askd.log();
    EXPECT_EQ(str(alert->at("alert").as_object().at("message")), "Proszę o telefon do mnie jak najszybciej.");
    EXPECT_TRUE(ola->quiet_for("alert", 300ms)) << "one text, one request";
}

TEST_F(sms_gateways, a_long_text_missing_a_part_still_reaches_staff_with_the_gap_marked) {
    auto ola = dashboard("ola");
    auto alert = text_with_a_gap(*ola, "0C000", "48511222335", "80", 3,
                                 {{1, "Upadłam w kuchni, "}, {3, "drzwi są otwarte."}});
    ASSERT_TRUE(alert) << "the parts that arrived must not be lost\n" << askd.log();
    EXPECT_EQ(str(alert->at("message")), "Upadłam w kuchni, (…)drzwi są otwarte.");
}

// A part that comes after its text was delivered without it (parts_wait_seconds = 1 here) completes
// that request's message, quietly: it is not the resident writing again. Before, it waited as a text of
// its own, then was merged as a second press, which raised the request to urgent and rang it again.
TEST_F(sms_gateways, a_late_part_completes_its_requests_message_without_ringing) {
    auto ola = dashboard("ola");
    auto alert =
        text_with_a_gap(*ola, "0E000", "48511222337", "90", 3, {{1, "Proszę o telefon, "}, {3, "dziękuję."}});
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("id").as_int64();
    EXPECT_EQ(str(alert->at("message")), "Proszę o telefon, (…)dziękuję.");
    ASSERT_TRUE(wait_text("48511222337", "")) << "the resident is told it arrived";
    const auto told_before = smsapi_texts_to("48511222337").size();

    ASSERT_EQ(vonage_text("0E0002", "48511222337", "jestem w domu po 15, ", part("90", 2, 3)).status, 204);
    auto update = ola->next_of("alert_update", 2s, [&](const auto& m) { return alert_for(m, id); });
    ASSERT_TRUE(update) << askd.log();
    EXPECT_EQ(str(update->at("alert").as_object().at("message")),
              "Proszę o telefon, jestem w domu po 15, dziękuję.");
    ASSERT_EQ(vonage_text("0E0002", "48511222337", "jestem w domu po 15, ", part("90", 2, 3)).status, 204)
        << "the provider's retry";
    EXPECT_TRUE(ola->quiet_for("alert", 2500ms))
        << "a late part is not a new press; its retry is not a text either";
    db_probe db(askd.db_path());
    EXPECT_EQ(
        db.rows("SELECT repeat_count, priority, message FROM requests WHERE id = " + std::to_string(id)),
        (std::vector<std::vector<std::string>>{
            {"0", "normal", "Proszę o telefon, jestem w domu po 15, dziękuję."}}));
    EXPECT_EQ(
        db.rows("SELECT count(*) FROM request_events WHERE kind = 'message_completed' AND request_id = " +
                std::to_string(id)),
        (std::vector<std::vector<std::string>>{{"1"}}));
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests"), (std::vector<std::vector<std::string>>{{"1"}}));
    EXPECT_EQ(smsapi_texts_to("48511222337").size(), told_before) << "nothing new to tell the resident";
}

// Words that make a request urgent count, late or not: the late part raises its normal request to
// urgent and rings it, as the resident writing again would, and the message has every part.
TEST_F(sms_gateways, a_late_part_that_asks_for_urgent_help_raises_its_request) {
    auto ola = dashboard("ola");
    auto alert = text_with_a_gap(*ola, "0F000", "48511222338", "91", 2, {{1, "Dzień dobry, "}});
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("id").as_int64();
    EXPECT_EQ(str(alert->at("priority")), "normal");

    ASSERT_EQ(vonage_text("0F0002", "48511222338", "upadłam, pomocy.", part("91", 2, 2)).status, 204);
    auto rung = ola->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, id); });
    ASSERT_TRUE(rung) << askd.log();
    EXPECT_EQ(str(rung->at("alert").as_object().at("priority")), "urgent");
    auto update = ola->next_of("alert_update", 2s, [&](const auto& m) {
        return alert_for(m, id) &&
               str(m.at("alert").as_object().at("message")) == "Dzień dobry, upadłam, pomocy.";
    });
    EXPECT_TRUE(update) << "the message has both parts\n" << askd.log();
    ASSERT_TRUE(update);
    EXPECT_EQ(str(update->at("alert").as_object().at("latest_message")), "")
        << "the card would show the same words twice";
}

// A late part of a closed request's text reaches staff as a request of its own, with the words
// joined again so whoever reads it sees what it belongs to.
TEST_F(sms_gateways, a_late_part_of_a_closed_requests_text_is_a_new_request) {
    auto ola = dashboard("ola");
    auto alert = text_with_a_gap(*ola, "10000", "48511222339", "92", 2, {{1, "Proszę oddzwonić "}});
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("id").as_int64();
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ola->send(boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "other"}, {"ref", "done"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();

    ASSERT_EQ(vonage_text("100002", "48511222339", "jutro rano.", part("92", 2, 2)).status, 204);
    auto again = ola->next_of("alert", 2s, [&](const auto& m) { return !alert_for(m, id); });
    ASSERT_TRUE(again) << askd.log();
    EXPECT_EQ(str(again->at("alert").as_object().at("message")), "Proszę oddzwonić jutro rano.");
}

// A part that came while its text was being delivered without it waits in the store as a group of its
// own (put there below while askd is stopped, as such a race leaves it). The timer finds it late: it
// completes the request, rather than being delivered as the resident writing again.
TEST_F(sms_gateways, a_part_left_waiting_by_its_texts_delivery_completes_the_request) {
    auto ola = dashboard("ola");
    auto alert =
        text_with_a_gap(*ola, "11000", "48511222340", "93", 3, {{1, "Proszę o telefon "}, {3, "po 16."}});
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("id").as_int64();
    ola.reset();
    ASSERT_EQ(askd.terminate(5s), 0);
    change_the_file(
        askd.db_path(),
        "INSERT INTO inbound_parts (provider, sender, part_ref, part_index, part_total, message_id, "
        "recipient, text, received_at) SELECT provider, sender, part_ref, 2, part_total, '110002', "
        "recipient, 'jutro ', received_at FROM incomplete_text_parts WHERE part_index = 1");
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    db_probe db(askd.db_path());
    const std::vector<std::vector<std::string>> completed{{"0", "normal", "Proszę o telefon jutro po 16."}};
    const auto query =
        "SELECT repeat_count, priority, message FROM requests WHERE id = " + std::to_string(id);
    eventually([&] { return db.rows(query) == completed; });
    EXPECT_EQ(db.rows(query), completed) << askd.log();
    EXPECT_TRUE(db.rows("SELECT * FROM inbound_parts").empty());
    dashboard("ola");
    const auto& alerts = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(alerts.size(), 1u);
    EXPECT_EQ(str(alerts[0].at("message")), "Proszę o telefon jutro po 16.");
}

// A part is acknowledged to the provider once it is saved, and forgotten once its text was
// delivered: a provider's retry of a part of a text already delivered (its 2xx lost on the way)
// changes nothing. Before, it started a new text of its own, delivered after parts_wait_seconds as
// "(…)words": a second press that raised the resident's request to urgent.
TEST_F(sms_gateways, a_part_retried_after_its_text_was_delivered_changes_nothing) {
    auto ola = dashboard("ola");
    ASSERT_EQ(vonage_text("0D0001", "48511222336", "Proszę o telefon ", part("81", 1, 2)).status, 204);
    ASSERT_EQ(vonage_text("0D0002", "48511222336", "po południu.", part("81", 2, 2)).status, 204);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("alert").as_object().at("id").as_int64();
    EXPECT_EQ(str(alert->at("alert").as_object().at("message")), "Proszę o telefon po południu.");
    ASSERT_EQ(vonage_text("0D0002", "48511222336", "po południu.", part("81", 2, 2)).status, 204);
    EXPECT_TRUE(ola->quiet_for("alert", 2500ms)) << "parts_wait_seconds = 1: a held copy would be delivered by now";
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT repeat_count, priority FROM requests WHERE id = " + std::to_string(id)),
              (std::vector<std::vector<std::string>>{{"0", "normal"}}));
    EXPECT_TRUE(db.rows("SELECT * FROM inbound_parts").empty());
}

// Parts are saved as they arrive: a text half of which came before askd was killed is whole after
// the restart (parts_wait_seconds = 60, so nothing is given up meanwhile).
class sms_gateways_long_wait : public sms_gateways {
protected:
    sms_gateways_long_wait() : sms_gateways("", "", "", 60) {}
};

TEST_F(sms_gateways_long_wait, a_part_saved_before_a_crash_joins_its_text_after_the_restart) {
    ASSERT_EQ(vonage_text("0E0001", "48511222337", "Nie mogę wstać, ", part("82", 1, 2)).status, 204);
    askd.kill9();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    auto ola = dashboard("ola");
    EXPECT_TRUE(ola->quiet_for("alert", 300ms)) << "half a text is still held";
    ASSERT_EQ(vonage_text("0E0002", "48511222337", "proszę przyjść.", part("82", 2, 2)).status, 204);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert) << "the part saved before the crash was lost\n" << askd.log();
    EXPECT_EQ(str(alert->at("alert").as_object().at("message")), "Nie mogę wstać, proszę przyjść.");
}

// The timer that delivers long texts reads the store only while parts of one may wait there. Each
// read is a store job: every second on an idle server, it was a transaction for nothing and, when
// the store stalled, a job that took a place in its queue (or the store thread itself) from a press.
TEST_F(sms_gateways_long_wait, the_timer_reads_the_store_only_while_parts_wait) {
    auto store_jobs = [&] { return metric(port(), "ask_store_jobs_total"); };
    auto quiet_for = [&](std::chrono::milliseconds span) {
        auto before = store_jobs();
        std::this_thread::sleep_for(span);
        return store_jobs() == before;
    };
    // Reading every second, the store would never be quiet for 2.5 s.
    auto becomes_quiet = [&] {
        auto deadline = std::chrono::steady_clock::now() + 10s;
        bool quiet = false;
        while (!quiet && std::chrono::steady_clock::now() < deadline)
            quiet = quiet_for(2500ms);
        return quiet;
    };
    wait_for_the_start_jobs();
    // The staff account the fixture added beside the serving askd is a commit by another process: askd
    // looks once for requests held by disabled staff, one job, in the pass after the store thread reads
    // data_version (within a second). Three passes cover it.
    auto passes = metric(port(), "ask_upkeep_passes_total");
    ASSERT_TRUE(eventually([&] { return metric(port(), "ask_upkeep_passes_total") >= passes + 3; }, 10s));
    EXPECT_TRUE(quiet_for(2500ms)) << "the store was read with no part waiting\n" << askd.log();

    ASSERT_EQ(vonage_text("100001", "48511222339", "Proszę o telefon ", part("84", 1, 2)).status, 204);
    EXPECT_FALSE(quiet_for(2500ms)) << "a part waits: the timer must look for it every second";

    ASSERT_EQ(vonage_text("100002", "48511222339", "po południu.", part("84", 2, 2)).status, 204);
    db_probe db(askd.db_path());
    const std::vector<std::vector<std::string>> delivered{{"Proszę o telefon po południu."}};
    ASSERT_EQ(db.rows_once("SELECT message FROM requests", delivered), delivered);
    // One more look finds nothing waiting, and the resident's text goes out with its records; then the
    // store is quiet again.
    EXPECT_TRUE(becomes_quiet()) << "the timer went on reading the store after the text was delivered\n"
                                 << askd.log();
}

// A long text is stored, but its parts cannot be forgotten (a trigger fails their deletion, as a full
// disk would). The timer keeps looking for them, delivering them again as a retry that changes
// nothing, and forgets them once it can. Left in the store, they would also swallow the words of the
// sender's next text that reused their reference (taken for retries of them).
TEST_F(sms_gateways, parts_not_forgotten_after_their_text_was_stored_are_forgotten_later) {
    change_schema(
        "CREATE TRIGGER keep_parts BEFORE DELETE ON inbound_parts BEGIN SELECT json('not json'); END");
    ASSERT_EQ(vonage_text("110001", "48511222340", "Proszę o telefon ", part("85", 1, 2)).status, 204);
    ASSERT_EQ(vonage_text("110002", "48511222340", "jutro rano.", part("85", 2, 2)).status, 204);
    db_probe db(askd.db_path());
    ASSERT_EQ(db.rows_once("SELECT count(*) FROM requests", {{"1"}}),
              (std::vector<std::vector<std::string>>{{"1"}}));
    std::this_thread::sleep_for(2s); // the timer's tries while the parts cannot be deleted
    EXPECT_EQ(db.rows("SELECT count(*) FROM inbound_parts")[0][0], "2");

    change_schema("DROP TRIGGER keep_parts");
    EXPECT_EQ(db.rows_once("SELECT count(*) FROM inbound_parts", {{"0"}}),
              (std::vector<std::vector<std::string>>{{"0"}}))
        << "the parts stayed\n"
        << askd.log();
    EXPECT_EQ(db.rows("SELECT message, repeat_count FROM requests"),
              (std::vector<std::vector<std::string>>{{"Proszę o telefon jutro rano.", "0"}}))
        << "delivering them again made a second text of them";
}

// Taking a request by text answers with the resident's name and number, to call back: part of their
// card on a staff phone. Ola has no dashboard open, so only that answer shows her the card.
TEST_F(sms_gateways, taking_a_request_by_text_records_the_taker_as_shown_the_card) {
    auto pressed = press(jan, "normal", "Proszę o telefon");
    ASSERT_EQ(pressed.status, 201) << pressed.body;
    auto id = std::to_string(id_of(pressed.json()));
    ASSERT_EQ(smsgate_text("r-40", "+48600000001", id + "a").status, 200);
    ASSERT_TRUE(
        wait_text("48600000001", "przyjęto zgłoszenie nr " + id + ": Jan Kowalski, tel. +48600100200"))
        << askd.log();
    db_probe db(askd.db_path());
    const std::vector<std::vector<std::string>> ola{{"ola", "Jan Kowalski"}};
    EXPECT_EQ(
        db.rows_once("SELECT s.username, r.name FROM resident_views v JOIN staff s ON s.id = v.staff_id "
                     "JOIN residents r ON r.id = v.resident_id",
                     ola),
        ola);
}

// Ola texts "Na" again for the request she has (her first answer did not reach her, say): she gets the
// same answer, with whom to call, not "ma już Ola".
TEST_F(sms_gateways, taking_again_a_request_one_has_answers_with_whom_to_call_again) {
    auto id = std::to_string(id_of(press(jan, "normal", "Proszę o telefon").json()));
    const std::string says = "ASK: przyjęto zgłoszenie nr " + id + ": Jan Kowalski, tel. +48600100200.";
    ASSERT_EQ(smsgate_text("r-45", "+48600000001", id + "a").status, 200);
    ASSERT_TRUE(wait_text("48600000001", says)) << askd.log();
    ASSERT_EQ(smsgate_text("r-46", "+48600000001", id + "a").status, 200);
    EXPECT_TRUE(eventually([&] {
        auto texts = smsapi_texts_to("48600000001");
        return std::count_if(texts.begin(), texts.end(),
                             [&](const std::string& t) { return t.find(says) != std::string::npos; }) == 2;
    })) << askd.log();
    for (const auto& t : smsapi_texts_to("48600000001"))
        EXPECT_EQ(t.find("ma już"), std::string::npos) << t;
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT state FROM requests WHERE id = ?1", id),
              (std::vector<std::vector<std::string>>{{"acknowledged"}}));
}

// Piotr, who does not hold Ola's request, cannot close it by text any more than from the dashboard: he is
// told who has it and who may close it, and it stays Ola's.
TEST_F(sms_gateways, a_member_who_does_not_hold_a_request_cannot_close_it_by_text) {
    askd.add_staff("piotr", "Piotr", staff_password, "staff", "+48 600 000 002");
    ASSERT_FALSE(HasFailure());
    auto id = std::to_string(id_of(press(jan, "normal", "Proszę o telefon").json()));
    ASSERT_EQ(smsgate_text("r-47", "+48600000001", id + "a").status, 200);
    ASSERT_TRUE(wait_text("48600000001", "przyjęto zgłoszenie nr " + id)) << askd.log();
    ASSERT_EQ(smsgate_text("r-48", "+48600000002", id + "c").status, 200);
    EXPECT_TRUE(wait_text("48600000002", "ASK: zgłoszenie nr " + id +
                                             " ma Ola. Zamknąć je może tylko ta osoba albo koordynator."))
        << askd.log();
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT state, acked_by IS NOT NULL FROM requests WHERE id = ?1", id),
              (std::vector<std::vector<std::string>>{{"acknowledged", "1"}}));
}

// Jan's phone is Zofia's too (a household's): STOP from it holds for both, whoever is on it.
TEST_F(sms_gateways, stop_is_honoured_for_outbound_texts) {
    auto zofia = askd.add_resident("Zofia Kowalska", "+48 600 100 200", "deaf");
    ASSERT_FALSE(HasFailure());
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0300", "+48600100200", "STOP").status, 200);
    ASSERT_EQ(twilio_text("SM0301", "+48600100200", "Proszę o telefon").status, 200);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert);
    auto hers = id_of(press(zofia, "normal").json());
    ASSERT_TRUE(ola->next_of("alert", 2s, [&](const auto& m) { return alert_for(m, hers); }));
    std::this_thread::sleep_for(700ms);
    EXPECT_TRUE(smsapi_texts_to("48600100200").empty()) << "the phone sent STOP";
    ASSERT_EQ(twilio_text("SM0302", "+48600100200", "START").status, 200);
    EXPECT_TRUE(wait_text("48600100200", "znowu włączone"));
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*), sum(sms_opt_out) FROM residents WHERE phone = '+48600100200'"),
              (std::vector<std::vector<std::string>>{{"2", "0"}}));
}

// Jan sent STOP, then texted for help: each text he would have had about his request is recorded as not sent
// (his history says why he heard nothing), and none is owed to him later. After his START, askd starting
// again within the hour does not send him the closing text of a request he had chosen not to hear about.
TEST_F(sms_gateways, texts_a_resident_opted_out_of_are_recorded_as_not_sent_and_not_owed_later) {
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0310", "+48600100200", "STOP").status, 200);
    ASSERT_EQ(twilio_text("SM0311", "+48600100200", "Proszę o telefon").status, 200);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("alert").as_object().at("id").as_int64();
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ola->send(
        boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "called_back"}, {"ref", "done"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    const std::vector<std::vector<std::string>> recorded{
        {"received", "opted_out"}, {"taken", "opted_out"}, {"resolved", "opted_out"}};
    const auto texts_recorded = "SELECT json_extract(detail, '$.stage'), json_extract(detail, '$.not_sent') "
                                "FROM request_events WHERE kind = 'resident_sms' ORDER BY id";
    ASSERT_TRUE(eventually([&] { return db_probe(askd.db_path()).rows(texts_recorded) == recorded; }, 3s))
        << db_probe(askd.db_path()).rows(texts_recorded).size() << "\n"
        << askd.log();
    EXPECT_TRUE(smsapi_texts_to("48600100200").empty()) << "the phone sent STOP";

    ASSERT_EQ(twilio_text("SM0312", "+48600100200", "START").status, 200);
    ASSERT_TRUE(wait_text("48600100200", "znowu włączone"));
    ola.reset();
    ASSERT_EQ(askd.terminate(5s), 0) << askd.log();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(smsapi_texts_to("48600100200").size(), 1u) << "only START's answer, no late closing text\n"
                                                         << askd.log();
    EXPECT_EQ(db_probe(askd.db_path()).rows(texts_recorded), recorded);
}

TEST_F(sms_gateways, a_permanent_refusal_is_not_retried_and_goes_to_the_failover) {
    smsapi.script({{200, "application/json", R"({"error": 13, "message": "No correct phone numbers"})"}});
    ASSERT_EQ(twilio_text("SM0600", "+48600100200", "Proszę o telefon").status, 200);
    ASSERT_TRUE(twilio.wait_for(1, 5s)) << askd.log();
    EXPECT_EQ(smsapi.requests().size(), 1u) << "error 13 is permanent: no second attempt";
}

// Three steps, each texting whoever is on duty: 2, 3 and 4 s after a press.
constexpr const char* three_sms_steps =
    R"({ after_seconds = 2, who = "on_duty", how = ["sms"] }, { after_seconds = 3, who = "on_duty", how = ["sms"] },
       { after_seconds = 4, who = "on_duty", how = ["sms"] })";
class steps_missed : public sms_gateways {
  protected:
    steps_missed() : sms_gateways("", "", "", 1, three_sms_steps) {}
};

// askd is down through all three steps: as it starts again they come due together, and Ola, whom each one
// names, gets one text about the request, not three at once. The two older ones are not kept to send later.
TEST_F(steps_missed, while_askd_was_down_text_each_person_once_as_it_starts) {
    {
        auto ola = dashboard("ola");
        ASSERT_EQ(press(jan, "urgent").status, 201);
        ASSERT_TRUE(ola->next_of("alert", 2s));
    }
    askd.kill9(); // before the first step (2 s)
    ASSERT_EQ(db_probe(askd.db_path()).rows("SELECT count(*) FROM request_events WHERE kind = 'escalated'"),
              (std::vector<std::vector<std::string>>{{"0"}}))
        << "a step fired before the kill: the test proves nothing";
    std::this_thread::sleep_for(4500ms);
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(eventually([&] { return !smsapi_texts_to("48600000001").empty(); }, 5s)) << askd.log();
    std::this_thread::sleep_for(1500ms);
    EXPECT_EQ(smsapi_texts_to("48600000001").size(), 1u) << askd.log();
    EXPECT_TRUE(eventually([&] {
        return db_probe(askd.db_path()).rows("SELECT count(*) FROM unsent_staff_texts").at(0).at(0) == "0";
    })) << "the older texts are still kept, to go out at the next start";
}

// A provider that takes a text and answers after send_timeout_seconds (2 s here): askd cannot tell that from
// a text not taken, and tries again under the same idx. SMSAPI refuses the repeat (error 53), which askd
// takes as the earlier try's success: the resident gets the text once, and it does not go to the failover as
// well.
class late_provider : public sms_gateways {
  protected:
    late_provider()
        : sms_gateways("", "", "", 1, R"({ after_seconds = 600, who = "on_duty", how = ["dashboard"] })") {}
};

TEST_F(late_provider, a_text_answered_too_late_is_tried_again_under_its_key_and_sent_once) {
    smsapi.script(
        {{200, "application/json", R"({"count":1,"list":[{"id":"77","points":0.16,"status":"QUEUE"}]})", 3s},
         {200, "application/json", R"({"error":53,"message":"Nieunikalne idx"})"}});
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0700");
    ASSERT_NE(id, 0);
    ASSERT_TRUE(smsapi.wait_for(2, 8s)) << askd.log();
    ASSERT_TRUE(eventually([&] { return askd.log().find("refused as a repeat") != std::string::npos; }, 5s))
        << askd.log();
    auto sent = smsapi.requests();
    ASSERT_EQ(sent.size(), 2u);
    auto first = form_fields(sent[0].body);
    auto second = form_fields(sent[1].body);
    EXPECT_EQ(first["to"], "48600100200");
    EXPECT_EQ(second["message"], first["message"]);
    EXPECT_EQ(first["idx"].size(), 32u);
    EXPECT_EQ(second["idx"], first["idx"]) << "the second try is the same text to SMSAPI";
    EXPECT_EQ(first["check_idx"], "1");
    EXPECT_EQ(second["check_idx"], "1");
    EXPECT_TRUE(twilio.requests().empty()) << "taken: not given to the failover as well";
    db_probe db(askd.db_path());
    auto outcome = [&] {
        return db
            .rows("SELECT coalesce(group_concat(kind), '') FROM request_events WHERE request_id = ?1 "
                  "AND kind IN ('sms_sent', 'sms_failed')",
                  std::to_string(id))
            .at(0)
            .at(0);
    };
    EXPECT_TRUE(eventually([&] { return outcome() == "sms_sent"; })) << outcome();
    EXPECT_EQ(db.rows("SELECT json_extract(detail, '$.repeat') FROM request_events WHERE request_id = ?1 AND "
                      "kind = 'sms_sent'",
                      std::to_string(id)),
              (std::vector<std::vector<std::string>>{{"1"}}))
        << "the history says it was taken at an earlier try";
}

TEST_F(sms_gateways, a_provider_down_is_retried_then_the_failover_carries_the_text) {
    smsapi.script({{503, "text/plain", "busy"}, {503, "text/plain", "busy"}}); // then its normal success
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0400", "+48600100200", "Proszę o telefon").status, 200);
    ASSERT_TRUE(smsapi.wait_for(3, 6s)) << "two refusals, then a third attempt\n" << askd.log();
    for (int i = 0; i < 20 && askd.log().find("sms[smsapi]: to …200 accepted") == std::string::npos; ++i)
        std::this_thread::sleep_for(100ms);
    EXPECT_NE(askd.log().find("sms[smsapi]: to …200 accepted"), std::string::npos) << askd.log();
    EXPECT_EQ(smsapi.requests().size(), 3u);
    EXPECT_TRUE(twilio.requests().empty()) << "no failover needed";

    smsapi.set_down(true); // connections closed unanswered: every attempt fails
    auto id = id_of(http_get(port(), "/api/v1/requests/1", login(port(), "ola", staff_password)).json());
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s));
    ASSERT_TRUE(twilio.wait_for(1, 10s)) << "the failover (Twilio) never got the text\n" << askd.log();
    auto sent = twilio.requests().back();
    EXPECT_EQ(sent.target, "/2010-04-01/Accounts/AC1/Messages.json");
    auto form = form_fields(sent.body);
    EXPECT_EQ(form["To"], "+48600100200");
    EXPECT_NE(form["Body"].find("Ola z urzędu skontaktuje się z Tobą."), std::string::npos) << form["Body"];
}

// The ladder texts Ola (urgent, after 1 s) while neither provider answers: each attempt reaches the
// fake, which closes the connection unanswered.
class staff_texts_down : public sms_gateways {
  protected:
    explicit staff_texts_down(const std::string& urgent_steps = one_sms_step, const std::string& offices = "",
                              int ack_timeout = 0)
        : sms_gateways(offices, "", "", 1, urgent_steps, ack_timeout) {}

    /// Ola on duty (the returned dashboard), both providers down, and Jan's urgent press: its id in `id`.
    std::unique_ptr<ws_client> press_while_providers_are_down(std::int64_t& id) {
        auto ola = dashboard("ola");
        smsapi.set_down(true);
        twilio.set_down(true);
        id = id_of(press(jan, "urgent").json());
        return ola;
    }
    /// Every attempt at both providers failed for the text about request `id` (up to 8 s).
    bool whole_try_failed(std::int64_t id) {
        auto failed = fmt::format("sms: request {}: twilio refused the text", id);
        return eventually([&] { return askd.log().find(failed) != std::string::npos; }, 8s);
    }
    void providers_back() {
        smsapi.set_down(false);
        twilio.set_down(false);
    }
    /// Both providers down, Jan texts in (Twilio message `sid`), and every attempt at his "received" fails.
    void jan_texts_while_providers_are_down(const std::string& sid) {
        smsapi.set_down(true);
        twilio.set_down(true);
        ASSERT_EQ(twilio_text(sid, "+48600100200", "Prosze o telefon").status, 200);
        auto failed = [&] {
            return askd.log().find("text to the resident refused by twilio") != std::string::npos;
        };
        ASSERT_TRUE(eventually(failed, 8s)) << askd.log();
    }
    /// The fake SMSAPI has had `tried` + 1 texts to Ola, the last about request `id`, within `limit`.
    bool ola_texted_again(std::size_t tried, std::int64_t id, std::chrono::milliseconds limit) {
        if (!eventually([&] { return smsapi_texts_to(ola_digits).size() == tried + 1; }, limit))
            return false;
        return smsapi_texts_to(ola_digits).back().find(about(id)) != std::string::npos;
    }
    static std::string about(std::int64_t id) { return "PILNE zgłoszenie nr " + std::to_string(id); }
    /// askd killed while it tries a text to Ola (in the first attempt's back-off: the text is neither taken
    /// nor given up), and both providers back: how many texts to Ola the fake SMSAPI had by then.
    std::size_t killed_mid_try() {
        askd.kill9();
        auto tried = settled_count_to(ola_digits);
        providers_back();
        return tried;
    }
    /// askd killed and started again, with 1.5 s to send what it still keeps.
    void killed_and_started_again() {
        askd.kill9();
        askd.start();
        ASSERT_FALSE(HasFatalFailure());
        std::this_thread::sleep_for(1500ms);
    }
    /// askd stopped while a text to Jan waits to be tried again, and both providers back: as askd starts,
    /// Jan gets one text, containing `fragment`, and not another at the start after.
    void stopped_and_jan_hears_once_back(const std::string& fragment) {
        ASSERT_EQ(askd.terminate(10s), 0) << askd.log();
        auto tried = smsapi_texts_to("48600100200").size();
        providers_back();

        askd.start();
        ASSERT_FALSE(HasFatalFailure());
        ASSERT_TRUE(eventually([&] { return smsapi_texts_to("48600100200").size() == tried + 1; }, 5s))
            << "Jan was never texted where his request stands\n"
            << askd.log();
        EXPECT_NE(smsapi_texts_to("48600100200").back().find(fragment), std::string::npos)
            << smsapi_texts_to("48600100200").back();
        // Its tries before the stop, and the one as askd starts, are one text to the provider: a try
        // it took after all (answered too late) would not go out twice.
        auto texts = smsapi_texts_to("48600100200");
        auto keys = smsapi_idx_to("48600100200");
        ASSERT_EQ(keys.size(), texts.size());
        ASSERT_GT(tried, 0u);
        EXPECT_EQ(keys.back().size(), 32u);
        std::size_t same_text = 0;
        for (std::size_t i = 0; i < texts.size(); ++i)
            if (texts[i] == texts.back()) {
                ++same_text;
                EXPECT_EQ(keys[i], keys.back()) << "try " << i << " of " << texts[i];
            }
        EXPECT_GE(same_text, 2u) << "its failed tries before the stop said the same";

        std::this_thread::sleep_for(500ms); // its outcome is recorded after the provider's answer
        killed_and_started_again();
        ASSERT_FALSE(HasFatalFailure());
        EXPECT_EQ(smsapi_texts_to("48600100200").size(), tried + 1) << "sent again at the next start\n"
                                                                    << askd.log();
    }
    std::size_t kept_texts() {
        db_probe db(askd.db_path());
        return std::stoul(db.rows("SELECT count(*) FROM unsent_staff_texts").at(0).at(0));
    }
    std::string kept_answers() {
        db_probe db(askd.db_path());
        return db.rows("SELECT count(*) FROM unsent_replies").at(0).at(0);
    }
    /// Ola texts `reply` ("Na", say) and every attempt at both providers fails for askd's answer, which
    /// says `answer`: how many texts saying it the fake SMSAPI had by then.
    long whole_try_of_the_answer_failed(const std::string& reply, const std::string& answer) {
        EXPECT_EQ(smsgate_text("r-52", "+48600000001", reply).status, 200);
        auto failed = [&] {
            return askd.log().find("sms: reply text refused by twilio") != std::string::npos;
        };
        EXPECT_TRUE(eventually(failed, 8s)) << askd.log();
        return texts_to_ola_saying(answer);
    }
    /// How many texts to Ola the fake SMSAPI has had that say `fragment`.
    long texts_to_ola_saying(const std::string& fragment) {
        auto texts = smsapi_texts_to(ola_digits);
        return std::count_if(texts.begin(), texts.end(),
                             [&](const std::string& t) { return t.find(fragment) != std::string::npos; });
    }

    static constexpr const char* ola_digits = "48600000001";
};

// Jan texts in while neither provider answers: his "received" text, recorded once, goes out once one is
// back (tried again after 5 s, as a staff text is), rather than never.
TEST_F(staff_texts_down, a_residents_text_no_provider_took_goes_out_once_one_is_back) {
    jan_texts_while_providers_are_down("SM0910");
    ASSERT_FALSE(HasFatalFailure());
    auto tried = settled_count_to("48600100200");
    providers_back();
    ASSERT_TRUE(eventually([&] { return smsapi_texts_to("48600100200").size() == tried + 1; }, 10s))
        << askd.log();
    EXPECT_NE(smsapi_texts_to("48600100200").back().find("ASK, zgłoszenie nr"), std::string::npos)
        << smsapi_texts_to("48600100200").back();
    auto keys = smsapi_idx_to("48600100200");
    EXPECT_EQ(keys.front().size(), 32u);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), keys.front()), static_cast<long>(keys.size()))
        << "the try that went out is the same text as the ones that failed";
    std::this_thread::sleep_for(500ms); // its outcome is recorded after the provider's answer
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE kind = 'resident_sms'"),
              (std::vector<std::vector<std::string>>{{"1"}}))
        << "recorded once, not once per try";
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE kind = 'sms_sent'"),
              (std::vector<std::vector<std::string>>{{"1"}}));
}

// The same, but askd is stopped while the text waits to be tried again: its failed tries were recorded, so
// it goes out as askd starts again, once, rather than being taken for told.
TEST_F(staff_texts_down, a_residents_text_waiting_through_a_stop_goes_out_once_askd_is_back) {
    jan_texts_while_providers_are_down("SM0911");
    ASSERT_FALSE(HasFatalFailure());
    stopped_and_jan_hears_once_back("ASK, zgłoszenie nr");
    EXPECT_NE(askd.log().find("texting them as askd starts"), std::string::npos) << askd.log();
}

// Jan sends STOP while his "received" text waits to be tried again: the next try finds him opted out and
// records it as not sent, so after his START it is not owed to him when askd starts again.
TEST_F(staff_texts_down, a_text_waiting_to_be_tried_again_when_its_resident_sends_stop_is_not_owed_later) {
    jan_texts_while_providers_are_down("SM0913");
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_EQ(twilio_text("SM0914", "+48600100200", "STOP").status, 200);
    const auto not_sent = "SELECT count(*) FROM request_events WHERE kind = 'resident_sms' AND "
                          "json_extract(detail, '$.not_sent') = 'opted_out'";
    ASSERT_TRUE(eventually(
        [&] {
            return db_probe(askd.db_path()).rows(not_sent) == std::vector<std::vector<std::string>>{{"1"}};
        },
        15s))
        << "the try after STOP was not recorded as not sent\n"
        << askd.log();
    ASSERT_EQ(twilio_text("SM0915", "+48600100200", "START").status, 200);
    ASSERT_EQ(askd.terminate(10s), 0) << askd.log();
    const auto tried = settled_count_to("48600100200");
    providers_back();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    std::this_thread::sleep_for(1500ms);
    const auto texts = smsapi_texts_to("48600100200");
    for (auto i = tried; i < texts.size(); ++i)
        EXPECT_EQ(texts[i].find("zgłoszenie nr"), std::string::npos) << "owed after all: " << texts[i];
}

// The same for a request's closing text: the request is no longer open, yet Jan hears how it ended as askd
// starts again, once.
TEST_F(staff_texts_down, a_closing_text_waiting_through_a_stop_goes_out_once_askd_is_back) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0912");
    ASSERT_TRUE(wait_text("48600100200", "zgłoszenie nr " + std::to_string(id))) << askd.log();
    smsapi.set_down(true);
    twilio.set_down(true);
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ola->send(
        boost::json::object{{"type", "resolve"}, {"id", id}, {"outcome", "no_contact"}, {"ref", "done"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    auto closing_failed = [&] {
        db_probe db(askd.db_path());
        return db.rows("SELECT count(*) FROM request_events WHERE kind = 'sms_failed' "
                       "AND json_extract(detail, '$.resident') IS NOT NULL AND id > (SELECT max(id) "
                       "FROM request_events WHERE kind = 'resident_sms' "
                       "AND json_extract(detail, '$.stage') = 'resolved')")
                   .at(0)
                   .at(0) != "0";
    };
    ASSERT_TRUE(eventually(closing_failed, 8s)) << askd.log();
    ola.reset();
    stopped_and_jan_hears_once_back("Nie udało się z Tobą skontaktować");
}

// askd dies while it is still trying: the text was kept with the step's record, so it goes out as askd
// starts again: once, and not again at the next start.
TEST_F(staff_texts_down, a_text_cut_off_by_a_crash_goes_out_once_askd_is_back) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(wait_text(ola_digits, about(id))) << askd.log();
    auto tried = killed_mid_try();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(ola_texted_again(tried, id, 5s)) << askd.log();
    EXPECT_NE(askd.log().find("not known to have reached the provider goes out again"), std::string::npos);
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; })) << "a text the provider took is not kept";
    db_probe db(askd.db_path());
    auto sent = db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'sms_sent' "
                        "AND json_extract(detail, '$.to') = '001'",
                        std::to_string(id));
    EXPECT_EQ(sent.at(0).at(0), "1") << "the request's history records the text sent";
    auto keys = smsapi_idx_to(ola_digits);
    EXPECT_EQ(keys.front().size(), 32u);
    EXPECT_EQ(std::count(keys.begin(), keys.end(), keys.front()), static_cast<long>(keys.size()))
        << "every try, before the crash and after, is the one text under its kept key";

    killed_and_started_again();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried + 1) << "sent again at the next start";
}

// Every attempt failed: the text is not given up, but tried again (after 5 s) and goes out once a
// provider answers, and then it is no longer kept.
TEST_F(staff_texts_down, a_text_failed_through_an_outage_goes_out_when_a_provider_is_back) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    auto tried = smsapi_texts_to(ola_digits).size();
    providers_back();

    ASSERT_TRUE(ola_texted_again(tried, id, 12s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; }));
    db_probe db(askd.db_path());
    auto outcomes = db.rows("SELECT kind FROM request_events WHERE request_id = ?1 AND kind LIKE 'sms_%' "
                            "AND json_extract(detail, '$.to') = '001' ORDER BY id",
                            std::to_string(id));
    ASSERT_EQ(outcomes.size(), 2u) << "the failed try and the one that went out are both in the history";
    EXPECT_EQ(outcomes[0][0], "sms_failed");
    EXPECT_EQ(outcomes[1][0], "sms_sent");
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried + 1) << "sent twice";
}

// SMSAPI is down and the failover, Twilio, refuses the text for good (an invalid number, to Twilio):
// SMSAPI may take it once it is back, so the text is tried again rather than given up.
TEST_F(staff_texts_down, a_text_the_failover_refuses_for_good_waits_for_the_first_provider) {
    twilio.script({{400, "application/json", R"({"code":21211,"message":"Invalid 'To' Phone Number"})"}});
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    twilio.set_down(false); // answers: the scripted refusal first
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    ASSERT_NE(askd.log().find("Twilio error 21211"), std::string::npos) << askd.log();
    auto tried = smsapi_texts_to(ola_digits).size();
    smsapi.set_down(false);

    ASSERT_TRUE(ola_texted_again(tried, id, 12s)) << askd.log();
}

// Ola takes Jan's press on her dashboard and asks for more people while both providers are down: the step
// brought forward texts Anna, every attempt fails, and the text is tried again until a provider is back.
TEST_F(staff_texts_down, a_text_from_a_step_brought_forward_by_hand_goes_out_when_a_provider_is_back) {
    change_the_file(askd.db_path(), "UPDATE staff SET phone = '+48600000002' WHERE username = 'anna'");
    auto anna = dashboard("anna");
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ola->send(boost::json::object{{"type", "escalate"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    ASSERT_EQ(kept_texts(), 1u);
    auto help = [&] {
        auto texts = smsapi_texts_to("48600000002");
        return std::count_if(texts.begin(), texts.end(), [](const std::string& t) {
            return t.find("ma je Ola, potrzebna pomoc") != std::string::npos;
        });
    };
    auto tried = help();
    ASSERT_GE(tried, 1) << "the step's first try did not reach the fake";
    providers_back();

    EXPECT_TRUE(eventually([&] { return help() == tried + 1; }, 12s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; })) << askd.log();
    EXPECT_TRUE(smsapi_texts_to(ola_digits).empty()) << "Ola was texted to help herself";
}

// Ola's account is disabled while her text waits to be tried again (`askd staff disable`, another
// process): each try asks the store first, so she gets none once a provider is back.
TEST_F(staff_texts_down, a_text_for_a_member_disabled_while_it_waits_is_dropped) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    auto disabled = run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "ola"});
    ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
    auto tried = smsapi_texts_to(ola_digits).size(); // a try made before the change was seen goes out too
    providers_back();

    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; }, 12s)) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried) << "texted after her account was disabled";
}

// Ola's number changes while her text waits to be tried again: the try goes to the new number.
TEST_F(staff_texts_down, a_text_tried_again_goes_to_the_members_number_as_it_is_now) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    change_the_file(askd.db_path(), "UPDATE staff SET phone = '+48600000077' WHERE username = 'ola'");
    auto tried = smsapi_texts_to(ola_digits).size();
    providers_back();

    ASSERT_TRUE(wait_text("48600000077", about(id), 12s)) << askd.log();
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried) << "tried at the old number too";
}

// The ladder texts Ola twice (after 1 s and 3 s) through the outage: as a provider is back she gets the
// newer text only, not both at once.
class staff_texts_down_two_steps : public staff_texts_down {
  protected:
    staff_texts_down_two_steps()
        : staff_texts_down(R"({ after_seconds = 1, who = "on_duty", how = ["sms"] },
                              { after_seconds = 3, who = "on_duty", how = ["sms"] })") {}
};

TEST_F(staff_texts_down_two_steps, of_two_texts_kept_for_one_member_only_the_newer_goes_out) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    auto failed = fmt::format("sms: request {}: twilio refused the text", id);
    auto tries_failed = [&] {
        auto log = askd.log();
        int n = 0;
        for (auto at = log.find(failed); at != std::string::npos; at = log.find(failed, at + 1))
            ++n;
        return n;
    };
    ASSERT_TRUE(eventually([&] { return tries_failed() >= 2; }, 10s))
        << "both steps' first tries" << askd.log();
    ASSERT_EQ(kept_texts(), 2u);
    auto tried = smsapi_texts_to(ola_digits).size();
    providers_back();

    ASSERT_TRUE(ola_texted_again(tried, id, 12s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; }));
    std::this_thread::sleep_for(3s);
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried + 1) << "the older text went out too";
}

// Ola takes Jan's press by text while both providers are down, and askd dies while the answer
// ("przyjęto", with Jan's number to call) is being tried.
class answer_cut_off : public staff_texts_down {
  protected:
    void SetUp() override {
        staff_texts_down::SetUp();
        auto ola = press_while_providers_are_down(id);
        taken = "przyjęto zgłoszenie nr " + std::to_string(id);
        ASSERT_EQ(smsgate_text("r-50", "+48600000001", std::to_string(id) + "a").status, 200);
        ASSERT_TRUE(wait_text(ola_digits, taken)) << askd.log();
        askd.kill9(); // in the first attempt's back-off
        settled_count_to(ola_digits);
        tried = answers();
        providers_back();
    }
    /// How many texts with the answer Ola has had.
    long answers() { return texts_to_ola_saying(taken); }

    std::int64_t id = 0;
    std::string taken;
    long tried = 0;
};

// The answer was kept, so it goes out as askd starts, once.
TEST_F(answer_cut_off, and_goes_out_once_askd_is_back) {
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return answers() == tried + 1; }, 5s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; }))
        << "an answer the provider took is not kept";
    std::set<std::string> keys;
    for (const auto& r : smsapi.requests())
        if (auto form = form_fields(r.body); form["message"].find(taken) != std::string::npos)
            keys.insert(form["idx"]);
    EXPECT_EQ(keys.size(), 1u)
        << "every try, before the crash and after, is the one answer under its kept key";
    EXPECT_EQ(keys.begin()->size(), 32u);

    killed_and_started_again();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(answers(), tried + 1) << "sent again at the next start";
}

// askd was down for over an hour: the answer is forgotten unsent.
TEST_F(answer_cut_off, over_an_hour_before_askd_is_back_and_is_not_sent) {
    change_the_file(askd.db_path(), "UPDATE unsent_replies SET decided_at = decided_at - 3601000");
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(answers(), tried) << askd.log();
}

// Ola's account was disabled while askd was down: the answer, with a resident's name and number, is
// forgotten unsent.
TEST_F(answer_cut_off, for_a_member_disabled_before_askd_is_back_and_is_not_sent) {
    auto disabled = run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "ola"});
    ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(answers(), tried) << askd.log();
}

// askd is stopped (SIGTERM) while it tries the answer to Ola's "Na": the answer is not forgotten, and goes
// out as askd starts again.
TEST_F(staff_texts_down, an_answer_cut_off_by_a_stop_goes_out_once_askd_is_back) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    auto taken = "przyjęto zgłoszenie nr " + std::to_string(id);
    ASSERT_EQ(smsgate_text("r-51", "+48600000001", std::to_string(id) + "a").status, 200);
    ASSERT_TRUE(wait_text(ola_digits, taken)) << askd.log();
    ola.reset(); // no dashboard to drain
    ASSERT_EQ(askd.terminate(10s), 0) << askd.log();
    ASSERT_EQ(kept_answers(), "1") << "an answer a stop cut off is kept";
    auto tried = texts_to_ola_saying(taken);
    providers_back();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return texts_to_ola_saying(taken) == tried + 1; }, 5s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
}

// Jan texts START while both providers are down, and askd dies while it tries the answer ("wiadomości
// SMS … znowu włączone"): the answer was kept, so it goes out as askd starts, once.
TEST_F(staff_texts_down, an_answer_to_start_cut_off_by_a_crash_goes_out_once_askd_is_back) {
    smsapi.set_down(true);
    twilio.set_down(true);
    const std::string jan_digits = "48600100200";
    auto answers = [&] {
        auto texts = smsapi_texts_to(jan_digits);
        return std::count_if(texts.begin(), texts.end(), [](const std::string& t) {
            return t.find("znowu włączone") != std::string::npos;
        });
    };
    ASSERT_EQ(smsgate_text("r-60", "+48600100200", "START").status, 200);
    ASSERT_TRUE(wait_text(jan_digits, "znowu włączone")) << askd.log();
    askd.kill9(); // in the first attempt's back-off
    settled_count_to(jan_digits);
    auto tried = answers();
    providers_back();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return answers() == tried + 1; }, 5s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
    killed_and_started_again();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(answers(), tried + 1) << "sent again at the next start";
}

// Ola takes Jan's press with "Na" while both providers are down, and every attempt at them fails for the
// answer ("przyjęto", with Jan's number to call): it waits to be tried again, 5 s later.
class answer_down : public staff_texts_down {
  protected:
    void SetUp() override {
        staff_texts_down::SetUp();
        ASSERT_FALSE(HasFatalFailure());
        ola = press_while_providers_are_down(id);
        taken = "przyjęto zgłoszenie nr " + std::to_string(id);
        tried = whole_try_of_the_answer_failed(std::to_string(id) + "a", taken);
        ASSERT_FALSE(HasFailure());
    }

    std::unique_ptr<ws_client> ola;
    std::int64_t id = 0;
    std::string taken;
    long tried = 0; ///< texts with the answer Ola has had
};

// The answer is tried again, reaches her once a provider is back, and is then forgotten.
TEST_F(answer_down, is_tried_again_and_goes_out_once_a_provider_is_back) {
    EXPECT_EQ(kept_answers(), "1") << "an answer every attempt failed at is kept";
    providers_back();
    EXPECT_TRUE(eventually([&] { return texts_to_ola_saying(taken) == tried + 1; }, 12s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; }))
        << "an answer the provider took is not kept";
}

// Ola's account is disabled while the answer waits to be tried again: it is not sent, and not kept.
TEST_F(answer_down, is_not_sent_to_a_member_disabled_meanwhile) {
    auto disabled = run_askd({"staff", "disable", "--config", askd.config_path(), "--username", "ola"});
    ASSERT_EQ(disabled.exit_code, 0) << disabled.err;
    providers_back();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; }, 20s)) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(texts_to_ola_saying(taken), tried) << askd.log();
}

// Ola gives the request back and askd dies before the answer's next try: as askd starts again the answer,
// which no longer says what is so, is forgotten unsent.
TEST_F(answer_down, is_not_sent_as_askd_starts_once_its_request_was_given_back_before_a_crash) {
    ola->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    askd.kill9(); // within the 5 s before the answer's next try
    ASSERT_EQ(kept_answers(), "1");
    providers_back();
    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(texts_to_ola_saying(taken), tried) << askd.log();
    EXPECT_NE(askd.log().find("is not sent: it says who has the request, and they no longer do"),
              std::string::npos)
        << askd.log();
}

// Ola takes the request with a bare "a" (the one she was last texted about) and gives it back on her
// dashboard while the answer "przyjęto …", with whom to call, waits to be tried again: it no longer says
// what is so, so it is not sent, and not kept.
TEST_F(staff_texts_down, an_answer_waiting_to_be_tried_again_is_not_sent_once_its_request_was_given_back) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(wait_text(ola_digits, about(id))) << "the ladder's text to Ola" << askd.log();
    auto taken = "przyjęto zgłoszenie nr " + std::to_string(id);
    auto tried = whole_try_of_the_answer_failed("a", taken);
    ASSERT_FALSE(HasFailure());
    ASSERT_GE(tried, 1) << "the bare \"a\" was not taken to be about the request\n" << askd.log();
    ola->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    providers_back();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; }, 20s)) << askd.log();
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(texts_to_ola_saying(taken), tried) << askd.log();
    EXPECT_NE(askd.log().find("they no longer do"), std::string::npos) << askd.log();
}

// Ola asks for more people ("Ne") for a waiting request while both providers are down, and Anna takes it
// before the answer goes out: "wezwano kolejne osoby" says what was done, which stays true, so it is sent
// once a provider is back (rather than leaving Ola to ask again).
TEST_F(staff_texts_down, an_answer_saying_what_was_done_goes_out_though_the_request_was_taken_since) {
    change_the_file(askd.db_path(), "UPDATE staff SET phone = '+48600000002' WHERE username = 'anna'");
    auto anna = dashboard("anna");
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    auto called = "zgłoszenie nr " + std::to_string(id) + ": wezwano kolejne osoby";
    auto tried = whole_try_of_the_answer_failed(std::to_string(id) + "e", called);
    ASSERT_FALSE(HasFailure());
    ASSERT_GE(tried, 1) << askd.log();
    anna->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(anna->next_of("ok", 2s)) << askd.log();
    providers_back();
    EXPECT_TRUE(eventually([&] { return texts_to_ola_saying(called) == tried + 1; }, 12s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return kept_answers() == "0"; })) << askd.log();
}

// The office is closed (holidays), so an urgent press waits for its opening and the after-hours phone
// is texted.
class after_hours_text_down : public staff_texts_down {
  protected:
    after_hours_text_down() : staff_texts_down(one_sms_step, closed_office_toml()) {}

    static constexpr const char* after_hours_digits = "48600999999";
};

// askd dies while the after-hours phone's text is being tried: as askd starts, the office still
// closed, the text goes out once, and not again at the next start.
TEST_F(after_hours_text_down, a_text_to_the_after_hours_phone_cut_off_by_a_crash_goes_out_once_askd_is_back) {
    smsapi.set_down(true);
    twilio.set_down(true);
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(wait_text(after_hours_digits, "poza godzinami urzędu")) << askd.log();
    askd.kill9();
    auto tried = settled_count_to(after_hours_digits);
    providers_back();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(eventually([&] { return smsapi_texts_to(after_hours_digits).size() == tried + 1; }, 5s))
        << askd.log();
    EXPECT_NE(smsapi_texts_to(after_hours_digits).back().find(about(id)), std::string::npos);
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; })) << "a text the provider took is not kept";

    killed_and_started_again();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(smsapi_texts_to(after_hours_digits).size(), tried + 1) << "sent again at the next start";
}

// Taken requests are followed up after 1 s without contact with the resident.
class follow_up_text_down : public staff_texts_down {
  protected:
    follow_up_text_down() : staff_texts_down(one_sms_step, "", 1) {}
};

// Ola takes Jan's press at once and does not call him back; askd dies while her follow-up text is being
// tried. As askd starts, the request still hers and not contacted, the text goes out once.
TEST_F(follow_up_text_down, a_follow_up_text_cut_off_by_a_crash_goes_out_once_askd_is_back) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s, [](const auto& m) { return m.at("ref") == "take"; })) << askd.log();
    ASSERT_TRUE(wait_text(ola_digits, "przyjęte, bez kontaktu z mieszkańcem")) << askd.log();
    auto tried = killed_mid_try();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    ASSERT_TRUE(ola_texted_again(tried, id, 5s)) << askd.log();
    auto text = smsapi_texts_to(ola_digits).back();
    EXPECT_NE(
        text.find(": przyjęte, bez kontaktu z mieszkańcem. Odpisz " + std::to_string(id) + "c, aby zamknąć."),
        std::string::npos)
        << text;
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; })) << "a text the provider took is not kept";
    killed_and_started_again();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried + 1) << "sent again at the next start";
}

// A text waiting to be tried again neither holds askd's stop up nor is lost by it: it stays kept and
// goes out as askd starts again.
TEST_F(staff_texts_down, a_text_waiting_to_be_tried_again_is_kept_through_a_stop) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(whole_try_failed(id)) << askd.log();
    ola.reset(); // a dashboard that does not answer the close frame would hold the stop up itself
    auto code = askd.terminate(2s);
    ASSERT_TRUE(code.has_value()) << "the wait before the next try held the stop up\n" << askd.log();
    EXPECT_EQ(*code, 0);
    auto tried = settled_count_to(ola_digits);
    providers_back();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(ola_texted_again(tried, id, 5s)) << askd.log();
}

// The same cut-off text, but Ola took the request before askd died: "waiting to be taken" is no longer
// true, so it is forgotten rather than sent.
TEST_F(staff_texts_down, a_text_cut_off_by_a_crash_is_dropped_once_the_request_was_taken) {
    std::int64_t id = 0;
    auto ola = press_while_providers_are_down(id);
    ASSERT_TRUE(wait_text(ola_digits, about(id))) << askd.log();
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s));
    askd.kill9();
    ola.reset();
    auto tried = settled_count_to(ola_digits);
    ASSERT_EQ(kept_texts(), 1u) << "killed after the provider's answer: the case is not tested";
    providers_back();

    askd.start();
    ASSERT_FALSE(HasFatalFailure());
    EXPECT_TRUE(eventually([&] { return kept_texts() == 0; }));
    std::this_thread::sleep_for(1s);
    EXPECT_EQ(smsapi_texts_to(ola_digits).size(), tried) << "Ola was texted about a request she took";
}

// A staff reply whose webhook went past the reply deadline (a stalled store: another process holds
// the write lock) is answered 503 and retried by the provider while the first copy is still at
// work. The "seen" check is a store job of its own, before the action's, so only the in-flight guard
// keeps the retry from acting a second time (here: a second "taken", which would text Ola her answer,
// with whom to call, a second time).
class sms_gateways_stalled : public sms_gateways {
protected:
    sms_gateways_stalled() : sms_gateways("[limits]\nreply_timeout_seconds = 1\n", "busy_timeout_ms = 30000") {}
};

TEST_F(sms_gateways_stalled, a_staff_reply_retried_while_its_first_copy_is_at_work_acts_once) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0200");
    ASSERT_NE(id, 0);

    write_lock locker(askd.db_path()); // askd may be writing (the ladder, the texts it records)
    ASSERT_TRUE(locker.held());
    auto code = std::to_string(id) + "a";
    EXPECT_EQ(smsgate_text("r-20", "+48600000001", code).status, 503) << "not answered within the deadline";
    EXPECT_EQ(smsgate_text("r-20", "+48600000001", code).status, 503) << "the provider's retry";
    locker.release();

    EXPECT_TRUE(ola->next_of("alert_update", 5s, [&](const auto& m) {
        return alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "acknowledged";
    })) << "the reply saved after the deadline was not carried out";
    ASSERT_TRUE(wait_text("48600000001", "przyjęto zgłoszenie nr " + std::to_string(id))) << askd.log();
    auto deadline = std::chrono::steady_clock::now() + 5s;
    while (askd.log().find("came again while still being carried out") == std::string::npos &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_NE(askd.log().find("came again while still being carried out"), std::string::npos)
        << "the retry was not stopped while the first copy was at work";
    // Once the first copy is done, a later retry is recognised as seen and answered as a success.
    EXPECT_EQ(smsgate_text("r-20", "+48600000001", code).status, 200);
    // Each copy acted on logs this once (a text, unlike the log, may be sent twice by design).
    EXPECT_EQ(log_count("sms: reply from staff"), 1) << "the reply was acted on more than once\n"
                                                     << askd.log();
}

// The last part of a long text arrives while the timer is delivering the parts that came before it
// (here: the text waited past parts_wait_seconds, and a stalled store held both the timer's lookup and
// the part's save until they ran one after the other). The late part is left to the timer and
// delivered on its own. Delivered at once with the first part's message id, its words would have
// been taken for a retry of the text being delivered, and lost.
TEST_F(sms_gateways_stalled, a_part_that_completes_a_text_being_delivered_is_not_lost) {
    auto ola = dashboard("ola");
    ASSERT_EQ(vonage_text("0F0001", "48511222338", "Nie mogę wstać, ", part("83", 1, 2)).status, 204);
    write_lock locker(askd.db_path());
    ASSERT_TRUE(locker.held());
    // The store thread is held by the timer's lookup of due parts, which waits for the lock.
    auto deadline = std::chrono::steady_clock::now() + 3s;
    while (metric(port(), "ask_store_running_jobs") != 1 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(20ms);
    ASSERT_EQ(metric(port(), "ask_store_running_jobs"), 1) << askd.log();
    EXPECT_EQ(vonage_text("0F0002", "48511222338", "proszę przyjść.", part("83", 2, 2)).status, 503)
        << "not saved within the reply deadline";
    locker.release();

    auto alert = ola->next_of("alert", 3s);
    ASSERT_TRUE(alert) << askd.log();
    auto id = alert->at("alert").as_object().at("id").as_int64();
    db_probe db(askd.db_path());
    const std::string late_words = "SELECT count(*) FROM requests AS r JOIN request_events AS e ON e.request_id = r.id "
                                   "WHERE r.message LIKE '%proszę przyjść.%' OR (e.kind = 'repeated' AND "
                                   "json_extract(e.detail, '$.message') LIKE '%proszę przyjść.%')";
    deadline = std::chrono::steady_clock::now() + 4s;
    while ((db.rows(late_words) == std::vector<std::vector<std::string>>{{"0"}} ||
            !db.rows("SELECT * FROM inbound_parts").empty()) &&
           std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(50ms);
    EXPECT_NE(db.rows(late_words), (std::vector<std::vector<std::string>>{{"0"}}))
        << "the last part's words were lost\n" << askd.log();
    EXPECT_EQ(db.rows("SELECT count(*) FROM requests WHERE id = " + std::to_string(id) +
                      " AND message LIKE 'Nie mogę wstać, %'"),
              (std::vector<std::vector<std::string>>{{"1"}}));
    EXPECT_TRUE(db.rows("SELECT * FROM inbound_parts").empty()) << "every part was delivered";
}

// Past queue_max (a flood of new work), a staff member's reply by text, a resident's STOP and a piece of a
// long text whose words are urgent keep the queue's reserve, as an urgent text does, while a resident's
// normal text is refused at once (503: the provider tries again later). Here the store stalls with the queue
// full: the first job of each of the three is admitted (it waits in the queue, answered 503 not_confirmed
// past the reply deadline), and each is carried out once the store goes on. (The jobs after the first, the
// STOP's write and the timer's look for waiting pieces, run once the queue has drained: their lanes are not
// shown here.)
class sms_gateways_full_queue : public sms_gateways {
  protected:
    sms_gateways_full_queue()
        : sms_gateways("[limits]\nreply_timeout_seconds = 1\n", "busy_timeout_ms = 30000\nqueue_max = 3") {}

    long long wait_for(const std::string& series, long long value) {
        auto deadline = std::chrono::steady_clock::now() + 5s;
        while (metric(port(), series) != value && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(20ms);
        return metric(port(), series);
    }
};

TEST_F(sms_gateways_full_queue, a_staff_reply_a_stop_and_an_urgent_piece_keep_the_queues_reserve) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0300");
    ASSERT_NE(id, 0);
    // Jan is texted that his request was received, and the provider's answer is recorded by a store job
    // of its own, as late as the provider answers: once it is, the queue below holds this test's jobs only.
    {
        db_probe db(askd.db_path());
        EXPECT_TRUE(eventually(
            [&] {
                return db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'sms_sent'",
                               std::to_string(id)) == std::vector<std::vector<std::string>>{{"1"}};
            },
            5s))
            << askd.log();
    }
    wait_for_the_start_jobs();
    write_lock locker(askd.db_path());
    ASSERT_TRUE(locker.held());
    // Maria's presses fill the queue: the first is taken by the store thread, which waits on the lock.
    std::vector<std::future<http_reply>> stalled;
    for (int i = 0; i < 4; ++i) {
        stalled.push_back(std::async(std::launch::async, [this, i] {
            return press(maria, "normal", "", "full-" + std::to_string(i));
        }));
        if (i == 0)
            ASSERT_EQ(wait_for("ask_store_running_jobs", 1), 1);
    }
    ASSERT_EQ(wait_for("ask_store_queue_jobs", 3), 3);
    const auto refused = metric(port(), "ask_store_refused_total");

    EXPECT_EQ(twilio_text("SM0301", "+48511222390", "Proszę o telefon").status, 503);
    EXPECT_EQ(metric(port(), "ask_store_refused_total"), refused + 1)
        << "a resident's normal text was not refused";

    EXPECT_EQ(smsgate_text("r-30", "+48600000001", std::to_string(id) + "a").status, 503);
    EXPECT_EQ(metric(port(), "ask_store_queue_jobs"), 4) << "Ola's reply is not waiting in the queue";
    EXPECT_EQ(twilio_text("SM0302", "+48600300400", "STOP").status, 503);
    EXPECT_EQ(metric(port(), "ask_store_queue_jobs"), 5) << "Maria's STOP is not waiting in the queue";
    EXPECT_EQ(metric(port(), "ask_store_refused_total"), refused + 1) << "the reply or the STOP was refused";
    // (From here the timer that delivers waiting pieces may be refused too: it looks again a second later.)
    EXPECT_EQ(vonage_text("0F0300", "48511222391", "POMOCY, upadłam w kuchni, ", part("90", 1, 2)).status,
              503);
    EXPECT_EQ(metric(port(), "ask_store_queue_jobs"), 6) << "the urgent piece is not waiting in the queue";
    locker.release();

    EXPECT_TRUE(ola->next_of("alert_update", 5s, [&](const auto& m) {
        return alert_for(m, id) && m.at("alert").as_object().at("state").as_string() == "acknowledged";
    })) << "Ola's reply admitted past queue_max was not carried out";
    db_probe db(askd.db_path());
    EXPECT_TRUE(eventually(
        [&] {
            return db.rows("SELECT sms_opt_out FROM residents WHERE phone = '+48600300400'") ==
                   std::vector<std::vector<std::string>>{{"1"}};
        },
        5s))
        << "Maria's STOP admitted past queue_max was not carried out";
    // Its other piece does not come: once parts_wait (1 s) has passed, the piece kept is an urgent request.
    EXPECT_TRUE(ola->next_of(
        "alert", 5s,
        [](const auto& m) { return m.at("alert").as_object().at("priority").as_string() == "urgent"; }))
        << "the urgent piece admitted past queue_max did not become an urgent request\n"
        << askd.log();
    for (auto& f : stalled)
        f.get();
}

// A staff reply and its "seen" mark are committed together or not at all. Here a trigger the test adds
// makes the mark fail with an error of the storage (as a full disk would): Ola's "e" is answered 503,
// and nothing of it is kept. Once the mark can be written, the provider's copy is carried out once, and
// a further copy is recognised as seen. Committed apart, an escalation kept without its mark (as after
// a crash between the two) was carried out again by the copy, texting more people a second time.
TEST_F(sms_gateways, a_staff_reply_and_its_seen_mark_are_committed_together) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0400");
    ASSERT_NE(id, 0);
    auto by_hand = [&] {
        db_probe db(askd.db_path());
        return db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'escalated' AND "
                       "json_extract(detail, '$.by_hand')",
                       std::to_string(id));
    };
    using rows = std::vector<std::vector<std::string>>;
    change_schema("CREATE TRIGGER fail_seen BEFORE INSERT ON inbound_sms BEGIN SELECT json('not json'); END");

    auto code = std::to_string(id) + "e";
    auto refused = smsgate_text("r-40", "+48600000001", code);
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(by_hand(), (rows{{"0"}})) << "the escalation was kept without its reply's mark";

    change_schema("DROP TRIGGER fail_seen");
    auto copy = smsgate_text("r-40", "+48600000001", code);
    EXPECT_EQ(copy.status, 200) << copy.body;
    EXPECT_TRUE(wait_text("48600000001", "wezwano kolejne osoby")) << askd.log();
    EXPECT_EQ(smsgate_text("r-40", "+48600000001", code).status, 200) << "a further copy";
    EXPECT_EQ(by_hand(), (rows{{"1"}})) << askd.log();
    std::this_thread::sleep_for(500ms); // an answer to the further copy would go out after its 200
    std::size_t answers = 0;
    for (const auto& t : smsapi_texts_to("48600000001"))
        answers += t.find("wezwano kolejne osoby") != std::string::npos;
    EXPECT_EQ(answers, 1u) << "the reply was answered more than once";
}

// Ola has taken the request and asks for help with "e": the step reaches Anna, on duty too, and not Ola.
// Its text says who has it and that help is needed, and points to the dashboard: neither taking it
// (which would be refused) nor closing it (which Anna could take for "I am on it") is offered.
TEST_F(sms_gateways, a_step_brought_forward_for_a_taken_request_calls_others_to_help) {
    change_the_file(askd.db_path(), "UPDATE staff SET phone = '+48600000002' WHERE username = 'anna'");
    auto ola = dashboard("ola");
    auto anna = dashboard("anna");
    auto n = std::to_string(id_of(press(jan, "urgent").json()));
    ASSERT_EQ(smsgate_text("r-41", "+48600000001", n + "a").status, 200);
    ASSERT_TRUE(wait_text("48600000001", "przyjęto zgłoszenie nr " + n)) << askd.log();

    ASSERT_EQ(smsgate_text("r-42", "+48600000001", n + "e").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "wezwano kolejne osoby")) << askd.log();
    auto says = fmt::format(
        "PILNE zgłoszenie nr {} (Jan K.) sprzed chwili: ma je Ola, potrzebna pomoc. Szczegóły w panelu ASK.",
        n);
    EXPECT_TRUE(wait_text("48600000002", says)) << askd.log();
    for (const auto& t : smsapi_texts_to("48600000001"))
        EXPECT_EQ(t.find("potrzebna pomoc"), std::string::npos) << "Ola was called to help herself: " << t;
}

// Ola, alone on duty, has taken the request and asks for help with "e": the only step would call no one
// but her. She is told so in Polish, nothing is recorded, and the provider's copy of her reply is
// recognised as seen and not answered again.
TEST_F(sms_gateways, asking_for_help_when_nobody_else_can_be_called_says_so_and_changes_nothing) {
    auto ola = dashboard("ola");
    auto id = id_of(press(jan, "urgent").json());
    auto n = std::to_string(id);
    ASSERT_EQ(smsgate_text("r-43", "+48600000001", n + "a").status, 200);
    ASSERT_TRUE(wait_text("48600000001", "przyjęto zgłoszenie nr " + n)) << askd.log();

    ASSERT_EQ(smsgate_text("r-44", "+48600000001", n + "e").status, 200);
    auto says = "ASK: zgłoszenie nr " + n + ": nie można teraz wezwać nikogo innego. Nic nie zmieniono.";
    EXPECT_TRUE(wait_text("48600000001", says)) << askd.log();
    ASSERT_EQ(smsgate_text("r-44", "+48600000001", n + "e").status, 200) << "the provider's copy";
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind = 'escalated' AND "
                      "json_extract(detail, '$.by_hand')",
                      n),
              (std::vector<std::vector<std::string>>{{"0"}}));
    std::this_thread::sleep_for(500ms); // an answer to the copy would go out after its 200
    std::size_t answers = 0;
    for (const auto& t : smsapi_texts_to("48600000001"))
        answers += t.find(says) != std::string::npos;
    EXPECT_EQ(answers, 1u) << "the reply was answered more than once";
}

// "c" on a request still waiting takes it and closes it in one commit, with the reply's seen-mark. Here
// the mark fails (a trigger, as above), as when the disk fails under that commit: nothing of it is
// kept, neither the taking nor the closing. The provider's copy then takes and closes it: taken once,
// closed once, answered once, and the resident told only that it was closed.
TEST_F(sms_gateways, a_close_reply_whose_commit_failed_changes_nothing_and_its_copy_closes_once) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0410");
    ASSERT_NE(id, 0);
    ASSERT_TRUE(wait_text("48600100200", "zgłoszenie nr " + std::to_string(id))) << askd.log();
    using rows = std::vector<std::vector<std::string>>;
    auto request = [&] {
        db_probe db(askd.db_path());
        return db.rows(
            "SELECT r.state, coalesce(s.username, '-'), (SELECT count(*) FROM request_events AS e WHERE "
            "e.request_id = r.id AND e.kind = 'acknowledged') FROM requests AS r LEFT JOIN staff AS s ON "
            "s.id = r.acked_by WHERE r.id = ?1",
            std::to_string(id));
    };
    change_schema("CREATE TRIGGER fail_seen BEFORE INSERT ON inbound_sms BEGIN SELECT json('not json'); END");

    auto code = std::to_string(id) + "c";
    auto cut_off = smsgate_text("r-41", "+48600000001", code);
    EXPECT_EQ(cut_off.status, 503) << cut_off.body;
    EXPECT_EQ(request(), (rows{{"notifying", "-", "0"}})) << "nothing of the failed commit is kept";

    change_schema("DROP TRIGGER fail_seen");
    auto copy = smsgate_text("r-41", "+48600000001", code);
    EXPECT_EQ(copy.status, 200) << copy.body;
    EXPECT_TRUE(wait_text("48600000001", "zamknięto zgłoszenie nr " + std::to_string(id))) << askd.log();
    EXPECT_EQ(request(), (rows{{"resolved", "ola", "1"}})) << "taken once, then closed";
    EXPECT_EQ(smsgate_text("r-41", "+48600000001", code).status, 200) << "a further copy";
    ASSERT_TRUE(wait_text("48600100200", "Zgłoszenie zostało zamknięte.")) << askd.log();
    std::this_thread::sleep_for(500ms); // an answer to the further copy would go out after its 200
    EXPECT_EQ(smsapi_texts_to("48600000001"),
              (std::vector<std::string>{"ASK: zamknięto zgłoszenie nr " + std::to_string(id) + "."}))
        << "the reply was answered other than once, as closed";
    for (const auto& t : smsapi_texts_to("48600100200"))
        EXPECT_EQ(t.find("skontaktuje się"), std::string::npos)
            << "Jan is not promised a call on a request closed without one: " << t;
}

// A reply that changes nothing (here one askd does not understand, answered with the help text) is
// marked as seen in a job of its own. A store that fails that mark gets a 503 and no answer goes out,
// so the provider's copy is answered once, and a further copy is not answered again.
TEST_F(sms_gateways, a_help_text_is_sent_once_its_reply_is_marked_seen) {
    change_schema("CREATE TRIGGER fail_seen BEFORE INSERT ON inbound_sms BEGIN SELECT json('not json'); END");
    auto refused = smsgate_text("r-42", "+48600000001", "co mam zrobić?");
    EXPECT_EQ(refused.status, 503) << refused.body;
    std::this_thread::sleep_for(500ms); // a help text would go out after the webhook's answer
    EXPECT_TRUE(smsapi_texts_to("48600000001").empty()) << "answered though its mark was not kept";

    change_schema("DROP TRIGGER fail_seen");
    EXPECT_EQ(smsgate_text("r-42", "+48600000001", "co mam zrobić?").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "przyjmij")) << askd.log();
    EXPECT_EQ(smsgate_text("r-42", "+48600000001", "co mam zrobić?").status, 200) << "a further copy";
    std::this_thread::sleep_for(500ms);
    EXPECT_EQ(smsapi_texts_to("48600000001").size(), 1u) << "the help text went out more than once";
}

// A resident's texts go out in order. Ola takes Jan's request, and her text's first try gets a 503 (it
// is retried after half a second). She gives it back at once. Sent side by side, "we are alerting
// staff" would reach Jan before the retried "Ola will contact you", and Jan would be left believing
// Ola will call. In turn, the last text he gets is where his request stands.
TEST_F(sms_gateways, a_residents_texts_arrive_in_the_order_of_what_happened) {
    auto ola = dashboard("ola");
    auto id = jan_texts_in(*ola, "SM0500");
    ASSERT_NE(id, 0);
    ASSERT_TRUE(wait_text("48600100200", "zgłoszenie nr " + std::to_string(id))) << askd.log();
    smsapi.script({{503, "application/json", R"({"error":503,"message":"busy"})"}});
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s));
    ola->send(boost::json::object{{"type", "release"}, {"id", id}});
    ASSERT_TRUE(ola->next_of("ok", 2s));
    // Received, Ola's (503), Ola's again, back to waiting: all four, whatever their order.
    auto until = std::chrono::steady_clock::now() + 6s;
    while (smsapi_texts_to("48600100200").size() < 4 && std::chrono::steady_clock::now() < until)
        std::this_thread::sleep_for(50ms);
    auto texts = smsapi_texts_to("48600100200");
    ASSERT_EQ(texts.size(), 4u) << askd.log();
    EXPECT_NE(texts.back().find("Powiadamiamy pracowników"), std::string::npos)
        << "the last text Jan got is not where his request stands: " << texts.back();
}

// The per-number allowance counts stored texts only. A resident's text retried by its provider
// through a storage outage (another process holds the write lock: 503 each time) is stored once the
// storage is back, not dropped as a flood; texts beyond the allowance still are, unless they are a new
// call for help.
class sms_gateways_flood : public sms_gateways {
protected:
    sms_gateways_flood() : sms_gateways("", "busy_timeout_ms = 200", "inbound_per_window = 2") {}
};

TEST_F(sms_gateways_flood, a_text_retried_through_an_outage_is_stored_and_a_flood_still_is_not) {
    const std::string from = "+48600700800";
    auto requests_from = [&] {
        db_probe db(askd.db_path());
        return db.rows("SELECT r.id, r.repeat_count FROM requests r JOIN residents p ON p.id = r.resident_id "
                       "WHERE p.phone = ?1",
                       from);
    };
    write_lock locker(askd.db_path());
    ASSERT_TRUE(locker.held());
    for (int attempt = 0; attempt < 3; ++attempt)
        EXPECT_EQ(twilio_text("SM0300", from, "Pomocy, prosze o telefon").status, 503) << "attempt " << attempt;
    locker.release();

    EXPECT_EQ(twilio_text("SM0300", from, "Pomocy, prosze o telefon").status, 200);
    auto stored = requests_from();
    ASSERT_EQ(stored.size(), 1u) << "the text retried through the outage was dropped: " << askd.log();
    EXPECT_EQ(twilio_text("SM0300", from, "Pomocy, prosze o telefon").status, 200) << "a retry of a stored text";

    EXPECT_EQ(twilio_text("SM0301", from, "Nadal czekam").status, 200);
    EXPECT_EQ(twilio_text("SM0302", from, "Czekam dalej").status, 200) << "dropped, but answered: the provider must not retry";
    stored = requests_from();
    ASSERT_EQ(stored.size(), 1u);
    EXPECT_EQ(stored[0][1], "1") << "the second text raises the request; the third is over the allowance of 2";
    EXPECT_NE(askd.log().find("too many texts from one number"), std::string::npos);

    // Over the allowance still, a text that is a new call for help is stored: the request was closed, so
    // it makes a new one; a repeat of that one is dropped again.
    auto first = stored[0][0];
    ASSERT_EQ(smsgate_text("r-90", "+48600000001", first + "c").status, 200);
    ASSERT_TRUE(wait_text("48600000001", "zamknięto zgłoszenie nr " + first)) << askd.log();
    EXPECT_EQ(twilio_text("SM0303", from, "SOS upadlam, nie moge wstac").status, 200);
    stored = requests_from();
    ASSERT_EQ(stored.size(), 2u) << "a new call for help over the allowance was dropped: " << askd.log();
    EXPECT_EQ(twilio_text("SM0304", from, "SOS, nadal leze").status, 200);
    EXPECT_EQ(requests_from()[1][1], "0") << "a repeat of the open urgent request is over the allowance";
}

// Offices with SMS numbers of their own: a text from a number nobody has goes to the office it was sent to
// ("polnoc": +48 732 100 300; "zachod", a number abroad), whole or in parts; one to any other number goes to
// the first office.
class offices_by_number : public sms_gateways {
  protected:
    offices_by_number()
        : sms_gateways(R"(
[[offices]]
slug = "demo"
name = "Urząd Testowy"
time_zone = "UTC"
[[offices]]
slug = "polnoc"
name = "Urząd Północ"
time_zone = "UTC"
sms_number = "+48 732 100 300"
[[offices]]
slug = "zachod"
name = "Urząd Zachód"
time_zone = "UTC"
sms_number = "+44 7700 900123"
)") {}
    /// The slug of the office of the newest request from `phone`.
    std::string office_of_request_from(const std::string& phone) {
        auto rows =
            db_probe(askd.db_path())
                .rows("SELECT o.slug FROM requests r JOIN residents p ON p.id = r.resident_id "
                      "JOIN offices o ON o.id = r.office_id WHERE p.phone = ?1 ORDER BY r.id DESC LIMIT 1",
                      phone);
        return rows.empty() ? "" : rows[0][0];
    }
};

TEST_F(offices_by_number, a_text_from_an_unknown_number_goes_to_the_office_it_was_sent_to) {
    ASSERT_EQ(twilio_text("SM0400", "+48511000001", "Prosze o telefon", "tw-token", "+48732100300").status,
              200);
    EXPECT_TRUE(eventually([&] { return office_of_request_from("+48511000001") == "polnoc"; })) << askd.log();
    ASSERT_EQ(twilio_text("SM0401", "+48511000002", "Prosze o telefon").status, 200);
    EXPECT_TRUE(eventually([&] { return office_of_request_from("+48511000002") == "demo"; }))
        << "a number of no office's goes to the first office\n"
        << askd.log();

    // Vonage gives our number without "+"; the parts of a long text carry it to the text they make.
    ASSERT_EQ(
        vonage_text("0C0002", "48511000003", "jak najszybciej.", part("8a", 2, 2), "48732100300").status,
        204);
    ASSERT_EQ(
        vonage_text("0C0001", "48511000003", "Prosze o telefon ", part("8a", 1, 2), "48732100300").status,
        204);
    EXPECT_TRUE(eventually([&] { return office_of_request_from("+48511000003") == "polnoc"; })) << askd.log();
    ASSERT_EQ(vonage_text("0C0003", "48511000004", "Prosze o telefon", {}, "447700900123").status, 204);
    EXPECT_TRUE(eventually([&] { return office_of_request_from("+48511000004") == "zachod"; }))
        << "a number of ours abroad, without \"+\"\n"
        << askd.log();

    // Jan (of "demo") texting the other office's number is still Jan: his own office has his request.
    ASSERT_EQ(twilio_text("SM0402", "+48600100200", "Prosze o telefon", "tw-token", "+48732100300").status,
              200);
    EXPECT_TRUE(eventually([&] { return office_of_request_from("+48600100200") == "demo"; })) << askd.log();
}

// Two offices that write their texts differently: "demo" (Jan's and Ola's) asked for plain
// letters; "polnoc" left it to [sms], where transliterate is off, so its texts keep ą, ł, ż.
class office_text_styles : public sms_gateways {
protected:
    office_text_styles()
        : sms_gateways(R"(
[[offices]]
slug = "demo"
name = "Urząd Testowy"
time_zone = "UTC"
sms_transliterate = true
[[offices]]
slug = "polnoc"
name = "Urząd Północ"
time_zone = "UTC"
)") {}
};

bool plain_letters(const std::string& text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

TEST_F(office_text_styles, each_office_texts_with_or_without_polish_letters_as_it_chose) {
    auto zofia = askd.add_resident("Zofia Nowak", "+48 600 500 600", "deaf", "", "polnoc");
    ASSERT_FALSE(HasFailure());

    // Jan's urgent text: the resident's confirmation and the ladder's text to Ola, both in plain letters.
    auto ola = dashboard("ola");
    ASSERT_EQ(twilio_text("SM0700", "+48600100200", "PILNE, upadłem w łazience").status, 200);
    auto alert = ola->next_of("alert", 2s);
    ASSERT_TRUE(alert);
    auto jan_request = alert->at("alert").as_object().at("id").as_int64();
    ASSERT_TRUE(wait_text("48600100200", "ASK, zgloszenie nr " + std::to_string(jan_request))) << askd.log();
    ASSERT_TRUE(wait_text("48600000001", "Odpisz " + std::to_string(jan_request) + "a")) << askd.log();
    for (const auto& t : smsapi_texts_to("48600100200"))
        EXPECT_TRUE(plain_letters(t)) << t;
    for (const auto& t : smsapi_texts_to("48600000001"))
        EXPECT_TRUE(plain_letters(t)) << t;
    // The history counts the text as sent: GSM-7, not UCS-2.
    auto events = http_get(port(), "/api/v1/requests/" + std::to_string(jan_request) + "/events",
                           login(port(), "ola", staff_password))
                      .json()
                      .at("events")
                      .as_array();
    int sent = 0;
    for (const auto& e : events) {
        const auto& o = e.as_object();
        if (o.at("kind").as_string() != "sms_sent")
            continue;
        ++sent;
        EXPECT_FALSE(o.at("detail").as_object().at("ucs2").as_bool()) << boost::json::serialize(o);
    }
    EXPECT_GE(sent, 1);

    // Zofia (deaf) presses on her page: her office's text keeps the Polish letters.
    auto zofia_request = id_of(press(zofia, "normal").json());
    ASSERT_TRUE(wait_text("48600500600", "ASK, zgłoszenie nr " + std::to_string(zofia_request))) << askd.log();
}

// Zofia is deaf: Ola, taking her request by text, away from the dashboard that says "NIE DZWOŃ", is told
// with the number not to call it. The way of contact, not the reason.
TEST_F(office_text_styles, taking_a_deaf_residents_request_by_text_says_to_text_not_call) {
    auto zofia = askd.add_resident("Zofia Nowak", "+48 600 500 600", "deaf");
    ASSERT_FALSE(HasFailure());
    auto id = std::to_string(id_of(press(zofia, "normal").json()));
    ASSERT_EQ(smsgate_text("r-71", "+48600000001", id + "a").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "ASK: przyjeto zgloszenie nr " + id +
                                             ": Zofia Nowak, tel. +48600500600 (tylko SMS, nie dzwon)."))
        << askd.log();
    auto jan_request = std::to_string(id_of(press(jan, "normal").json()));
    ASSERT_EQ(smsgate_text("r-72", "+48600000001", jan_request + "a").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "ASK: przyjeto zgloszenie nr " + jan_request +
                                             ": Jan Kowalski, tel. +48600100200."))
        << "hard of hearing Jan may be called\n"
        << askd.log();
}

// Ola (of the demo office) texts "Na" with the number of a request of another office, which she cannot
// see: it is refused as no open request of hers, and that request's history is left alone (the answer is
// about no request).
TEST_F(office_text_styles, a_reply_naming_another_offices_request_changes_nothing_there) {
    auto zofia = askd.add_resident("Zofia Nowak", "+48 600 500 600", "deaf", "", "polnoc");
    ASSERT_FALSE(HasFailure());
    auto other = std::to_string(id_of(press(zofia, "normal").json()));
    ASSERT_EQ(smsgate_text("r-70", "+48600000001", other + "a").status, 200);
    EXPECT_TRUE(wait_text("48600000001", "ASK: nie ma otwartego zgloszenia nr " + other + "."))
        << "the demo office texts in plain letters\n"
        << askd.log();
    std::this_thread::sleep_for(500ms); // the answer's outcome is recorded after the provider's reply
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE request_id = ?1 AND kind LIKE 'sms_%' "
                      "AND json_extract(detail, '$.to') = '001'",
                      other),
              (std::vector<std::vector<std::string>>{{"0"}}))
        << "the answer to Ola is in another office's request's history";
    EXPECT_EQ(db.rows("SELECT state FROM requests WHERE id = ?1", other),
              (std::vector<std::vector<std::string>>{{"queued"}}));
}

// The office is closed (holidays), so a press waits for its opening and the after-hours phone
// (+48 600 999 999) is texted.
class closed_office_texts : public sms_gateways {
  protected:
    closed_office_texts() : sms_gateways(closed_office_toml()) {}

    static constexpr const char* after_hours_digits = "48600999999";
};

// The after-hours phone is nobody's account: from it "12a" would be taken for a resident's text, a new
// request. Its text points to the dashboard instead of offering the reply codes.
TEST_F(closed_office_texts, an_after_hours_phone_of_no_member_is_pointed_to_the_dashboard) {
    auto id = std::to_string(id_of(press(jan, "urgent").json()));
    ASSERT_TRUE(wait_text(after_hours_digits, "poza godzinami urzędu")) << askd.log();
    auto text = smsapi_texts_to(after_hours_digits).front();
    EXPECT_NE(text.find("zgłoszenie nr " + id + " "), std::string::npos) << text;
    EXPECT_NE(text.find("Przyjmij je w panelu ASK."), std::string::npos) << text;
    EXPECT_EQ(text.find("Odpisz"), std::string::npos) << text;
}

// Jan presses at night, and again twice: nobody has come, he still needs help. Each press is news to the
// after-hours phone, with how many times he pressed again; nothing else texts it again.
TEST_F(closed_office_texts, each_press_again_is_texted_to_the_after_hours_phone) {
    auto id = std::to_string(id_of(press(jan, "urgent").json()));
    auto about = "PILNE zgłoszenie nr " + id + " (Jan K.) ";
    ASSERT_TRUE(wait_text(after_hours_digits, about + "poza godzinami urzędu, czeka")) << askd.log();
    for (auto again : {"ponowione 1 raz, ", "ponowione 2 razy, "}) {
        auto pressed = press(jan, "urgent");
        ASSERT_EQ(pressed.status, 200) << pressed.body;
        ASSERT_TRUE(pressed.json().at("merged").as_bool());
        EXPECT_TRUE(wait_text(after_hours_digits, about + again + "poza godzinami urzędu, czeka od chwili."))
            << askd.log();
    }
    std::this_thread::sleep_for(2s); // ticks, each parking nothing anew
    EXPECT_EQ(smsapi_texts_to(after_hours_digits).size(), 3u) << askd.log();
}

// Ola takes Jan's request at night and has not reached him when he presses again. Nobody is on duty to be
// rung and the follow-ups (none here) wait for the opening, so the after-hours phone hears of each such
// press, with who has the request; nothing else texts it again.
TEST_F(closed_office_texts, a_press_again_on_a_request_taken_at_night_is_texted_to_the_after_hours_phone) {
    auto ola = dashboard("ola");
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(wait_text(after_hours_digits, "poza godzinami urzędu, czeka")) << askd.log();
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    auto about = "PILNE zgłoszenie nr " + std::to_string(id) + " (Jan K.) ";
    for (auto again : {"ponowione 1 raz, ", "ponowione 2 razy, "}) {
        auto pressed = press(jan, "urgent");
        ASSERT_EQ(pressed.status, 200) << pressed.body;
        ASSERT_TRUE(pressed.json().at("merged").as_bool());
        EXPECT_TRUE(
            wait_text(after_hours_digits, std::string(again) +
                                              "poza godzinami urzędu, ma je Ola, bez kontaktu z mieszkańcem. "
                                              "Szczegóły w panelu ASK."))
            << askd.log();
    }
    std::this_thread::sleep_for(2s); // ticks, texting nothing anew
    auto texts = smsapi_texts_to(after_hours_digits);
    ASSERT_EQ(texts.size(), 3u) << askd.log();
    EXPECT_NE(texts.back().find(about), std::string::npos) << texts.back();

    // Ola gives it back: it waits for the opening again, and the after-hours phone, last told Ola has it, is
    // told it waits.
    ola->send(boost::json::object{{"type", "release"}, {"id", id}, {"ref", "back"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    EXPECT_TRUE(eventually([&] { return smsapi_texts_to(after_hours_digits).size() == 4u; }, 4s))
        << askd.log();
    EXPECT_NE(smsapi_texts_to(after_hours_digits)
                  .back()
                  .find(about + "ponowione 2 razy, poza godzinami urzędu, czeka"),
              std::string::npos)
        << smsapi_texts_to(after_hours_digits).back();
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*) FROM request_events WHERE kind = 'notified' AND "
                      "json_extract(detail, '$.who') = 'after_hours_phone'"),
              (std::vector<std::vector<std::string>>{{"4"}}))
        << "each text in the request's history";
}

// A press again at night whose text to the after-hours phone could not be recorded (here a trigger the test
// adds refuses the text's event, as a full disk would) is tried again until it is: the press is the only
// news that reaches anyone before the opening. Once the store writes again it goes out, once.
TEST_F(closed_office_texts, a_press_again_whose_text_the_store_failed_to_record_is_tried_again) {
    auto ola = dashboard("ola");
    auto id = id_of(press(jan, "urgent").json());
    ASSERT_TRUE(wait_text(after_hours_digits, "poza godzinami urzędu, czeka")) << askd.log();
    ola->send(boost::json::object{{"type", "ack"}, {"id", id}, {"ref", "take"}});
    ASSERT_TRUE(ola->next_of("ok", 2s)) << askd.log();
    change_schema(
        "CREATE TRIGGER fail_after_hours BEFORE INSERT ON request_events "
        "WHEN json_extract(NEW.detail, '$.who') = 'after_hours_phone' BEGIN SELECT json('not json'); END");
    auto pressed = press(jan, "urgent");
    ASSERT_EQ(pressed.status, 200) << pressed.body;
    ASSERT_TRUE(eventually(
        [&] { return askd.log().find("after-hours phone was not recorded") != std::string::npos; }, 3s))
        << askd.log();
    EXPECT_EQ(smsapi_texts_to(after_hours_digits).size(), 1u) << "texted without its record";

    change_schema("DROP TRIGGER fail_after_hours");
    EXPECT_TRUE(wait_text(after_hours_digits,
                          "ponowione 1 raz, poza godzinami urzędu, ma je Ola, bez kontaktu z mieszkańcem.",
                          10s))
        << askd.log();
    std::this_thread::sleep_for(2s);
    EXPECT_EQ(smsapi_texts_to(after_hours_digits).size(), 2u) << askd.log();
}

// The after-hours phone is Ola's: she is offered the codes, and her "Na" takes the request.
TEST_F(closed_office_texts, an_after_hours_phone_of_a_member_is_offered_the_codes_and_its_reply_takes_it) {
    change_the_file(askd.db_path(), "UPDATE staff SET phone = '+48600999999' WHERE username = 'ola'");
    auto id = std::to_string(id_of(press(jan, "urgent").json()));
    ASSERT_TRUE(wait_text(after_hours_digits, "Odpisz " + id + "a, aby przyjąć")) << askd.log();
    ASSERT_EQ(smsgate_text("r-80", "+48600999999", id + "a").status, 200);
    EXPECT_TRUE(wait_text(after_hours_digits, "ASK: przyjęto zgłoszenie nr " + id + ": Jan Kowalski"))
        << askd.log();
    db_probe db(askd.db_path());
    EXPECT_EQ(db.rows("SELECT count(*), min(state) FROM requests"),
              (std::vector<std::vector<std::string>>{{"1", "acknowledged"}}))
        << "the reply took the request and made none";
}

} // namespace
} // namespace ask::test
