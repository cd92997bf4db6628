// Whether the sign-ins of live connections still hold, for a serving askd to notice a change made
// beside it (store/account_changes.hpp) without asking the store for every connection every second.
#pragma once

#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ask::store {

/// PRAGMA data_version: changes when another connection to the file (an askd command) has committed
/// since this connection last asked; askd's own commits leave it as it was.
result<std::int64_t> data_version(database&);

/// What limits a staff member's sign-ins: a disabled account, and how many times every sign-in of the
/// account was ended (a new password, or the disable): a sign-in made when the count was lower no
/// longer holds. Session expiry is not here: a dashboard connected stays connected past it, as it always
/// has.
struct staff_access {
    std::int64_t staff_id = 0;
    bool disabled = false;
    std::int64_t sign_ins_ended = 0;
};
/// The access of these staff members; an id with no account is left out.
result<std::vector<staff_access>> staff_access_of(database&, const std::vector<std::int64_t>& staff_ids);

/// Of these residents' token hashes, those no resident has any more: a new link was issued, or the
/// resident was removed.
result<std::vector<std::string>> lapsed_resident_tokens(database&,
                                                        const std::vector<std::string>& token_hashes);

} // namespace ask::store
