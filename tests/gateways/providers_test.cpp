// Inbound parsers against the documented sample payloads (sms-gateways.md 1.1, 2.1, 3.3, 4.2);
// send calls and reply verdicts per provider (1.4, 2.3, 3.1, 4.4); the webhook answers.
#include "gateways/sms_parts.hpp"
#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/text_key.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

#include <algorithm>

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
    auto missing = parse_twilio_inbound({"POST", "/", "application/x-www-form-urlencoded", "Body=x", {}});
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().detail, "MessageSid is required");
    auto no_sender = parse_twilio_inbound({"POST", "/", "application/x-www-form-urlencoded", "SmsSid=SM2&Body=x", {}});
    ASSERT_FALSE(no_sender);
    EXPECT_EQ(no_sender.error().detail, "From is required");
    EXPECT_FALSE(parse_twilio_inbound({"POST", "/", "application/x-www-form-urlencoded", "MessageSid=SM1&From=%zz", {}}))
        << "a malformed form";
}

TEST(twilio, polish_text_size_limits_and_invalid_utf8) {
    webhook_request req{"POST", "/webhooks/sms/twilio", "application/x-www-form-urlencoded",
                        "From=%2B48600100200&To=%2B48500600700&Body=Pilne%3A+zg%C5%82aszam+awari%C4%99+wody%2C+ul.+"
                        "%C5%81%C4%85kowa+5&MessageSid=SM00000000000000000000000000000001&AccountSid=AC00000000000000000000000000000001",
                        {}};
    auto m = parse_twilio_inbound(req);
    ASSERT_TRUE(m);
    EXPECT_EQ(m->text, "Pilne: zgłaszam awarię wody, ul. Łąkowa 5");
    EXPECT_EQ(m->part_total, 1);
    EXPECT_EQ(m->part_ref, "");
    req.body = "MessageSid=SM1&From=%2B48600100200&Body=zg%B3oszenie%C5"; // ISO-8859-2 'ł', a cut-off sequence
    auto latin2 = parse_twilio_inbound(req);
    ASSERT_TRUE(latin2);
    EXPECT_EQ(latin2->text, "zg\uFFFDoszenie\uFFFD") << "never invalid UTF-8 past the parser";
    req.body = "MessageSid=SM1&From=%2B48600100200&Body=" + std::string(max_webhook_body, 'a');
    EXPECT_FALSE(parse_twilio_inbound(req)) << "over max_webhook_body";
    req.body = "MessageSid=" + std::string(max_webhook_field + 1, 'S') + "&From=%2B48600100200";
    EXPECT_FALSE(parse_twilio_inbound(req)) << "an id over max_webhook_field";
    webhook_request long_get{"GET", "/w?MessageSid=SM1&From=1&Body=" + std::string(max_webhook_target, 'a'), "", "", {}};
    EXPECT_FALSE(parse_twilio_inbound(long_get)) << "a query over max_webhook_target";
}

