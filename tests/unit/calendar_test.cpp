// Time zones from POSIX rules and tzdata, and office opening hours.
#include "server/engine/office_hours.hpp"

#include <gtest/gtest.h>

namespace ask::engine {
namespace {

// UTC milliseconds of a UTC wall-clock time.
millis utc(int y, unsigned mo, unsigned d, int h = 0, int mi = 0) {
    return days_from_civil(y, mo, d) * ms_per_day + (h * 60LL + mi) * 60'000;
}

const time_zone warsaw = *time_zone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3");
constexpr millis hour = 3'600'000;

TEST(time_zone, warsaw_switches_on_the_last_sundays_of_march_and_october) {
    // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
    EXPECT_EQ(warsaw.offset_at(utc(2026, 3, 29, 0, 59)), hour);
    EXPECT_EQ(warsaw.offset_at(utc(2026, 3, 29, 1, 0)), 2 * hour);
    EXPECT_EQ(warsaw.offset_at(utc(2026, 10, 25, 0, 59)), 2 * hour);
    EXPECT_EQ(warsaw.offset_at(utc(2026, 10, 25, 1, 0)), hour);
    EXPECT_EQ(warsaw.offset_at(utc(2026, 11, 24, 12)), hour);
    EXPECT_EQ(warsaw.offset_at(utc(2027, 3, 28, 1, 0)), 2 * hour) << "2027: 28 March";
}

TEST(time_zone, local_to_utc_handles_the_skipped_and_the_repeated_hour) {
    EXPECT_EQ(warsaw.to_utc(utc(2026, 11, 24, 8)), utc(2026, 11, 24, 7));
    EXPECT_EQ(warsaw.to_utc(utc(2026, 7, 1, 8)), utc(2026, 7, 1, 6));
    EXPECT_EQ(warsaw.to_utc(utc(2026, 3, 29, 2, 30)), utc(2026, 3, 29, 1, 30)) << "02:30 does not exist: 03:30 CEST";
    EXPECT_EQ(warsaw.to_utc(utc(2026, 10, 25, 2, 30)), utc(2026, 10, 25, 0, 30)) << "02:30 twice: the earlier";
}

TEST(time_zone, rules_and_files) {
    std::string why;
    EXPECT_TRUE(time_zone::from_posix("UTC0"));
    EXPECT_EQ(time_zone::from_posix("<+03>-3")->offset_at(0), 3 * hour);
    EXPECT_FALSE(time_zone::from_posix("CET-1CEST,J60,J300", &why));
    EXPECT_NE(why.find("Mm.w.d"), std::string::npos) << why;
    EXPECT_FALSE(time_zone::from_posix("", &why));
    EXPECT_FALSE(time_zone::load("../etc/passwd", &why));
    EXPECT_FALSE(time_zone::load("Mars/Olympus_Mons", &why));
    EXPECT_NE(why.find("unknown time zone"), std::string::npos) << why;
    why.clear();
    EXPECT_FALSE(time_zone::load("Europe", &why)) << "a directory (found by fuzzing: reading it threw)";
    EXPECT_NE(why.find("unknown time zone"), std::string::npos) << why;
    EXPECT_FALSE(time_zone::load("Europe/.", &why));
    auto loaded = time_zone::load("Europe/Warsaw", &why);
    ASSERT_TRUE(loaded) << why << " (make installs tzdata)";
    for (millis t = utc(2026, 1, 1); t < utc(2028, 1, 1); t += 6 * hour)
        ASSERT_EQ(loaded->offset_at(t), warsaw.offset_at(t)) << t;
}

TEST(office_hours, parsing_day_hours) {
    std::string why;
    auto two = parse_day_hours("08:00-12:00, 13:00-17:30", &why);
    ASSERT_TRUE(two) << why;
    ASSERT_EQ(two->size(), 2u);
    EXPECT_EQ((*two)[1].to, 17 * 60 + 30);
    EXPECT_TRUE(parse_day_hours("closed", &why)->empty());
    EXPECT_TRUE(parse_day_hours("", &why)->empty());
    EXPECT_EQ(parse_day_hours("00:00-24:00", &why)->front().to, 1440);
    EXPECT_FALSE(parse_day_hours("16:00-08:00", &why));
    EXPECT_FALSE(parse_day_hours("8-16", &why));
    EXPECT_FALSE(parse_day_hours("08:00-12:00, 11:00-13:00", &why));
    EXPECT_FALSE(parse_day_hours("08:00-24:30", &why));
    EXPECT_TRUE(parse_date("2026-12-25"));
    EXPECT_FALSE(parse_date("2026-02-30"));
    EXPECT_FALSE(parse_date("25.12.2026"));
}

office_calendar weekday_office() {
    weekly_hours h;
    for (int d = 1; d <= 5; ++d)
        h.by_weekday[static_cast<std::size_t>(d)] = {{7 * 60 + 30, 15 * 60 + 30}};
    h.holidays.insert(*parse_date("2026-12-25"));
    return office_calendar(warsaw, h);
}

TEST(office_hours, open_closed_and_the_next_opening) {
    auto office = weekday_office();
    // Tuesday 24 Nov 2026, 08:00 in Warsaw = 07:00 UTC.
    EXPECT_TRUE(office.is_open(utc(2026, 11, 24, 7)));
    EXPECT_FALSE(office.is_open(utc(2026, 11, 24, 6, 29)));
    EXPECT_EQ(office.next_opening(utc(2026, 11, 24, 6)), utc(2026, 11, 24, 6, 30));
    EXPECT_EQ(office.next_opening(utc(2026, 11, 24, 7)), utc(2026, 11, 24, 7)) << "open now: now";
    // Friday 27 Nov after hours → Monday 30 Nov 07:30 local.
    EXPECT_FALSE(office.is_open(utc(2026, 11, 27, 15)));
    EXPECT_EQ(office.next_opening(utc(2026, 11, 27, 15)), utc(2026, 11, 30, 6, 30));
    // Christmas Day (Friday) is a holiday → Monday 28 Dec.
    EXPECT_FALSE(office.is_open(utc(2026, 12, 25, 9)));
    EXPECT_EQ(office.next_opening(utc(2026, 12, 24, 20)), utc(2026, 12, 28, 6, 30));
    // Summer time: 07:30 local is 05:30 UTC.
    EXPECT_EQ(office.next_opening(utc(2026, 7, 1, 3)), utc(2026, 7, 1, 5, 30));
}

TEST(office_hours, an_office_that_never_opens_has_no_next_opening) {
    office_calendar never(warsaw, weekly_hours{});
    EXPECT_FALSE(never.is_open(utc(2026, 11, 24, 9)));
    EXPECT_FALSE(never.next_opening(utc(2026, 11, 24, 9)));
    office_calendar always(warsaw, weekly_hours::always());
    EXPECT_TRUE(always.is_open(utc(2026, 11, 24, 3)));
}

} // namespace
} // namespace ask::engine
