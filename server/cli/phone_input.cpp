#include "server/cli/phone_input.hpp"

#include "gateways/phone_number.hpp"
#include "server/app/open_store.hpp"
#include "server/config.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ask::cli {

std::string phone_from_option(const std::string& phone) {
    if (phone.empty())
        return {};
    auto normal = gateways::normalise_phone(phone);
    if (!normal)
        throw config_error(fmt::format("--phone: '{}' is not a phone number (e.g. +48 600 100 200)", phone));
    return *normal;
}

void refuse_a_staff_phone(store::database& db, const std::string& phone, const std::string& what) {
    if (phone.empty())
        return;
    for (const auto& s : value_or_throw(store::all_staff(db, 0), "cannot read staff"))
        if (s.phone == phone)
            throw config_error(fmt::format(
                "{}: {} is the phone of staff member {}{}: a text from it is taken as their reply, so a "
                "resident "
                "with it could not ask for help by text. Take it off their account first (askd staff edit "
                "--username {} --phone \"\")",
                what, phone, s.username, s.disabled ? " (disabled, who may be enabled again)" : "",
                s.username));
}

std::string residents_with_phone(store::database& db, const std::string& phone) {
    if (phone.empty())
        return {};
    std::vector<std::string> named;
    for (const auto& r : value_or_throw(store::residents_by_phone(db, phone), "cannot read residents"))
        named.push_back(fmt::format("resident {} ({})", r.id, r.name));
    return fmt::format("{}", fmt::join(named, ", "));
}

void refuse_a_resident_phone(store::database& db, const std::string& phone) {
    auto residents = residents_with_phone(db, phone);
    if (residents.empty())
        return;
    throw config_error(fmt::format(
        "--phone: {} is the phone of {}: their texts would be taken as replies of this staff member and make "
        "no request. Give the staff member another number, or, if it is their own number that texted in "
        "(\"Nieznany numer\"), remove that record once its requests are closed (askd resident remove --id N)",
        phone, residents));
}

} // namespace ask::cli
