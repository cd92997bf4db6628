#include "server/app/failure.hpp"

#include "server/store/error.hpp"

#include <stdexcept>

namespace ask {

void throw_exception_from_error(const failure& f, const boost::source_location&) {
    throw std::runtime_error(f.code + ": " + f.message);
}

failure bad_request(std::string message) { return {"bad_request", std::move(message), std::nullopt}; }

failure unauthorized() { return {"unauthorized", "missing, unknown or expired token", std::nullopt}; }

failure not_found() { return {"not_found", "no such request here", std::nullopt}; }

failure from_store(const boost::system::error_code& ec) {
    if (ec == store::errc::not_found)
        return not_found();
    if (ec == store::errc::conflict)
        return {"conflict", "the request is not in a state that allows this", std::nullopt};
    if (ec == store::errc::constraint)
        return {"conflict", "that already exists", std::nullopt};
    if (ec == store::errc::not_holder)
        return {"forbidden", "only the person who took it or a coordinator can do this", std::nullopt};
    if (ec == store::errc::account_disabled)
        return {"account_disabled", "this account is disabled; nothing was changed", std::nullopt};
    return {"storage_unavailable", "storage is unavailable; nothing was changed, try again", std::nullopt};
}

failure not_confirmed() {
    return {"not_confirmed",
            "no answer in time (the storage is slow); it may still be done: check before repeating it (a press "
            "sent again with the same request_id is never stored twice)",
            std::nullopt};
}

int http_status(const failure& f) {
    if (f.code == "bad_request" || f.code == "unknown_type")
        return 400;
    if (f.code == "unauthorized")
        return 401;
    if (f.code == "forbidden" || f.code == "account_disabled")
        return 403;
    if (f.code == "not_found")
        return 404;
    if (f.code == "too_large")
        return 413;
    if (f.code == "too_many_attempts" || f.code == "too_many_presses" || f.code == "too_many_new_requests")
        return 429;
    if (f.code == "storage_unavailable" || f.code == "shutting_down" || f.code == "not_confirmed")
        return 503;
    return 409; // conflict, already_acknowledged, not_acknowledged
}

} // namespace ask
