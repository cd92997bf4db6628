// Why an action was refused, in the words every interface reports it: a wire code
// (protocol/README.md), a plain message, for already_acknowledged the holder, and for a press past
// the allowance when to try again.
#pragma once

#include "protocol/server_messages.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <optional>
#include <string>

namespace ask {

struct failure {
    std::string code;
    std::string message;
    std::optional<protocol::person_ref> holder;
    /// Seconds until trying again can work (HTTP Retry-After, the WebSocket error's retry_after); set
    /// for too_many_presses, too_many_new_requests and too_many_attempts (sign-in) only.
    std::optional<int> retry_after_seconds = std::nullopt;
};

template <class T>
using action_result = boost::system::result<T, failure>;

[[noreturn]] void throw_exception_from_error(const failure&, const boost::source_location&);

failure bad_request(std::string message);
failure unauthorized();
failure not_found();
/// Maps a store error: storage failures become storage_unavailable (never a false success).
failure from_store(const boost::system::error_code&);

/// No answer within the reply deadline (finish_within): the work goes on and may still be saved.
failure not_confirmed();

/// The HTTP status for a failure code (400, 401, 403, 404, 409, 413, 429, 503).
int http_status(const failure&);

} // namespace ask
