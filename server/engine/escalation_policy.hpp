// Who is alerted, how and when, while a request waits: one ladder per priority, from config.
//
// A ladder is a list of steps, each `after` the ladder started (the request arrived, or
// was repeated or released). Dashboards of on-duty staff ring at once and every
// renotify interval regardless of the ladder (the core promise); the ladder adds people
// and channels on top. After its last step a ladder can run again `repeat` times, each
// run starting `repeat_after` after the previous run's last step.
#pragma once

#include "protocol/types.hpp"

#include <string>
#include <vector>

namespace ask::engine {

using protocol::millis;

enum class audience { on_duty, coordinators, all_staff, named };

struct escalation_step {
    millis after = 0;                   ///< since the ladder started
    audience who = audience::on_duty;
    std::vector<std::string> usernames; ///< for audience::named
    bool dashboard = false;             ///< ring these people's dashboards (even off duty)
    bool sms = false;                   ///< text these people's phones
};

struct ladder_policy {
    std::vector<escalation_step> steps; ///< ordered by `after`, non-decreasing
    int repeat = 0;                     ///< further runs of the whole ladder after the first
    millis repeat_after = 300'000;      ///< pause between a run's last step and the next run
    millis ack_timeout = 0;             ///< acknowledged but not contacted this long: remind, then escalate; 0 = off

    /// Length of one run: from the ladder's start to the start of the next run.
    millis cycle_length() const { return (steps.empty() ? 0 : steps.back().after) + repeat_after; }
};

struct escalation_policy {
    ladder_policy urgent;
    ladder_policy normal;

    const ladder_policy& for_priority(protocol::priority p) const {
        return p == protocol::priority::urgent ? urgent : normal;
    }

    /// The defaults: urgent: SMS to on-duty staff after 60 s, coordinators (dashboard and SMS)
    /// after 180 s, all staff after 300 s, twice more 5 min apart, ack timeout 10 min;
    /// normal: coordinators' dashboards after 30 min, all staff after 2 h, ack timeout 4 h.
    static escalation_policy defaults();
};

std::string_view to_string(audience);

} // namespace ask::engine
