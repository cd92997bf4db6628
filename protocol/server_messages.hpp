// Messages and bodies the server sends, serialised to JSON text. Pure.
// Field names and shapes are documented in protocol/README.md; tests parse its examples.
#pragma once

#include "protocol/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ask::protocol {

struct person_ref {
    std::int64_t id;
    std::string name;
    bool operator==(const person_ref&) const = default;
};

/// What staff need to act on a request: who, how to reach them, and what they need.
struct resident_card {
    std::int64_t id = 0;
    std::string name;
    std::string phone;              ///< may be empty
    std::string address;            ///< may be empty
    std::vector<std::string> needs; ///< e.g. {"deaf", "wheelchair"}
    bool unknown_sender = false;    ///< an unregistered number wrote in: nobody's card, call it back with care
    bool operator==(const resident_card&) const = default;
};

/// Whether a voice call does not work for this resident (needs "deaf" or "speech"): they are texted at each
/// step, and pointed to the Alarm112 app rather than told to call 112.
bool calls_fail_for(const resident_card&);

/// One open request as the staff dashboard shows it.
struct alert_view {
    std::int64_t id = 0;
    priority level = priority::normal;
    channel via = channel::web;
    request_state state = request_state::queued;
    std::string message;
    millis created_at = 0;
    resident_card resident;
    std::optional<person_ref> acknowledged_by;
    int notify_count = 0; ///< how many times it has been pushed to staff so far
    int repeat_count = 0; ///< how many more times the resident asked while it was open ("I still need help")
    std::string latest_message; ///< the words of the latest of those presses that had any; "" when none
};

/// Who a staff dashboard belongs to, so it can show the duty switch and its own actions.
struct staff_identity {
    std::int64_t id = 0;
    std::string name;
    staff_role role = staff_role::staff;
    bool on_duty = false;
};

/// `{"type":"snapshot","me":{"id","name","role","on_duty"},"alerts":[…]}`, alerts in the given (queue) order.
std::string snapshot_json(std::span<const alert_view> alerts, const staff_identity& me);

/// `{"type":"alert","alert":{…},"renotified":bool}`: a new or repeated alert that must ring.
std::string alert_json(const alert_view&, bool renotified);

/// `{"type":"alert_update","alert":{…}}`: a state change; it must not ring.
std::string alert_update_json(const alert_view&);

/// `{"type":"duty","on_duty":bool}`: the staff member's duty changed, from any of their dashboards or
/// over HTTP; every dashboard of theirs gets it, so each duty switch shows the same.
std::string duty_json(bool on_duty);

/// `{"type":"ok","ref":…,"id":…}`; "ref" is omitted when empty, "id" when 0.
std::string ok_json(std::string_view ref, std::int64_t id);

/// `{"type":"error","ref":…,"code":…,"message":…,"holder":{"id","name"},"retry_after":…}`;
/// "ref" omitted when empty; "holder" only for already_acknowledged; "retry_after" (whole seconds until
/// trying again can work) only when given: a press past the allowance.
std::string error_json(std::string_view ref, std::string_view code, std::string_view message,
                       const std::optional<person_ref>& holder = std::nullopt,
                       std::optional<int> retry_after = std::nullopt);

/// `{"type":"accepted","ref":…,"id":…,"state":…,"created":bool,"merged":bool}` on /ws/resident.
std::string accepted_json(std::string_view ref, std::int64_t id, request_state state, bool created, bool merged);

/// Where a resident's request stands, for `status` pushes and GET /api/v1/requests/{id}.
struct status_view {
    std::int64_t id = 0;
    request_state state = request_state::queued;
    priority level = priority::normal;
    std::optional<std::string> by; ///< display name of the staff member who acknowledged it
    std::optional<outcome> result; ///< set once resolved
    /// Set while nobody has taken the request and nobody can be alerted now: the office is
    /// closed, or nobody is on duty. The resident is then told when it opens and to call 112.
    /// Also set while the request is taken but not yet contacted and the office is closed by its
    /// calendar: "Anna will contact you" would not hold through the closed hours.
    bool office_closed = false;
    bool nobody_on_duty = false;          ///< the office is open but nobody is on duty
    /// The resident cannot make a voice call (needs deaf or speech): the 112 line points them to the
    /// Alarm112 app (MSWiA's, for emergency reports without a call) and to someone calling for them.
    bool no_voice_calls = false;
    std::optional<millis> opens_at;       ///< next opening (UTC), when office_closed and known
    std::optional<millis> opens_at_local; ///< the same instant as the office's wall clock, for the sentence
};

/// `{"type":"status","id","state","priority","by","outcome","office_closed","opens_at","text":{"pl","en"}}`:
/// "by"/"outcome"/"opens_at" null when unset; "text" is the plain sentence for the resident from resident_text().
std::string status_json(const status_view&);

/// A plain-language sentence telling the resident where the request stands,
/// e.g. "Anna z urzędu skontaktuje się z Tobą." Language: "pl" or "en" (anything else → "pl").
std::string resident_text(const status_view&, std::string_view language);

/// One entry of a request's append-only log.
struct event_view {
    millis at = 0;
    std::string kind;                ///< created, notified, acknowledged, resolved, cancelled, …
    std::string actor_kind;          ///< resident, staff or system
    std::optional<person_ref> actor; ///< absent for system
    std::string detail_json;         ///< a JSON object as text ("{}" when nothing more)
};

/// The body of GET /api/v1/requests/{id}:
/// `{"id","state","priority","channel","message","created_at","acknowledged_by","repeat_count","latest_message","outcome","note","events":[…]}`.
std::string request_detail_json(const alert_view& request, const std::optional<outcome>& result,
                                std::string_view note, std::span<const event_view> events);

/// `{"id","events":[…]}`: the body of GET /api/v1/requests/{id}/events (staff).
std::string events_json(std::int64_t id, std::span<const event_view> events);

/// `{"id","state","merged","repeat_count","office_closed","opens_at","text":{"pl","en"}}`: the body of
/// 201/200 for POST /api/v1/requests, from the request's status as its resident is told it (status_json's
/// fields); merged is true when the press was added to the resident's open request. A button device that can
/// show or say anything learns from it whether anyone is being alerted (office_closed) and the sentence to
/// say.
std::string request_created_json(const status_view&, bool merged, int repeat_count);

/// `{"error":{"code","message"}}`: the body of every HTTP 4xx/5xx reply.
std::string http_error_json(std::string_view code, std::string_view message);

/// `{"token","expires_at"}` for POST /api/v1/login; expires_at as ISO 8601 UTC.
std::string login_json(std::string_view token, millis expires_at);

/// ISO 8601 UTC with milliseconds: "2026-11-23T10:15:00.123Z".
std::string iso8601(millis);

} // namespace ask::protocol
