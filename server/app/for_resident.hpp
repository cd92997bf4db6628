// For actions that find the resident by token and act in the same store job (one trip to the store
// thread: under load every trip waits for a group commit of its own). Internal to app/.
#pragma once

#include "server/store/accounts.hpp"

#include <optional>
#include <string>
#include <utility>

namespace ask::actions {

/// In a store job: `act` on the resident whose token has this hash, in the same job. nullopt when no
/// resident has it.
template <class T, class Act>
store::result<std::optional<T>> for_resident(store::database& db, const std::string& token_hash, Act act) {
    auto resident = store::resident_by_token(db, token_hash);
    if (!resident)
        return resident.error();
    if (!*resident)
        return std::optional<T>{};
    auto done = act(**resident);
    if (!done)
        return done.error();
    return std::optional<T>{std::move(*done)};
}

} // namespace ask::actions
