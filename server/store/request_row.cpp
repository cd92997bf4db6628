#include "server/store/request_row.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

using protocol::request_state;

request_record read_request(const statement& s) {
    request_record r;
    auto& v = r.view;
    v.id = s.column_int(0);
    r.office_id = s.column_int(1);
    r.client_request_id = s.column_text(2);
    v.level = protocol::priority_from_string(s.column_text(3)).value_or(protocol::priority::normal);
    v.via = protocol::channel_from_string(s.column_text(4)).value_or(protocol::channel::web);
    v.state = protocol::request_state_from_string(s.column_text(5)).value_or(request_state::queued);
    v.message = s.column_text(6);
    v.created_at = s.column_int(7);
    v.notify_count = static_cast<int>(s.column_int(8));
    r.acknowledged_at = s.column_optional_int(9);
    if (auto o = s.column_optional_text(10))
        r.outcome = protocol::outcome_from_string(*o);
    r.note = s.column_text(11);
    r.resolved_by = s.column_optional_int(12);
    r.resolved_at = s.column_optional_int(13);
    v.resident.id = s.column_int(14);
    v.resident.name = s.column_text(15);
    v.resident.phone = s.column_text(16);
    v.resident.address = s.column_text(17);
    v.resident.needs = split_needs(s.column_text(18));
    if (!s.column_is_null(19))
        v.acknowledged_by = protocol::person_ref{s.column_int(19), s.column_text(20)};
    r.contacted_at = s.column_optional_int(21);
    if (!s.column_is_null(22))
        r.contacted_by = protocol::person_ref{s.column_int(22), s.column_text(23)};
    v.repeat_count = static_cast<int>(s.column_int(24));
    r.ladder_started_at = s.column_int(25);
    r.ladder_cycle = static_cast<int>(s.column_int(26));
    r.ladder_next_step = static_cast<int>(s.column_int(27));
    r.ack_reminders = static_cast<int>(s.column_int(28));
    v.resident.unknown_sender = s.column_int(29) != 0;
    v.latest_message = s.column_text(30);
    return r;
}

} // namespace ask::store
