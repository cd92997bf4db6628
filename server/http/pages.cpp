#include "server/http/pages.hpp"

#include "server/http/assets.hpp"
#include "server/http/statement.hpp"

#include <string>

namespace ask::web {
namespace {

constexpr std::string_view content_security_policy =
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

std::string_view file_for(std::string_view path) {
    if (path == "/r")
        return "/resident.html";
    if (path == "/staff")
        return "/staff.html";
    return {};
}

response with_page_headers(response res) {
    res.set("Content-Security-Policy", content_security_policy);
    res.set("Referrer-Policy", "no-referrer");
    res.set("X-Frame-Options", "DENY");
    return res;
}

} // namespace

std::optional<response> page(std::string_view path, const config& cfg) {
    if (path == "/") {
        auto res = make_response(http::status::see_other, "", "text/plain");
        res.set(http::field::location, "/staff");
        return res;
    }
    if (path == "/dostepnosc")
        return with_page_headers(
            make_response(http::status::ok, statement_html(cfg), content_type_of(".html")));
    std::string_view name = file_for(path);
    if (name.empty() && path.starts_with("/assets/") && !path.ends_with(".html"))
        name = path.substr(std::string_view("/assets").size());
    if (name.empty())
        return std::nullopt;
    const asset* file = find_asset(name);
    if (!file)
        return std::nullopt;
    return with_page_headers(
        make_response(http::status::ok, std::string(file->bytes), content_type_of(name)));
}

} // namespace ask::web
