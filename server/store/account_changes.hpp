// Changes the office makes to accounts with askd's commands (server/cli/account_changes.cpp), which may run
// beside a serving askd: a staff member leaves or is given a new password, a resident gets a new link or
// is removed. Each takes effect at once for everything that asks the store (signing in, the API, texts);
// a serving askd also ends the live dashboards and pages it takes the right from (app/sign_in_watch.hpp).
#pragma once

#include "server/store/accounts.hpp"

namespace ask::store {

/// Disables the account of someone who has left: they cannot sign in, every sign-in of theirs ends
/// (sessions deleted, sign_ins_ended counted up), they go off duty, escalation does not text them, and
/// they can no longer take, mark contacted, note, give back or close a request (office_of_staff), also
/// from a dashboard not closed yet. A text
/// from their phone is no longer a staff reply but is taken as anyone's, a request: they may need help
/// themselves. The row stays, since request histories and the record of cards shown name them. Requests
/// they hold (requests_held_by) stay theirs here: a serving askd's queue changes only by its own writes,
/// so the serving askd gives them back (release_held_by_disabled). not_found when no such username.
result<staff_record> disable_staff(database&, const std::string& username, millis now);
/// Undoes disable_staff, off duty. They sign in again themselves and go on duty themselves. An account
/// that is not disabled is left as it is.
result<staff_record> enable_staff(database&, const std::string& username);
/// Sets a new password and ends every sign-in of the account (sessions deleted, sign_ins_ended counted
/// up), so a dashboard signed in with the old one must sign in again. not_found when no such username.
result<staff_record> replace_staff_password(database&, const std::string& username,
                                            const std::string& password_hash);
/// The open requests this staff member has taken (acknowledged or contacted), by id.
result<std::vector<std::int64_t>> requests_held_by(database&, std::int64_t staff_id);

struct removed_resident {
    int requests = 0; ///< closed requests deleted with their histories
};
/// Deletes a resident with their closed requests, the requests' histories and the record of cards
/// shown: the right to erasure (RODO art. 17), or someone who moved away. Their STOP goes with them: a
/// later text from their number makes a new placeholder resident, as any unknown number does.
/// errc::conflict while a
/// request of theirs is open: it is resolved or cancelled first, never silently dropped with the
/// resident while staff are being alerted to it. not_found when no such resident.
result<removed_resident> remove_resident(database&, std::int64_t resident_id);

} // namespace ask::store
