#include "server/http/credentials.hpp"

#include "gateways/webhook.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>

namespace ask::web {

std::string bearer_token(const request& req) {
    auto it = req.find(http::field::authorization);
    if (it == req.end())
        return {};
    std::string_view value = it->value();
    constexpr std::string_view scheme = "Bearer ";
    if (value.size() <= scheme.size() || !std::equal(scheme.begin(), scheme.end(), value.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        }))
        return {};
    value.remove_prefix(scheme.size());
    while (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    return std::string(value);
}

std::string cookie(const request& req, std::string_view name) {
    auto [first, last] = req.equal_range(http::field::cookie);
    for (auto field = first; field != last; ++field) {
        std::string_view rest = field->value();
        while (!rest.empty()) {
            auto semi = rest.find(';');
            auto pair = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
            while (!pair.empty() && pair.front() == ' ')
                pair.remove_prefix(1);
            auto eq = pair.find('=');
            if (eq != std::string_view::npos && pair.substr(0, eq) == name)
                return std::string(pair.substr(eq + 1));
        }
    }
    return {};
}

// The form decoder the webhooks use, not Boost.URL's params(): in 1.81 it reads past the
// query on some inputs (fuzzing found "&&&&&okenn="), and this runs before authentication.
std::string query_param(const request& req, std::string_view name) {
    std::string_view target = req.target();
    auto q = target.find('?');
    if (q == std::string_view::npos)
        return {};
    auto ps = gateways::decode_form(target.substr(q + 1));
    return ps ? gateways::param(*ps, name) : std::string();
}

std::string path_of(const request& req) {
    std::string_view target = req.target();
    return std::string(target.substr(0, target.find('?')));
}

std::optional<std::int64_t> positive_integer(std::string_view text) {
    std::int64_t n = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
    if (ec != std::errc{} || end != text.data() + text.size() || n <= 0)
        return std::nullopt;
    return n;
}

bool is_json_media_type(std::string_view content_type) {
    auto type = content_type.substr(0, content_type.find(';'));
    while (!type.empty() && (type.back() == ' ' || type.back() == '\t'))
        type.remove_suffix(1);
    constexpr std::string_view json = "application/json";
    return type.size() == json.size() &&
           std::equal(json.begin(), json.end(), type.begin(),
                      [](char a, char b) { return a == std::tolower(static_cast<unsigned char>(b)); });
}

bool origin_allowed(const request& req, const config& cfg) {
    auto origin = req.find(http::field::origin);
    if (origin == req.end())
        return false;
    std::string_view value = origin->value();
    auto host = req.find(http::field::host);
    if (host != req.end()) {
        std::string own_http = "http://" + std::string(host->value());
        std::string own_https = "https://" + std::string(host->value());
        if (value == own_http || value == own_https)
            return true;
    }
    return std::find(cfg.allowed_origins.begin(), cfg.allowed_origins.end(), value) != cfg.allowed_origins.end();
}

} // namespace ask::web
