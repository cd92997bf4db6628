#include "server/cli/commands.hpp"

#include "gateways/phone_number.hpp"
#include "server/auth/secrets.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"
#include "server/store/migrations.hpp"

#include <fmt/format.h>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <stdexcept>

namespace ask::cli {
namespace {

constexpr std::size_t min_password_chars = 10;

protocol::millis now_ms() {
    using namespace std::chrono;
    return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

template <class T>
T must(store::result<T> r, std::string_view what) {
    if (!r)
        throw std::runtime_error(fmt::format("{}: {}", what, r.error().message()));
    if constexpr (!std::is_void_v<T>)
        return std::move(*r);
}

// Opens the store the same way the server does, and finds the office (registering the config's offices first).
struct opened {
    store::database db;
    std::int64_t office_id;
};
opened open_for_office(const config& cfg, const std::string& slug) {
    auto dir = std::filesystem::path(cfg.db_path).parent_path();
    if (!dir.empty())
        std::filesystem::create_directories(dir);
    store::open_options opts;
    opts.busy_timeout_ms = cfg.busy_timeout_ms;
    auto db = must(store::database::open(cfg.db_path, opts), "cannot open database " + cfg.db_path);
    must(store::migrate(db), "cannot migrate database");
    std::int64_t office_id = 0;
    for (const auto& office : cfg.offices) {
        auto id = must(store::upsert_office(db, office.slug, office.name, office.time_zone), "cannot register office");
        if (office.slug == slug || (slug.empty() && office_id == 0))
            office_id = id;
    }
    if (office_id == 0)
        throw config_error(fmt::format("--office: no office '{}' in the configuration", slug));
    return {std::move(db), office_id};
}

std::string phone_or_throw(const std::string& phone) {
    if (phone.empty())
        return {};
    auto normal = gateways::normalise_phone(phone);
    if (!normal)
        throw config_error(fmt::format("--phone: '{}' is not a phone number (e.g. +48 600 100 200)", phone));
    return *normal;
}

} // namespace

int add_staff(const config& cfg, const staff_options& o) {
    auto role = protocol::staff_role_from_string(o.role);
    if (!role)
        throw config_error("--role: must be staff, coordinator or admin");
    std::string password;
    std::getline(std::cin, password);
    if (password.size() < min_password_chars)
        throw config_error(fmt::format("password (stdin): must be at least {} characters", min_password_chars));

    auto [db, office_id] = open_for_office(cfg, o.office);
    store::staff_record s;
    s.office_id = office_id;
    s.username = o.username;
    s.display_name = o.name;
    s.role = *role;
    s.phone = phone_or_throw(o.phone);
    auto id = store::add_staff(db, s, auth::hash_password(password), now_ms());
    if (!id && id.error() == store::errc::constraint)
        throw config_error(fmt::format("--username: '{}' is already taken", o.username));
    std::cout << "staff " << must(std::move(id), "cannot add staff") << " added: " << o.username << "\n";
    return 0;
}

int add_resident(const config& cfg, const resident_options& o) {
    auto [db, office_id] = open_for_office(cfg, o.office);
    store::resident_record r;
    r.office_id = office_id;
    r.name = o.name;
    r.phone = phone_or_throw(o.phone);
    r.address = o.address;
    r.needs = o.needs;
    auto token = auth::new_token();
    auto id = must(store::add_resident(db, r, auth::token_hash(token), now_ms()), "cannot add resident");
    std::cout << "resident " << id << " added: " << o.name << "\n"
              << "access token (shown once; the page link is /r#TOKEN):\n"
              << token << "\n";
    return 0;
}

} // namespace ask::cli
