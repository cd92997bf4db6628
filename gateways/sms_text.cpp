#include "gateways/sms_text.hpp"

#include "gateways/sms_encoding.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <string>
#include <vector>

namespace ask::gateways {
namespace {

// Lowercase ASCII words of the text: Polish letters folded to their base letters, combining
// accents (U+0300–U+036F, UTF-8 CC 80 to CD AF) dropped, anything else not a letter or digit separates.
std::vector<std::string> words(std::string_view text) {
    std::string folded = transliterate_polish(text.substr(0, max_read_bytes));
    std::vector<std::string> out;
    std::string word;
    for (std::size_t i = 0; i < folded.size(); ++i) {
        auto c = static_cast<unsigned char>(folded[i]);
        auto n = i + 1 < folded.size() ? static_cast<unsigned char>(folded[i + 1]) : 0;
        if ((c == 0xCC && n >= 0x80 && n <= 0xBF) || (c == 0xCD && n >= 0x80 && n <= 0xAF)) {
            ++i;
        } else if (std::isalnum(c)) {
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

constexpr std::array<std::string_view, 28> urgent_words{
    "sos",
    // ratunku! (the Polish cry for help), ratunek, ratuj, ratujcie
    "ratunku", "ratunek", "ratuj", "ratujcie",
    // English, which the resident's page offers too
    "help", "urgent", "urgently", "emergency",
    // pilny (urgent), every case and gender, and the adverb pilnie
    "pilny", "pilna", "pilne", "pilni", "pilnego", "pilnej", "pilnemu", "pilnym", "pilnych", "pilnymi",
    "pilnie",
    // pomoc (help): pomoc, pomocy, pomocą, pomocom, pomocami, pomocach; pomóż, pomóżcie
    "pomoc", "pomocy", "pomoca", "pomocom", "pomocami", "pomocach", "pomoz", "pomozcie"};

bool urgent_word(std::string_view w) { return std::find(urgent_words.begin(), urgent_words.end(), w) != urgent_words.end(); }

bool space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && space(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && space(s.back()))
        s.remove_suffix(1);
    return s;
}

// Removes one quote, ASCII or typographic (‘ ’ “ ” „), from the front or the back.
constexpr std::array<std::string_view, 7> quotes{"'", "\"", "\u2018", "\u2019", "\u201C", "\u201D", "\u201E"};
std::string_view unquote_front(std::string_view s) {
    for (auto q : quotes)
        if (s.starts_with(q))
            return s.substr(q.size());
    return s;
}
std::string_view unquote_back(std::string_view s) {
    for (auto q : quotes)
        if (s.ends_with(q))
            return s.substr(0, s.size() - q.size());
    return s;
}

} // namespace

std::string clip_text(std::string_view utf8, std::size_t limit) {
    std::size_t points = 0;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        if ((static_cast<unsigned char>(utf8[i]) & 0xC0) != 0x80 && points++ == limit)
            return std::string(utf8.substr(0, i));
    }
    return std::string(utf8);
}

bool means_urgent(std::string_view text) {
    auto w = words(text);
    for (std::size_t i = 0; i < w.size(); ++i) {
        if (urgent_word(w[i]))
            return true;
        if (i + 2 < w.size() && w[i] == "s" && w[i + 1] == "o" && w[i + 2] == "s") // S.O.S, S O S
            return true;
    }
    return false;
}

opt_command parse_opt_command(std::string_view text) {
    if (text.size() > 64)
        return opt_command::none;
    auto w = words(text);
    if (w.size() != 1)
        return opt_command::none;
    for (char c : text) // only the word, spaces, quotes and . !
        if (!std::isalpha(static_cast<unsigned char>(c)) && !space(c) && std::string_view(".!'\"").find(c) == std::string_view::npos)
            return opt_command::none;
    if (w[0] == "stop")
        return opt_command::stop;
    if (w[0] == "start")
        return opt_command::start;
    return opt_command::none;
}

std::optional<staff_reply> parse_staff_reply(std::string_view text) {
    if (text.size() > 64)
        return std::nullopt;
    auto t = trim_spaces(unquote_back(unquote_front(trim_spaces(text))));
    std::size_t digits = 0;
    while (digits < t.size() && std::isdigit(static_cast<unsigned char>(t[digits])))
        ++digits;
    auto rest = trim_spaces(t.substr(digits));
    if (rest.size() != 1)
        return std::nullopt;
    staff_reply r{staff_reply::acknowledge, std::nullopt};
    switch (std::tolower(static_cast<unsigned char>(rest[0]))) {
    case 'a': r.what = staff_reply::acknowledge; break;
    case 'c': r.what = staff_reply::resolve; break;
    case 'e':
        if (digits == 0)
            return std::nullopt; // escalating "the latest" is too easy to send by mistake
        r.what = staff_reply::escalate;
        break;
    default: return std::nullopt;
    }
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
