// Opening the database the one way every part of askd does: folder created, durability
// settings applied, schema migrated, configured offices registered. For startup and the
// command line, where a failure ends the program.
#pragma once

#include "protocol/types.hpp"
#include "server/config.hpp"
#include "server/store/database.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ask {

/// @throws std::runtime_error naming the file and the problem.
store::database open_store(const config&);

/// For commands that only read (a resident's export): an existing database, at exactly this askd's
/// schema version, opened so that nothing can be written (PRAGMA query_only); nothing is created,
/// migrated or registered. A mistyped path is an error, not an empty database.
/// @throws std::runtime_error naming the file and the problem.
store::database open_store_to_read(const config&);

/// For commands that change accounts (askd staff disable, askd resident remove, …): an existing
/// database at exactly this askd's schema version, writable; nothing is created, migrated or registered.
/// @throws std::runtime_error naming the file and the problem.
store::database open_store_to_change(const config&);

/// The id of the office with `slug` ("" for the first configured). @throws config_error when there is none.
std::int64_t office_id(store::database&, const config&, const std::string& slug);

/// Calls `visit(place, usernames)` for each step of the config's escalation ladders that names staff,
/// `place` being the step's key as the config spells it ("escalation.urgent.steps[0].staff").
void for_each_named_step(
    const config&,
    const std::function<void(const std::string& place, const std::vector<std::string>& usernames)>& visit);

/// For `askd serve`: every username an escalation step names (who = "named") has a staff account,
/// so that no step of a ladder alerts nobody. Not checked by the account commands, which are how
/// such an account gets made. A disabled account is warned about, not refused: disabling one beside
/// a serving askd must not keep it from starting again. @throws config_error naming the step and each
/// missing username.
void check_named_staff(store::database&, const config&);

/// The value of a store result, or std::runtime_error("<what>: <problem>").
template <class T>
T value_or_throw(store::result<T> r, std::string_view what) {
    if (!r)
        throw std::runtime_error(std::string(what) + ": " + r.error().message());
    if constexpr (!std::is_void_v<T>)
        return std::move(*r);
}

/// Wall-clock milliseconds since the epoch: the time stamps of the store and the domain.
inline protocol::millis wall_clock_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

} // namespace ask
