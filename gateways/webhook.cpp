#include "gateways/webhook.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>

namespace ask::gateways {

std::optional<params> decode_form(std::string_view text) {
    std::string query = "?";
    query.reserve(text.size() + 1);
    for (char c : text) {
        if (c == '+')
            query += "%20";
        else
            query += c;
    }
    auto ref = boost::urls::parse_uri_reference(query);
    if (!ref)
        return std::nullopt;
    params out;
    for (auto p : ref->params())
        out.emplace_back(std::string(p.key), std::string(p.value));
    return out;
}

std::optional<params> request_params(const webhook_request& req) {
    if (req.method == "GET") {
        auto q = req.target.find('?');
        return decode_form(q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1));
    }
    return decode_form(req.body);
}

std::optional<params> bounded_params(const webhook_request& req) {
    if (req.body.size() > max_webhook_body)
        return std::nullopt;
    return request_params(req);
}

std::string plus_country_code(std::string number) {
    bool digits = number.size() > 9 && std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); });
    return digits ? "+" + number : number;
}

std::string param(const params& ps, std::string_view name) {
    for (const auto& [k, v] : ps)
        if (k == name)
            return v;
    return {};
}

std::string form_encode(const params& ps) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    for (const auto& [k, v] : ps) {
        if (!out.empty())
            out += '&';
        for (const auto* s : {&k, &v}) {
            for (unsigned char c : *s) {
                if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
                    out += static_cast<char>(c);
                } else {
                    out += '%';
                    out += hex[c >> 4];
                    out += hex[c & 15];
                }
            }
            if (s == &k)
                out += '=';
        }
    }
    return out;
}

bool is_json(const webhook_request& req) { return req.content_type.find("json") != std::string::npos; }

} // namespace ask::gateways
