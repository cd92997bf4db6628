// Phone numbers in one form, E.164 ("+48600100200"), so an SMS sender finds its resident
// and a staff phone is recognised whichever way it was typed. Pure.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ask::gateways {

/// Normalises a phone number. Accepts "+48 600 100 200", "0048600100200", "48600100200",
/// "600-100-200" and "(+48) 600100200" (spaces, dashes, dots and parentheses are ignored);
/// nine national digits are taken as Polish. Other countries need "+" or "00".
/// nullopt when the result is not 8 to 15 digits after "+".
std::optional<std::string> normalise_phone(std::string_view input);

/// The last three characters of a number (all of a shorter one), as logs and request histories name a
/// phone: enough to tell two apart, not a phone book.
std::string phone_tail(std::string_view phone);

} // namespace ask::gateways
