// What the texts askd keeps for staff (store/staff_texts.hpp) say, and whether one still says something
// true when it is sent again. Pure: no I/O.
#pragma once

#include "protocol/types.hpp"
#include "server/store/requests.hpp"
#include "server/store/staff_texts.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace ask {

/// "Jan Nowak" → "Jan N.": enough to recognise the caller, not a full identity in a text (RODO).
std::string short_name(const std::string& full);

/// Who has taken the request; none while it waits.
std::optional<std::int64_t> holder_of(const store::request_record& r);

/// Whether a kept text (store::unsent_staff_text) about `r` still says something true: the request is at
/// the stage it was decided in (waiting to be taken, or the same state with the same person holding it), the
/// member's account was not found gone (as askd started), and the office is still open for a ladder step's
/// text, still closed for the after-hours phone's.
bool staff_text_still_true(const store::unsent_staff_text&, const store::request_record& r, bool office_open);

/// What a kept text about `r` says at `now`: short, and with no health details or message text, since a
/// staff phone is not a secure place. For a request waiting to be taken: how long it has waited and how to
/// take it (the reply codes where a reply is taken as staff's, else the dashboard); for a taken one: how long
/// ago it came and the text's situation, and to its holder alone how to close it (others are pointed to the
/// dashboard).
std::string staff_text(const store::unsent_staff_text&, const store::request_record& r, protocol::millis now);

} // namespace ask