TEST(twilio, send_call_and_verdicts) {
    auto c = twilio_send_call({"AC1", "tok", "+48732100200"}, {"+48600100200", "Zgłoszenie nr 5"});
    EXPECT_EQ(c.method, "POST");
    EXPECT_EQ(c.target, "/2010-04-01/Accounts/AC1/Messages.json");
    EXPECT_EQ(c.headers.at(0), (std::pair<std::string, std::string>{"Authorization", "Basic QUMxOnRvaw=="}));
    EXPECT_EQ(c.headers.at(1), (std::pair<std::string, std::string>{"Content-Type", "application/x-www-form-urlencoded"}));
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
    auto stop = twilio_send_verdict(400, R"({"code": 21610, "message": "Attempt to send to unsubscribed recipient", "status": 400})");
    EXPECT_EQ(stop.kind, send_verdict_kind::permanent) << "the recipient sent STOP";
    EXPECT_EQ(twilio_send_verdict(401, R"({"code": 20003, "message": "Permission Denied"})").kind, send_verdict_kind::permanent);
    EXPECT_EQ(twilio_send_verdict(400, R"({"code": 63018, "message": "Rate limit exceeded"})").kind, send_verdict_kind::retry);
    auto rfc = twilio_send_verdict(400, R"({"type": "https://www.twilio.com/docs/errors/21211", "title": "Invalid", "status": 400, "code": 21211, "detail": "The 'To' number is not valid."})");
    EXPECT_EQ(rfc.kind, send_verdict_kind::permanent);
    EXPECT_NE(rfc.error.find("21211: The 'To' number is not valid."), std::string::npos) << rfc.error;
    EXPECT_EQ(twilio_send_verdict(201, "not json").kind, send_verdict_kind::retry) << "no sid: not known to be sent";
}

TEST(twilio, documented_create_response_and_reply) {
    auto ok = twilio_send_verdict(201, R"({
    "account_sid": "ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "api_version": "2010-04-01",
    "body": "Hello! \ud83d\udc4d",
    "date_created": "Thu, 30 Jul 2015 20:12:31 +0000",
    "date_sent": "Thu, 30 Jul 2015 20:12:33 +0000",
    "date_updated": "Thu, 30 Jul 2015 20:12:33 +0000",
    "direction": "outbound-api",
    "error_code": null,
    "error_message": null,
    "from": "+14155552345",
    "messaging_service_sid": "MGaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "num_media": "0",
    "num_segments": "1",
    "price": null,
    "price_unit": null,
    "sid": "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "status": "sent",
    "subresource_uris": {
        "media": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages/SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Media.json"
    },
    "to": "+14155552345",
    "uri": "/2010-04-01/Accounts/ACaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/Messages/SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.json"
})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "SMaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    EXPECT_EQ(twiml_empty_response(), R"(<?xml version="1.0" encoding="UTF-8"?><Response/>)");
    auto reply = twilio_webhook_reply();
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "text/xml");
    EXPECT_EQ(reply.body, twiml_empty_response());
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
    EXPECT_TRUE(is_part_of_longer(*part2)) << "held until part 1 arrives";
    auto whole = join_parts({*part2, part1}, 2);
    EXPECT_EQ(whole.text, "Proszę o pomoc. Pilne");
    EXPECT_EQ(whole.message_id, "0A00");
    webhook_request broken = json;
    broken.body = R"({"msisdn":"48600100200","messageId":"0A01","concat":"true","concat-ref":"7","concat-part":"3","concat-total":"2"})";
    EXPECT_FALSE(parse_vonage_inbound(broken));
}

TEST(vonage, concat_fields_strictly_checked) {
    auto with = [](std::string concat) {
        return webhook_request{"GET", "/webhooks/sms/vonage?msisdn=48600100200&to=48500600700&messageId=0A1&text=x&type=text" + concat,
                               "", "", {}};
    };
    auto ok = parse_vonage_inbound(with("&concat=true&concat-ref=1&concat-total=3&concat-part=2"));
    ASSERT_TRUE(ok) << ok.error().detail;
    EXPECT_EQ(ok->part_ref, "1");
    EXPECT_EQ(ok->part_index, 2);
    EXPECT_EQ(ok->part_total, 3);
    auto single = parse_vonage_inbound(with("&concat-ref=1&concat-total=3&concat-part=2"));
    ASSERT_TRUE(single);
    EXPECT_EQ(single->part_total, 1) << "concat is \"true\" only for parts (2.1)";
    for (const char* bad : {"&concat=true&concat-total=3&concat-part=2", "&concat=true&concat-ref=1&concat-total=3&concat-part=0",
                            "&concat=true&concat-ref=1&concat-total=3&concat-part=2x", "&concat=true&concat-ref=1&concat-total=33&concat-part=2",
                            "&concat=true&concat-ref=1&concat-total=-3&concat-part=2"}) {
        auto r = parse_vonage_inbound(with(bad));
        ASSERT_FALSE(r) << bad;
        EXPECT_NE(r.error().detail.find("concat"), std::string::npos) << r.error().detail;
    }
    webhook_request json{"POST", "/", "application/json",
                         R"({"msisdn":"48600100200","messageId":"0A2","text":"a","concat":true,"concat-ref":"9","concat-part":1,"concat-total":2})",
                         {}};
    auto typed = parse_vonage_inbound(json);
    ASSERT_TRUE(typed) << "JSON numbers and booleans as the spec's strings";
    EXPECT_EQ(typed->part_total, 2);
    EXPECT_FALSE(parse_vonage_inbound({"POST", "/", "application/json", "[1,2]", {}}));
    auto no_id = parse_vonage_inbound({"POST", "/", "application/json", R"({"msisdn":"48600100200"})", {}});
    ASSERT_FALSE(no_id);
    EXPECT_EQ(no_id.error().detail, "messageId is required");
}

