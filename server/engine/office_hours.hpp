// When an office is open: weekly hours and holidays in the office's own time zone. Pure.
//
// A request that arrives while the office is closed is still stored and queued; the
// resident is told at once that the office is closed, when it opens again, and that ASK
// is not an emergency service (call 112).
#pragma once

#include "server/engine/time_zone.hpp"

#include <array>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace ask::engine {

/// Open from `from` to `to`, minutes after local midnight; 0 ≤ from < to ≤ 1440.
struct opening_range {
    int from = 0;
    int to = 0;
};

struct weekly_hours {
    std::array<std::vector<opening_range>, 7> by_weekday; ///< [0] = Sunday … [6] = Saturday
    std::set<long long> holidays;                         ///< closed all day: local dates as days since 1970-01-01

    /// Open every minute of every day (the default when no hours are configured).
    static weekly_hours always();
};

/// Parses one day's hours: "07:30-15:30", "08:00-12:00, 13:00-17:00", "00:00-24:00", or "" / "closed".
/// Ranges must be in order and must not overlap. nullopt with `error` set otherwise.
std::optional<std::vector<opening_range>> parse_day_hours(std::string_view text, std::string* error);
/// Parses "YYYY-MM-DD" into days since 1970-01-01.
std::optional<long long> parse_date(std::string_view text);

class office_calendar {
public:
    office_calendar(time_zone tz, weekly_hours hours) : tz_(tz), hours_(std::move(hours)) {}

    bool is_open(millis utc) const;
    /// The next instant at or after `utc` when the office opens (utc itself when open now);
    /// nullopt when it does not open within the next 366 days.
    std::optional<millis> next_opening(millis utc) const;
    const time_zone& zone() const { return tz_; }

private:
    const std::vector<opening_range>* ranges_on(long long local_day) const;

    time_zone tz_;
    weekly_hours hours_;
};

} // namespace ask::engine
