// Messages and bodies that clients send, parsed and validated. Pure.
//
// Every parser accepts exactly the documented fields (protocol/README.md): unknown
// fields are ignored for forward compatibility, but every known field is type- and
// range-checked, and strings are measured in Unicode code points against `text_limits`.
#pragma once

#include "protocol/error.hpp"
#include "protocol/types.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>

namespace ask::protocol {

/// Limits on free text, from config. Counts are Unicode code points.
struct text_limits {
    std::size_t message_chars = 500; ///< a resident's optional message
    std::size_t note_chars = 2000;   ///< a staff note on resolve
};

/// The longest client correlation reference (`ref`) and idempotency key (`request_id`).
inline constexpr std::size_t ref_max_chars = 64;
inline constexpr std::size_t request_id_max_chars = 64;
inline constexpr std::size_t username_max_chars = 64;
inline constexpr std::size_t password_max_chars = 256;

// Staff → server over /ws/staff.
struct duty_message {
    bool on;
};
struct ack_message {
    std::int64_t id;
};
struct resolve_message {
    std::int64_t id;
    outcome result;
    std::string note; ///< may be empty
};
/// The acknowledger has reached the resident; an optional note for the log.
struct contacted_message {
    std::int64_t id;
    std::string note;
};
/// Un-acknowledge: the request waits for someone again and its ladder restarts.
struct release_message {
    std::int64_t id;
};
/// Bring the next escalation step forward now.
struct escalate_message {
    std::int64_t id;
};
/// A free note in the request's log.
struct note_message {
    std::int64_t id;
    std::string text; ///< non-empty
};
/// "Are you there?" on either WebSocket, answered `ok` at once and changing nothing: a page that hears
/// nothing at all for a while knows its connection died without a close (a laptop asleep, a changed
/// network), which the WebSocket's own pings cannot tell a page's script.
struct ping_message {};
using staff_message = std::variant<duty_message, ack_message, resolve_message, contacted_message,
                                   release_message, escalate_message, note_message, ping_message>;

/// A new request: the body of POST /api/v1/requests and the `request` message on /ws/resident.
struct new_request {
    priority level = priority::normal;
    std::string message;    ///< optional free text, may be empty
    std::string request_id; ///< client idempotency key: 1–64 of [A-Za-z0-9._:-]; empty when absent
    channel via = channel::web; ///< "web" (default) or "button"; "sms" is refused (only gateways make SMS requests)
};

// Resident → server over /ws/resident.
struct cancel_message {
    std::int64_t id;
};
using resident_message = std::variant<new_request, cancel_message, ping_message>;

/// A WebSocket message with its optional client reference, echoed in the reply (`ok`, `error`, `accepted`).
template <class Message>
struct envelope {
    std::string ref; ///< empty when absent; at most ref_max_chars of [A-Za-z0-9._:-]
    Message message;
};

struct login_body {
    std::string username;
    std::string password;
};

/// `{"type":"duty"|"ack"|"contacted"|"resolve"|"release"|"escalate"|"note", ...}`; ids are positive integers.
parsed<envelope<staff_message>> parse_staff_message(std::string_view text, const text_limits&);

/// `{"type":"request"|"cancel", ...}`.
parsed<envelope<resident_message>> parse_resident_message(std::string_view text, const text_limits&);

/// The `ref` a WebSocket message carries when it is a valid one, else "": for answering a message
/// whose handling went on past the reply deadline.
std::string message_ref(std::string_view text);

/// The body of POST /api/v1/requests: like a `request` message, without "type" (a "type" is ignored).
/// `priority` is required, so a device cannot silently downgrade an urgent press.
parsed<new_request> parse_new_request(std::string_view body, const text_limits&);

/// The body of POST /api/v1/login. Both fields required and non-empty.
parsed<login_body> parse_login(std::string_view body);

/// The body of POST /api/v1/duty: `{"on":true|false}`.
parsed<duty_message> parse_duty(std::string_view body);

} // namespace ask::protocol