TEST(vonage, spec_example_fields) {
    webhook_request req{"GET",
                        "/webhooks/sms/vonage?api-key=abcd1234&msisdn=447700900001&to=447700900000&messageId=0A0000000123ABCD1"
                        "&text=Hello%20world&type=text&keyword=HELLO&message-timestamp=2020-01-01%2012%3A00%3A00",
                        "", "", {}};
    auto m = parse_vonage_inbound(req);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->provider, "vonage");
    EXPECT_EQ(m->from, "+447700900001");
    EXPECT_EQ(m->to, "447700900000");
    EXPECT_EQ(m->message_id, "0A0000000123ABCD1");
    EXPECT_EQ(m->text, "Hello world");
}

TEST(vonage, send_call_and_verdicts) {
    auto c = vonage_send_call({"key1", "secret1", "ASK"}, {"+48600100200", "Zgłoszenie przyjęte"});
    EXPECT_EQ(c.target, "/sms/json");
    auto form = decode_form(c.body).value();
    EXPECT_EQ(param(form, "to"), "48600100200");
    EXPECT_EQ(param(form, "type"), "unicode") << "Polish text must go as unicode";
    EXPECT_EQ(param(form, "api_key"), "key1");
    EXPECT_EQ(param(form, "api_secret"), "secret1");
    EXPECT_EQ(param(form, "from"), "ASK");
    EXPECT_EQ(param(form, "text"), "Zgłoszenie przyjęte");
    EXPECT_EQ(c.headers.at(0), (std::pair<std::string, std::string>{"Content-Type", "application/x-www-form-urlencoded"}));
    EXPECT_EQ(param(decode_form(vonage_send_call({"k", "s", "ASK"}, {"+48600100200", "Zgloszenie {1}"}).body).value(), "type"), "")
        << "GSM-7, extension table included: the default type";
    EXPECT_EQ(param(decode_form(vonage_send_call({"k", "s", "+48500600700"}, {"+48600100200", "x"}).body).value(), "from"),
              "48500600700");
    auto ok = vonage_send_verdict(200, R"({"message-count": "1","messages": [{"to": "1234567890","message-id": "3295d748-4e14-4681-af78-166dca3c5aab","status": "0"}]})");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "3295d748-4e14-4681-af78-166dca3c5aab");
    auto barred = vonage_send_verdict(200, R"({"message-count": "1", "messages": [{"status": "7", "error-text": "Number barred."}]})");
    EXPECT_EQ(barred.kind, send_verdict_kind::permanent);
    EXPECT_NE(barred.error.find("Number barred"), std::string::npos);
    EXPECT_EQ(vonage_send_verdict(200, R"({"messages": [{"status": "1", "error-text": "Throttled"}]})").kind,
              send_verdict_kind::retry);
    EXPECT_EQ(vonage_send_verdict(200, R"({"messages": [{"status": "5", "error-text": "Internal Error"}]})").kind,
              send_verdict_kind::retry);
    EXPECT_EQ(vonage_send_verdict(200, R"({"messages": [{"status": "4", "error-text": "Invalid Credentials"}]})").kind,
              send_verdict_kind::permanent);
    auto long_text = vonage_send_verdict(200, R"({"message-count": "2", "messages": [
        {"to": "48600100200", "message-id": "part-1", "status": "0"}, {"to": "48600100200", "message-id": "part-2", "status": "0"}]})");
    EXPECT_EQ(long_text.kind, send_verdict_kind::accepted);
    EXPECT_EQ(long_text.provider_id, "part-1");
    auto half = vonage_send_verdict(200, R"({"message-count": "2", "messages": [
        {"message-id": "part-1", "status": "0"}, {"status": "1", "error-text": "Throttled"}]})");
    EXPECT_EQ(half.kind, send_verdict_kind::retry) << "every part must be accepted";
    EXPECT_EQ(vonage_send_verdict(401, "").kind, send_verdict_kind::permanent);
    EXPECT_EQ(vonage_send_verdict(429, "").kind, send_verdict_kind::retry);
    EXPECT_EQ(vonage_send_verdict(502, "").kind, send_verdict_kind::retry);
    EXPECT_EQ(vonage_send_verdict(200, R"({"messages": []})").kind, send_verdict_kind::permanent);
    EXPECT_EQ(vonage_webhook_reply().status, 204) << "2.1: 200 OK or 204 No Content";
    EXPECT_EQ(vonage_webhook_reply().body, "");
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

