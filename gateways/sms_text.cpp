#include "gateways/sms_text.hpp"

#include "gateways/sms_encoding.hpp"

#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace ask::gateways {
namespace {

// Lowercase ASCII words of the text, Polish letters folded to their base letters.
std::vector<std::string> words(std::string_view text) {
    std::string folded = transliterate_polish(text);
    std::vector<std::string> out;
    std::string word;
    for (unsigned char c : folded) {
        if (std::isalnum(c)) {
            word += static_cast<char>(std::tolower(c));
        } else if (!word.empty()) {
            out.push_back(std::move(word));
            word.clear();
        }
    }
    if (!word.empty())
        out.push_back(std::move(word));
    return out;
}

std::string_view trim(std::string_view s, std::string_view junk) {
    while (!s.empty() && junk.find(s.front()) != std::string_view::npos)
        s.remove_prefix(1);
    while (!s.empty() && junk.find(s.back()) != std::string_view::npos)
        s.remove_suffix(1);
    return s;
}

} // namespace

bool means_urgent(std::string_view text) {
    for (const auto& w : words(text)) {
        if (w == "sos" || w.starts_with("pomoc") || w == "pilne" || w == "pilny" || w == "pilna" || w == "pilnie")
            return true;
    }
    return false;
}

opt_command parse_opt_command(std::string_view text) {
    auto w = words(trim(text, " \t\r\n.!'\""));
    if (w.size() != 1)
        return opt_command::none;
    if (w[0] == "stop")
        return opt_command::stop;
    if (w[0] == "start")
        return opt_command::start;
    return opt_command::none;
}

std::optional<staff_reply> parse_staff_reply(std::string_view text) {
    auto t = trim(text, " \t\r\n'\"");
    if (t.empty() || t.size() > 24)
        return std::nullopt;
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits])))
        ++digits;
    auto rest = trim(t.substr(digits), " \t");
    if (rest.size() != 1)
        return std::nullopt;
    char letter = static_cast<char>(std::tolower(static_cast<unsigned char>(rest[0])));
    staff_reply r{staff_reply::kind::acknowledge, std::nullopt};
    if (letter == 'a')
        r.what = staff_reply::kind::acknowledge;
    else if (letter == 'c')
        r.what = staff_reply::kind::resolve;
    else if (letter == 'e' && digits > 0)
        r.what = staff_reply::kind::escalate;
    else
        return std::nullopt;
    if (digits > 0) {
        std::int64_t id = 0;
        auto [end, ec] = std::from_chars(t.data(), t.data() + digits, id);
        if (ec != std::errc{} || id <= 0)
            return std::nullopt;
        r.request_id = id;
    }
    return r;
}

} // namespace ask::gateways
