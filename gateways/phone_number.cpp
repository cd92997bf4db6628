#include "gateways/phone_number.hpp"

namespace ask::gateways {

std::optional<std::string> normalise_phone(std::string_view input) {
    std::string digits;
    bool plus = false;
    for (char c : input) {
        if (c >= '0' && c <= '9') {
            digits += c;
        } else if (c == '+' && digits.empty() && !plus) {
            plus = true;
        } else if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
            return std::nullopt;
        }
    }
    if (!plus && digits.starts_with("00"))
        digits.erase(0, 2);
    else if (!plus && digits.size() == 9)
        digits.insert(0, "48"); // a Polish national number
    else if (!plus && !(digits.size() == 11 && digits.starts_with("48")))
        return std::nullopt; // without a country code only Polish numbers are unambiguous
    if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0')
        return std::nullopt;
    return "+" + digits;
}

std::string phone_tail(std::string_view phone) {
    return std::string(phone.size() > 3 ? phone.substr(phone.size() - 3) : phone);
}

} // namespace ask::gateways