TEST(smsapi, a_callback_counts_only_with_our_key_in_its_url) {
    const std::vector<std::string> keys{"new-key-0123456789abc", "old-key-0123456789abc"};
    auto at = [](std::string target) {
        return webhook_request{"POST",
                               std::move(target),
                               "application/x-www-form-urlencoded",
                               "sms_from=48600100200&sms_text=1c&MsgId=m1&key=new-key-0123456789abc",
                               {}};
    };
    EXPECT_TRUE(smsapi_key_matches(at("/webhooks/sms/smsapi?key=new-key-0123456789abc"), keys));
    EXPECT_TRUE(smsapi_key_matches(at("/webhooks/sms/smsapi/status?key=old-key-0123456789abc"), keys))
        << "the previous key, mid-rotation";
    EXPECT_FALSE(smsapi_key_matches(at("/webhooks/sms/smsapi"), keys))
        << "the body's key= is the sender's, not ours";
    EXPECT_FALSE(smsapi_key_matches(at("/webhooks/sms/smsapi?key=new-key-0123456789abd"), keys));
    EXPECT_FALSE(smsapi_key_matches(at("/webhooks/sms/smsapi?key="), keys));
    EXPECT_FALSE(smsapi_key_matches(at("/webhooks/sms/smsapi?key=%E"), keys)) << "an unreadable query";
    EXPECT_FALSE(smsapi_key_matches(at("/webhooks/sms/smsapi?key="), {}))
        << "no key configured: nothing counts";
}

TEST(smsapi, inbound_get_readme_sample_and_problems) {
    webhook_request get{"GET", "/webhooks/sms/smsapi?sms_from=48883116472&sms_text=karmienie+60ml&MsgId=m2", "", "", {}};
    auto m = parse_smsapi_inbound(get);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->provider, "smsapi");
    EXPECT_EQ(m->from, "+48883116472");
    EXPECT_EQ(m->text, "karmienie 60ml");
    EXPECT_EQ(m->to, "");
    auto no_id = parse_smsapi_inbound({"POST", "/", "application/x-www-form-urlencoded", "sms_from=48883116472&sms_text=x", {}});
    ASSERT_FALSE(no_id);
    EXPECT_EQ(no_id.error().detail, "MsgId is required");
    auto no_from = parse_smsapi_inbound({"POST", "/", "application/x-www-form-urlencoded", "MsgId=1&sms_text=x", {}});
    ASSERT_FALSE(no_from);
    EXPECT_EQ(no_from.error().detail, "sms_from is required");
    EXPECT_EQ(smsapi_username({"POST", "/", "application/x-www-form-urlencoded", "username=" + std::string(max_webhook_body, 'u'), {}}),
              "")
        << "over the size limit";
    auto reply = smsapi_webhook_reply();
    EXPECT_EQ(reply.status, 200);
    EXPECT_EQ(reply.content_type, "text/plain");
    EXPECT_EQ(reply.body, "OK");
}

