// Who of the staff is calling an HTTP API, by a bearer token or the session cookie: shared by every
// staff route (http/routes.cpp, http/closed_requests.cpp).
#pragma once

#include "server/app/application.hpp"
#include "server/app/failure.hpp"
#include "server/http/credentials.hpp"
#include "server/store/accounts.hpp"

namespace ask::web {

/// The staff member of the bearer token, or else of the session cookie; unauthorized without a live
/// session. A cookie on a request that `changes_state` must come with an allowed Origin (forbidden
/// otherwise): cookies ride along on cross-site requests, bearer headers do not. Runs on the I/O thread.
net::awaitable<action_result<store::staff_record>> staff_caller(application&, const request&,
                                                                bool changes_state);

} // namespace ask::web
