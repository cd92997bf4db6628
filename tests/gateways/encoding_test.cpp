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

TEST(sms_encoding, multipart_boundaries_count_units) {
    std::string polish_67;
    for (int i = 0; i < 67; ++i)
        polish_67 += "ż";
    EXPECT_EQ(measure(polish_67 + polish_67).segments, 2u) << "134 UCS-2 units: two parts of 67";
    EXPECT_EQ(measure(polish_67 + polish_67 + "ż").segments, 3u);
    auto emoji = measure(std::string(68, 'a') + "😀");
    EXPECT_TRUE(emoji.ucs2);
    EXPECT_EQ(emoji.characters, 69u);
    EXPECT_EQ(emoji.units, 70u) << "a surrogate pair is two units";
    EXPECT_EQ(emoji.segments, 1u);
    EXPECT_EQ(measure(std::string(69, 'a') + "😀").segments, 2u) << "71 units";
    EXPECT_EQ(measure(std::string(158, 'a') + "€").segments, 1u) << "160 septets";
    auto ext = measure(std::string(159, 'a') + "€");
    EXPECT_EQ(ext.characters, 160u);
    EXPECT_EQ(ext.units, 161u);
    EXPECT_EQ(ext.segments, 2u) << "160 characters, but the euro sign costs two septets";
    EXPECT_EQ(measure(std::string(305, 'a') + "[").segments, 3u) << "307 septets";
    auto base = measure("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà");
    EXPECT_FALSE(base.ucs2) << "the whole GSM 03.38 basic table";
    EXPECT_EQ(base.units, base.characters);
    for (const char* not_gsm : {"ó", "ą", "ç", "\t", "`", "Ó", "€ó"})
        EXPECT_TRUE(measure(not_gsm).ucs2) << not_gsm;
}

TEST(sms_encoding, invalid_utf8_is_counted_and_replaced) {
    for (const char* bad : {"\xC3", "\xC0\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xFF", "\x80"}) {
        auto m = measure(bad);
        EXPECT_TRUE(m.ucs2) << "U+FFFD is not GSM-7";
        EXPECT_EQ(valid_utf8(bad).find('\xEF'), 0u);
    }
    EXPECT_EQ(measure("\xC0\xAF").characters, 2u) << "an overlong '/' is two invalid bytes";
    EXPECT_EQ(valid_utf8("a\xC0\xAF" "b"), "a\uFFFD\uFFFD" "b");
    EXPECT_EQ(valid_utf8("zg\xB3oszenie"), "zg\uFFFDoszenie");
    EXPECT_EQ(valid_utf8("Zażółć 😀 \uFFFD"), "Zażółć 😀 \uFFFD") << "well-formed text, U+FFFD included, is unchanged";
    EXPECT_EQ(valid_utf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(sms_encoding, transliteration_only_replaces_polish_letters) {
    EXPECT_EQ(transliterate_polish("Zażółć gęślą jaźń ŁÓDŹ"), "Zazolc gesla jazn LODZ");
    EXPECT_EQ(transliterate_polish("Straße 5 €"), "Straße 5 €");
    EXPECT_FALSE(measure(transliterate_polish("Zgłoszenie przyjęte")).ucs2);
    EXPECT_EQ(transliterate_polish("ĄĆĘŁŃÓŚŹŻ ąćęłńóśźż"), "ACELNOSZZ acelnoszz");
    auto all = transliterate_polish("Pilne: zgłaszam awarię wody, ul. Łąkowa 5");
    EXPECT_EQ(all, "Pilne: zglaszam awarie wody, ul. Lakowa 5");
    EXPECT_EQ(all.find('?'), std::string::npos);
    EXPECT_EQ(transliterate_polish("Ŝ Ç ÿ ą"), "Ŝ Ç ÿ a") << "other letters on the Polish letters' first bytes stay";
}

// ASCII costs are looked up in a table made from the alphabets: every printable character of it,
// one by one, against GSM 03.38.
TEST(sms_encoding, each_ascii_character_costs_what_gsm_says) {
    const std::string extension = "^{}\\[~]|\f";
    const std::string not_gsm = "`";
    for (char c = ' '; c < 127; ++c) {
        auto e = measure(std::string(1, c));
        if (not_gsm.find(c) != std::string::npos) {
            EXPECT_TRUE(e.ucs2) << c;
        } else {
            EXPECT_FALSE(e.ucs2) << c;
            EXPECT_EQ(e.units, extension.find(c) != std::string::npos ? 2u : 1u) << c;
        }
    }
    EXPECT_EQ(measure("\f").units, 2u);
    EXPECT_EQ(measure("\n\r").units, 2u);
    EXPECT_TRUE(measure("\t").ucs2) << "no tab in GSM 03.38";
}

} // namespace
} // namespace ask::gateways
