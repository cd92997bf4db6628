// Inbound parsers against the documented sample payloads; send calls and reply verdicts per provider.
#include "gateways/part_assembler.hpp"
#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

TEST(twilio, inbound_courier_capture_and_get) {
    webhook_request req{"POST", "/webhooks/sms/twilio", "application/x-www-form-urlencoded",
                        "ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b&"
                        "NumMedia=0&ToCity=&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA&"
                        "SmsStatus=received&FromCity=CHICOPEE&Body=Msg&FromCountry=US&To=%2B12028831111&ToZip=&"
                        "NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&AccountSid=acctid&From=%2B14133881111&"
                        "ApiVersion=2010-04-01",
                        {}};
    auto m = parse_twilio_inbound(req);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->message_id, "SMe287d7109a5a925f182f0e07fe5b223b");
    EXPECT_EQ(m->from, "+14133881111");
    EXPECT_EQ(m->to, "+12028831111");
    EXPECT_EQ(m->text, "Msg");
    webhook_request get{"GET", "/webhooks/sms/twilio?MessageSid=SM1&From=%2B48600100200&Body=Pomocy+%C5%82", "", "", {}};
    auto g = parse_twilio_inbound(get);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->text, "Pomocy ł");
    EXPECT_FALSE(parse_twilio_inbound({"POST", "/", "application/x-www-form-urlencoded", "Body=x", {}}));
}

TEST(twilio, send_call_and_verdicts) {
    auto c = twilio_send_call({"AC1", "tok", "+48732100200"}, {"+48600100200", "Zgłoszenie nr 5"});
    EXPECT_EQ(c.method, "POST");
    EXPECT_EQ(c.target, "/2010-04-01/Accounts/AC1/Messages.json");
    EXPECT_EQ(c.headers.at(0).second, "Basic QUMxOnRvaw==");
    auto form = decode_form(c.body).value();
    EXPECT_EQ(param(form, "To"), "+48600100200");
    EXPECT_EQ(param(form, "From"), "+48732100200");
    EXPECT_EQ(param(form, "Body"), "Zgłoszenie nr 5");
    auto ok = twilio_send_verdict(201, R"({"sid":"SMaaaa","status":"queued"})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "SMaaaa");
    auto bad = twilio_send_verdict(400, R"({"code": 21211, "message": "The 'To' number +1asd is not a valid phone number.", "more_info": "https://www.twilio.com/docs/errors/21211", "status": 400})");
    EXPECT_EQ(bad.kind, send_verdict_kind::permanent);
    EXPECT_NE(bad.error.find("21211"), std::string::npos);
    EXPECT_EQ(twilio_send_verdict(429, R"({ "code": 20429, "message": "Too Many Requests" })").kind, send_verdict_kind::retry);
    EXPECT_EQ(twilio_send_verdict(503, "").kind, send_verdict_kind::retry);
}

TEST(vonage, inbound_form_json_get_and_concatenated_parts) {
    webhook_request form{"POST", "/", "application/x-www-form-urlencoded; charset=UTF-8",
                         "keyword=HELLO!&message-timestamp=2016-08-14+10%3A13%3A54&messageId=030000000926C4C2&"
                         "msisdn=48600100200&text=Hello!&to=48500600700&type=text",
                         {}};
    auto m = parse_vonage_inbound(form);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->from, "+48600100200");
    EXPECT_EQ(m->message_id, "030000000926C4C2");
    webhook_request json{"POST", "/", "application/json",
                         R"({"msisdn":"48600100200","to":"48500600700","messageId":"0A01","text":"Pilne","type":"text","concat":"true","concat-ref":"7","concat-part":"2","concat-total":"2"})",
                         {}};
    auto part2 = parse_vonage_inbound(json);
    ASSERT_TRUE(part2);
    EXPECT_EQ(part2->part_index, 2);
    auto part1 = *part2;
    part1.part_index = 1;
    part1.message_id = "0A00";
    part1.text = "Proszę o pomoc. ";
    part2->text = "Pilne";
    part_assembler parts;
    EXPECT_FALSE(parts.add(*part2, 0)) << "waits for part 1";
    EXPECT_FALSE(parts.add(*part2, 1)) << "a retried part is not a new one";
    auto whole = parts.add(part1, 2);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->text, "Proszę o pomoc. Pilne");
    EXPECT_EQ(whole->message_id, "0A00");
    EXPECT_EQ(parts.pending(), 0u);
    webhook_request broken = json;
    broken.body = R"({"msisdn":"48600100200","messageId":"0A01","concat":"true","concat-ref":"7","concat-part":"3","concat-total":"2"})";
    EXPECT_FALSE(parse_vonage_inbound(broken));
}

