// Every signature against the vendor test vectors in sms-gateways.md (1.3, 2.2, 4.3; section 7
// says which are VERIFIED upstream vectors and which SELF-COMPUTED), plus tampering, wrong and
// rotated keys, stale timestamps and malformed input.
#include "gateways/crypto.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"

#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

webhook_request twilio_post(std::string body, std::string signature) {
    return {"POST", "/webhooks/sms/twilio", "application/x-www-form-urlencoded", std::move(body),
            {{"x-twilio-signature", std::move(signature)}}};
}

const std::string voice_params =
    "CallSid=CA1234567890ABCDE&Caller=%2B14158675309&Digits=1234&From=%2B14158675309&To=%2B18005551212";

TEST(twilio_signature, vendor_vectors) {
    const std::vector<std::string> token{"12345"};
    EXPECT_TRUE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2",
                                        twilio_post(voice_params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), token));
    // Signed with the port; we were called without it, and the other way round.
    EXPECT_TRUE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2",
                                        twilio_post(voice_params, "kvajT1Ptam85bY51eRf/AJRuM3w="), token));
    EXPECT_TRUE(verify_twilio_signature("https://mycompany.com:443/myapp.php?foo=1&bar=2",
                                        twilio_post(voice_params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), token));
    EXPECT_TRUE(verify_twilio_signature("http://mycompany.com:80/myapp.php?foo=1&bar=2",
                                        twilio_post(voice_params, "0ZXoZLH/DfblKGATFgpif+LLRf4="), token));
    EXPECT_TRUE(verify_twilio_signature("http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                                        twilio_post(voice_params, "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="), token));
    EXPECT_TRUE(verify_twilio_signature(
        "https://mycompany.com/myapp.php?foo=1&bar=2",
        twilio_post("Sid=CA123&SidAccount=AC123&Digits=5678&Digits=1234&Digits=1234", "IK+Dwps556ElfBT0I3Rgjkr1wJU="),
        token));
    webhook_request json{"POST", "/x", "application/json", R"({"property": "value", "boolean": true})",
                         {{"x-twilio-signature", "a9nBmqA0ju/hNViExpshrM61xv4="}}};
    EXPECT_TRUE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                                        "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                                        json, token));
    json.body += " ";
    EXPECT_FALSE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256="
                                         "0a1ff7634d9ab3b95db5c9a2dfe9416e41502b283a80c7cf19632632f96e6620",
                                         json, token))
        << "a body that does not match bodySHA256";
}

TEST(twilio_signature, self_computed_vectors_courier_capture_and_get) {
    // sms-gateways.md 1.3, SELF-COMPUTED: the courier `receiveValid` body, form-decoded ('+' is a
    // space: "ToStateDistrict Of Columbia"), empty values (ToCity=) signed as the bare name.
    const std::string courier =
        "ToCountry=US&ToState=District+Of+Columbia&SmsMessageSid=SMe287d7109a5a925f182f0e07fe5b223b&NumMedia=0&ToCity="
        "&FromZip=01022&SmsSid=SMe287d7109a5a925f182f0e07fe5b223b&FromState=MA&SmsStatus=received&FromCity=CHICOPEE&"
        "Body=Msg&FromCountry=US&To=%2B12028831111&ToZip=&NumSegments=1&MessageSid=SMe287d7109a5a925f182f0e07fe5b223b&"
        "AccountSid=acctid&From=%2B14133881111&ApiVersion=2010-04-01";
    EXPECT_TRUE(verify_twilio_signature("https://example.com/sms/twilio", twilio_post(courier, "CWLntrpE7IST89bXdQf0r3U5cGo="),
                                        {"12345"}));
    // GET: only the URL with its query is signed (1.3 step 7). Computed with Python hmac for this test.
    const std::string url = "https://example.com/webhooks/sms/twilio?MessageSid=SM1&From=%2B48600100200&Body=Pomocy";
    webhook_request get{"GET", "/webhooks/sms/twilio?MessageSid=SM1&From=%2B48600100200&Body=Pomocy", "", "",
                        {{"x-twilio-signature", "23E3NaqSm9eMnZUitIYYk0TRcg8="}}};
    EXPECT_TRUE(verify_twilio_signature(url, get, {"12345"}));
    EXPECT_FALSE(verify_twilio_signature(url + "+pilne", get, {"12345"})) << "a changed query";
    EXPECT_FALSE(verify_twilio_signature(url, get, {"54321"}));
}

