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

TEST(sms_text, urgent_inflections_diacritics_and_lookalikes) {
    for (const char* text : {"PILNĄ sprawę mam", "pilnego kontaktu", "Pomocą społeczną", "POMÓŻCIE", "pomóż mi",
                             "S.O.S", "s o s", "Błagam,POMOCY!", "pilne\n", "zgłaszam: PILNE."})
        EXPECT_TRUE(means_urgent(text)) << text;
    for (const char* text : {"RATUNKU, upadłam", "ratunku!!!", "Ratujcie", "ratuj mnie", "wzywam ratunek",
                             "HELP", "help me please", "Urgent", "call urgently", "emergency!"})
        EXPECT_TRUE(means_urgent(text)) << text;
    for (const char* text : {"ratunkowy numer", "ratownik był", "helpful", "unhelpful", "urgentny"})
        EXPECT_FALSE(means_urgent(text)) << text;
    // "pomóc" written with a combining acute accent (o + U+0301), as some keyboards send it.
    EXPECT_TRUE(means_urgent("Prosz\u0119 pomo\u0301c"));
    EXPECT_TRUE(means_urgent("POMO\u0301Z\u0307CIE"));
    for (const char* text : {"pomocnik przyjdzie", "pilnować domu", "pomocna dłoń", "SOSY", "pil ne", "po moc", "ok, dzięki"})
        EXPECT_FALSE(means_urgent(text)) << text;
    EXPECT_FALSE(means_urgent(std::string(max_read_bytes, ' ') + "pilne")) << "only the first max_read_bytes are read";
}

TEST(sms_text, a_clipped_text_keeps_whole_letters) {
    EXPECT_EQ(clip_text("Zażółć", 3), "Zaż");
    EXPECT_EQ(clip_text("Zażółć", 6), "Zażółć");
    EXPECT_EQ(clip_text("Zażółć", 60), "Zażółć");
    EXPECT_EQ(clip_text("ółć", 0), "");
}

TEST(sms_text, stop_and_start) {
    EXPECT_EQ(parse_opt_command("STOP"), opt_command::stop);
    EXPECT_EQ(parse_opt_command(" stop. "), opt_command::stop);
    EXPECT_EQ(parse_opt_command("Start"), opt_command::start);
    EXPECT_EQ(parse_opt_command("stop the water leak"), opt_command::none);
    EXPECT_EQ(parse_opt_command("Pomocy"), opt_command::none);
    EXPECT_EQ(parse_opt_command("'STOP!'"), opt_command::stop);
    EXPECT_EQ(parse_opt_command("\"start\"\n"), opt_command::start);
    EXPECT_EQ(parse_opt_command("stop?"), opt_command::none);
    EXPECT_EQ(parse_opt_command("stopka"), opt_command::none);
    EXPECT_EQ(parse_opt_command(""), opt_command::none);
    EXPECT_EQ(parse_opt_command(std::string(100, ' ') + "STOP"), opt_command::none) << "longer than a command";
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

TEST(sms_text, staff_replies_goalert_grammar) {
    struct case_ {
        const char* text;
        staff_reply::kind what;
        std::optional<std::int64_t> id;
    };
    for (auto [text, what, id] : {case_{"123c", staff_reply::resolve, 123}, case_{"123E", staff_reply::escalate, 123},
                                  case_{"'12a'", staff_reply::acknowledge, 12}, case_{"\"12 a\"", staff_reply::acknowledge, 12},
                                  case_{"  12   A  ", staff_reply::acknowledge, 12}, case_{"\u201E12c\u201D", staff_reply::resolve, 12},
                                  case_{"\u2019a\u2019", staff_reply::acknowledge, std::nullopt}, case_{"\tc\r\n", staff_reply::resolve, std::nullopt},
                                  case_{"007a", staff_reply::acknowledge, 7},
                                  case_{"9223372036854775807a", staff_reply::acknowledge, INT64_C(9223372036854775807)}}) {
        auto r = parse_staff_reply(text);
        ASSERT_TRUE(r) << text;
        EXPECT_EQ(r->what, what) << text;
        EXPECT_EQ(r->request_id, id) << text;
    }
    EXPECT_EQ(parse_staff_reply("12a")->what, staff_reply::kind::acknowledge) << "the scoped spelling works too";
    for (const char* text : {"''12a''", "12aa", "12 ack", "close", "a.", "12a!", "-12a", "+12a", "1 2a", "12a 13c", "ą", "12ą",
                             "'", "", "9223372036854775808a"})
        EXPECT_FALSE(parse_staff_reply(text)) << text;
    EXPECT_FALSE(parse_staff_reply(std::string(70, ' ') + "12a")) << "longer than a reply";
}

} // namespace
} // namespace ask::gateways
