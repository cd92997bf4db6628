// The vocabulary of ASK: priorities, channels, request states, outcomes and roles,
// with their wire spellings. Pure: no I/O. Every enum round-trips through
// to_string()/…_from_string() exactly; parsing is case-sensitive.
//
// Request lifecycle (events such as re-notifications are log entries, not states):
//
//      received ──> queued <──> notifying ──> acknowledged ──> contacted ──> resolved
//         │           │            │    ^          │    │                      ^
//         │           │            │    └─release──┘    └──────────────────────┘
//         └───────────┴────────────┴───────────────┴─────────────> cancelled (by the resident)
//
//   queued        stored; nobody on duty is being alerted yet
//   notifying     pushed to on-duty staff, repeated and escalated until someone acknowledges
//   acknowledged  a named staff member has taken it (released: back to waiting)
//   contacted     that staff member has reached the resident
//   resolved      closed by staff with an outcome
//   cancelled     withdrawn by the resident
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ask::protocol {

enum class priority { urgent, normal };
enum class channel { web, button, sms };
enum class request_state { received, queued, notifying, acknowledged, contacted, resolved, cancelled };
enum class outcome { called_back, visit_scheduled, referred, emergency_services, no_contact, other };
enum class staff_role { staff, coordinator, admin };

std::string_view to_string(priority);
std::string_view to_string(channel);
std::string_view to_string(request_state);
std::string_view to_string(outcome);
std::string_view to_string(staff_role);

std::optional<priority> priority_from_string(std::string_view);
std::optional<channel> channel_from_string(std::string_view);
std::optional<request_state> request_state_from_string(std::string_view);
std::optional<outcome> outcome_from_string(std::string_view);
std::optional<staff_role> staff_role_from_string(std::string_view);

/// True until the request is resolved or cancelled.
bool is_open(request_state);
/// True while nobody has taken the request (received, queued, notifying).
bool awaiting_ack(request_state);
/// True while a named staff member holds it (acknowledged, contacted).
bool is_taken(request_state);

/// Queue rank: lower is served first (urgent = 0, normal = 1).
int rank(priority);

/// Milliseconds since the Unix epoch, UTC: the one time unit of the store and the domain.
using millis = std::int64_t;

} // namespace ask::protocol
