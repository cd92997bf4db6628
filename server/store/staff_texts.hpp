// Texts to staff phones, and to an office's after-hours phone, that a ladder decided (app/escalator.cpp):
// each is kept in the commit that records the decision and forgotten once the provider has taken it or
// refused it for good. One still kept as askd starts was cut off by askd stopping or dying before
// then, and is sent again (escalator::resume_texts). So such a text goes out at least once: a crash
// after the provider took it and before it was forgotten sends it twice, which a staff phone can bear
// better than a coordinator who never hears of a request.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

struct unsent_staff_text {
    std::int64_t id = 0; ///< set by keep_staff_text
    std::int64_t request_id = 0;
    std::optional<std::int64_t> staff_id; ///< nullopt: the office's after-hours phone
    std::string phone;                    ///< E.164
    std::string situation;                ///< what the text says of the request: "czeka na przyjęcie"…
    bool about_waiting = true;            ///< about a request awaiting acceptance; false: one taken
    bool staff_gone = false;              ///< read only: the member's account is disabled or removed
};

/// Keeps `text` (its id is ignored) and returns the id it got. Part of the decision's transaction.
result<std::int64_t> keep_staff_text(database&, const unsent_staff_text& text, protocol::millis now);

/// Forgets a kept text: the provider took it, or refused it for good (the request's history says which).
result<void> forget_staff_text(database&, std::int64_t id);

/// Every kept text, oldest first, with `staff_gone` read from the staff table.
result<std::vector<unsent_staff_text>> unsent_staff_texts(database&);

} // namespace ask::store
