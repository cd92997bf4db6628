// Reading residents' and staff members' texts.
#include "gateways/sms_text.hpp"

#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

TEST(sms_text, urgent_words_in_any_case_with_or_without_diacritics) {
    for (const char* text : {"PILNE", "pilne!!", "Pilnie proszę", "SOS", "sos.", "Pomocy", "POMOC", "pomóc mi",
                             "Proszę o pomoc", "to pilna sprawa"})
        EXPECT_TRUE(means_urgent(text)) << text;
    for (const char* text : {"Proszę o telefon", "kosmos", "sosna", "pilot", "", "niepomocny"})
        EXPECT_FALSE(means_urgent(text)) << text;
}

TEST(sms_text, stop_and_start) {
    EXPECT_EQ(parse_opt_command("STOP"), opt_command::stop);
    EXPECT_EQ(parse_opt_command(" stop. "), opt_command::stop);
    EXPECT_EQ(parse_opt_command("Start"), opt_command::start);
    EXPECT_EQ(parse_opt_command("stop the water leak"), opt_command::none);
    EXPECT_EQ(parse_opt_command("Pomocy"), opt_command::none);
}

TEST(sms_text, staff_replies) {
    auto a = parse_staff_reply("123a");
    ASSERT_TRUE(a);
    EXPECT_EQ(a->what, staff_reply::kind::acknowledge);
    EXPECT_EQ(a->request_id, 123);
    EXPECT_EQ(parse_staff_reply(" '45 C' ")->what, staff_reply::kind::resolve);
    EXPECT_EQ(parse_staff_reply("7e")->what, staff_reply::kind::escalate);
    auto latest = parse_staff_reply("a");
    ASSERT_TRUE(latest);
    EXPECT_FALSE(latest->request_id);
    EXPECT_EQ(parse_staff_reply("C")->what, staff_reply::kind::resolve);
    for (const char* text : {"e", "123", "123x", "ok", "a a", "0a", "99999999999999999999a", "tak, biorę"})
        EXPECT_FALSE(parse_staff_reply(text)) << text;
}

} // namespace
} // namespace ask::gateways
