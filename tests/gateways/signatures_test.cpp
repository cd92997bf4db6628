// Every signature against the vendor test vectors in sms-gateways.md (1.3, 2.2, 4.3).
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
