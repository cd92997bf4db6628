#include "server/http/staff_caller.hpp"

#include "server/app/actions.hpp"

namespace ask::web {

net::awaitable<action_result<store::staff_record>> staff_caller(application& app, const request& req,
                                                                bool changes_state) {
    auto token = bearer_token(req);
    if (token.empty()) {
        token = cookie(req, session_cookie);
        if (!token.empty() && changes_state && !origin_allowed(req, app.settings()))
            co_return failure{"forbidden", "this Origin may not use the session cookie", std::nullopt};
    }
    co_return co_await actions::authenticate_staff(app, token);
}

} // namespace ask::web
