#include "gateways/sms_encoding.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <utility>

namespace ask::gateways {
namespace {

constexpr char32_t invalid = U'\uFFFD';

// GSM 03.38 default alphabet (beyond ASCII letters and digits, which are all in it) and its extension table.
constexpr std::u32string_view gsm_basic =
    U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà";
constexpr std::u32string_view gsm_extension = U"\f^{}\\[~]|€";

// Decodes one code point of well-formed UTF-8 (no overlong forms, surrogates or values past
// U+10FFFF); anything else comes back as U+FFFD standing for one byte.
char32_t next(std::string_view s, std::size_t& i) {
    auto c = static_cast<unsigned char>(s[i]);
    int len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + static_cast<std::size_t>(len) > s.size()) {
        ++i;
        return invalid;
    }
    char32_t cp = len == 1 ? c : c & (0x7F >> len);
    for (int k = 1; k < len; ++k) {
        auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return invalid;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    constexpr char32_t smallest[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < smallest[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return invalid;
    }
    i += static_cast<std::size_t>(len);
    return cp;
}

constexpr int septets_by_search(char32_t cp) {
    if ((cp >= U'A' && cp <= U'Z') || (cp >= U'a' && cp <= U'z') || (cp >= U'0' && cp <= U'9'))
        return 1;
    if (gsm_basic.find(cp) != std::u32string_view::npos)
        return 1;
    if (gsm_extension.find(cp) != std::u32string_view::npos)
        return 2;
    return 0;
}

// Most of a text is ASCII: its characters' costs are looked up, not searched for.
constexpr std::array<std::int8_t, 128> ascii_septets = [] {
    std::array<std::int8_t, 128> costs{};
    for (char32_t c = 0; c < 128; ++c)
        costs[c] = static_cast<std::int8_t>(septets_by_search(c));
    return costs;
}();

int septets(char32_t cp) { return cp < 128 ? ascii_septets[cp] : septets_by_search(cp); }

constexpr std::array<std::pair<std::string_view, char>, 18> polish{{
    {"ą", 'a'}, {"ć", 'c'}, {"ę", 'e'}, {"ł", 'l'}, {"ń", 'n'}, {"ó", 'o'}, {"ś", 's'}, {"ź", 'z'}, {"ż", 'z'},
    {"Ą", 'A'}, {"Ć", 'C'}, {"Ę", 'E'}, {"Ł", 'L'}, {"Ń", 'N'}, {"Ó", 'O'}, {"Ś", 'S'}, {"Ź", 'Z'}, {"Ż", 'Z'},
}};
constexpr bool polish_lead(unsigned char b) { return b >= 0xC3 && b <= 0xC5; }
static_assert(std::all_of(polish.begin(), polish.end(), [](const auto& p) { return polish_lead(p.first[0]); }),
              "transliterate_polish passes over any byte that no Polish letter starts with");

} // namespace

sms_encoding measure(std::string_view utf8) {
    sms_encoding e;
    std::size_t gsm = 0;
    std::size_t utf16 = 0;
    bool all_gsm = true;
    for (std::size_t i = 0; i < utf8.size();) {
        char32_t cp = next(utf8, i);
        ++e.characters;
        utf16 += cp > 0xFFFF ? 2 : 1;
        int cost = septets(cp);
        all_gsm = all_gsm && cost > 0;
        gsm += static_cast<std::size_t>(cost);
    }
    e.ucs2 = !all_gsm;
    e.units = e.ucs2 ? utf16 : gsm;
    std::size_t single = e.ucs2 ? 70 : 160;
    std::size_t part = e.ucs2 ? 67 : 153;
    e.segments = e.units <= single ? 1 : (e.units + part - 1) / part;
    return e;
}

std::string valid_utf8(std::string_view bytes) {
    std::string out;
    out.reserve(bytes.size());
    for (std::size_t i = 0; i < bytes.size();) {
        std::size_t start = i;
        if (next(bytes, i) == invalid && bytes.substr(start, 3) != "\xEF\xBF\xBD")
            out += "\xEF\xBF\xBD";
        else
            out += bytes.substr(start, i - start);
    }
    return out;
}

std::string transliterate_polish(std::string_view utf8) {
    std::string out;
    out.reserve(utf8.size());
    for (std::size_t i = 0; i < utf8.size();) {
        if (!polish_lead(static_cast<unsigned char>(utf8[i]))) {
            out += utf8[i++];
            continue;
        }
        bool replaced = false;
        for (const auto& [from, to] : polish) {
            if (utf8.substr(i, from.size()) == from) {
                out += to;
                i += from.size();
                replaced = true;
                break;
            }
        }
        if (!replaced)
            out += utf8[i++];
    }
    return out;
}

} // namespace ask::gateways
