// Joining the parts of long texts (sms-gateways.md 2.1): order, retries, bounds, giving up.
#include "gateways/part_assembler.hpp"

#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

inbound_sms part(std::string ref, int index, int total, std::string text, std::string from = "+48600100200") {
    inbound_sms m;
    m.provider = "vonage";
    m.message_id = "id-" + ref + "-" + std::to_string(index);
    m.from = std::move(from);
    m.to = "48500600700";
    m.text = std::move(text);
    m.part_index = index;
    m.part_total = total;
    m.part_ref = std::move(ref);
    return m;
}

TEST(part_assembler, joins_in_part_order_whatever_the_arrival_order) {
    part_assembler parts;
    EXPECT_FALSE(parts.add(part("r", 3, 3, "C"), 0));
    EXPECT_FALSE(parts.add(part("r", 1, 3, "A"), 1));
    EXPECT_EQ(parts.pending(), 1u);
    auto whole = parts.add(part("r", 2, 3, "B"), 2);
    ASSERT_TRUE(whole);
    EXPECT_EQ(whole->text, "ABC");
    EXPECT_EQ(whole->message_id, "id-r-1") << "part 1's id: a retried whole text is recognised";
    EXPECT_EQ(whole->part_total, 1);
    EXPECT_EQ(whole->part_index, 1);
    EXPECT_EQ(whole->part_ref, "");
    EXPECT_EQ(whole->from, "+48600100200");
    EXPECT_EQ(parts.pending(), 0u);
}

TEST(part_assembler, keyed_by_provider_sender_and_reference) {
    part_assembler parts;
    EXPECT_FALSE(parts.add(part("1", 1, 2, "Anna: "), 0));
    EXPECT_FALSE(parts.add(part("1", 1, 2, "Jan: ", "+48600100300"), 0)) << "same reference, another sender";
    auto smsapi = part("1", 1, 2, "other provider");
    smsapi.provider = "smsapi";
    EXPECT_FALSE(parts.add(smsapi, 0));
    EXPECT_EQ(parts.pending(), 3u);
    auto jan = parts.add(part("1", 2, 2, "pomocy", "+48600100300"), 1);
    ASSERT_TRUE(jan);
    EXPECT_EQ(jan->text, "Jan: pomocy");
    auto anna = parts.add(part("1", 2, 2, "pilne"), 1);
    ASSERT_TRUE(anna);
    EXPECT_EQ(anna->text, "Anna: pilne");
}

TEST(part_assembler, single_texts_and_parts_that_cannot_belong_come_straight_back) {
    part_assembler parts;
    auto single = part("", 1, 1, "Pomocy");
    EXPECT_EQ(parts.add(single, 0)->text, "Pomocy");
    EXPECT_EQ(parts.add(part("", 1, 2, "no reference"), 0)->text, "no reference");
    EXPECT_EQ(parts.add(part("r", 3, 2, "index past total"), 0)->text, "index past total");
    EXPECT_EQ(parts.add(part("r", 0, 2, "index 0"), 0)->text, "index 0");
    EXPECT_EQ(parts.add(part("r", 1, max_parts + 1, "too many parts"), 0)->text, "too many parts");
    auto huge = parts.add(part("r", 1, 2, std::string(part_assembler::max_part_bytes + 1, 'x')), 0);
    ASSERT_TRUE(huge);
    EXPECT_EQ(huge->text.size(), part_assembler::max_part_bytes + 1);
    EXPECT_EQ(parts.pending(), 0u) << "nothing of the above is held";
    EXPECT_FALSE(parts.add(part("t", 1, 2, "a"), 0));
    auto other_total = parts.add(part("t", 2, 3, "b"), 0);
    ASSERT_TRUE(other_total) << "a total that disagrees with the first part's";
    EXPECT_EQ(other_total->text, "b");
    EXPECT_EQ(parts.pending(), 1u);
}

TEST(part_assembler, a_retried_part_keeps_the_first_copy) {
    part_assembler parts;
    EXPECT_FALSE(parts.add(part("r", 1, 2, "first"), 0));
    EXPECT_FALSE(parts.add(part("r", 1, 2, "retry"), 1));
    EXPECT_EQ(parts.add(part("r", 2, 2, " end"), 2)->text, "first end");
}

TEST(part_assembler, gives_up_after_max_age_and_hands_over_what_arrived) {
    part_assembler parts(10, 1000);
    EXPECT_FALSE(parts.add(part("r", 1, 3, "Proszę o "), 0));
    EXPECT_FALSE(parts.add(part("r", 3, 3, " szybko"), 10));
    EXPECT_TRUE(parts.take_expired(1000).empty()) << "not older than max_age yet";
    auto late = parts.take_expired(1001);
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].text, "Proszę o (…) szybko");
    EXPECT_EQ(late[0].message_id, "id-r-1");
    EXPECT_EQ(late[0].part_total, 1);
    EXPECT_EQ(parts.pending(), 0u);
    EXPECT_TRUE(parts.take_expired(5000).empty()) << "handed over once";

    EXPECT_FALSE(parts.add(part("s", 2, 3, "middle"), 2000));
    EXPECT_FALSE(parts.add(part("u", 1, 2, "fresh"), 3001)) << "adding also gives up stale texts";
    EXPECT_EQ(parts.pending(), 1u);
    auto given_up = parts.take_expired(3001);
    ASSERT_EQ(given_up.size(), 1u);
    EXPECT_EQ(given_up[0].text, "(…)middle(…)");
}

TEST(part_assembler, bounded_number_of_texts_waiting) {
    part_assembler parts(2, 60'000);
    EXPECT_FALSE(parts.add(part("a", 1, 2, "A"), 0));
    EXPECT_FALSE(parts.add(part("b", 1, 2, "B"), 1));
    EXPECT_FALSE(parts.add(part("c", 1, 2, "C"), 2)) << "the oldest text makes room";
    EXPECT_EQ(parts.pending(), 2u);
    EXPECT_FALSE(parts.add(part("a", 2, 2, "a"), 3)) << "its late part starts over";
    EXPECT_EQ(parts.pending(), 2u);
    auto given_up = parts.take_expired(4);
    ASSERT_EQ(given_up.size(), 2u) << "A, then B, made room; neither is lost";
    EXPECT_EQ(given_up[0].text, "A(…)");
    EXPECT_EQ(given_up[1].text, "B(…)");
    // Uncollected given-up texts are bounded too: only the newest max_groups are kept.
    for (int i = 0; i < 10; ++i)
        EXPECT_FALSE(parts.add(part("n" + std::to_string(i), 1, 2, std::to_string(i)), 10 + i));
    auto kept = parts.take_expired(20);
    ASSERT_EQ(kept.size(), 2u);
    EXPECT_EQ(kept[1].text, "7(…)");
    EXPECT_EQ(parts.pending(), 2u);
}

} // namespace
} // namespace ask::gateways
