// Requests and their append-only event log: the durable truth the alert engine is rebuilt from.
//
// Every mutation writes its event in the same transaction as the state change, so the
// log and the state never disagree. Each function returns the request as it now stands
// (joined with the resident and the acknowledging staff member), which the caller can
// publish without reading again. All functions run on the store thread.
#pragma once

#include "protocol/server_messages.hpp"
#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

using protocol::millis;

/// A request with everything staff and residents are shown about it.
struct request_record {
    std::int64_t office_id = 0;
    std::string client_request_id;            ///< "" when the client gave none
    protocol::alert_view view;                ///< id, priority, channel, state, message, resident card, acker
    std::optional<millis> acknowledged_at;
    std::optional<protocol::outcome> outcome; ///< set when resolved
    std::string note;
    std::optional<std::int64_t> resolved_by;
    std::optional<millis> resolved_at;
};

struct new_request_record {
    std::int64_t office_id = 0;
    std::int64_t resident_id = 0;
    std::string client_request_id; ///< "" for none; otherwise unique per resident
    protocol::priority level = protocol::priority::normal;
    protocol::channel via = protocol::channel::web;
    std::string message;
    protocol::request_state initial_state = protocol::request_state::queued;
};

struct insert_result {
    request_record request;
    bool created = false; ///< false: the resident's client_request_id was seen before; request is that one
};

/// Inserts a request and its `created` event (actor: the resident), or, when the resident
/// already used this client_request_id, returns that request unchanged with created=false.
/// errc::conflict when the earlier request with this key had a different priority or message.
result<insert_result> insert_request(database&, const new_request_record&, millis now);

/// Moves an open, unacknowledged request between queued and notifying, with an event of
/// `kind` ("notified" / "queued") and detail JSON. errc::not_found / errc::conflict otherwise.
result<request_record> set_notifying(database&, std::int64_t request_id, bool notifying, int recipients,
                                     millis now);

/// Records that an open request was pushed (again) to `recipients` staff: bumps notify_count
/// and appends a `notified` event. errc::not_found when closed or missing.
result<request_record> record_notified(database&, std::int64_t request_id, int recipients, millis now);

struct ack_result {
    request_record request;
    bool acknowledged = false; ///< true: this staff member won; false: someone else holds it (see view.acknowledged_by)
};
/// The first acknowledgement wins: only a queued or notifying request in the staff member's
/// office becomes acknowledged (with event). errc::not_found when missing, in another office or closed.
result<ack_result> acknowledge(database&, std::int64_t request_id, std::int64_t staff_id, millis now);

/// Resolves an acknowledged request in the staff member's office with an outcome and note.
/// errc::not_found (missing, other office, closed), errc::conflict (not yet acknowledged).
result<request_record> resolve(database&, std::int64_t request_id, std::int64_t staff_id,
                               protocol::outcome result, const std::string& note, millis now);

/// Cancels the resident's own open request. errc::not_found when missing, not theirs or closed.
result<request_record> cancel(database&, std::int64_t request_id, std::int64_t resident_id, millis now);

/// One request, open or closed.
result<std::optional<request_record>> find_request(database&, std::int64_t request_id);

/// Every open request of every office, in queue order: urgent first, then oldest, then id.
result<std::vector<request_record>> open_requests(database&);

/// The request's log in order, with actor display names.
result<std::vector<protocol::event_view>> request_events(database&, std::int64_t request_id);

/// Appends a free event (e.g. "duty_on") to a request's log.
result<void> append_event(database&, std::int64_t request_id, const std::string& kind,
                          const std::string& actor_kind, std::optional<std::int64_t> actor_id,
                          const std::string& detail_json, millis now);

} // namespace ask::store
