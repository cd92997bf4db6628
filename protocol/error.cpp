#include "protocol/error.hpp"

#include <stdexcept>

namespace ask::protocol {

std::string_view wire_code(error e) {
    if (e == error::unknown_type)
        return "unknown_type";
    return e == error::too_long ? "too_long" : "bad_request";
}

void throw_exception_from_error(const problem& p, const boost::source_location&) {
    throw std::invalid_argument(p.detail);
}

} // namespace ask::protocol
