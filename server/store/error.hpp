// Store errors as boost::system error codes. SQLite result codes are mapped onto a
// few conditions callers act on: a storage failure means "answer 503, claim nothing".
#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace ask::store {

enum class errc {
    not_found = 1,    ///< the row does not exist (or is not visible to this caller)
    conflict,         ///< the operation does not apply in the row's current state
    unavailable,      ///< storage failed (I/O error, disk full, read-only, locked, corrupt): retry later
    constraint,       ///< a uniqueness or check constraint refused the write
    shutting_down,    ///< the writer is stopping and takes no new work
    account_disabled, ///< the staff member acting has been disabled (askd staff disable): they act on nothing
    not_holder,       ///< another member holds the request, and only they or a coordinator may change it
};

const boost::system::error_category& store_category();
boost::system::error_code make_error_code(errc);

/// An error code from SQLite's extended result code `rc` (category "sqlite"; message from sqlite3_errstr).
boost::system::error_code sqlite_error(int rc);

/// True for every error that means the storage itself failed, including sqlite_error codes
/// other than constraint violations: the caller must answer 503 and state nothing as done.
bool is_storage_failure(const boost::system::error_code&);

} // namespace ask::store

template <>
struct boost::system::is_error_code_enum<ask::store::errc> : std::true_type {};