TEST(smsapi, send_call_fields_and_verdicts) {
    auto no_sender = decode_form(smsapi_send_call({"tok", ""}, {"+48600100200", "x"}).body).value();
    EXPECT_EQ(param(no_sender, "from"), "");
    EXPECT_EQ(std::count_if(no_sender.begin(), no_sender.end(), [](const auto& p) { return p.first == "from"; }), 0)
        << "no from: the account's default sender";
    auto form = decode_form(smsapi_send_call({"tok", "Urzad"}, {"+48600100200", "x"}).body).value();
    EXPECT_EQ(param(form, "from"), "Urzad");
    EXPECT_EQ(param(form, "format"), "json");
    EXPECT_EQ(param(form, "normalize"), "") << "Polish letters go as Unicode, not stripped";
    auto documented = smsapi_send_verdict(200, R"({
  "count": 1,
  "list": [
    {
      "id": "1",
      "points": 0.1,
      "number": "48100200300",
      "date_sent": 1560252588,
      "submitted_number": "100200300",
      "status": "QUEUE",
      "message": "test",
      "length": 1,
      "parts": 1
    }
  ]
})");
    EXPECT_EQ(documented.kind, send_verdict_kind::accepted);
    EXPECT_EQ(documented.provider_id, "1");
    EXPECT_EQ(smsapi_send_verdict(200, R"({"count":1,"list":[{"id":42,"status":"QUEUE"}]})").provider_id, "42");
    auto invalid = smsapi_send_verdict(200, R"({
  "error": 13,
  "message": "No correct phone numbers",
  "invalid_numbers": [
    { "number": "48100200300", "submitted_number": "100200300", "message": "Invalid phone number" }
  ]
})");
    EXPECT_EQ(invalid.kind, send_verdict_kind::permanent);
    EXPECT_EQ(invalid.error, "SMSAPI error 13: No correct phone numbers");
    for (int code : {52, 110, 200, 201, 202, 203, 999})
        EXPECT_EQ(smsapi_send_verdict(200, R"({"error": )" + std::to_string(code) + "}").kind, send_verdict_kind::retry) << code;
    for (int code : {8, 11, 13, 14, 101, 102, 103, 105})
        EXPECT_EQ(smsapi_send_verdict(200, R"({"error": )" + std::to_string(code) + "}").kind, send_verdict_kind::permanent) << code;
    EXPECT_EQ(smsapi_send_verdict(200, R"({"count":1,"list":[{"id":"1","error":13}]})").kind, send_verdict_kind::permanent)
        << "an error on the one recipient";
    EXPECT_EQ(smsapi_send_verdict(503, "").kind, send_verdict_kind::retry);
    EXPECT_EQ(smsapi_send_verdict(429, "").kind, send_verdict_kind::retry);
    EXPECT_EQ(smsapi_send_verdict(401, "<html>").kind, send_verdict_kind::permanent);
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
    auto ok = smsgate_send_verdict(
        202,
        R"({"id": "123", "state": "Pending", "recipients": [{"phoneNumber": "123", "state": "Pending"}]})",
        "");
    EXPECT_EQ(ok.kind, send_verdict_kind::accepted);
    EXPECT_EQ(ok.provider_id, "123");
    EXPECT_EQ(smsgate_send_verdict(503, "", "").kind, send_verdict_kind::retry);
    EXPECT_EQ(smsgate_send_verdict(200, "<html>Zaloguj się do sieci</html>", "").kind,
              send_verdict_kind::retry)
        << "a 2xx without the message's id is not the phone's answer";
    EXPECT_EQ(smsgate_send_verdict(202, R"({"state": "Pending"})", "").kind, send_verdict_kind::retry);
    EXPECT_EQ(smsgate_send_verdict(401, "", "").kind, send_verdict_kind::permanent);
    EXPECT_EQ(smsgate_send_verdict(409, "", "").kind, send_verdict_kind::permanent)
        << "a duplicate id not ours";
    EXPECT_EQ(smsgate_send_verdict(400, "", "").kind, send_verdict_kind::permanent);
    EXPECT_EQ(smsgate_send_verdict(429, "", "").kind, send_verdict_kind::retry);
    EXPECT_EQ(c.method, "POST");
    EXPECT_EQ(c.headers.at(0), (std::pair<std::string, std::string>{"Authorization", "Basic dXNlcjpwYXNz"}));
    EXPECT_EQ(c.headers.at(1), (std::pair<std::string, std::string>{"Content-Type", "application/json"}));
    auto reply = smsgate_webhook_reply();
    EXPECT_EQ(reply.status, 200);
}

