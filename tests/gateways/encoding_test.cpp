// GSM-7 versus UCS-2, segment counts (sms-gateways.md 6) and the optional transliteration.
#include "gateways/sms_encoding.hpp"

#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

TEST(sms_encoding, polish_letters_switch_the_whole_text_to_ucs2) {
    auto plain = measure("Zgloszenie przyjete. Oddzwonimy w ciagu 15 min.");
    EXPECT_FALSE(plain.ucs2);
    EXPECT_EQ(plain.characters, 47u);
    EXPECT_EQ(plain.segments, 1u);
    auto polish = measure("Zgłoszenie przyjęte. Oddzwonimy w ciągu 15 min.");
    EXPECT_TRUE(polish.ucs2);
    EXPECT_EQ(polish.characters, 47u);
    EXPECT_EQ(polish.segments, 1u);
    std::string ninety_polish(88, 'a');
    ninety_polish += "ąę";
    EXPECT_EQ(measure(ninety_polish).segments, 2u) << "90 UCS-2 characters need two parts";
    EXPECT_EQ(measure(std::string(90, 'a')).segments, 1u);
}

TEST(sms_encoding, segment_boundaries_and_extension_characters) {
    EXPECT_EQ(measure(std::string(160, 'a')).segments, 1u);
    EXPECT_EQ(measure(std::string(161, 'a')).segments, 2u);
    EXPECT_EQ(measure(std::string(306, 'a')).segments, 2u);
    EXPECT_EQ(measure(std::string(307, 'a')).segments, 3u);
    EXPECT_EQ(measure("€").units, 2u) << "extension characters cost two septets";
    EXPECT_FALSE(measure("{}[]~|^\\€").ucs2);
    std::string euros;
    for (int i = 0; i < 40; ++i)
        euros += "€";
    EXPECT_EQ(measure(std::string(80, 'a') + euros).segments, 1u) << "80 + 40 × 2 = 160 septets";
    EXPECT_EQ(measure(std::string(81, 'a') + euros).segments, 2u);
    std::string seventy;
    for (int i = 0; i < 70; ++i)
        seventy += "ł";
    EXPECT_EQ(measure(seventy).segments, 1u);
    EXPECT_EQ(measure(seventy + "ł").segments, 2u);
    EXPECT_EQ(measure("😀").units, 2u) << "outside the BMP: two UTF-16 units";
    EXPECT_EQ(measure("").segments, 1u);
}

TEST(sms_encoding, transliteration_only_replaces_polish_letters) {
    EXPECT_EQ(transliterate_polish("Zażółć gęślą jaźń ŁÓDŹ"), "Zazolc gesla jazn LODZ");
    EXPECT_EQ(transliterate_polish("Straße 5 €"), "Straße 5 €");
    EXPECT_FALSE(measure(transliterate_polish("Zgłoszenie przyjęte")).ucs2);
}

} // namespace
} // namespace ask::gateways
