// Every gateway's webhook parser, delivery-report parser and signature check, the text readers,
// the SMS measurer and the UTF-8 cleaner on arbitrary bytes, as a form body, a GET query and a JSON body.
#include "gateways/phone_number.hpp"
#include "gateways/sms_encoding.hpp"
#include "gateways/sms_parts.hpp"
#include "gateways/sms_text.hpp"
#include "gateways/smsapi.hpp"
#include "gateways/smsgate.hpp"
#include "gateways/twilio.hpp"
#include "gateways/vonage.hpp"

#include <cstdint>
#include <string>

using namespace ask::gateways;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    webhook_request form{"POST", "/webhooks/sms/x", "application/x-www-form-urlencoded", bytes,
                         {{"x-twilio-signature", bytes.substr(0, 28)}, {"x-signature", bytes.substr(0, 64)},
                          {"x-timestamp", bytes.substr(0, 10)}}};
    webhook_request get{"GET", "/webhooks/sms/x?" + bytes, "", "", {}};
    webhook_request json{"POST", "/webhooks/sms/x", "application/json", bytes, form.headers};
    for (const auto* req : {&form, &get, &json}) {
        for (auto parsed : {parse_twilio_inbound(*req), parse_vonage_inbound(*req), parse_smsapi_inbound(*req),
                            parse_smsgate_inbound(*req)})
            if (parsed && is_part_of_longer(*parsed))
                (void)join_parts({*parsed}, parsed->part_total);
        (void)parse_twilio_status(*req);
        (void)parse_vonage_status(*req);
        (void)parse_smsapi_status(*req);
        (void)parse_smsgate_status(*req);
        (void)verify_twilio_signature("https://ask.example.pl/webhooks/sms/twilio?x=1", *req, {"token"});
        (void)verify_twilio_signature("https://ask.example.pl" + get.target, *req, {"token"}); // the called URL
        (void)verify_vonage_signature(*req, {"secret"}, "md5hash", 1700000000, 300);
        (void)verify_smsgate_signature(*req, {"key"}, 1700000000, 300);
    }
    (void)twilio_send_verdict(static_cast<int>(size % 600), bytes);
    (void)vonage_send_verdict(200, bytes);
    (void)smsapi_send_verdict(200, bytes);
    (void)smsgate_send_verdict(static_cast<int>(size % 600), bytes, "g-1");
    (void)means_urgent(bytes);
    (void)parse_opt_command(bytes);
    (void)parse_staff_reply(bytes);
    (void)normalise_phone(bytes);
    auto measured = measure(bytes);
    if (measured.segments == 0)
        __builtin_trap(); // every text takes at least one part
    (void)transliterate_polish(bytes);
    auto clean = valid_utf8(bytes);
    if (valid_utf8(clean) != clean)
        __builtin_trap(); // the output is well-formed UTF-8
    return 0;
}
