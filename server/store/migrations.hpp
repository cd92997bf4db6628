// Versioned schema migrations, tracked in PRAGMA user_version. Each migration runs in
// its own transaction together with the version bump, so a crash leaves the schema at
// a whole version. A database newer than this binary is refused rather than guessed at.
#pragma once

#include "server/store/database.hpp"

namespace ask::store {

/// The schema version this binary writes.
int schema_version();

/// The schema version of the open file (PRAGMA user_version).
result<int> user_version(database&);

/// Brings the schema to `target` (default: schema_version(); lower targets are for tests of the
/// migrations themselves). Fails with errc::conflict when the file's version is newer than this
/// binary knows.
result<void> migrate(database&, int target = schema_version());

} // namespace ask::store
