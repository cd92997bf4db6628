#include "server/cli/phone_input.hpp"

#include "gateways/phone_number.hpp"
#include "server/app/open_store.hpp"
#include "server/config.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"

#include <fmt/format.h>

namespace ask::cli {

std::string phone_from_option(const std::string& phone) {
    if (phone.empty())
        return {};
    auto normal = gateways::normalise_phone(phone);
    if (!normal)
        throw config_error(fmt::format("--phone: '{}' is not a phone number (e.g. +48 600 100 200)", phone));
    return *normal;
}

void refuse_a_staff_phone(store::database& db, const std::string& phone) {
    if (phone.empty())
        return;
    for (const auto& s : value_or_throw(store::all_staff(db, 0), "cannot read staff"))
        if (s.phone == phone)
            throw config_error(fmt::format(
                "--phone: {} is the phone of staff member {}: a text from it is taken as their reply, so a "
                "resident with it could not ask for help by text. Take it off their account first (askd "
                "staff "
                "edit --username {} --phone \"\")",
                phone, s.username, s.username));
}

void refuse_a_resident_phone(store::database& db, const std::string& phone) {
    if (phone.empty())
        return;
    auto residents = value_or_throw(store::residents_by_phone(db, phone), "cannot read residents");
    if (residents.empty())
        return;
    const auto& r = residents.front();
    throw config_error(fmt::format(
        "--phone: {} is the phone of resident {} ({}): their texts would be taken as replies of this staff "
        "member and make no request. {}",
        phone, r.id, r.name,
        r.unknown_sender
            ? fmt::format("If it is the staff member's own number that once texted in, remove that "
                          "record first (askd resident remove --id {})",
                          r.id)
            : std::string("Give the staff member another number")));
}

} // namespace ask::cli
