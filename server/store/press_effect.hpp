// What storing a resident's press would do, read without writing anything: the press allowance
// (app/press_guard.hpp) asks it for a press past the allowance, so that one refused costs a read
// and no commit (a stuck button must not make every press a write to disk).
#pragma once

#include "server/store/database.hpp"

#include <cstdint>
#include <string>

namespace ask::store {

enum class press_effect {
    retry,  ///< its client_request_id is known (its request, or a press merged before): nothing new
    repeat, ///< the resident has an open request: it would be merged into it
    create, ///< it would make a new request
};

/// As store::submit_request would judge the resident's press with this client_request_id ("" for none)
/// at this moment: a retry is told by its key as submit_request tells it, then an open request makes
/// it a repeat. Run in the store job that then stores it or not, so nothing changes in between.
result<press_effect> press_effect_of(database&, std::int64_t resident_id,
                                     const std::string& client_request_id);

} // namespace ask::store
