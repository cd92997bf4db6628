// Local time for an office, from the POSIX TZ rule at the end of the system's TZif file
// (/usr/share/zoneinfo/<name>, Debian package tzdata). Pure after loading.
//
// Only the current rule is used (e.g. Europe/Warsaw: "CET-1CEST,M3.5.0,M10.5.0/3"), which is
// exact for the present and the future, the only times an alert engine asks about; it is not a
// historical time-zone database. Rules with Jn/n dates are refused at load time.
#pragma once

#include "protocol/civil_time.hpp"
#include "protocol/types.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace ask::engine {

using protocol::millis;

class time_zone {
public:
    /// Parses a POSIX TZ rule such as "CET-1CEST,M3.5.0,M10.5.0/3" or "UTC0".
    /// Returns nullopt with `error` set when it cannot be understood.
    static std::optional<time_zone> from_posix(std::string_view rule, std::string* error = nullptr);

    /// Loads the rule of an IANA zone ("Europe/Warsaw") from `zoneinfo_dir`.
    static std::optional<time_zone> load(const std::string& name, std::string* error = nullptr,
                                         const std::string& zoneinfo_dir = "/usr/share/zoneinfo");

    /// Offset of local time from UTC at the UTC instant, in milliseconds (+3600000 for CET).
    millis offset_at(millis utc) const;
    millis to_local(millis utc) const { return utc + offset_at(utc); }
    /// The UTC instant of a local wall-clock time. In the autumn hour that occurs twice the
    /// earlier instant is returned; a time skipped in spring maps to the instant one hour later.
    millis to_utc(millis local) const;

    struct transition_rule {
        int month = 0;   ///< 1–12
        int week = 0;    ///< 1–5, 5 = the last such weekday of the month
        int weekday = 0; ///< 0 = Sunday
        millis at = 0;   ///< local time of day of the change (may be negative or past 24 h)
    };

private:
    millis std_offset_ = 0;
    std::optional<millis> dst_offset_; ///< absent: no daylight saving time
    transition_rule dst_start_{};      ///< in standard local time
    transition_rule dst_end_{};        ///< in daylight local time
};

using protocol::civil_from_days;
using protocol::days_from_civil;
using protocol::floor_div;
using protocol::ms_per_day;
using protocol::weekday_from_days;

} // namespace ask::engine