TEST(twilio_signature, size_limits_and_bad_forms) {
    auto big = twilio_post(voice_params + "&Body=" + std::string(max_webhook_body, 'x'), "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    EXPECT_FALSE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2", big, {"12345"}));
    EXPECT_FALSE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2",
                                         twilio_post("Body=%zz", "RSOYDt4T1cUTdK1PDd93/VVr8B8="), {"12345"}))
        << "a body that is not a form";
    EXPECT_FALSE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2",
                                         twilio_post(voice_params, "RSOYDt4T1cUTdK1PDd93/VVr8B8="), {}))
        << "no token configured";
    webhook_request json{"POST", "/x", "application/json", R"({"property": "value", "boolean": true})",
                         {{"x-twilio-signature", "a9nBmqA0ju/hNViExpshrM61xv4="}}};
    EXPECT_FALSE(verify_twilio_signature("https://mycompany.com/myapp.php?foo=1&bar=2", json, {"12345"}))
        << "a JSON body without bodySHA256 in the URL";
}

TEST(twilio_signature, polish_text_tampering_wrong_key_and_rotation) {
    const std::string body = "From=%2B48600100200&To=%2B48500600700&Body=Pilne%3A+zg%C5%82aszam+awari%C4%99+wody%2C+ul."
                             "+%C5%81%C4%85kowa+5&MessageSid=SM00000000000000000000000000000001&AccountSid="
                             "AC00000000000000000000000000000001";
    const std::string url = "https://example.com/sms/twilio";
    EXPECT_TRUE(verify_twilio_signature(url, twilio_post(body, "0vfMqDK9CqGHeQCXrSmmIc1Zdd0="), {"12345"}));
    EXPECT_TRUE(verify_twilio_signature(url, twilio_post(body, "0vfMqDK9CqGHeQCXrSmmIc1Zdd0="), {"new-token", "12345"}))
        << "the previous token still works during a rotation";
    EXPECT_FALSE(verify_twilio_signature(url, twilio_post(body, "0vfMqDK9CqGHeQCXrSmmIc1Zdd0="), {"54321"}));
    EXPECT_FALSE(verify_twilio_signature(url, twilio_post(body + "&Extra=1", "0vfMqDK9CqGHeQCXrSmmIc1Zdd0="), {"12345"}));
    EXPECT_FALSE(verify_twilio_signature(url + "/other", twilio_post(body, "0vfMqDK9CqGHeQCXrSmmIc1Zdd0="), {"12345"}));
    EXPECT_FALSE(verify_twilio_signature(url, twilio_post(body, ""), {"12345"}));
    auto unsigned_request = twilio_post(body, "");
    unsigned_request.headers.clear();
    EXPECT_FALSE(verify_twilio_signature(url, unsigned_request, {"12345"}));
}

