#include "protocol/types.hpp"

#include <array>
#include <utility>

namespace ask::protocol {
namespace {

// One table per enum: the wire spelling is the enumerator's name.
template <class E, std::size_t N>
using names = std::array<std::pair<E, std::string_view>, N>;

constexpr names<priority, 2> priority_names{{{priority::urgent, "urgent"}, {priority::normal, "normal"}}};
constexpr names<channel, 3> channel_names{{{channel::web, "web"}, {channel::button, "button"}, {channel::sms, "sms"}}};
constexpr names<request_state, 7> state_names{{{request_state::received, "received"},
                                               {request_state::queued, "queued"},
                                               {request_state::notifying, "notifying"},
                                               {request_state::acknowledged, "acknowledged"},
                                               {request_state::contacted, "contacted"},
                                               {request_state::resolved, "resolved"},
                                               {request_state::cancelled, "cancelled"}}};
constexpr names<outcome, 6> outcome_names{{{outcome::called_back, "called_back"},
                                           {outcome::visit_scheduled, "visit_scheduled"},
                                           {outcome::referred, "referred"},
                                           {outcome::emergency_services, "emergency_services"},
                                           {outcome::no_contact, "no_contact"},
                                           {outcome::other, "other"}}};
constexpr names<staff_role, 3> role_names{
    {{staff_role::staff, "staff"}, {staff_role::coordinator, "coordinator"}, {staff_role::admin, "admin"}}};

template <class E, std::size_t N>
std::string_view name_of(const names<E, N>& table, E value) {
    for (const auto& [e, name] : table)
        if (e == value)
            return name;
    return "unknown";
}

template <class E, std::size_t N>
std::optional<E> value_of(const names<E, N>& table, std::string_view text) {
    for (const auto& [e, name] : table)
        if (name == text)
            return e;
    return std::nullopt;
}

} // namespace

std::string_view to_string(priority v) { return name_of(priority_names, v); }
std::string_view to_string(channel v) { return name_of(channel_names, v); }
std::string_view to_string(request_state v) { return name_of(state_names, v); }
std::string_view to_string(outcome v) { return name_of(outcome_names, v); }
std::string_view to_string(staff_role v) { return name_of(role_names, v); }

std::optional<priority> priority_from_string(std::string_view s) { return value_of(priority_names, s); }
std::optional<channel> channel_from_string(std::string_view s) { return value_of(channel_names, s); }
std::optional<request_state> request_state_from_string(std::string_view s) { return value_of(state_names, s); }
std::optional<outcome> outcome_from_string(std::string_view s) { return value_of(outcome_names, s); }
std::optional<staff_role> staff_role_from_string(std::string_view s) { return value_of(role_names, s); }

bool is_open(request_state s) { return s != request_state::resolved && s != request_state::cancelled; }

bool awaiting_ack(request_state s) {
    return s == request_state::received || s == request_state::queued || s == request_state::notifying;
}

bool is_taken(request_state s) { return s == request_state::acknowledged || s == request_state::contacted; }

int rank(priority p) { return p == priority::urgent ? 0 : 1; }

} // namespace ask::protocol
