// askd resident edit, askd staff edit: the office corrects a person's details beside a serving askd
// (store/account_edits.hpp), which shows the corrected cards on its dashboards within seconds.
#include "server/cli/commands.hpp"
#include "server/cli/phone_input.hpp"

#include "server/app/open_store.hpp"
#include "server/store/account_edits.hpp"
#include "server/store/error.hpp"
#include "server/store/sql.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>

namespace ask::cli {
namespace {

// Which of the options were given, by name, for the command's report.
std::vector<std::string> named(std::initializer_list<std::pair<const char*, bool>> options) {
    std::vector<std::string> given;
    for (const auto& [name, is_given] : options)
        if (is_given)
            given.emplace_back(name);
    return given;
}

store::resident_changes resident_changes_of(const resident_edit_options& o) {
    store::resident_changes c;
    if (o.name) {
        if (o.name->empty())
            throw config_error("--name: must not be empty");
        c.name = o.name;
    }
    if (o.phone)
        c.phone = phone_from_option(*o.phone);
    c.address = o.address;
    if (o.needs)
        c.needs = store::split_needs(*o.needs);
    if (o.sms) {
        if (*o.sms != "on" && *o.sms != "off")
            throw config_error("--sms: must be on or off");
        c.sms_opt_out = *o.sms == "off";
    }
    return c;
}

store::staff_changes staff_changes_of(const staff_edit_options& o) {
    store::staff_changes c;
    if (o.name) {
        if (o.name->empty())
            throw config_error("--name: must not be empty");
        c.display_name = o.name;
    }
    if (o.phone)
        c.phone = phone_from_option(*o.phone);
    if (o.role) {
        auto role = protocol::staff_role_from_string(*o.role);
        if (!role)
            throw config_error("--role: must be staff, coordinator or admin");
        c.role = role;
    }
    return c;
}

} // namespace

int edit_resident(const config& cfg, const resident_edit_options& o) {
    auto given = named({{"name", o.name.has_value()},
                        {"phone", o.phone.has_value()},
                        {"address", o.address.has_value()},
                        {"needs", o.needs.has_value()},
                        {"sms", o.sms.has_value()}});
    if (given.empty())
        throw config_error("give at least one of --name, --phone, --address, --needs, --sms");
    auto changes = resident_changes_of(o);

    auto db = open_store_to_change(cfg);
    value_or_throw(db.exec("BEGIN IMMEDIATE"), "cannot write database " + cfg.db_path);
    auto before = value_or_throw(store::find_resident(db, o.id), "cannot read residents");
    if (!before) {
        db.exec("ROLLBACK");
        std::cerr << "askd: no resident with id " << o.id << "\n";
        return 1;
    }
    // A placeholder's details without a name would be deleted with its last request (retention), and a new
    // number would sit beside "Nieznany numer" and the old one on the card.
    if (before->unknown_sender && !o.name && (o.phone || o.address || o.needs))
        throw config_error(
            fmt::format("resident {} is a number that texted in: give --name as well, to register "
                        "them with these details",
                        o.id));
    if (changes.phone)
        refuse_a_staff_phone(db, *changes.phone);
    else if (before->unknown_sender && o.name) // registered with the number it texted from
        refuse_a_staff_phone(db, before->phone, fmt::format("resident {}", o.id));
    auto after = value_or_throw(store::edit_resident(db, o.id, changes), "cannot change the resident");
    auto sharing = value_or_throw(store::residents_by_phone(db, after.phone), "cannot read residents");
    value_or_throw(db.exec("COMMIT"), "cannot write database " + cfg.db_path);

    std::cout << "resident " << after.id << " (" << after.name
              << ") changed: " << fmt::format("{}", fmt::join(given, ", "))
              << "; the cards of their open requests show it within seconds\n";
    if (before->unknown_sender && !after.unknown_sender)
        std::cout
            << "registered: their card no longer says an unknown number wrote in, and they are kept after "
               "their last request closes; `askd resident token --id "
            << after.id << "` gives them a page link\n";
    std::erase_if(sharing, [&](const store::resident_record& r) { return r.id == after.id; });
    if (!sharing.empty()) {
        std::cerr << "askd: warning: " << after.phone << " is also the number of";
        for (const auto& r : sharing)
            std::cerr << " resident " << r.id << " (" << r.name << ")";
        // resident_by_phone: the oldest record with the number is who a text from it is for.
        auto oldest = std::min(sharing.front().id, after.id);
        std::cerr << "; a text from it makes a request for resident " << oldest << "\n";
    }
    if (before->sms_opt_out && !after.sms_opt_out)
        std::cerr << "askd: warning: texts to resident " << after.id
                  << " were off (they sent STOP, or --sms off); texts to them start again. Do this only when "
                     "they asked for it (a START from their phone does the same)\n";
    else if (after.sms_opt_out && o.phone && !after.phone.empty())
        std::cerr << "askd: note: texts to resident " << after.id
                  << " stay off (STOP) on the new number until --sms on or a START from it\n";
    return 0;
}

int edit_staff(const config& cfg, const staff_edit_options& o) {
    auto given =
        named({{"name", o.name.has_value()}, {"phone", o.phone.has_value()}, {"role", o.role.has_value()}});
    if (given.empty())
        throw config_error("give at least one of --name, --phone, --role");
    auto changes = staff_changes_of(o);

    auto db = open_store_to_change(cfg);
    value_or_throw(db.exec("BEGIN IMMEDIATE"), "cannot write database " + cfg.db_path);
    if (changes.phone)
        refuse_a_resident_phone(db, *changes.phone);
    auto edited = store::edit_staff(db, o.username, changes);
    if (!edited) {
        db.exec("ROLLBACK");
        if (edited.error() == store::errc::not_found) {
            std::cerr << "askd: no staff account named '" << o.username << "'\n";
            return 1;
        }
        value_or_throw(std::move(edited), "cannot change the staff account");
    }
    auto everyone = value_or_throw(store::all_staff(db, 0), "cannot read staff");
    value_or_throw(db.exec("COMMIT"), "cannot write database " + cfg.db_path);

    const auto& s = edited->staff;
    std::cout << "staff " << s.id << " (" << s.username
              << ") changed: " << fmt::format("{}", fmt::join(given, ", ")) << "\n";
    if (edited->signed_out)
        std::cout << "their role is now " << protocol::to_string(s.role)
                  << (s.disabled
                          ? " (the account stays disabled until askd staff enable)\n"
                          : ": every sign-in of theirs ended; open dashboards close within seconds and "
                            "sign in again with the new role\n");
    const auto& old_phone = edited->before.phone;
    if (old_phone != s.phone && !old_phone.empty())
        for (const auto& office : cfg.offices)
            if (office.after_hours_phone == old_phone)
                std::cerr << "askd: warning: " << old_phone << " is still the after-hours phone of office "
                          << office.slug
                          << " in the config: texts about requests waiting while it is closed go "
                          << "there, and replies from it are no longer " << s.username
                          << "'s; change [[offices]] after_hours_phone\n";
    if (s.phone.empty() || s.disabled)
        return 0;
    // store::staff_by_phone: a reply texted from a number is the oldest active account's with it.
    std::vector<const store::staff_record*> sharing;
    for (const auto& other : everyone)
        if (other.phone == s.phone && !other.disabled)
            sharing.push_back(&other);
    if (sharing.size() > 1) {
        std::vector<std::string> names;
        for (const auto* other : sharing)
            if (other->id != s.id)
                names.push_back(other->username);
        std::cerr << "askd: warning: " << s.phone << " is also the number of "
                  << fmt::format("{}", fmt::join(names, ", ")) << "; a reply texted from it is taken as "
                  << (*std::min_element(sharing.begin(), sharing.end(),
                                        [](auto* a, auto* b) { return a->id < b->id; }))
                         ->username
                  << "'s\n";
    }
    return 0;
}

} // namespace ask::cli
