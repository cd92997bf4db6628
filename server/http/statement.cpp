#include "server/http/statement.hpp"

#include "server/http/assets.hpp"

#include <algorithm>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <vector>

namespace ask::web {
namespace {

std::string escaped(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        case '\'':
            out += "&#39;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

// What the statement says of a value the office left empty; statement.js translates it.
const std::string not_given = R"(<span data-i18n="notGiven">nie podano</span>)";

std::string text_or_not_given(const std::string& value) {
    return value.empty() ? not_given : escaped(value);
}

std::string link_or_not_given(const std::string& href, const std::string& text, std::string_view i18n = {}) {
    if (href.empty())
        return not_given;
    std::string a = "<a href=\"" + escaped(href) + "\"";
    if (!i18n.empty())
        a += " data-i18n=\"" + std::string(i18n) + "\"";
    return a + ">" + escaped(text) + "</a>";
}

// Replaces every {{name}} of `page`; a placeholder with no value is a mistake in the template.
std::string fill(std::string_view page, const std::vector<std::pair<std::string_view, std::string>>& values) {
    std::string out;
    for (;;) {
        auto open = page.find("{{");
        out += page.substr(0, open);
        if (open == std::string_view::npos)
            return out;
        auto close = page.find("}}", open);
        if (close == std::string_view::npos)
            throw std::logic_error("dostepnosc.html: a placeholder is not closed");
        auto name = page.substr(open + 2, close - open - 2);
        auto value =
            std::find_if(values.begin(), values.end(), [&](const auto& v) { return v.first == name; });
        if (value == values.end())
            throw std::logic_error("dostepnosc.html: unknown placeholder " + std::string(name));
        out += value->second;
        page = page.substr(close + 2);
    }
}

} // namespace

std::string statement_html(const config& cfg) {
    const auto& a = cfg.accessibility;
    const asset* page = find_asset("/dostepnosc.html");
    if (!page)
        throw std::logic_error("dostepnosc.html is not embedded");
    std::string entity = a.entity.empty() ? cfg.offices.front().name : a.entity;
    std::string phone_href = a.phone.empty() ? "" : "tel:" + a.phone;
    std::string email_href = a.email.empty() ? "" : "mailto:" + a.email;
    return fill(page->bytes, {
                                 {"entity", escaped(entity)},
                                 {"url", escaped(cfg.public_url + "/")},
                                 {"published", text_or_not_given(a.published)},
                                 {"updated", text_or_not_given(a.updated)},
                                 {"prepared", text_or_not_given(a.prepared)},
                                 {"contact_person", text_or_not_given(a.contact_person)},
                                 {"email", link_or_not_given(email_href, a.email)},
                                 {"phone", link_or_not_given(phone_href, a.phone)},
                                 {"office_statement",
                                  link_or_not_given(a.office_statement_url, "deklaracja dostępności urzędu",
                                                    "officeStatement")},
                             });
}

} // namespace ask::web
