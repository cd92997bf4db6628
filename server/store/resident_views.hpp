// Who of the staff was shown a resident's card: their name, phone, address and needs, which reach a
// dashboard in its alerts (RODO art. 9: health needs are special-category data, and the office must
// be able to say who saw them). One row per staff member, resident and UTC day, with the first moment
// of that day; app/view_log.hpp decides what is recorded. All functions run on the store thread.
#pragma once

#include "protocol/civil_time.hpp"
#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ask::store {

using protocol::millis;

/// A resident's card sent to a staff member's dashboard at `at`.
struct resident_view {
    std::int64_t staff_id = 0;
    std::int64_t resident_id = 0;
    millis at = 0;
};

/// The UTC day of a moment, in days since 1970-01-01: the unit of one record.
inline std::int64_t view_day(millis at) {
    return protocol::floor_div(at, protocol::ms_per_day);
}

/// Records each view; a staff member's, resident's and day's first moment is kept, later ones of the
/// same day change nothing. A view of a resident or staff member no longer kept is skipped (a card may
/// be sent a moment before retention deletes a placeholder resident), so one cannot fail the batch.
result<void> record_views(database&, const std::vector<resident_view>&);

/// One day's record of a staff member shown the resident's card.
struct resident_view_record {
    std::int64_t staff_id = 0;
    std::string staff_username;
    std::string staff_name;
    protocol::staff_role staff_role = protocol::staff_role::staff;
    std::int64_t day = 0; ///< view_day()
    millis first_at = 0;
};

/// Every record of the resident, oldest day first.
result<std::vector<resident_view_record>> views_of_resident(database&, std::int64_t resident_id);

/// Deletes up to `batch` records of days that ended before `before`, oldest first; returns how many
/// went (fewer than `batch`: none is left).
result<int> forget_views_before(database&, millis before, int batch);

} // namespace ask::store