TEST(vonage, send_call_and_verdicts) {
    auto c = vonage_send_call({"key1", "secret1", "ASK"}, {"+48600100200", "Zgłoszenie przyjęte"});
    EXPECT_EQ(c.target, "/sms/json");
    auto form = decode_form(c.body).value();
    EXPECT_EQ(param(form, "to"), "48600100200");
    EXPECT_EQ(param(form, "type"), "unicode") << "Polish text must go as unicode";
    EXPECT_EQ(param(decode_form(vonage_send_call({"k", "s", "ASK"}, {"+48600100200", "Zgloszenie"}).body).value(), "type"), "");
    auto ok = vonage_send_verdict(200, R"({"message-count": "1","messages": [{"to": "1234567890","message-id": "3295d748-4e14-4681-af78-166dca3c5aab","status": "0"}]})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "3295d748-4e14-4681-af78-166dca3c5aab");
    auto barred = vonage_send_verdict(200, R"({"message-count": "1", "messages": [{"status": "7", "error-text": "Number barred."}]})");
    EXPECT_EQ(barred.kind, send_verdict_kind::permanent);
    EXPECT_NE(barred.error.find("Number barred"), std::string::npos);
    EXPECT_EQ(vonage_send_verdict(200, R"({"messages": [{"status": "1", "error-text": "Throttled"}]})").kind,
              send_verdict_kind::retry);
}

TEST(smsapi, inbound_and_send) {
    webhook_request req{"POST", "/", "application/x-www-form-urlencoded",
                        "sms_to=test&sms_from=48883116472&sms_text=karmienie+60ml&sms_date=1753099200&username=test&MsgId=test",
                        {}};
    auto m = parse_smsapi_inbound(req);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->from, "+48883116472");
    EXPECT_EQ(m->text, "karmienie 60ml");
    EXPECT_EQ(smsapi_username(req), "test");
    auto c = smsapi_send_call({"tok", "ASK"}, {"+48600100200", "Zażółć"});
    EXPECT_EQ(c.target, "/sms.do");
    EXPECT_EQ(c.headers.at(0).second, "Bearer tok");
    auto form = decode_form(c.body).value();
    EXPECT_EQ(param(form, "to"), "48600100200");
    EXPECT_EQ(param(form, "encoding"), "utf-8");
    EXPECT_EQ(param(form, "message"), "Zażółć");
    auto ok = smsapi_send_verdict(200, R"({"count": 1,"list": [{"id": "1","points": 0.1,"number": "48100200300","status": "QUEUE"}]})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    auto bad = smsapi_send_verdict(200, R"({"error": 13,"message": "No correct phone numbers","invalid_numbers": []})");
    EXPECT_EQ(bad.kind, send_verdict_kind::permanent);
    EXPECT_EQ(smsapi_send_verdict(200, R"({"error": 203, "message": "Too many"})").kind, send_verdict_kind::retry);
}

TEST(smsgate, inbound_events_and_send) {
    webhook_request req{"POST", "/", "application/json",
                        R"({"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C","payload":{"messageId":"abc123","message":"Android is always a sweet treat!","sender":"6505551212","recipient":"+1234567890","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"})",
                        {}};
    auto m = parse_smsgate_inbound(req);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->message_id, "Ey6ECgOkVVFjz3CL48B8C");
    EXPECT_EQ(m->from, "6505551212");
    req.body = R"({"event":"sms:delivered","id":"x","payload":{}})";
    auto other = parse_smsgate_inbound(req);
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().detail.rfind("ignored event", 0), 0u);
    auto c = smsgate_send_call({"user", "pass"}, {"+48600100200", "Pilne"});
    EXPECT_EQ(c.target, "/messages");
    auto body = boost::json::parse(c.body).as_object();
    EXPECT_EQ(body.at("phoneNumbers").as_array().at(0).as_string(), "+48600100200");
    EXPECT_EQ(body.at("textMessage").as_object().at("text").as_string(), "Pilne");
    auto ok = smsgate_send_verdict(202, R"({"id": "123", "state": "Pending", "recipients": [{"phoneNumber": "123", "state": "Pending"}]})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "123");
    EXPECT_EQ(smsgate_send_verdict(503, "").kind, send_verdict_kind::retry);
    EXPECT_EQ(smsgate_send_verdict(401, "").kind, send_verdict_kind::permanent);
}

TEST(delivery_reports, each_provider) {
    webhook_request twilio{"POST", "/", "application/x-www-form-urlencoded",
                           "ErrorCode=21610&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&MessageStatus=failed&To=%2B12028831111",
                           {}};
    auto t = parse_twilio_status(twilio);
    ASSERT_TRUE(t);
    EXPECT_EQ(t->provider_id, "SMe287d7109a5a925f182f0e07fe5b223b");
    EXPECT_EQ(t->status, "failed");
    EXPECT_EQ(t->error, "21610");
    webhook_request vonage{"GET", "/?msisdn=48600100200&to=ASK&network-code=26001&messageId=v1&status=delivered&err-code=0",
                           "", "", {}};
    auto v = parse_vonage_status(vonage);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->status, "delivered");
    EXPECT_EQ(v->error, "");
    webhook_request gate{"POST", "/", "application/json",
                         R"({"event":"sms:failed","id":"e1","payload":{"messageId":"g1","reason":"RESULT_ERROR_NO_SERVICE"}})", {}};
    auto g = parse_smsgate_status(gate);
    ASSERT_TRUE(g);
    EXPECT_EQ(g->provider_id, "g1");
    EXPECT_EQ(g->status, "failed");
    EXPECT_EQ(g->error, "RESULT_ERROR_NO_SERVICE");
    EXPECT_FALSE(parse_twilio_status({"POST", "/", "application/x-www-form-urlencoded", "To=1", {}}));
}

} // namespace
} // namespace ask::gateways
