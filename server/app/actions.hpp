// What residents and staff can do, shared by the HTTP API and the WebSocket channels.
//
// Each action runs on the I/O thread, persists through the store thread, and only after
// the commit tells anyone (its caller, the dashboards, the resident) what happened.
// A refusal changes nothing and says why (app/failure.hpp).
//
// Parameters are references: every call is co_awaited at once, so the arguments outlive it. Pass a
// named store::inbound_ref, not one built inside the co_await: g++ 12 destroys such a temporary twice.
#pragma once

#include "protocol/client_messages.hpp"
#include "server/app/application.hpp"
#include "server/app/failure.hpp"
#include "server/engine/escalation_policy.hpp"
#include "server/store/accounts.hpp"
#include "server/store/requests.hpp"

#include <map>
#include <string>

namespace ask::actions {

/// The resident owning a token, or unauthorized.
net::awaitable<action_result<store::resident_record>> authenticate_resident(application&, const std::string& token);
/// The same for a resident's page opening its WebSocket, past queue_max too (the queue's reserve), as a staff
/// sign-in is: a page that reconnects during a flood of texts must be able to send an urgent press, which
/// goes only over its WebSocket. A read over HTTP (authenticate_resident) is refused at once instead.
net::awaitable<action_result<store::resident_record>> sign_in_resident_page(application&,
                                                                            const std::string& token);
/// The staff member owning an unexpired session token, or unauthorized.
net::awaitable<action_result<store::staff_record>> authenticate_staff(application&, const std::string& token);

struct session {
    std::string token;
    protocol::millis expires_at;
    store::staff_record staff;
};
/// Checks the password (argon2id, off the I/O thread) and opens a session.
net::awaitable<action_result<session>> login(application&, const protocol::login_body&);

struct sign_out_result {
    std::optional<std::int64_t> staff_id; ///< whose session ended; nullopt when there was none to end
    std::size_t dashboards_closed = 0;    ///< live dashboards of that session, closed with code 4001
};
/// Ends the session with this token (app/sign_out.cpp): its store row is deleted, then its live dashboards
/// are closed; the account's other sessions stay. Duty is left as it is: the dashboard asks first and
/// ends it (staff.html, sign_out.js). An empty, unknown or already ended token ends nothing and is no
/// error: the caller is signed out either way.
net::awaitable<action_result<sign_out_result>> sign_out(application&, const std::string& token);

/// A resident's press, prepared on the I/O thread and stored inside a store job, so that finding
/// who pressed (a token, a phone number) and storing the press share one trip to the store thread
/// and one commit: under load every trip waits for a group commit of its own.
class press {
public:
    press(application&, protocol::new_request);
    /// On the store thread: store::submit_request for `resident` (a new request is `notifying` when
    /// on-duty staff of its office were reachable as this press was prepared, else `queued`; a press
    /// into a waiting request keeps its ladder as engine::keeps_ladder_on_repeat says), and for a new
    /// notifying request the record that those staff were rung.
    store::result<store::insert_result> store(store::database&, const store::resident_record&) const;
    /// Its client_request_id ("" for none).
    const std::string& request_id() const { return req_.request_id; }
    /// An urgent press's commit waits for no other writes (store::writer, contract 3).
    store::writer::lane lane() const {
        return req_.level == protocol::priority::urgent ? store::writer::lane::urgent : store::writer::lane::normal;
    }

private:
    protocol::new_request req_;
    std::map<std::int64_t, int> reachable_; ///< alert_hub::reachable_by_office() when prepared
    const engine::escalation_policy* policy_; ///< the application's, which outlives every store job
};
/// What a press's store error means to its caller.
failure press_failure(const boost::system::error_code&);
/// After a press's commit, on the I/O thread: rings on-duty dashboards, tells the resident, counts a
/// new request and, out of office hours, texts the after-hours phone.
net::awaitable<void> announce(application&, const store::insert_result&);

/// Stores a new request and alerts on-duty staff; a retry finds the earlier one; a press while the
/// resident has an open request is merged into it ("I still need help": urgent, staff rung, a waiting
/// request's ladder restarted unless an urgent one is still climbing it). Within the resident's press
/// allowance (app/press_guard.hpp, keyed by `token_hash`, the hash of the token they signed in with):
/// past it nothing is stored and the answer is too_many_presses (a repeat: the open request stands as
/// it is) or too_many_new_requests (nothing open; not received); a retry is answered all the same.
/// In app/press.cpp.
net::awaitable<action_result<store::insert_result>> submit_request(application&,
                                                                   const store::resident_record&,
                                                                   const std::string& token_hash,
                                                                   const protocol::new_request&);
/// authenticate_resident and submit_request in one store job.
net::awaitable<action_result<store::insert_result>> submit_request(application&, const std::string& token,
                                                                   const protocol::new_request&);
net::awaitable<action_result<store::request_record>> cancel_request(application&, const store::resident_record&,
                                                                    std::int64_t id);
/// authenticate_resident and cancel_request in one store job (one trip to the store thread).
net::awaitable<action_result<store::request_record>> cancel_request(application&, const std::string& token,
                                                                    std::int64_t id);

/// The first acknowledgement wins; later ones get already_acknowledged naming the holder. `reply`: the
/// staff text asking for it, marked as seen in the same commit (store::marking_seen).
net::awaitable<action_result<store::request_record>>
acknowledge(application&, const store::staff_record&, std::int64_t id,
            std::optional<store::inbound_ref> reply = {});
net::awaitable<action_result<store::request_record>> resolve(application&, const store::staff_record&,
                                                             const protocol::resolve_message&,
                                                             std::optional<store::inbound_ref> reply = {});
/// Closes a request nobody has taken yet (a staff text "12c"): taken by this member and resolved in one
/// store job, so the resident hears only that it was closed, never first "<name> will contact you".
/// already_acknowledged (naming the holder) when someone took it first. `reply` as for acknowledge.
net::awaitable<action_result<store::request_record>>
take_and_resolve(application&, const store::staff_record&, const protocol::resolve_message&,
                 std::optional<store::inbound_ref> reply = {});
/// The acknowledged request's resident has been reached.
net::awaitable<action_result<store::request_record>> mark_contacted(application&, const store::staff_record&,
                                                                    const protocol::contacted_message&);
/// Gives a taken request back to the queue: the holder, or a coordinator/admin, may do it.
net::awaitable<action_result<store::request_record>> release(application&, const store::staff_record&, std::int64_t id);
/// A note in the request's log.
net::awaitable<action_result<store::request_record>> add_note(application&, const store::staff_record&,
                                                              const protocol::note_message&);
/// Persists the staff member's duty; going on duty rings every waiting alert on their dashboards. Residents
/// whose requests wait are told at once when the office gets its first person reachable or loses its last.
net::awaitable<action_result<bool>> set_duty(application&, const store::staff_record&, bool on);

struct request_details {
    store::request_record request;
    std::vector<protocol::event_view> events;
};
/// A request with its log, for its resident or for staff of its office (else not_found). The details
/// carry the resident's card, and the log their messages: staff who read them are recorded as shown the
/// card (application::card_shown), as when a dashboard gets it, open or closed.
net::awaitable<action_result<request_details>> details_for_resident(application&, const store::resident_record&,
                                                                    std::int64_t id);
net::awaitable<action_result<request_details>> details_for_staff(application&, const store::staff_record&,
                                                                 std::int64_t id);

} // namespace ask::actions
