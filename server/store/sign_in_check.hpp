// Whether the sign-ins of live connections still hold, for a serving askd to notice a change made
// beside it (store/account_changes.hpp) without asking the store for every connection every second.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ask::store {

/// PRAGMA data_version: changes when another connection to the file (an askd command) has committed
/// since this connection last asked; askd's own commits leave it as it was.
result<std::int64_t> data_version(database&);

/// Of these staff session token hashes, those that no longer sign anyone in at `now`: the session
/// ended (a new password, a disabled account) or expired.
result<std::vector<std::string>> lapsed_sessions(database&, const std::vector<std::string>& token_hashes,
                                                 protocol::millis now);
/// Of these residents' token hashes, those no resident has any more: a new link was issued, or the
/// resident was removed.
result<std::vector<std::string>> lapsed_resident_tokens(database&,
                                                        const std::vector<std::string>& token_hashes);

} // namespace ask::store
