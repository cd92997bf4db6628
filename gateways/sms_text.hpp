// What a text says, as far as ASK must understand it without a person. Pure. Every function
// reads at most max_read_bytes of its input (an SMS is at most 1600 characters, sms-gateways.md 1.1).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ask::gateways {

inline constexpr std::size_t max_read_bytes = 8 * 1024;

/// True when the text contains, as a whole word in any case and with or without Polish letters
/// (ą or a, also decomposed accents): SOS (also "S.O.S"); PILNE and the other forms of the
/// adjective "pilny" and the adverb "pilnie" (pilny, pilna, pilnego, pilnej, …); POMOC and its
/// case forms (pomocy, pomocą, …), which also covers the verb "pomóc", and the imperative
/// "pomóż"/"pomóżcie"; RATUNKU, ratunek, ratuj, ratujcie; and in English HELP, URGENT(LY), EMERGENCY.
/// Words that only start the same way ("pomocnik", "pilnować", "sosna", "ratunkowy", "helpful") do not count.
bool means_urgent(std::string_view text);

/// The first `limit` code points of a valid UTF-8 text (all of it when shorter): a text cut to what a
/// request's message keeps.
std::string clip_text(std::string_view utf8, std::size_t limit);

enum class opt_command { none, stop, start };
/// The whole text is STOP or START (any case; spaces, quotes and . ! around it ignored).
opt_command parse_opt_command(std::string_view text);

/// A staff member's answer to an alert text, GoAlert's grammar (anchors-features.md, "Reply regexes":
/// `^'?\s*([0-9]+)\s*(c|a)\s*'?$`) plus `e`: "123a" acknowledge, "123c" close (resolve), "123e"
/// escalate; "a" or "c" alone mean the latest request texted to them. Any case, spaces around and
/// between, one quote (' " or a typographic one) at either end. Anything else, an id of 0 or one
/// that does not fit in 64 bits is nullopt.
struct staff_reply {
    enum kind { acknowledge, resolve, escalate } what;
    std::optional<std::int64_t> request_id; ///< nullopt: the latest
};
std::optional<staff_reply> parse_staff_reply(std::string_view text);

} // namespace ask::gateways