TEST(vonage_signature, vendor_vectors) {
    const params ab{{"a", "1"}, {"b", "2"}, {"timestamp", "1461605396"}};
    EXPECT_EQ(vonage_signature(ab, "secret", "md5hash"), "6af838ef94998832dbfc29020b564830");
    EXPECT_EQ(vonage_signature(ab, "secret", "md5"), "c15c21ced558c93a226c305f58f902f2");
    EXPECT_EQ(vonage_signature(ab, "secret", "sha1"), "3e19a4e6880fdc2c1426bfd0587c98b9532f0210");
    EXPECT_EQ(vonage_signature(ab, "secret", "sha256"), "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24");
    EXPECT_EQ(vonage_signature(ab, "secret", "sha512"),
              "812a18f76680fa0fe1b8bd9ee1625466ceb1bd96242e4d050d2cfd9a7b40166c63ed26ec9702168781b6edcf1633db8ff95af9341"
              "701004eec3fcf9550572ee8");
    const params p12{{"param1", "value1"}, {"param2", "value2"}, {"timestamp", "1234567890"}};
    EXPECT_EQ(vonage_signature(p12, "signature_secret", "sha256"),
              "280c4320703dbc98bfa22db676655ed2acfbfe8792b062ff7622e67f1183c287");
    EXPECT_EQ(vonage_signature(p12, "signature_secret", "md5"), "724c2bf6ca423c36e20631b11d1c5753");
    const params escaped{{"param1", "value&1"}, {"param2", "value=2"}, {"timestamp", "1234567890"}};
    EXPECT_EQ(vonage_signature(escaped, "signature_secret", "md5"), "2bbf0abafb2c55e5af6231513896a2ac");
    EXPECT_EQ(vonage_signature(ab, "secret", "sha384"), "") << "not a method Vonage offers";
}

TEST(vonage_signature, vendor_vectors_through_the_webhook) {
    // v4 check_signature: param=value, timestamp=1234567890, sig=655a4d0b7f064dff438defc52b012cf5 (HMAC-MD5).
    const std::int64_t then = 1234567890;
    webhook_request valid{"GET", "/webhooks/sms/vonage?param=value&timestamp=1234567890&sig=655a4d0b7f064dff438defc52b012cf5",
                          "", "", {}};
    EXPECT_TRUE(verify_vonage_signature(valid, {"signature_secret"}, "md5", then, 300));
    EXPECT_FALSE(verify_vonage_signature(valid, {"signature_secret"}, "md5hash", then, 300)) << "another method";
    EXPECT_FALSE(verify_vonage_signature(valid, {"signature_secret"}, "bogus", then, 300));
    // v4: '&' and '=' inside values are replaced by '_' before signing (the values arrive form-encoded).
    webhook_request escaped{"POST", "/webhooks/sms/vonage", "application/x-www-form-urlencoded",
                            "param1=value%261&param2=value%3D2&timestamp=1234567890&sig=2bbf0abafb2c55e5af6231513896a2ac", {}};
    EXPECT_TRUE(verify_vonage_signature(escaped, {"signature_secret"}, "md5", then, 300));
    // v3: a=1, b=2 with every method, secret "secret".
    const std::int64_t v3 = 1461605396;
    for (auto [method, sig] : {std::pair{"md5hash", "6af838ef94998832dbfc29020b564830"},
                               std::pair{"md5", "c15c21ced558c93a226c305f58f902f2"},
                               std::pair{"sha1", "3e19a4e6880fdc2c1426bfd0587c98b9532f0210"},
                               std::pair{"sha256", "a321e824b9b816be7c3f28859a31749a098713d39f613c80d455bbaffae1cd24"}}) {
        webhook_request r{"GET", std::string("/v?a=1&b=2&timestamp=1461605396&sig=") + sig, "", "", {}};
        EXPECT_TRUE(verify_vonage_signature(r, {"secret"}, method, v3, 60)) << method;
        EXPECT_FALSE(verify_vonage_signature(r, {"wrong"}, method, v3, 60)) << method;
    }
}

webhook_request vonage_inbound(const std::string& sig) {
    return {"POST", "/webhooks/sms/vonage", "application/x-www-form-urlencoded",
            "api-key=abcd1234&keyword=PILNE&message-timestamp=2020-01-01+12%3A00%3A00&messageId=0A0000000123ABCD1"
            "&msisdn=48600100200&nonce=aaaaaaaa-bbbb-cccc-dddd-0123456789ab&text=Pilne+awaria&timestamp=1577880000"
            "&to=48500600700&type=text&sig=" + sig,
            {}};
}

