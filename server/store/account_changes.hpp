// Changes the office makes to accounts with askd's commands (server/cli/accounts.cpp), which may run
// beside a serving askd: a staff member leaves or is given a new password, a resident gets a new link or
// is removed. Each takes effect at once for everything that asks the store (signing in, the API, texts);
// a serving askd also ends the live dashboards and pages it takes the right from (app/sign_in_watch.hpp).
#pragma once

#include "server/store/accounts.hpp"

namespace ask::store {

/// Disables the account of someone who has left: they cannot sign in, every session of theirs ends,
/// they go off duty, escalation does not text them and their texts are not acted on. The row stays,
/// since request histories and the record of cards shown name them. not_found when no such username.
result<staff_record> disable_staff(database&, const std::string& username, millis now);
/// Undoes disable_staff. They sign in again themselves and go on duty themselves.
result<staff_record> enable_staff(database&, const std::string& username);
/// Sets a new password and ends every session of the account, so a dashboard signed in with the old
/// one must sign in again. not_found when no such username.
result<staff_record> replace_staff_password(database&, const std::string& username,
                                            const std::string& password_hash);

struct removed_resident {
    int requests = 0; ///< closed requests deleted with their histories
};
/// Deletes a resident with their closed requests, the requests' histories and the record of cards
/// shown: the right to erasure (RODO art. 17), or someone who moved away. errc::conflict while a
/// request of theirs is open: it is resolved or cancelled first, never silently dropped with the
/// resident while staff are being alerted to it. not_found when no such resident.
result<removed_resident> remove_resident(database&, std::int64_t resident_id);

} // namespace ask::store
