// Why a client message or body was refused. Parsing never throws: it returns
// parsed<T>, which holds either the value or a problem naming the field.
#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace ask::protocol {

enum class error {
    malformed_json = 1, ///< not valid JSON (or not valid UTF-8)
    not_an_object,      ///< valid JSON, but not an object
    missing_type,       ///< no string "type" field
    unknown_type,       ///< a "type" this endpoint does not accept
    missing_field,      ///< a required field is absent
    wrong_type,         ///< a field has the wrong JSON type
    bad_value,          ///< right type, value outside the allowed set or range
    too_long,           ///< a string field is longer than its limit
};

/// A refused input: what went wrong and, in plain English, where.
/// `detail` names the field, e.g. "field 'priority' must be \"urgent\" or \"normal\"".
struct problem {
    error code;
    std::string detail;
};

/// The wire `code` for an error reply: "unknown_type" for unknown_type, "too_long" for too_long (a page can
/// then ask for a shorter text), "bad_request" otherwise.
std::string_view wire_code(error);

[[noreturn]] void throw_exception_from_error(const problem&, const boost::source_location&);

template <class T>
using parsed = boost::system::result<T, problem>;

} // namespace ask::protocol
