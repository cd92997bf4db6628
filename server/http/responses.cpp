#include "server/http/responses.hpp"

#include "protocol/server_messages.hpp"

namespace ask::web {

response make_response(http::status status, std::string body, std::string_view content_type) {
    response res{status, 11};
    res.set(http::field::server, "askd");
    res.set(http::field::content_type, content_type);
    res.set(http::field::cache_control, "no-store");
    res.set("X-Content-Type-Options", "nosniff");
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

response error_response(const failure& f) {
    auto res = make_response(static_cast<http::status>(http_status(f)),
                             protocol::http_error_json(f.code, f.message));
    if (f.retry_after_seconds)
        res.set(http::field::retry_after, std::to_string(*f.retry_after_seconds));
    return res;
}

response error_response(http::status status, std::string_view code, std::string_view message) {
    return make_response(status, protocol::http_error_json(code, message));
}

} // namespace ask::web
