// Calendar arithmetic on the proleptic Gregorian calendar (H. Hinnant's algorithms). Pure.
#pragma once

#include <string>

namespace ask::protocol {

struct civil_date {
    int year;
    unsigned month; ///< 1–12
    unsigned day;   ///< 1–31
};

/// Days since 1970-01-01.
long long days_from_civil(int year, unsigned month, unsigned day);
civil_date civil_from_days(long long days);
/// 0 = Sunday … 6 = Saturday.
int weekday_from_days(long long days);
/// Floor division, for splitting negative millisecond counts into days.
long long floor_div(long long a, long long b);
/// "YYYY-MM-DD" of a day counted from 1970-01-01.
std::string date_text(long long days);

inline constexpr long long ms_per_day = 86'400'000;

} // namespace ask::protocol
