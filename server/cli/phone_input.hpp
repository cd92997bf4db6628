// How the account commands take a phone number: as people write it ("600 100 200", "+48 600-100-200"),
// stored in E.164 (gateways::normalise_phone), so that texts from the number find the account; and the one
// rule between staff and residents: a number is one or the other. A text from a staff member's number is
// read as their reply (sms/inbound.cpp), never as a request, so a resident sharing it could not ask for
// help by text.
#pragma once

#include "server/store/database.hpp"

#include <string>

namespace ask::cli {

/// "" for "" (no number). @throws config_error naming --phone when it is not a phone number.
std::string phone_from_option(const std::string& phone);

/// @throws config_error naming the account when a staff account (disabled ones too: they may be enabled
/// again) has `phone` (E.164; "" passes). `what` names the option or record the number comes from.
void refuse_a_staff_phone(store::database&, const std::string& phone, const std::string& what = "--phone");
/// @throws config_error naming --phone and the residents when a resident has `phone` (E.164; "" passes).
void refuse_a_resident_phone(store::database&, const std::string& phone);
/// The residents with `phone`, as "resident 7 (Jan Kowalski), resident 9 (...)"; "" when none.
std::string residents_with_phone(store::database&, const std::string& phone);

} // namespace ask::cli
