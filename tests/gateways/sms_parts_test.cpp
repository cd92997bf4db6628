// Which webhooks are parts of a long text, and how the parts that arrived make one text
// (sms-gateways.md 2.1). Holding them is the store's: tests/unit/store_test.cpp, and end to end
// tests/integration/sms_gateway_test.cpp.
#include "gateways/sms_parts.hpp"

#include <gtest/gtest.h>

namespace ask::gateways {
namespace {

inbound_sms part(std::string ref, int index, int total, std::string text) {
    inbound_sms m;
    m.provider = "vonage";
    m.message_id = "id-" + ref + "-" + std::to_string(index);
    m.from = "+48600100200";
    m.to = "48500600700";
    m.text = std::move(text);
    m.part_index = index;
    m.part_total = total;
    m.part_ref = std::move(ref);
    return m;
}

TEST(sms_parts, only_parts_that_can_belong_to_a_whole_are_held) {
    EXPECT_TRUE(is_part_of_longer(part("r", 1, 2, "a")));
    EXPECT_TRUE(is_part_of_longer(part("r", max_parts, max_parts, "a")));
    EXPECT_TRUE(is_part_of_longer(part("r", 2, 2, std::string(max_part_bytes, 'x'))));
    EXPECT_FALSE(is_part_of_longer(part("", 1, 1, "single")));
    EXPECT_FALSE(is_part_of_longer(part("r", 1, 1, "a total of one")));
    EXPECT_FALSE(is_part_of_longer(part("", 1, 2, "no reference")));
    EXPECT_FALSE(is_part_of_longer(part("r", 3, 2, "index past total")));
    EXPECT_FALSE(is_part_of_longer(part("r", 0, 2, "index 0")));
    EXPECT_FALSE(is_part_of_longer(part("r", 1, max_parts + 1, "too many parts")));
    EXPECT_FALSE(is_part_of_longer(part("r", 1, 2, std::string(max_part_bytes + 1, 'x'))));
}

TEST(sms_parts, joined_in_part_order_whatever_the_arrival_order) {
    auto whole = join_parts({part("r", 3, 3, "C"), part("r", 1, 3, "A"), part("r", 2, 3, "B")}, 3);
    EXPECT_EQ(whole.text, "ABC");
    EXPECT_EQ(whole.message_id, "id-r-1") << "part 1's id: a whole text delivered again is recognised";
    EXPECT_EQ(whole.part_total, 1);
    EXPECT_EQ(whole.part_index, 1);
    EXPECT_EQ(whole.part_ref, "");
    EXPECT_EQ(whole.from, "+48600100200");
    EXPECT_EQ(whole.provider, "vonage");
}

TEST(sms_parts, missing_parts_are_marked_where_they_belong) {
    EXPECT_EQ(join_parts({part("r", 3, 3, " szybko"), part("r", 1, 3, "Proszę o ")}, 3).text, "Proszę o (…) szybko");
    auto middle = join_parts({part("s", 2, 3, "middle")}, 3);
    EXPECT_EQ(middle.text, "(…)middle(…)");
    EXPECT_EQ(middle.message_id, "id-s-2") << "the lowest part that arrived";
    EXPECT_EQ(join_parts({part("a", 1, 2, "A")}, 2).text, "A(…)");
}

} // namespace
} // namespace ask::gateways
