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
#include <functional>
#include <map>
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
    std::optional<protocol::person_ref> contacted_by;
    std::optional<millis> contacted_at;
    // The request's place on its escalation ladder (engine::ladder_position).
    millis ladder_started_at = 0;
    int ladder_cycle = 0;
    int ladder_next_step = 0;
    int ack_reminders = 0;
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
    bool created = false; ///< false: an earlier request is returned (a retry, or a merged repeat)
    bool merged = false;  ///< true: this press was merged into the resident's open request just now
};

/// Stores a resident's press, in one transaction:
///  - a retry (a client_request_id this resident already used, on a request or a merged press)
///    returns that request unchanged; errc::conflict when its message differs, or its priority
///    while no repeat has raised the request to urgent since;
///  - while the resident has an open request, the press means "I still need help": it is merged
///    into the oldest open one (repeat_count + 1, raised to urgent, a waiting one's ladder restarted
///    unless `keeps_ladder` says it goes on where it is: engine::keeps_ladder_on_repeat;
///    one staff took stays theirs, a contacted one back to acknowledged, and its ack-timeout
///    follow-ups never later than before: see merge_repeat) with a `repeated` event, and returned
///    with merged=true;
///  - otherwise a new request with its `created` event (actor: the resident).
/// Given the open request as it was before the press, says whether its ladder goes on (true) or
/// starts again at the press (false). Asked only for requests no one has taken.
using keeps_ladder_fn = std::function<bool(const request_record& open)>;
result<insert_result> submit_request(database&, const new_request_record&, millis now,
                                     const keeps_ladder_fn& keeps_ladder);

/// Moves an open, unacknowledged request between queued and notifying, with an event of
/// `kind` ("notified" / "queued") and detail JSON. errc::not_found / errc::conflict otherwise.
result<request_record> set_notifying(database&, std::int64_t request_id, bool notifying, int recipients,
                                     millis now);

/// Records that an open request was pushed (again) to `recipients` staff, `times` times (more than once:
/// the pushes of a storage fault, recorded together once it ended): adds `times` to notify_count and
/// appends one `notified` event (with "times" when more than one). errc::not_found when closed or missing.
result<request_record> record_notified(database&, std::int64_t request_id, int recipients, millis now,
                                       int times = 1);
/// The same for a request this transaction holds as it now stands (the one submit_request just
/// returned): updated in place instead of read back.
result<void> record_notified(database&, request_record& request, int recipients, millis now);

struct ack_result {
    request_record request;
    bool acknowledged = false; ///< true: this staff member won; false: someone else holds it (see view.acknowledged_by)
};
/// The first acknowledgement wins: only a queued or notifying request in the staff member's
/// office becomes acknowledged (with event). errc::not_found when missing, in another office or closed.
result<ack_result> acknowledge(database&, std::int64_t request_id, std::int64_t staff_id, millis now);

/// Records that staff reached the resident: acknowledged → contacted, with an optional note.
/// By any member of the office: whoever reached the resident (one called in to help, too).
/// errc::not_found (missing, other office, closed), errc::conflict (not acknowledged, or already contacted).
result<request_record> mark_contacted(database&, std::int64_t request_id, std::int64_t staff_id,
                                      const std::string& note, millis now);

/// Un-acknowledges a taken request: back to notifying (or queued when nobody can be alerted),
/// the holder cleared and the ladder restarted at `now`. errc::conflict when it is not taken,
/// errc::not_holder when another member holds it and this one is plain staff.
result<request_record> release(database&, std::int64_t request_id, std::int64_t staff_id, bool notifying,
                               millis now);
/// Releases, as the system, every open request held (acknowledged or contacted) by a disabled account
/// (store::disable_staff): someone who has left will not call back. Each gets a `released` event with
/// detail {held_by, reason: "account_disabled"}; it goes back to notifying when `reachable_by_office`
/// (alert_hub::reachable_by_office) has its office, else to queued. Returns them as released.
result<std::vector<request_record>>
release_held_by_disabled(database&, const std::map<std::int64_t, int>& reachable_by_office, millis now);

/// Appends a staff note to an open or closed request of the staff member's office.
result<request_record> add_note(database&, std::int64_t request_id, std::int64_t staff_id, const std::string& text,
                                millis now);

/// Resolves an acknowledged or contacted request in the staff member's office with an outcome and note.
/// errc::not_found (missing, other office, closed), errc::conflict (not yet acknowledged), errc::not_holder
/// (another member holds it and this one is plain staff).
result<request_record> resolve(database&, std::int64_t request_id, std::int64_t staff_id,
                               protocol::outcome result, const std::string& note, millis now);

/// Cancels the resident's own open request. errc::not_found when missing, not theirs or closed.
result<request_record> cancel(database&, std::int64_t request_id, std::int64_t resident_id, millis now);

/// One request, open or closed.
result<std::optional<request_record>> find_request(database&, std::int64_t request_id);

/// Every open request of every office, in queue order: urgent first, then oldest, then id.
result<std::vector<request_record>> open_requests(database&);

/// Every request of every office resolved at or after `since`, oldest first: as askd starts, those whose
/// resident's closing text may not have reached them (sms::resident_notifier::resume).
result<std::vector<request_record>> requests_resolved_since(database&, millis since);