TEST(smsgate, deprecated_fields_nulls_and_problems) {
    webhook_request req{"POST", "/", "application/json",
                        R"({"event":"sms:received","id":"e2","payload":{"messageId":"m","message":"Pomocy, ul. Łąkowa","phoneNumber":"+48600100200","recipient":null,"simNumber":null}})",
                        {}};
    auto m = parse_smsgate_inbound(req);
    ASSERT_TRUE(m) << m.error().detail;
    EXPECT_EQ(m->from, "+48600100200") << "the deprecated phoneNumber when sender is missing";
    EXPECT_EQ(m->to, "");
    EXPECT_EQ(m->text, "Pomocy, ul. Łąkowa");
    req.body = R"({"event":"sms:received","payload":{"sender":"+48600100200","message":"x"}})";
    auto no_id = parse_smsgate_inbound(req);
    ASSERT_FALSE(no_id);
    EXPECT_EQ(no_id.error().detail, "id is required");
    req.body = R"({"event":"sms:received","id":"e3","payload":"x"})";
    auto no_payload = parse_smsgate_inbound(req);
    ASSERT_FALSE(no_payload);
    EXPECT_EQ(no_payload.error().detail, "payload.sender is required");
    req.body = "not json";
    EXPECT_FALSE(parse_smsgate_inbound(req));
    req.body = R"({"event":"sms:received","id":"e4","payload":{"sender":"1","message":")" + std::string(max_webhook_body, 'a') + R"("}})";
    EXPECT_FALSE(parse_smsgate_inbound(req)) << "over max_webhook_body";
    req.body = R"({"event":"system:ping","id":"p1","payload":{}})";
    EXPECT_FALSE(smsgate_is_incoming(req));
    {
        auto report = req;
        report.body =
            R"({"event":"sms:delivered","id":"d1","webhookId":"sms:received","payload":{"messageId":"g1"}})";
        EXPECT_FALSE(smsgate_is_incoming(report))
            << "routed by the event, not by a word anywhere in the body";
        report.body =
            R"({"event":"sms:received","id":"e5","payload":{"sender":"+48600100200","message":"x"}})";
        EXPECT_TRUE(smsgate_is_incoming(report));
    }
    auto ping = parse_smsgate_inbound(req);
    ASSERT_FALSE(ping);
    EXPECT_EQ(ping.error().detail, "ignored event 'system:ping'");
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
    webhook_request captured{"POST", "/", "application/x-www-form-urlencoded",
                             "RawDlrDoneDate=2303222338&SmsSid=SMxxx&SmsStatus=delivered&MessageStatus=delivered&To=%2B11111111111&"
                             "MessageSid=SMyyy&AccountSid=ACzzz&From=%2B12223334444&ApiVersion=2010-04-01",
                             {}};
    auto delivered = parse_twilio_status(captured);
    ASSERT_TRUE(delivered);
    EXPECT_EQ(delivered->provider_id, "SMyyy");
    EXPECT_EQ(delivered->status, "delivered");
    EXPECT_EQ(delivered->error, "");
    // The captured incoming text of 1.1 (SmsStatus=received) is not a report, wherever it is posted.
    webhook_request incoming{
        "POST",
        "/",
        "application/x-www-form-urlencoded",
        "ToCountry=US&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b&NumMedia=0&SmsSid=SMe287d7109a5a"
        "925f182f0e07fe5b223b&SmsStatus=received&Body=Msg&To=%2B12028831111&NumSegments=1&MessageSid=SMe2"
        "87d7109a5a925f182f0e07fe5b223b&AccountSid=acctid&From=%2B14133881111&ApiVersion=2010-04-01",
        {}};
    EXPECT_TRUE(twilio_is_incoming(incoming));
    EXPECT_FALSE(parse_twilio_status(incoming));
    EXPECT_TRUE(parse_twilio_inbound(incoming));
    EXPECT_FALSE(twilio_is_incoming(captured)) << "a report, SmsStatus=delivered";
    webhook_request with_body{"POST",
                              "/",
                              "application/x-www-form-urlencoded",
                              "SmsStatus=sent&MessageStatus=sent&MessageSid=SM1&Body=Hi&To=%2B48600100200",
                              {}};
    EXPECT_FALSE(twilio_is_incoming(with_body)) << "a report with a Body is still a report";
    webhook_request bare_text{"POST",
                              "/",
                              "application/x-www-form-urlencoded",
                              "MessageSid=SM2&From=%2B48600100200&To=%2B48732100200&Body=Pomocy",
                              {}};
    EXPECT_TRUE(twilio_is_incoming(bare_text)) << "a Body and a From without SmsStatus";
    EXPECT_TRUE(parse_twilio_status(with_body));
    webhook_request smsapi{"GET", "/?MsgId=s1&status=404&status_name=DELIVERED", "", "", {}};
    auto s = parse_smsapi_status(smsapi);
    ASSERT_TRUE(s);
    EXPECT_EQ(s->provider_id, "s1");
    EXPECT_EQ(s->status, "DELIVERED");
    webhook_request vonage_json{"POST", "/", "application/json",
                                R"({"msisdn":"48600100200","to":"ASK","messageId":"v2","status":"failed","err-code":"6"})", {}};
    auto vj = parse_vonage_status(vonage_json);
    ASSERT_TRUE(vj);
    EXPECT_EQ(vj->error, "6");
    auto no_status = parse_vonage_status({"GET", "/?messageId=v3", "", "", {}});
    ASSERT_FALSE(no_status);
    EXPECT_EQ(no_status.error().detail, "status is required");
    EXPECT_FALSE(parse_smsapi_status({"GET", "/?MsgId=" + std::string(max_webhook_field + 1, '1') + "&status=404", "", "", {}}));
    gate.body = R"({"event":"sms:delivered","id":"e5","payload":{"messageId":"g2"}})";
    auto d = parse_smsgate_status(gate);
    ASSERT_TRUE(d);
    EXPECT_EQ(d->status, "delivered");
    gate.body = R"({"event":"sms:received","id":"e6","payload":{"messageId":"g3"}})";
    auto received = parse_smsgate_status(gate);
    ASSERT_FALSE(received);
    EXPECT_EQ(received.error().detail.rfind("ignored event", 0), 0u);
}