TEST(vonage_signature, inbound_shaped_request_window_and_rotation) {
    const std::int64_t now = 1577880000;
    auto sha = vonage_inbound("81333ad255bd530f0e13ef21dc46280551a3571dfd37f78575c21f5fcdc57704");
    EXPECT_TRUE(verify_vonage_signature(sha, {"signature_secret"}, "sha256", now, 300));
    EXPECT_TRUE(verify_vonage_signature(vonage_inbound("81333AD255BD530F0E13EF21DC46280551A3571DFD37F78575C21F5FCDC57704"),
                                        {"signature_secret"}, "sha256", now, 300))
        << "Vonage sends HMAC signatures in upper case";
    EXPECT_TRUE(verify_vonage_signature(vonage_inbound("5aaa8bd46f8eadae5ce0929d18035248"), {"old", "signature_secret"},
                                        "md5hash", now, 300));
    EXPECT_FALSE(verify_vonage_signature(sha, {"other"}, "sha256", now, 300));
    EXPECT_FALSE(verify_vonage_signature(sha, {"signature_secret"}, "sha256", now + 301, 300)) << "stale";
    auto tampered = sha;
    tampered.body.replace(tampered.body.find("awaria"), 6, "zarty!");
    EXPECT_FALSE(verify_vonage_signature(tampered, {"signature_secret"}, "sha256", now, 300));
    webhook_request get{"GET", "/webhooks/sms/vonage?" + sha.body, "", "", {}};
    EXPECT_TRUE(verify_vonage_signature(get, {"signature_secret"}, "sha256", now, 300)) << "GET carries the same fields";
    EXPECT_FALSE(verify_vonage_signature(sha, {"signature_secret"}, "sha256", now - 301, 300)) << "from the future";
    EXPECT_TRUE(verify_vonage_signature(sha, {"signature_secret"}, "sha256", now - 300, 300)) << "the window's edge";
    auto unsigned_request = vonage_inbound("");
    EXPECT_FALSE(verify_vonage_signature(unsigned_request, {"signature_secret"}, "sha256", now, 300));
    EXPECT_FALSE(verify_vonage_signature(sha, {}, "sha256", now, 300)) << "no secret configured";
}

TEST(vonage_signature, json_body_and_bad_timestamps) {
    const std::int64_t now = 1577880000;
    webhook_request json{"POST", "/webhooks/sms/vonage", "application/json",
                         R"({"api-key":"abcd1234","keyword":"PILNE","message-timestamp":"2020-01-01 12:00:00",)"
                         R"("messageId":"0A0000000123ABCD1","msisdn":"48600100200","nonce":"aaaaaaaa-bbbb-cccc-dddd-0123456789ab",)"
                         R"("text":"Pilne awaria","timestamp":"1577880000","to":"48500600700","type":"text",)"
                         R"("sig":"81333ad255bd530f0e13ef21dc46280551a3571dfd37f78575c21f5fcdc57704"})",
                         {}};
    EXPECT_TRUE(verify_vonage_signature(json, {"signature_secret"}, "sha256", now, 300)) << "POST-JSON webhooks";
    auto numeric = json;
    numeric.body.replace(numeric.body.find(R"("1577880000")"), 12, "1577880000");
    EXPECT_TRUE(verify_vonage_signature(numeric, {"signature_secret"}, "sha256", now, 300)) << "a JSON number timestamp";
    for (const char* stamp : {"+1577880000", " 1577880000", "1577880000x", "-1", ""}) {
        auto bad = vonage_inbound("81333ad255bd530f0e13ef21dc46280551a3571dfd37f78575c21f5fcdc57704");
        bad.body.replace(bad.body.find("timestamp=1577880000"), 20, std::string("timestamp=") + stamp);
        EXPECT_FALSE(verify_vonage_signature(bad, {"signature_secret"}, "sha256", now, 300)) << stamp;
    }
}

