// How a text travels as SMS: GSM-7 when every character is in the GSM 03.38 alphabet (extension
// characters cost two septets), otherwise UCS-2; one part holds 160/70, a multi-part text 153/67
// per part (sms-gateways.md 6). No Polish letter is in GSM-7, so one "ą" makes the whole text
// UCS-2: never replaced by "?". Transliteration is only done when an office asks for it. Pure.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ask::gateways {

struct sms_encoding {
    bool ucs2 = false;
    std::size_t characters = 0; ///< Unicode code points
    std::size_t units = 0;      ///< GSM-7 septets, or UTF-16 code units for UCS-2
    std::size_t segments = 0;   ///< parts the text is sent in (1 for an empty text)
};

/// Measures UTF-8 text. GSM-7 counts septets (basic table 1, extension table 2), UCS-2 counts
/// UTF-16 code units (a character outside the BMP is a surrogate pair: 2); one part holds 160/70,
/// more parts 153/67 each. An invalid byte counts as one UCS-2 character (U+FFFD).
sms_encoding measure(std::string_view utf8);

/// The bytes as well-formed UTF-8: each byte that does not start a well-formed sequence becomes
/// U+FFFD. What providers hand us goes through this before it reaches JSON, SQLite or a browser.
std::string valid_utf8(std::string_view bytes);

/// ą→a, ć→c, ę→e, ł→l, ń→n, ó→o, ś→s, ź→z, ż→z and their capitals; everything else unchanged.
std::string transliterate_polish(std::string_view utf8);

} // namespace ask::gateways
