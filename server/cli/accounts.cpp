#include "server/cli/commands.hpp"

#include "gateways/phone_number.hpp"
#include "server/app/open_store.hpp"
#include "server/auth/secrets.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"

#include <fmt/format.h>

#include <iostream>

namespace ask::cli {
namespace {

constexpr std::size_t min_password_chars = 10;

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

    auto db = open_store(cfg);
    store::staff_record s;
    s.office_id = office_id(db, cfg, o.office);
    s.username = o.username;
    s.display_name = o.name;
    s.role = *role;
    s.phone = phone_or_throw(o.phone);
    auto id = store::add_staff(db, s, auth::hash_password(password), wall_clock_ms());
    if (!id && id.error() == store::errc::constraint)
        throw config_error(fmt::format("--username: '{}' is already taken", o.username));
    std::cout << "staff " << value_or_throw(std::move(id), "cannot add staff") << " added: " << o.username << "\n";
    return 0;
}

int add_resident(const config& cfg, const resident_options& o) {
    auto db = open_store(cfg);
    store::resident_record r;
    r.office_id = office_id(db, cfg, o.office);
    r.name = o.name;
    r.phone = phone_or_throw(o.phone);
    r.address = o.address;
    r.needs = o.needs;
    auto token = auth::new_token();
    auto id = value_or_throw(store::add_resident(db, r, auth::token_hash(token), wall_clock_ms()), "cannot add resident");
    std::cout << "resident " << id << " added: " << o.name << "\n"
              << "access token (shown once; the page link is /r#TOKEN):\n"
              << token << "\n";
    return 0;
}

} // namespace ask::cli