TEST(smsgate_signature, self_computed_vector_window_and_rotation) {
    webhook_request req{
        "POST", "/webhooks/sms/smsgate", "application/json",
        R"({"deviceId":"ffffffffceb0b1db0000018e937c815b","event":"sms:received","id":"Ey6ECgOkVVFjz3CL48B8C","payload":{"messageId":"abc123","message":"Android is always a sweet treat!","sender":"6505551212","recipient":"+1234567890","simNumber":1,"receivedAt":"2024-06-22T15:46:11.000+07:00"},"webhookId":"LreFUt-Z3sSq0JufY9uWB"})",
        {{"x-signature", "002361aca51682a90fc589d0f9529963b44f40ad043e6579a6475775180c6388"}, {"x-timestamp", "1719046000"}}};
    EXPECT_TRUE(verify_smsgate_signature(req, {"my-signing-key"}, 1719046000, 300));
    EXPECT_TRUE(verify_smsgate_signature(req, {"next-key", "my-signing-key"}, 1719046100, 300));
    EXPECT_FALSE(verify_smsgate_signature(req, {"my-signing-key"}, 1719046000 + 301, 300)) << "replayed later";
    EXPECT_FALSE(verify_smsgate_signature(req, {"wrong"}, 1719046000, 300));
    auto tampered = req;
    tampered.body[10] = 'X';
    EXPECT_FALSE(verify_smsgate_signature(tampered, {"my-signing-key"}, 1719046000, 300));
    auto other_time = req;
    other_time.headers["x-timestamp"] = "1719046001";
    EXPECT_FALSE(verify_smsgate_signature(other_time, {"my-signing-key"}, 1719046000, 300)) << "the timestamp is signed";
    EXPECT_FALSE(verify_smsgate_signature(req, {"my-signing-key"}, 1719046000 - 301, 300)) << "from the future";
    auto no_stamp = req;
    no_stamp.headers.erase("x-timestamp");
    EXPECT_FALSE(verify_smsgate_signature(no_stamp, {"my-signing-key"}, 1719046000, 300));
    auto bad_stamp = req;
    bad_stamp.headers["x-timestamp"] = "1719046000.0";
    EXPECT_FALSE(verify_smsgate_signature(bad_stamp, {"my-signing-key"}, 1719046000, 300));
    EXPECT_FALSE(verify_smsgate_signature(req, {}, 1719046000, 300)) << "no key configured";
    auto reformatted = req;
    reformatted.body.insert(1, " ");
    EXPECT_FALSE(verify_smsgate_signature(reformatted, {"my-signing-key"}, 1719046000, 300))
        << "the raw bytes are signed, not the JSON value";
}

// RFC 2202 and RFC 4231 test case 2, and an empty key, in turns: each call is keyed afresh on a
// context the thread keeps per digest, so no call may see the key or the digest of the one before.
TEST(crypto, hmac_vectors_in_turns) {
    const std::string jefe = "Jefe", text = "what do ya want for nothing?";
    for (int round = 0; round < 3; ++round) {
        EXPECT_EQ(to_hex(hmac(digest::sha256, jefe, text)),
                  "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
        EXPECT_EQ(to_hex(hmac(digest::sha256, "", "")),
                  "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
        EXPECT_EQ(to_hex(hmac(digest::sha1, jefe, text)), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
        EXPECT_EQ(to_hex(hmac(digest::md5, jefe, text)), "750c783e6ab0b503eaa86e310a5db738");
        EXPECT_EQ(to_hex(hmac(digest::sha512, jefe, text)),
                  "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
        EXPECT_EQ(to_hex(hmac(digest::sha1, std::string_view(), "")), "fbdb1d1b18aa6c08324b7d64b71fb76370690e1d");
    }
}

TEST(crypto, encodings_and_comparison) {
    EXPECT_EQ(to_base64("Man"), "TWFu");
    EXPECT_EQ(to_base64("Ma"), "TWE=");
    EXPECT_EQ(to_hex(hash(digest::md5, "")), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_TRUE(constant_time_equal("abc", "abc"));
    EXPECT_FALSE(constant_time_equal("abc", "abd"));
    EXPECT_FALSE(constant_time_equal("abc", "abcd"));
}

} // namespace
} // namespace ask::gateways