TEST(forms, raw_bytes_hashes_and_broken_escapes) {
    // Found by fuzzing: Boost.URL 1.81 read past the buffer on a query that a '#' follows.
    auto hashed = decode_form("#" + std::string(60, 'Y'));
    ASSERT_TRUE(hashed);
    ASSERT_EQ(hashed->size(), 1u);
    EXPECT_EQ((*hashed)[0].first, "#" + std::string(60, 'Y'));
    EXPECT_EQ((*hashed)[0].second, "");
    auto form = decode_form("sms_text=Mieszkanie 3#2+pi%C4%99tro&&MsgId=a%2Bb&flag");
    ASSERT_TRUE(form);
    EXPECT_EQ(*form, (params{{"sms_text", "Mieszkanie 3#2 piętro"}, {"MsgId", "a+b"}, {"flag", ""}}));
    EXPECT_EQ(decode_form("")->size(), 0u);
    EXPECT_FALSE(decode_form("a=%2"));
    EXPECT_FALSE(decode_form("a=%zz&b=1"));
    EXPECT_FALSE(decode_form("%=1"));
    webhook_request smsapi{"GET", "/?sms_from=48600300400&sms_text=Pokój 4#b&MsgId=h1#frag", "", "", {}};
    auto in = parse_smsapi_inbound(smsapi);
    ASSERT_TRUE(in) << in.error().detail;
    EXPECT_EQ(in->text, "Pokój 4#b");
    EXPECT_EQ(in->message_id, "h1#frag");
    webhook_request json{"POST", "/webhooks/sms/twilio", "application/json", "{}", {{"x-twilio-signature", "x"}}};
    EXPECT_FALSE(verify_twilio_signature("https://ask.example.pl/w?#YYYYYYYYYYYYYYYYYYYYYYYYYYYYYY", json, {"t"}));
}

