// What a text that reached us means, whichever provider carried it:
//  - from a registered staff phone: a reply ("123a" acknowledge, "123c" resolve, "123e" escalate,
//    "a"/"c" for the latest request texted to them), answered by a text; anything else gets help;
//  - STOP / START: the resident's consent to texts;
//  - anything else: a resident's request (an unknown number gets a placeholder resident flagged
//    unknown_sender), urgent when it says PILNE, SOS or POMOC; while one is open, merged into it.
// The provider's message id is the idempotency key: a retried webhook changes nothing and gets
// the same success. Callers answer the provider 2xx only when this returns a value.
#pragma once

#include "server/app/failure.hpp"
#include "server/net.hpp"

#include <cstdint>
#include <string>

namespace ask {
class application;
class flood_guard;
} // namespace ask

namespace ask::sms {

struct incoming_text {
    std::string provider;   ///< "twilio", "smsapi", "vonage", "smsgate"
    std::string message_id; ///< the provider's id for this message
    std::string from;       ///< as the provider gave it; normalised here
    std::string text;       ///< the whole message (parts already joined)
    std::string to;         ///< our number it was sent to, as the provider gave it ("" when not given)
};

struct inbound_outcome {
    enum class kind { request, staff_reply, consent, flood_dropped } what = kind::request;
    /// For request, and for a staff reply the request it named or was taken to be about (0: none).
    std::int64_t request_id = 0;
    bool created = false;        ///< a new request, rather than a retry or a merge
};

net::awaitable<action_result<inbound_outcome>> receive_text(application&, flood_guard&, const incoming_text&);

} // namespace ask::sms
