#include "gateways/webhook.hpp"

#include "gateways/sms_encoding.hpp"

#include <boost/json/parse.hpp>

#include <algorithm>
#include <cctype>

namespace ask::gateways {

namespace {

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// '+' is a space and %XX the byte XX; nullopt for a '%' not followed by two hex digits.
std::optional<std::string> form_unescape(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (c == '+') {
            out += ' ';
        } else if (c != '%') {
            out += c;
        } else {
            int hi = i + 2 < text.size() ? hex_value(text[i + 1]) : -1;
            int lo = hi >= 0 ? hex_value(text[i + 2]) : -1;
            if (lo < 0)
                return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        }
    }
    return out;
}

} // namespace

// Written out rather than left to Boost.URL: in 1.81, iterating the params of a query that a
// '#' follows reads past the buffer (fuzzing found it), and a form body is not a URL anyway:
// a raw '#' or space in it is just a character. Empty pieces ("a=1&&b=2") are skipped, as
// browsers do.
std::optional<params> decode_form(std::string_view text) {
    params out;
    while (!text.empty()) {
        auto amp = text.find('&');
        auto piece = text.substr(0, amp);
        text = amp == std::string_view::npos ? std::string_view() : text.substr(amp + 1);
        if (piece.empty())
            continue;
        auto eq = piece.find('=');
        auto key = form_unescape(piece.substr(0, eq));
        auto value = form_unescape(eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1));
        if (!key || !value)
            return std::nullopt;
        out.emplace_back(std::move(*key), std::move(*value));
    }
    return out;
}

std::optional<params> bounded_params(const webhook_request& req) {
    if (req.body.size() > max_webhook_body || req.target.size() > max_webhook_target)
        return std::nullopt;
    if (req.method == "GET") {
        auto q = req.target.find('?');
        return decode_form(q == std::string::npos ? std::string_view() : std::string_view(req.target).substr(q + 1));
    }
    return decode_form(req.body);
}

std::string plus_country_code(std::string number) {
    bool digits = number.size() > 9 && std::all_of(number.begin(), number.end(), [](unsigned char c) { return std::isdigit(c); });
    return digits ? "+" + number : number;
}

std::optional<std::int64_t> decimal(std::string_view s) {
    if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); }))
        return std::nullopt;
    std::int64_t n = 0;
    for (char c : s)
        n = n * 10 + (c - '0');
    return n;
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

namespace {

webhook_problem required(std::string_view field) { return {std::string(field) + " is required"}; }

} // namespace

inbound_result checked(inbound_sms m, std::string_view id_field, std::string_view from_field) {
    if (m.message_id.empty())
        return required(id_field);
    if (m.from.empty())
        return required(from_field);
    for (auto* field : {&m.message_id, &m.from, &m.to, &m.part_ref})
        if (field->size() > max_webhook_field)
            return webhook_problem{"an id, number or reference longer than " + std::to_string(max_webhook_field) + " bytes"};
    for (auto* field : {&m.message_id, &m.from, &m.to, &m.text, &m.part_ref})
        *field = valid_utf8(*field);
    return m;
}

delivery_result checked(delivery_report r, std::string_view id_field, std::string_view status_field) {
    if (r.provider_id.empty())
        return required(id_field);
    if (r.status.empty())
        return required(status_field);
    for (auto* field : {&r.provider_id, &r.status, &r.error})
        if (field->size() > max_webhook_field)
            return webhook_problem{"an id, status or error longer than " + std::to_string(max_webhook_field) + " bytes"};
    for (auto* field : {&r.provider_id, &r.status, &r.error})
        *field = valid_utf8(*field);
    return r;
}

std::optional<boost::json::object> json_object(std::string_view text) {
    if (text.size() > max_webhook_body)
        return std::nullopt;
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object())
        return std::nullopt;
    return std::move(v.as_object());
}

std::string json_text(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool is_json(const webhook_request& req) { return req.content_type.find("json") != std::string::npos; }

} // namespace ask::gateways
