#include "server/store/press_effect.hpp"

#include "server/store/sql.hpp"

#include <optional>

namespace ask::store {
namespace {

// ?2 is NULL for a press without a key, which is then never a retry. The keyed parts match what
// submit_request looks up: the key's own request, then a `repeated` event that carries the key.
const std::string select_press_effect =
    "SELECT CASE WHEN ?2 IS NOT NULL AND ("
    "EXISTS (SELECT 1 FROM requests WHERE resident_id = ?1 AND client_request_id = ?2) OR "
    "EXISTS (SELECT 1 FROM request_events AS e JOIN requests AS r ON r.id = e.request_id "
    "WHERE r.resident_id = ?1 AND r.repeat_count > 0 AND e.kind = 'repeated' "
    "AND json_extract(e.detail, '$.request_id') = ?2)) THEN 0 "
    "WHEN EXISTS (SELECT 1 FROM requests WHERE resident_id = ?1 AND state NOT IN ('resolved', 'cancelled')) "
    "THEN 1 ELSE 2 END";

} // namespace

result<press_effect> press_effect_of(database& db, std::int64_t resident_id,
                                     const std::string& client_request_id) {
    auto found = one<std::int64_t>(
        db, select_press_effect,
        [&](statement& s) {
            s.bind(1, resident_id);
            if (client_request_id.empty())
                s.bind(2, std::nullopt);
            else
                s.bind(2, std::string_view(client_request_id));
        },
        [](const statement& s) { return s.column_int(0); });
    if (!found)
        return found.error();
    switch (found->value_or(2)) {
    case 0:
        return press_effect::retry;
    case 1:
        return press_effect::repeat;
    default:
        return press_effect::create;
    }
}

} // namespace ask::store
