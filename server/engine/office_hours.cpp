#include "server/engine/office_hours.hpp"

#include <charconv>

namespace ask::engine {
namespace {

constexpr millis minute_ms = 60'000;

std::string_view trim(std::string_view s) {
    while (!s.empty() && s.front() == ' ')
        s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ')
        s.remove_suffix(1);
    return s;
}

// "HH:MM" → minutes after midnight; "24:00" allowed as the end of the day.
std::optional<int> parse_clock(std::string_view s) {
    if (s.size() != 5 || s[2] != ':')
        return std::nullopt;
    int h = 0, m = 0;
    if (std::from_chars(s.data(), s.data() + 2, h).ptr != s.data() + 2 ||
        std::from_chars(s.data() + 3, s.data() + 5, m).ptr != s.data() + 5)
        return std::nullopt;
    if (h > 24 || m > 59 || (h == 24 && m != 0))
        return std::nullopt;
    return h * 60 + m;
}

} // namespace

weekly_hours weekly_hours::always() {
    weekly_hours w;
    for (auto& day : w.by_weekday)
        day = {{0, 24 * 60}};
    return w;
}

std::optional<std::vector<opening_range>> parse_day_hours(std::string_view text, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<std::vector<opening_range>> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    std::vector<opening_range> out;
    text = trim(text);
    if (text.empty() || text == "closed")
        return out;
    while (!text.empty()) {
        auto comma = text.find(',');
        auto part = trim(text.substr(0, comma));
        text = comma == std::string_view::npos ? std::string_view{} : text.substr(comma + 1);
        auto dash = part.find('-');
        if (dash == std::string_view::npos)
            return fail("must be ranges like \"07:30-15:30\", separated by commas, or \"closed\"");
        auto from = parse_clock(trim(part.substr(0, dash)));
        auto to = parse_clock(trim(part.substr(dash + 1)));
        if (!from || !to)
            return fail("times must be HH:MM from 00:00 to 24:00");
        if (*from >= *to)
            return fail("each range must end after it starts");
        if (!out.empty() && *from < out.back().to)
            return fail("ranges must be in order and must not overlap");
        out.push_back({*from, *to});
    }
    return out;
}

std::optional<long long> parse_date(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return std::nullopt;
    int y = 0;
    unsigned m = 0, d = 0;
    if (std::from_chars(s.data(), s.data() + 4, y).ptr != s.data() + 4 ||
        std::from_chars(s.data() + 5, s.data() + 7, m).ptr != s.data() + 7 ||
        std::from_chars(s.data() + 8, s.data() + 10, d).ptr != s.data() + 10)
        return std::nullopt;
    if (m < 1 || m > 12 || d < 1 || d > 31)
        return std::nullopt;
    auto days = days_from_civil(y, m, d);
    auto back = civil_from_days(days);
    if (back.month != m || back.day != d) // 2026-02-30 and the like
        return std::nullopt;
    return days;
}

const std::vector<opening_range>* office_calendar::ranges_on(long long local_day) const {
    if (hours_.holidays.contains(local_day))
        return nullptr;
    return &hours_.by_weekday[static_cast<std::size_t>(weekday_from_days(local_day))];
}

bool office_calendar::is_open(millis utc) const {
    millis local = tz_.to_local(utc);
    long long day = floor_div(local, ms_per_day);
    auto minute = static_cast<int>((local - day * ms_per_day) / minute_ms);
    const auto* ranges = ranges_on(day);
    if (!ranges)
        return false;
    for (const auto& r : *ranges)
        if (minute >= r.from && minute < r.to)
            return true;
    return false;
}

std::optional<millis> office_calendar::next_opening(millis utc) const {
    if (is_open(utc))
        return utc;
    millis local = tz_.to_local(utc);
    long long today = floor_div(local, ms_per_day);
    for (long long day = today; day <= today + 366; ++day) {
        const auto* ranges = ranges_on(day);
        if (!ranges)
            continue;
        for (const auto& r : *ranges) {
            millis opens = tz_.to_utc(day * ms_per_day + r.from * minute_ms);
            if (opens > utc)
                return opens;
        }
    }
    return std::nullopt;
}

} // namespace ask::engine
