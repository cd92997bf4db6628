// How the account commands take a phone number: as people write it ("600 100 200", "+48 600-100-200"),
// stored in E.164 (gateways::normalise_phone), so that texts from the number find the account.
#pragma once

#include <string>

namespace ask::cli {

/// "" for "" (no number). @throws config_error naming --phone when it is not a phone number.
std::string phone_from_option(const std::string& phone);

} // namespace ask::cli
