// [accessibility]: the office's part of the accessibility statement (http/statement.hpp). Each value is
// checked as the statement will use it: an e-mail and a phone a resident can write to or call, a link
// that opens, dates in the form the statement shows ("YYYY-MM-DD") and in order.
#include "server/config_toml.hpp"

#include "server/engine/office_hours.hpp"

#include <chrono>

namespace ask {

accessibility_config accessibility_config::demo() {
    accessibility_config a;
    a.contact_person = "Katarzyna Nowak, koordynatorka dostępności";
    a.email = "dostepnosc@przykladowo.example";
    a.phone = "+48123456789";
    a.office_statement_url = "https://przykladowo.example/deklaracja-dostepnosci";
    a.published = "2026-12-06";
    a.updated = "2026-12-06";
    a.prepared = "2026-12-06";
    return a;
}

std::vector<std::string_view> accessibility_config::missing() const {
    std::vector<std::string_view> out;
    const std::pair<std::string_view, const std::string*> keys[] = {
        {"contact_person", &contact_person},
        {"email", &email},
        {"phone", &phone},
        {"office_statement_url", &office_statement_url},
        {"published", &published},
        {"updated", &updated},
        {"prepared", &prepared}};
    for (const auto& [key, value] : keys)
        if (value->empty())
            out.push_back(key);
    return out;
}

bool accessibility_config::review_overdue(long long today) const {
    using namespace std::chrono;
    auto last = engine::parse_date(prepared);
    if (!last)
        return false;
    year_month_day now{sys_days{days{today}}};
    auto deadline_year = now > now.year() / March / 31 ? now.year() : now.year() - years{1};
    return *last < sys_days{deadline_year / January / 1}.time_since_epoch().count();
}

namespace config_toml {
namespace {

constexpr std::string_view where = "accessibility";

// A plain address someone can type: local@domain, a dot in the domain, no spaces. Not RFC 5322: the
// point is to catch a phone number or a name put in the wrong key.
bool plausible_email(std::string_view s) {
    auto at = s.find('@');
    if (at == std::string_view::npos || at == 0 || s.find('@', at + 1) != std::string_view::npos ||
        s.size() > 254)
        return false;
    auto domain = s.substr(at + 1);
    auto dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.ends_with('.'))
        return false;
    for (char c : s)
        if (static_cast<unsigned char>(c) <= ' ' || c == '<' || c == '>' || c == '"')
            return false;
    return true;
}

// Days since 1970 of the date under `name`, or nullopt when it is left empty.
std::optional<long long> read_date(const toml::table& t, std::string_view name, std::string& out) {
    read_string(t, where, name, out, true);
    if (out.empty())
        return std::nullopt;
    auto day = engine::parse_date(out);
    if (!day)
        fail(fmt::format("{}.{}", where, name), "must be a date like \"2026-12-06\"");
    return day;
}

} // namespace

void read_accessibility(const toml::table& root, config& cfg) {
    const auto* t = section(root, where);
    if (!t)
        return;
    reject_unknown(*t, where,
                   {"entity", "contact_person", "email", "phone", "office_statement_url", "published",
                    "updated", "prepared"});
    auto& a = cfg.accessibility;
    read_string(*t, where, "entity", a.entity, true);
    read_string(*t, where, "contact_person", a.contact_person, true);
    read_string(*t, where, "email", a.email, true);
    if (!a.email.empty() && !plausible_email(a.email))
        fail("accessibility.email", "must be an e-mail address like \"dostepnosc@gmina.example.pl\"");
    a.phone = read_phone(*t, where, "phone");
    read_string(*t, where, "office_statement_url", a.office_statement_url, true);
    const auto& url = a.office_statement_url;
    if (!url.empty() && !(url.starts_with("https://") || url.starts_with("http://")))
        fail("accessibility.office_statement_url",
             "must be a URL like \"https://gmina.example.pl/deklaracja\"");
    auto published = read_date(*t, "published", a.published);
    auto updated = read_date(*t, "updated", a.updated);
    read_date(*t, "prepared", a.prepared);
    if (published && updated && *updated < *published)
        fail("accessibility.updated", "must not be before accessibility.published");
}

} // namespace config_toml
} // namespace ask
