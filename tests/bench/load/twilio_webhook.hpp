// An inbound SMS webhook exactly as Twilio sends it: a form POST signed with
// X-Twilio-Signature = base64(HMAC-SHA1(auth token, URL + every name+value sorted by name)).
#pragma once

#include <string>

namespace ask::bench {

struct twilio_text {
    std::string url;        ///< what Twilio called, e.g. http://127.0.0.1:8080/webhooks/sms/twilio
    std::string auth_token;
    std::string message_sid;
    std::string from, to, body;
};

/// The whole HTTP request (to `host_port`, the path of `url`), ready to write.
std::string twilio_request(const std::string& host_port, const twilio_text&);

} // namespace ask::bench
