#include "server/app/open_store.hpp"

#include "server/store/accounts.hpp"
#include "server/store/migrations.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <string>
#include <vector>

namespace ask {

store::database open_store(const config& cfg) {
    auto dir = std::filesystem::path(cfg.db_path).parent_path();
    if (!dir.empty())
        std::filesystem::create_directories(dir);
    store::open_options opts;
    opts.busy_timeout_ms = cfg.busy_timeout_ms;
    auto db = value_or_throw(store::database::open(cfg.db_path, opts), "cannot open database " + cfg.db_path);
    value_or_throw(store::migrate(db), "cannot migrate database " + cfg.db_path);
    for (const auto& office : cfg.offices)
        value_or_throw(store::upsert_office(db, office.slug, office.name, office.time_zone),
                       "cannot register office " + office.slug);
    return db;
}

namespace {

store::database open_existing(const config& cfg) {
    store::open_options opts;
    opts.busy_timeout_ms = cfg.busy_timeout_ms;
    opts.create = false;
    auto db = value_or_throw(store::database::open(cfg.db_path, opts), "cannot open database " + cfg.db_path);
    if (value_or_throw(store::user_version(db), "cannot read database " + cfg.db_path) !=
        store::schema_version())
        throw std::runtime_error(
            fmt::format("database {} is not at schema version {}, this askd's: run the askd "
                        "that serves it",
                        cfg.db_path, store::schema_version()));
    return db;
}

} // namespace

store::database open_store_to_read(const config& cfg) {
    auto db = open_existing(cfg);
    value_or_throw(db.exec("PRAGMA query_only=1"), "cannot open database " + cfg.db_path + " to read");
    return db;
}

store::database open_store_to_change(const config& cfg) {
    return open_existing(cfg);
}

std::int64_t office_id(store::database& db, const config& cfg, const std::string& slug) {
    const std::string& wanted = slug.empty() ? cfg.offices.front().slug : slug;
    auto office = value_or_throw(store::find_office(db, wanted), "cannot read offices");
    if (!office)
        throw config_error(fmt::format("--office: no office '{}' in the configuration", wanted));
    return office->id;
}

void for_each_named_step(
    const config& cfg,
    const std::function<void(const std::string& place, const std::vector<std::string>& usernames)>& visit) {
    auto walk = [&](const engine::ladder_policy& ladder, std::string_view which) {
        for (std::size_t i = 0; i < ladder.steps.size(); ++i)
            if (!ladder.steps[i].usernames.empty())
                visit(fmt::format("escalation.{}.steps[{}].staff", which, i), ladder.steps[i].usernames);
    };
    walk(cfg.escalation.urgent, "urgent");
    walk(cfg.escalation.normal, "normal");
}

void check_named_staff(store::database& db, const config& cfg) {
    for_each_named_step(cfg, [&](const std::string& place, const std::vector<std::string>& usernames) {
        std::vector<std::string> missing;
        for (const auto& username : usernames) {
            auto found =
                value_or_throw(store::find_staff_by_username(db, username), "cannot read staff accounts");
            if (!found)
                missing.push_back(username);
            else if (found->staff.disabled) // left the office: the step goes on without them
                spdlog::warn("{}: {} is disabled and is not alerted; remove them from the list", place,
                             username);
        }
        if (!missing.empty())
            throw config_error(fmt::format("{}: no staff account named {}; add it with `askd staff add "
                                           "--username …` or correct the list",
                                           place, fmt::join(missing, ", ")));
    });
}

} // namespace ask