/// Whether the resident has an open request that is urgent already: a further text or press would add
/// nothing but a repeat to it (the SMS flood allowance).
result<bool> has_open_urgent_request(database&, std::int64_t resident_id);
/// Every request of the resident still kept, open or closed, oldest first.
result<std::vector<request_record>> requests_of_resident(database&, std::int64_t resident_id);

/// The open request most recently texted to this staff member (escalation or reminder), for a
/// bare "a"/"c" SMS reply; nullopt when there is none.
result<std::optional<std::int64_t>> latest_texted_to(database&, std::int64_t staff_id);

/// What the last text to the request's resident that may have reached them told, as recorded
/// (`resident_sms` event detail `told`, or its `stage` for a record written before `told` was kept);
/// nullopt if there is none. A text counts unless every try of it was recorded as failed (`sms_failed`
/// marked `resident`, none `sms_sent` after it): askd stopped while it waited to be tried again. One
/// refused for good (`permanent`) counts, as would a text whose outcome was never recorded (askd died
/// during the provider's answer; before outcomes were marked `resident`): it may have gone out.
/// A record marked `not_sent` (the resident had sent STOP, or had no number) counts too: it is not owed
/// to them later.
struct resident_texted {
    std::optional<std::string> told; ///< the last text that may have reached them (above)
    /// The last record, when every try of it failed: what it told and its key (`key` in its detail:
    /// gateways/text_key.hpp; "" for a record from before keys were kept). Sent again as askd starts, it goes
    /// under that key: a provider that took a try after all (it answered too late) does not send it twice.
    std::string owed_told, owed_key;
};
result<resident_texted> last_resident_text(database&, std::int64_t request_id);

/// What the last text to the office's after-hours phone about the request told (its `notified` event's
/// detail `told`: the request's priority and the opening it waited for, as after_hours_told() makes
/// it); nullopt if none was recorded, or it was recorded before `told` was kept.
result<std::optional<std::string>> last_after_hours_text(database&, std::int64_t request_id);
/// The `told` of a text to the after-hours phone about a request of `level` waiting for `opens_at`,
/// pressed again `repeats` times.
std::string after_hours_told(protocol::priority level, millis opens_at, int repeats);

/// The request a text was about, by the id its gateway gave it (an `sms_sent` event); nullopt if none.
result<std::optional<std::int64_t>> request_of_sent_sms(database&, const std::string& provider,
                                                        const std::string& provider_id);

/// Whether the request's history has a delivery report (`sms_status`) of this status for this text already:
/// a provider sends a report again when its delivery went unanswered (a reply past the deadline, or lost).
result<bool> has_sms_status(database&, std::int64_t request_id, const std::string& provider,
                            const std::string& provider_id, const std::string& status);

/// A step on an escalation ladder as carried out: its new position and its events, together.
struct event_draft {
    std::string kind;
    std::string actor_kind = "system";
    std::optional<std::int64_t> actor_id;
    std::string detail_json = "{}";
};
/// Moves an open request to a new ladder position and appends the events, in one transaction.
/// errc::not_found when the request is missing or closed.
result<request_record> advance_ladder(database&, std::int64_t request_id, millis started_at, int cycle,
                                      int next_step, int ack_reminders, const std::vector<event_draft>& events,
                                      millis now);

/// The request's log in order, with actor display names.
result<std::vector<protocol::event_view>> request_events(database&, std::int64_t request_id);

/// Appends a free event (e.g. "duty_on") to a request's log.
result<void> append_event(database&, std::int64_t request_id, const std::string& kind,
                          const std::string& actor_kind, std::optional<std::int64_t> actor_id,
                          const std::string& detail_json, millis now);

/// A request with when its first steps were taken, from its log: a give-back (release) clears the
/// record's acknowledged_at and contacted_at, but not that someone responded or reached the resident.
struct request_history {
    request_record record;
    std::optional<millis> first_acknowledged_at; ///< the first `acknowledged` event (else the record's)
    std::optional<millis> first_contacted_at;    ///< the first `contacted` event (else the record's)
    std::optional<millis> cancelled_at;          ///< the `cancelled` event
};
/// The office's requests created in [from, to), oldest first, with their histories, in one query: the
/// input of statistics.
result<std::vector<request_history>> request_histories_created_between(database&, std::int64_t office_id,
                                                                       millis from, millis to);

/// A closed request with when, and by whom, it was closed.
struct closed_request {
    request_record record; ///< view.acknowledged_by: who took it, if anyone did
    millis closed_at = 0;  ///< resolved, or cancelled by its resident
    std::optional<protocol::person_ref>
        resolved_by; ///< the staff member who resolved it (a cancelled one: none)
};
/// The office's closed requests, the latest closed first (then the highest id), at most `limit`; with
/// `before`, a request id, only those after it in that order (the next page after a page ending with it).
/// errc::not_found when `before` is not a closed request of the office. Reads the index
/// requests_closed_recently: as cheap with years of closed requests kept as with a day's.
result<std::vector<closed_request>> closed_requests(database&, std::int64_t office_id,
                                                    std::optional<std::int64_t> before, int limit);

} // namespace ask::store
