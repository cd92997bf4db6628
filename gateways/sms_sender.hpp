// Outbound SMS: the one interface every provider (and the log sender) implements.
//
// The server decides who gets a text and records that decision as an event before calling
// send(); a sender only carries the text and says how it went. Senders run on the I/O thread
// and must never block it: real providers are asynchronous HTTPS clients.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <string>

namespace ask::gateways {

struct sms_message {
    std::string to;              ///< E.164, e.g. "+48600100200"
    std::string text;            ///< UTF-8; the sender picks GSM-7 or UCS-2
    std::int64_t request_id = 0; ///< the request the text is about, for its history; 0 = none
    std::int64_t office_id = 0;  ///< the office it speaks for, whose way of writing texts applies; 0 = none
    bool to_resident = false;    ///< to the request's resident (not staff): so marked in its history
    /// The same on every try of this text and on no other text (text_key.hpp): a provider that can tell a
    /// repeat sends it once however often askd tries. "" = none (each try is a new text).
    std::string key;
};

struct sms_result {
    bool accepted = false;     ///< the provider took it (not yet delivered)
    std::string provider;      ///< e.g. "log", "smsapi"
    std::string provider_id;   ///< the provider's message id, for delivery reports; "" when none
    std::string error;         ///< why not, when !accepted
    bool permanent = false;    ///< refused for good (a bad number, no credit): another try would fail too
    bool repeat = false;       ///< accepted: refused as a repeat of a try the provider took (text_key.hpp)
};

class sms_sender {
public:
    virtual ~sms_sender() = default;
    /// `message` must outlive the call: co_await it at once on a named message. (A by-value
    /// parameter made from a temporary in the co_await expression is destroyed twice by g++ 12.)
    virtual boost::asio::awaitable<sms_result> send(const sms_message& message) = 0;
};

} // namespace ask::gateways
