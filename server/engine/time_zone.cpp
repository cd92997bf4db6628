#include "server/engine/time_zone.hpp"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>

namespace ask::engine {
namespace {

constexpr millis hour_ms = 3'600'000;

// A small cursor over the rule text; every reader returns false on malformed input.
struct cursor {
    std::string_view s;
    std::size_t i = 0;
    bool done() const { return i >= s.size(); }
    char peek() const { return done() ? '\0' : s[i]; }
    bool eat(char c) {
        if (peek() != c)
            return false;
        ++i;
        return true;
    }
    bool number(int& out, int max_digits) {
        int digits = 0;
        out = 0;
        while (!done() && std::isdigit(static_cast<unsigned char>(peek())) && digits < max_digits) {
            out = out * 10 + (s[i++] - '0');
            ++digits;
        }
        return digits > 0;
    }
    // A zone abbreviation: 3+ letters, or <…> quoted (for names like <+03>).
    bool name() {
        if (eat('<')) {
            while (!done() && peek() != '>')
                ++i;
            return eat('>');
        }
        std::size_t start = i;
        while (!done() && std::isalpha(static_cast<unsigned char>(peek())))
            ++i;
        return i - start >= 3;
    }
    // [+-]hh[:mm[:ss]] → milliseconds, with the sign as written.
    bool clock(millis& out, int max_hours) {
        int sign = eat('-') ? -1 : (eat('+'), 1);
        int h = 0, m = 0, sec = 0;
        if (!number(h, 3) || h > max_hours)
            return false;
        if (eat(':') && (!number(m, 2) || m > 59 || (eat(':') && (!number(sec, 2) || sec > 59))))
            return false;
        out = sign * ((h * 60LL + m) * 60 + sec) * 1000;
        return true;
    }
    // ,Mm.w.d[/time]
    bool rule(time_zone::transition_rule& r) {
        if (!eat(',') || !eat('M'))
            return false;
        if (!number(r.month, 2) || r.month < 1 || r.month > 12 || !eat('.'))
            return false;
        if (!number(r.week, 1) || r.week < 1 || r.week > 5 || !eat('.'))
            return false;
        if (!number(r.weekday, 1) || r.weekday > 6)
            return false;
        r.at = 2 * hour_ms;
        return !eat('/') || clock(r.at, 167);
    }
};

// The local midnight (as days since the epoch) of the rule's day in `year`.
long long rule_day(const time_zone::transition_rule& r, int year) {
    long long first = days_from_civil(year, static_cast<unsigned>(r.month), 1);
    long long day = first + ((r.weekday - weekday_from_days(first)) + 7) % 7 + 7LL * (r.week - 1);
    int next_month = r.month == 12 ? 1 : r.month + 1;
    long long next_first = days_from_civil(r.month == 12 ? year + 1 : year, static_cast<unsigned>(next_month), 1);
    while (day >= next_first)
        day -= 7;
    return day;
}

} // namespace

std::optional<time_zone> time_zone::from_posix(std::string_view rule, std::string* error) {
    auto fail = [&](const char* why) -> std::optional<time_zone> {
        if (error)
            *error = why;
        return std::nullopt;
    };
    cursor c{rule};
    time_zone tz;
    millis posix_offset = 0;
    if (!c.name() || !c.clock(posix_offset, 24))
        return fail("expected a zone name and offset, e.g. \"CET-1\"");
    tz.std_offset_ = -posix_offset; // POSIX counts hours west of Greenwich
    if (c.done())
        return tz;
    if (!c.name())
        return fail("expected a daylight-saving zone name");
    millis dst = tz.std_offset_ + hour_ms;
    if (c.peek() != ',') {
        if (!c.clock(posix_offset, 24))
            return fail("bad daylight-saving offset");
        dst = -posix_offset;
    }
    tz.dst_offset_ = dst;
    if (!c.rule(tz.dst_start_) || !c.rule(tz.dst_end_) || !c.done())
        return fail("only ,Mm.w.d[/time] daylight-saving rules are supported");
    return tz;
}

// Real zone files are a few kilobytes; anything far larger is not one.
constexpr std::uintmax_t max_tzif_bytes = 256 * 1024;

std::optional<time_zone> time_zone::load(const std::string& name, std::string* error, const std::string& zoneinfo_dir) {
    auto fail = [&](std::string why) -> std::optional<time_zone> {
        if (error)
            *error = std::move(why);
        return std::nullopt;
    };
    if (name.empty() || name.find("..") != std::string::npos || name.front() == '/')
        return fail("is not a time zone name like \"Europe/Warsaw\"");
    // A regular file of sane size: "Europe" is a directory, which opens but throws on reading.
    const std::string path = zoneinfo_dir + "/" + name;
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec))
        return fail("unknown time zone (no file " + path + "; is the tzdata package installed?)");
    auto size = std::filesystem::file_size(path, ec);
    if (ec || size > max_tzif_bytes)
        return fail("is not a TZif version 2+ file");
    std::string data(size, '\0');
    std::ifstream in(path, std::ios::binary);
    if (!in.read(data.data(), static_cast<std::streamsize>(size)))
        return fail("could not be read from " + path);
    // A TZif v2+ file ends with "\n<POSIX rule>\n".
    if (data.size() < 46 || data.compare(0, 4, "TZif") != 0 || data[4] < '2' || data.back() != '\n')
        return fail("is not a TZif version 2+ file");
    auto start = data.rfind('\n', data.size() - 2);
    if (start == std::string::npos)
        return fail("has no POSIX rule footer");
    std::string why;
    auto tz = from_posix(std::string_view(data).substr(start + 1, data.size() - start - 2), &why);
    if (!tz)
        return fail("rule not supported: " + why);
    return tz;
}

millis time_zone::offset_at(millis utc) const {
    if (!dst_offset_)
        return std_offset_;
    int year = civil_from_days(floor_div(utc + std_offset_, ms_per_day)).year;
    millis start = rule_day(dst_start_, year) * ms_per_day + dst_start_.at - std_offset_;
    millis end = rule_day(dst_end_, year) * ms_per_day + dst_end_.at - *dst_offset_;
    bool dst = start < end ? (utc >= start && utc < end) : (utc >= start || utc < end);
    return dst ? *dst_offset_ : std_offset_;
}

millis time_zone::to_utc(millis local) const {
    // Try both offsets; prefer the one that maps back to the same local time, earliest first.
    millis a = local - std::max(std_offset_, dst_offset_.value_or(std_offset_));
    if (to_local(a) == local)
        return a;
    millis b = local - std::min(std_offset_, dst_offset_.value_or(std_offset_));
    return b; // matches, or the time was skipped in spring and b lies one hour later
}

} // namespace ask::engine
