// askd staff list, askd resident list: who has an account, with the ids the other account commands
// take. Read-only, so they may run beside a serving askd.
//
// Output: one line per account, tab-separated, under a header line; a field never contains a tab or a
// line break (they are shown as spaces), so each line splits into the header's columns.
#include "server/cli/commands.hpp"

#include "protocol/server_messages.hpp"
#include "server/app/open_store.hpp"
#include "server/store/accounts.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <iostream>
#include <map>

namespace ask::cli {
namespace {

std::string field(std::string text) {
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r')
            c = ' ';
    return text;
}

// The offices' slugs by id, and the id of `slug` (0 for every office). @throws config_error when the
// database has no office `slug`.
struct office_names {
    std::map<std::int64_t, std::string> slugs;
    std::int64_t only = 0;
};

office_names offices(store::database& db, const std::string& slug) {
    office_names out;
    for (const auto& o : value_or_throw(store::list_offices(db), "cannot read offices")) {
        out.slugs[o.id] = o.slug;
        if (o.slug == slug)
            out.only = o.id;
    }
    if (!slug.empty() && out.only == 0)
        throw config_error(fmt::format("--office: no office '{}' in the database", slug));
    return out;
}

} // namespace

int list_staff(const config& cfg, const std::string& office) {
    auto db = open_store_to_read(cfg);
    auto names = offices(db, office);
    auto staff = value_or_throw(store::all_staff(db, names.only), "cannot read staff accounts");
    std::cout << "id\tusername\tname\trole\toffice\tphone\ton_duty\taccount\n";
    for (const auto& s : staff)
        std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", s.id, field(s.username),
                                 field(s.display_name), protocol::to_string(s.role), names.slugs[s.office_id],
                                 s.phone, s.on_duty ? "yes" : "no", s.disabled ? "disabled" : "active");
    return 0;
}

int list_residents(const config& cfg, const std::string& office) {
    auto db = open_store_to_read(cfg);
    auto names = offices(db, office);
    auto residents = value_or_throw(store::all_residents(db, names.only), "cannot read residents");
    std::cout << "id\tname\tphone\toffice\tneeds\tsource\ttexts\topen_requests\tcreated_at\n";
    for (const auto& [r, open] : residents)
        std::cout << fmt::format("{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\n", r.id, field(r.name), r.phone,
                                 names.slugs[r.office_id], field(fmt::format("{}", fmt::join(r.needs, ","))),
                                 r.unknown_sender ? "texted_in" : "registered",
                                 r.sms_opt_out ? "stopped" : "on", open, protocol::iso8601(r.created_at));
    return 0;
}

} // namespace ask::cli
