// An HTTP request as askd's server reads it (Beast's parser with the default header and body
// limits), then what askd reads out of it before anyone is authenticated: the bearer token,
// the session cookie, ?token= and the report's ?from=/?to= dates, the path and the Origin check.
#include "server/config.hpp"
#include "server/engine/office_hours.hpp"
#include "server/http/credentials.hpp"

#include <cstdint>
#include <string>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const ask::config cfg = [] {
        ask::config c;
        c.allowed_origins = {"https://ask.example.pl"};
        return c;
    }();
    ask::http::request_parser<ask::http::string_body> parser;
    parser.header_limit(static_cast<std::uint32_t>(cfg.limits.http_header_bytes));
    parser.body_limit(cfg.limits.http_body_bytes);
    parser.eager(true);
    boost::system::error_code ec;
    parser.put(ask::net::buffer(data, size), ec);
    if (ec || !parser.is_header_done())
        return 0;
    const auto& req = parser.get();
    (void)ask::web::bearer_token(req);
    (void)ask::web::cookie(req, ask::web::session_cookie);
    (void)ask::web::origin_allowed(req, cfg);
    auto path = ask::web::path_of(req);
    if (path.size() > req.target().size())
        __builtin_trap(); // the path is a prefix of the target
    (void)ask::web::query_param(req, "token");
    (void)ask::engine::parse_date(ask::web::query_param(req, "from"));
    return 0;
}
