// askd staff disable | enable | password, askd resident token | remove: the office's changes to
// accounts (store/account_changes.hpp). They may run beside a serving askd, which ends the live
// dashboards and pages that lose their right within seconds (app/sign_in_watch.hpp).
#include "server/cli/commands.hpp"
#include "server/cli/password_input.hpp"
#include "server/cli/phone_input.hpp"

#include "server/app/open_store.hpp"
#include "server/auth/secrets.hpp"
#include "server/store/account_changes.hpp"
#include "server/store/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <iostream>

namespace ask::cli {
namespace {

// Runs `change` (returning a store::result) in one transaction: committed when it succeeds, rolled
// back when it fails, so a change and what it implies (the end of sessions, the rows deleted with a
// resident) are stored together or not at all.
template <class Change>
auto in_one_transaction(store::database& db, const config& cfg, Change change) -> decltype(change()) {
    value_or_throw(db.exec("BEGIN IMMEDIATE"), "cannot write database " + cfg.db_path);
    auto changed = change();
    if (!changed) {
        db.exec("ROLLBACK");
        return changed;
    }
    value_or_throw(db.exec("COMMIT"), "cannot write database " + cfg.db_path);
    return changed;
}

// Changes a staff account in one transaction; exit 1 with a message when there is no such account.
// `then` sees the changed account inside the transaction, for what the command reports beyond it.
template <class Change, class Then>
int change_staff(const config& cfg, const std::string& username, Change change, std::string_view done,
                 Then then) {
    auto db = open_store_to_change(cfg);
    auto staff = in_one_transaction(db, cfg, [&] {
        auto changed = change(db);
        if (changed)
            then(db, *changed);
        return changed;
    });
    if (!staff && staff.error() == store::errc::not_found) {
        std::cerr << "askd: no staff account named '" << username << "'\n";
        return 1;
    }
    value_or_throw(staff, "cannot change the staff account");
    std::cout << "staff " << staff->id << " (" << staff->username << ") " << done << "\n";
    return 0;
}

constexpr auto nothing_more = [](store::database&, const store::staff_record&) {};

// Where the config's escalation ladders name this username, for a warning.
std::vector<std::string> ladder_places(const config& cfg, const std::string& username) {
    std::vector<std::string> places;
    for_each_named_step(cfg, [&](const std::string& place, const std::vector<std::string>& usernames) {
        if (std::find(usernames.begin(), usernames.end(), username) != usernames.end())
            places.push_back(place);
    });
    return places;
}

} // namespace

int disable_staff(const config& cfg, const std::string& username) {
    auto disable = [&](store::database& db) { return store::disable_staff(db, username, wall_clock_ms()); };
    // What they had taken goes back to the queue by the serving askd (this command cannot change its queue):
    // say which, so that the office knows those residents wait again.
    std::vector<std::int64_t> held;
    auto list_held = [&](store::database& db, const store::staff_record& s) {
        held = value_or_throw(store::requests_held_by(db, s.id), "cannot read the requests they hold");
    };
    int code =
        change_staff(cfg, username, disable,
                     "disabled: cannot sign in, is off duty, gets no alert texts; open dashboards close "
                     "within seconds",
                     list_held);
    if (code != 0)
        return code;
    if (!held.empty())
        std::cerr << "askd: warning: " << username << " had taken open requests "
                  << fmt::format("#{}", fmt::join(held, ", #"))
                  << "; the serving askd gives them back to the queue within seconds (or as it starts), "
                     "where they ring on the dashboards again\n";
    for (const auto& place : ladder_places(cfg, username))
        std::cerr << "askd: warning: " << place << " names " << username
                  << ", who is no longer alerted there; remove the name\n";
    return 0;
}

int enable_staff(const config& cfg, const std::string& username) {
    auto enable = [&](store::database& db) { return store::enable_staff(db, username); };
    // While disabled, a text from their phone was anyone's: it may have made a placeholder resident with it.
    std::string sharing;
    auto find_sharing = [&](store::database& db, const store::staff_record& s) {
        sharing = residents_with_phone(db, s.phone);
    };
    int code = change_staff(cfg, username, enable,
                            "enabled: may sign in again (and goes on duty on their dashboard)", find_sharing);
    if (code == 0 && !sharing.empty())
        std::cerr << "askd: warning: their phone is also that of " << sharing
                  << ": texts from it are taken as " << username
                  << "'s replies again and make no request. If that record is theirs (\"Nieznany numer\"), "
                     "remove it once its requests are closed; otherwise give one of them another number\n";
    return code;
}

int replace_staff_password(const config& cfg, const std::string& username) {
    auto hash = auth::hash_password(password_from_stdin());
    auto replace = [&](store::database& db) { return store::replace_staff_password(db, username, hash); };
    return change_staff(
        cfg, username, replace,
        "has a new password; every sign-in from before it ended (open dashboards close within "
        "seconds)",
        nothing_more);
}

int new_resident_token(const config& cfg, std::int64_t resident_id) {
    auto db = open_store_to_change(cfg);
    auto token = auth::new_token();
    auto set = store::set_resident_token(db, resident_id, auth::token_hash(token));
    if (!set && set.error() == store::errc::not_found) {
        std::cerr << "askd: no resident with id " << resident_id << "\n";
        return 1;
    }
    value_or_throw(std::move(set), "cannot give the resident a new token");
    std::cout << "resident " << resident_id
              << ": the old link no longer works (open pages close within seconds; a button device set up "
                 "with the old token must be given the new one)\n"
              << "access token (shown once; the page link is /r#TOKEN):\n"
              << token << "\n";
    return 0;
}

int remove_resident(const config& cfg, std::int64_t resident_id) {
    auto db = open_store_to_change(cfg);
    auto removed = in_one_transaction(db, cfg, [&] { return store::remove_resident(db, resident_id); });
    if (!removed && removed.error() == store::errc::not_found) {
        std::cerr << "askd: no resident with id " << resident_id << "\n";
        return 1;
    }
    if (!removed && removed.error() == store::errc::conflict) {
        std::cerr << "askd: resident " << resident_id
                  << " has an open request; resolve or cancel it first, then remove them\n";
        return 1;
    }
    value_or_throw(removed, "cannot remove the resident");
    std::cout << "resident " << resident_id << " removed, with " << removed->requests
              << " closed requests and their histories, and the record of staff shown their details\n";
    return 0;
}

} // namespace ask::cli
