// Who looked at a resident's details (RODO art. 9: their needs and address are health data, and access
// to them is accounted for): a row each time a member of staff opened one of the resident's requests,
// its details or its history. The resident's export lists them (cli: resident export); they are
// deleted after [privacy] keep_closed_days, like closed requests, and with a resident who is deleted.
// Not counted: the alert cards the dashboards of on-duty staff are sent, which are how the work is done.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace ask::store {

struct resident_view {
    protocol::millis at = 0;
    std::int64_t request_id = 0;
    std::int64_t staff_id = 0;
    std::string staff_name;
};

result<void> record_view(database&, std::int64_t resident_id, std::int64_t staff_id, std::int64_t request_id,
                         protocol::millis at);
/// The looks at this resident's details, oldest first.
result<std::vector<resident_view>> views_of_resident(database&, std::int64_t resident_id);
/// Forgets the looks recorded before `cutoff`; returns how many.
result<int> forget_views_before(database&, protocol::millis cutoff);

} // namespace ask::store