TEST(text_key, a_key_is_new_each_time_and_its_id_differs_per_number) {
    auto key = new_text_key();
    EXPECT_EQ(key.size(), 32u);
    EXPECT_EQ(key.find_first_not_of("0123456789abcdef"), std::string::npos);
    EXPECT_NE(new_text_key(), key);
    sms_message m{"+48600100200", "Pilne", 0, 0, false, key};
    auto id = repeat_id(m);
    EXPECT_EQ(id.size(), 32u);
    EXPECT_EQ(repeat_id(m), id) << "the same text at another try";
    m.text = "Pilne, czeka od 5 min";
    EXPECT_EQ(repeat_id(m), id) << "its words may change between tries; it is still the one text";
    m.to = "+48600100201";
    EXPECT_NE(repeat_id(m), id) << "a member's new number is a new text there";
    m.key.clear();
    EXPECT_EQ(repeat_id(m), "") << "no key, no id";
}

TEST(smsgate, a_text_with_a_key_is_sent_under_its_id_and_a_repeat_is_taken_as_sent) {
    sms_message m{"+48600100200", "Pilne", 0, 0, false, new_text_key()};
    auto body = boost::json::parse(smsgate_send_call({"user", "pass"}, m).body).as_object();
    ASSERT_TRUE(body.contains("id"));
    EXPECT_EQ(body.at("id").as_string(), repeat_id(m));
    auto no_key =
        boost::json::parse(smsgate_send_call({"user", "pass"}, {"+48600100200", "Pilne"}).body).as_object();
    EXPECT_FALSE(no_key.contains("id"));
    auto repeat = smsgate_send_verdict(409, R"({"message":"message with id already exists"})", repeat_id(m));
    EXPECT_EQ(repeat.kind, send_verdict_kind::accepted);
    EXPECT_TRUE(repeat.repeat);
    EXPECT_EQ(repeat.provider_id, repeat_id(m)) << "its delivery reports come under the id it was sent with";
    EXPECT_FALSE(smsgate_send_verdict(202, R"({"id":"x","state":"Pending"})", repeat_id(m)).repeat);
}

TEST(smsapi, a_text_with_a_key_carries_its_idx_checked_and_a_repeat_is_taken_as_sent) {
    sms_message m{"+48600100200", "Pilne", 0, 0, false, new_text_key()};
    auto form = decode_form(smsapi_send_call({"tok", ""}, m).body).value();
    EXPECT_EQ(param(form, "idx"), repeat_id(m));
    EXPECT_EQ(param(form, "check_idx"), "1");
    auto no_key = decode_form(smsapi_send_call({"tok", ""}, {"+48600100200", "x"}).body).value();
    EXPECT_EQ(std::count_if(no_key.begin(), no_key.end(),
                            [](const auto& p) { return p.first == "idx" || p.first == "check_idx"; }),
              0);
    auto repeat = smsapi_send_verdict(200, R"({"error":53,"message":"Not unique idx"})");
    EXPECT_EQ(repeat.kind, send_verdict_kind::accepted);
    EXPECT_TRUE(repeat.repeat);
    auto in_list =
        smsapi_send_verdict(200, R"({"count":1,"list":[{"error":53,"message":"Not unique idx"}]})");
    EXPECT_EQ(in_list.kind, send_verdict_kind::accepted);
    EXPECT_FALSE(smsapi_send_verdict(200, R"({"count":1,"list":[{"id":"9","status":"QUEUE"}]})").repeat);
}

} // namespace
} // namespace ask::gateways
