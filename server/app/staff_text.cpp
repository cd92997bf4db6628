#include "server/app/staff_text.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace ask {

using protocol::millis;

std::string short_name(const std::string& full) {
    auto space = full.find(' ');
    if (space == std::string::npos || space + 1 >= full.size())
        return full;
    std::size_t len = 1;
    while (space + 1 + len < full.size() &&
           (static_cast<unsigned char>(full[space + 1 + len]) & 0xC0) == 0x80)
        ++len; // the whole first UTF-8 character of the surname
    return full.substr(0, space) + " " + full.substr(space + 1, len) + ".";
}

std::optional<std::int64_t> holder_of(const store::request_record& r) {
    return r.view.acknowledged_by ? std::optional(r.view.acknowledged_by->id) : std::nullopt;
}

std::string staff_text(const store::unsent_staff_text& text, const store::request_record& r, millis now) {
    auto minutes = std::max<millis>(0, now - r.view.created_at) / 60'000;
    auto level = r.view.level == protocol::priority::urgent ? "PILNE" : "zwykłe";
    auto id = r.view.id;
    // A number that wrote in is nobody's card yet: its placeholder name shortened would read "Nieznany n.".
    auto resident =
        r.view.resident.unknown_sender ? std::string("nieznany numer") : short_name(r.view.resident.name);
    if (protocol::awaiting_ack(text.decided_in)) {
        // Closing is not offered: of the several people a waiting request is texted to, one could take
        // "c" for "I am on it", and its resident would be left alone ("12c" is still understood).
        auto action = text.replies_taken ? fmt::format("Odpisz {}a, aby przyjąć.", id)
                                         : std::string("Przyjmij je w panelu ASK.");
        auto since = minutes == 0 ? std::string("od chwili") : fmt::format("od {} min", minutes);
        return fmt::format("ASK: {} zgłoszenie nr {} ({}) {} {}. {}", level, id, resident, text.situation,
                           since, action);
    }
    auto age = minutes == 0 ? std::string("sprzed chwili") : fmt::format("sprzed {} min", minutes);
    // Only the holder is offered closing: anyone may close a taken request by SMS, and a colleague asked
    // to help could take "c" for "I am on it".
    auto action = text.staff_id && text.staff_id == text.held_by ? fmt::format("Odpisz {}c, aby zamknąć.", id)
                                                                 : std::string("Szczegóły w panelu ASK.");
    return fmt::format("ASK: {} zgłoszenie nr {} ({}) {}: {}. {}", level, id, resident, age, text.situation,
                       action);
}

bool staff_text_still_true(const store::unsent_staff_text& text, const store::request_record& r,
                           bool office_open) {
    bool same_stage = protocol::awaiting_ack(text.decided_in)
                          ? protocol::awaiting_ack(r.view.state)
                          : r.view.state == text.decided_in && holder_of(r) == text.held_by;
    if (text.staff_gone || !same_stage)
        return false;
    switch (text.kind) {
    case store::staff_text_kind::step:
        return office_open; // closed, the ladder waits for the opening
    case store::staff_text_kind::after_hours:
        return !office_open;
    case store::staff_text_kind::follow_up:
    case store::staff_text_kind::by_hand:
        return true;
    }
    return false;
}

} // namespace ask
