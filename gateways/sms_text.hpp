// What a text says, as far as ASK must understand it without a person. Pure.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ask::gateways {

/// PILNE, SOS or POMOC (and their forms: pilny, pilna, pomocy, …) as a word, in any case, with or
/// without Polish letters: the resident means urgent.
bool means_urgent(std::string_view text);

enum class opt_command { none, stop, start };
/// The whole text is STOP or START (any case, surrounding spaces and punctuation ignored).
opt_command parse_opt_command(std::string_view text);

/// A staff member's answer to an alert text, as GoAlert reads them (sms-gateways.md 1, table row 6):
/// "123a" acknowledge, "123c" close (resolve), "123e" escalate; "a" / "c" alone mean the latest
/// request texted to them. Spaces, quotes and case are ignored. Anything else is nullopt.
struct staff_reply {
    enum class kind { acknowledge, resolve, escalate } what;
    std::optional<std::int64_t> request_id; ///< nullopt: the latest
};
std::optional<staff_reply> parse_staff_reply(std::string_view text);

} // namespace ask::gateways
