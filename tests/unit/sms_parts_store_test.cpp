// The parts of long texts in the store on a real SQLite file: saved as they arrive, a group
// complete once its last part is in, due when it waits too long or too many wait, and forgotten
// (with every part's message id marked seen) once delivered.
#include "server/store/accounts.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"
#include "server/store/sms_parts.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace ask::store {
namespace {

using kind = held_part::kind;

class sms_parts_store : public ::testing::Test {
protected:
    void SetUp() override {
        auto opened = database::open((dir.path() / "ask.db").string());
        ASSERT_TRUE(opened) << opened.error().message();
        db = std::make_unique<database>(std::move(*opened));
        ASSERT_TRUE(migrate(*db));
    }

    static text_part part(const std::string& ref, int index, int total, const std::string& text, millis at,
                          const std::string& sender = "+48600100200") {
        return {"vonage", sender, ref, index, total, "id-" + ref + "-" + std::to_string(index), "48732100200", text, at};
    }
    held_part hold(const text_part& p) {
        auto r = hold_part(*db, p);
        EXPECT_TRUE(r) << r.error().message();
        return r ? *r : held_part{};
    }
    std::vector<std::string> due_texts(millis now, millis wait, std::size_t max_groups) {
        auto due = part_groups_due(*db, now, wait, max_groups);
        EXPECT_TRUE(due);
        std::vector<std::string> out;
        for (const auto& group : due->groups) {
            std::string joined;
            for (const auto& p : group)
                joined += p.text;
            out.push_back(joined);
        }
        return out;
    }

    test::temp_dir dir;
    std::unique_ptr<database> db;
};

TEST_F(sms_parts_store, the_last_part_completes_its_group_in_order) {
    EXPECT_EQ(hold(part("r", 3, 3, "C", 10)).what, kind::saved);
    EXPECT_EQ(hold(part("r", 1, 3, "A", 11)).what, kind::saved);
    EXPECT_EQ(hold(part("r", 1, 3, "A again", 12)).what, kind::saved) << "a retried part";
    EXPECT_EQ(hold(part("r", 1, 3, "other sender", 12, "+48600100300")).what, kind::saved);
    auto whole = hold(part("r", 2, 3, "B", 13));
    ASSERT_EQ(whole.what, kind::complete);
    ASSERT_EQ(whole.group.size(), 3u);
    EXPECT_EQ(whole.group[0].text + whole.group[1].text + whole.group[2].text, "ABC") << "the first copy is kept";
    EXPECT_EQ(whole.group[0].message_id, "id-r-1");
    EXPECT_EQ(whole.group[0].recipient, "48732100200");
    EXPECT_EQ(whole.group[0].received_at, 11);
    EXPECT_EQ(hold(part("r", 2, 4, "another total", 14)).what, kind::other_total);
}

TEST_F(sms_parts_store, delivered_parts_are_forgotten_and_their_retries_change_nothing) {
    hold(part("r", 1, 2, "A", 10));
    auto whole = hold(part("r", 2, 2, "B", 11));
    ASSERT_EQ(whole.what, kind::complete);
    EXPECT_EQ(due_texts(12, 60'000, 10), std::vector<std::string>{"AB"})
        << "complete but not yet forgotten (a stop came before the delivery finished): due";
    hold(part("r", 1, 2, "a newer text that reuses the reference", 12, "+48600100300"));
    ASSERT_TRUE(forget_delivered_parts(*db, whole.group, 13));
    EXPECT_TRUE(inbound_seen(*db, "vonage", "id-r-1").value());
    EXPECT_TRUE(inbound_seen(*db, "vonage", "id-r-2").value());
    EXPECT_EQ(hold(part("r", 2, 2, "B", 14)).what, kind::seen_before);
    EXPECT_TRUE(due_texts(15, 60'000, 10).empty()) << "the retry was not saved";
    EXPECT_EQ(due_texts(100'000, 60'000, 10), std::vector<std::string>{"a newer text that reuses the reference"})
        << "the other sender's part stays";
}

TEST_F(sms_parts_store, a_part_arriving_during_the_delivery_of_its_group_stays) {
    hold(part("r", 1, 3, "A", 10));
    auto due = part_groups_due(*db, 70'000, 60'000, 10).value();
    ASSERT_EQ(due.groups.size(), 1u);
    hold(part("r", 3, 3, "C", 70'001));
    ASSERT_TRUE(forget_delivered_parts(*db, due.groups[0], 70'002));
    EXPECT_EQ(due_texts(200'000, 60'000, 10), std::vector<std::string>{"C"}) << "part 3 came too late for A";
}

TEST_F(sms_parts_store, due_after_the_wait_or_when_too_many_wait_oldest_first) {
    hold(part("a", 1, 2, "A", 1000));
    hold(part("b", 1, 2, "B", 2000));
    hold(part("b", 2, 3, "ignored: another total", 2100));
    hold(part("c", 1, 2, "C", 3000));
    EXPECT_TRUE(due_texts(61'000, 60'000, 10).empty()) << "none waited longer than 60 s";
    EXPECT_EQ(due_texts(61'001, 60'000, 10), std::vector<std::string>{"A"});
    EXPECT_EQ(due_texts(62'001, 60'000, 10), (std::vector<std::string>{"A", "B"}));
    EXPECT_EQ(due_texts(4000, 60'000, 1), (std::vector<std::string>{"A", "B"})) << "only the newest one may wait";
    EXPECT_EQ(due_texts(4000, 60'000, 0), (std::vector<std::string>{"A", "B", "C"}));
}

TEST_F(sms_parts_store, counts_the_groups_still_waiting) {
    EXPECT_EQ(part_groups_due(*db, 0, 60'000, 10).value().waiting, 0u) << "nothing saved";
    hold(part("a", 1, 2, "A", 1000));
    hold(part("b", 1, 2, "B", 2000));
    auto due = part_groups_due(*db, 61'001, 60'000, 10).value();
    EXPECT_EQ(due.groups.size(), 1u);
    EXPECT_EQ(due.waiting, 1u) << "B waits on";
    ASSERT_TRUE(forget_delivered_parts(*db, due.groups[0], 61'002));
    EXPECT_EQ(part_groups_due(*db, 62'001, 60'000, 10).value().waiting, 0u) << "both due, none waits";
}

} // namespace
} // namespace ask::store
