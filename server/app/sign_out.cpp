// actions::sign_out (app/actions.hpp): a staff member ends their own session, e.g. on an office computer
// the next person will use.
#include "server/app/actions.hpp"
#include "server/auth/secrets.hpp"

#include <spdlog/spdlog.h>

namespace ask::actions {

net::awaitable<action_result<sign_out_result>> sign_out(application& app, const std::string& token) {
    if (token.empty()) {
        spdlog::info("sign-out: no session given; nothing to end");
        co_return sign_out_result{};
    }
    auto hash = auth::token_hash(token);
    auto forget = [hash](store::database& db) { return store::delete_session(db, hash); };
    auto ended = co_await app.store().run<std::optional<std::int64_t>>(std::move(forget),
                                                                       store::writer::lane::ongoing);
    if (!ended)
        co_return from_store(ended.error());
    // After the commit: from here the session is refused everywhere, so a dashboard closed now cannot
    // come straight back with it. Also when no row was left (it expired and was forgotten while its
    // dashboard stayed connected, as dashboards do): the person asked for it to end.
    sign_out_result out{*ended, app.sign_ins().end_session(hash, ended->has_value())};
    if (out.staff_id)
        spdlog::info("sign-out: staff {} ended a session ({} dashboard(s) closed)", *out.staff_id,
                     out.dashboards_closed);
    else
        spdlog::info("sign-out: the session given had already ended ({} dashboard(s) closed)",
                     out.dashboards_closed);
    co_return out;
}

} // namespace ask::actions
