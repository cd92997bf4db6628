// The parts of long texts in the store on a real SQLite file: saved as they arrive, a group
// complete once its last part is in, due when it waits too long or too many wait, and forgotten
// (with every part's message id marked seen) once delivered.
#include "server/store/accounts.hpp"
#include "server/store/database.hpp"
#include "server/store/error.hpp"
#include "server/store/migrations.hpp"
#include "server/store/requests.hpp"
#include "server/store/sms_parts.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace ask::store {
namespace {

using kind = held_part::kind;

constexpr millis day = 24 * 3600 * 1000;

std::string concatenated(const std::vector<text_part>& parts) {
    std::string out;
    for (const auto& p : parts)
        out += p.text;
    return out;
}

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
        auto r = hold_part(*db, p, day);
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

    /// A resident's open request, made from a text.
    request_record request(const std::string& message) {
        auto office = upsert_office(*db, "demo", "Urząd", "Europe/Warsaw").value();
        resident_record jan;
        jan.office_id = office;
        jan.name = "Jan";
        jan.phone = "+48600100200";
        new_request_record n;
        n.office_id = office;
        n.resident_id = add_resident(*db, jan, "hash-jan", 1).value();
        n.via = protocol::channel::sms;
        n.message = message;
        auto made = submit_request(*db, n, 100, [](const request_record&) { return false; });
        EXPECT_TRUE(made);
        return made->request;
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

// A text delivered with part 2 of 3 missing became a request; part 2 arriving later is late: it
// completes that request's message, and its retry changes nothing.
TEST_F(sms_parts_store, a_part_missing_from_a_delivered_text_completes_its_request) {
    auto made = request("A (…) C");
    hold(part("r", 1, 3, "A ", 10));
    hold(part("r", 3, 3, " C", 11));
    auto due = part_groups_due(*db, 70'000, 60'000, 10).value();
    ASSERT_EQ(due.groups.size(), 1u);
    ASSERT_TRUE(forget_delivered_parts(*db, due.groups[0], 70'001));
    ASSERT_TRUE(keep_incomplete_text(*db, due.groups[0], made.view.id, 70'001));

    auto late = hold(part("r", 2, 3, "B", 80'000));
    ASSERT_EQ(late.what, kind::late);
    EXPECT_EQ(late.request_id, made.view.id);
    ASSERT_EQ(late.group.size(), 3u);
    EXPECT_EQ(late.group[0].text + late.group[1].text + late.group[2].text, "A B C");
    EXPECT_TRUE(due_texts(10 * day, 60'000, 10).empty()) << "a late part is not saved to wait as a text";

    auto done = complete_message(*db, {part("r", 2, 3, "B", 80'000)}, made.view.id, concatenated, 80'002);
    ASSERT_TRUE(done) << done.error().message();
    EXPECT_EQ(done->view.message, "A B C");
    EXPECT_EQ(done->view.state, made.view.state);
    EXPECT_EQ(done->view.level, protocol::priority::normal)
        << "completing the words is not the resident asking again";
    EXPECT_EQ(done->view.repeat_count, 0);
    auto events = request_events(*db, made.view.id).value();
    ASSERT_FALSE(events.empty());
    EXPECT_EQ(events.back().kind, "message_completed");
    EXPECT_EQ(hold(part("r", 2, 3, "B", 80'003)).what, kind::seen_before) << "the provider's retry";
    auto again = complete_message(*db, {part("r", 2, 3, "B", 80'000)}, made.view.id, concatenated, 80'004);
    ASSERT_TRUE(again);
    EXPECT_EQ(request_events(*db, made.view.id).value().size(), events.size())
        << "a copy that got past the first look (it came while the first was at work) changes nothing";
}

// Parts 2 and 3 of 4 come late together: each was found late before either completed the message, and
// each completion joins what is kept when it runs, so neither's words are lost.
TEST_F(sms_parts_store, late_parts_arriving_together_both_reach_the_message) {
    auto made = request("A(…)(…)D");
    ASSERT_TRUE(
        keep_incomplete_text(*db, {part("r", 1, 4, "A", 10), part("r", 4, 4, "D", 11)}, made.view.id, 100));
    auto second = hold(part("r", 2, 4, "B", 200));
    auto third = hold(part("r", 3, 4, "C", 201));
    ASSERT_EQ(second.what, kind::late);
    ASSERT_EQ(third.what, kind::late);
    ASSERT_TRUE(complete_message(*db, {part("r", 2, 4, "B", 200)}, made.view.id, concatenated, 202));
    auto done = complete_message(*db, {part("r", 3, 4, "C", 201)}, made.view.id, concatenated, 203);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->view.message, "ABCD");
}

// A late part is kept as of its text's delivery: the window ends a day after that, for every part.
TEST_F(sms_parts_store, the_window_counts_from_the_texts_delivery_not_from_a_late_part) {
    auto made = request("A(…)(…)");
    ASSERT_TRUE(keep_incomplete_text(*db, {part("r", 1, 3, "A", 10)}, made.view.id, 1000));
    ASSERT_EQ(hold(part("r", 2, 3, "B", 1000 + day - 1)).what, kind::late);
    ASSERT_TRUE(complete_message(*db, {part("r", 2, 3, "B", 1000 + day - 1)}, made.view.id, concatenated,
                                 1000 + day - 1));
    EXPECT_EQ(hold(part("r", 3, 3, "C", 1000 + day + 1)).what, kind::saved)
        << "past the text's window: a text of its own, not joined to part 2 alone";
    EXPECT_EQ(forget_incomplete_texts_before(*db, 1001).value(), 2) << "both parts go together";
}

// A part that came while its text was being delivered without it waits as a group of its own; it is
// late, and due at once rather than after the wait.
TEST_F(sms_parts_store, a_part_that_came_during_its_texts_delivery_is_due_at_once) {
    auto made = request("A(…)(…)");
    hold(part("r", 1, 3, "A", 10));
    auto due = part_groups_due(*db, 70'000, 60'000, 10).value();
    ASSERT_EQ(due.groups.size(), 1u);
    EXPECT_EQ(hold(part("r", 2, 3, "B", 70'001)).what, kind::saved) << "its text is still waiting";
    ASSERT_TRUE(forget_delivered_parts(*db, due.groups[0], 70'002));
    ASSERT_TRUE(keep_incomplete_text(*db, due.groups[0], made.view.id, 70'002));
    EXPECT_EQ(due_texts(70'003, 60'000, 10), std::vector<std::string>{"B"});
    auto late = late_group(*db, part_groups_due(*db, 70'003, 60'000, 10).value().groups[0], day).value();
    ASSERT_TRUE(late);
    EXPECT_EQ(late->request_id, made.view.id);
    ASSERT_TRUE(complete_message(*db, {part("r", 2, 3, "B", 70'001)}, made.view.id, concatenated, 70'004));
    EXPECT_TRUE(due_texts(200'000, 60'000, 10).empty()) << "completing forgets the waiting copy";
    EXPECT_EQ(find_request(*db, made.view.id).value()->view.message, "AB");

    hold(part("q", 1, 3, "a text of its own", 70'005));
    EXPECT_TRUE(due_texts(70'006, 60'000, 10).empty()) << "nothing kept for it: it waits";
}

TEST_F(sms_parts_store, a_closed_requests_late_part_changes_nothing) {
    auto made = request("A (…)");
    ASSERT_TRUE(keep_incomplete_text(*db, {part("r", 1, 2, "A", 10)}, made.view.id, 1000));
    ASSERT_TRUE(cancel(*db, made.view.id, made.view.resident.id, 2000));
    auto done = complete_message(*db, {part("r", 2, 2, "B", 3000)}, made.view.id, concatenated, 3000);
    ASSERT_FALSE(done);
    EXPECT_EQ(done.error(), errc::not_found);
    EXPECT_EQ(find_request(*db, made.view.id).value()->view.message, "A (…)");
    EXPECT_FALSE(inbound_seen(*db, "vonage", "id-r-2").value()) << "its words must still reach someone";
}

// complete_message reads the kept text again: a text forgotten (its day ran out) or replaced by a newer
// one with its part_ref since the part was found late is not joined, and the message keeps its words.
TEST_F(sms_parts_store, a_part_whose_text_went_since_it_was_found_late_completes_nothing) {
    auto made = request("A(…)");
    ASSERT_TRUE(keep_incomplete_text(*db, {part("r", 1, 2, "A", 10)}, made.view.id, 1000));
    ASSERT_EQ(hold(part("r", 2, 2, "B", 2000)).what, kind::late);
    ASSERT_EQ(forget_incomplete_texts_before(*db, 1001).value(), 1);
    auto forgotten = complete_message(*db, {part("r", 2, 2, "B", 2000)}, made.view.id, concatenated, 3000);
    ASSERT_FALSE(forgotten);
    EXPECT_EQ(forgotten.error(), errc::not_found);

    ASSERT_TRUE(keep_incomplete_text(*db, {part("r", 2, 2, "another text's B", 4000)}, 99, 4000));
    auto replaced = complete_message(*db, {part("r", 1, 2, "A", 4001)}, made.view.id, concatenated, 4001);
    ASSERT_FALSE(replaced) << "the kept text is another request's";
    ASSERT_TRUE(keep_incomplete_text(*db, {part("r", 1, 2, "A", 10)}, made.view.id, 5000));
    auto another_first = part("r", 1, 2, "another A", 5001);
    another_first.message_id = "id-of-another-text";
    auto same_index = complete_message(*db, {another_first}, made.view.id, concatenated, 5001);
    EXPECT_FALSE(same_index) << "part 1 is kept already (under another message id): not this text's";
    EXPECT_EQ(find_request(*db, made.view.id).value()->view.message, "A(…)");
    EXPECT_EQ(request_events(*db, made.view.id).value().back().kind, "created");
}

// Only a part that could be the missing one is late: same total, an index the text lacked, within
// the window. Anything else is a text (or a part of one) of its own.
TEST_F(sms_parts_store, only_a_part_the_delivered_text_lacked_is_late) {
    for (const std::string ref : {"total", "index", "old", "edge", "pruned"})
        ASSERT_TRUE(keep_incomplete_text(*db, {part(ref, 1, 3, "A", 10), part(ref, 3, 3, "C", 11)}, 7, 1000));
    EXPECT_EQ(hold(part("total", 2, 4, "B", 2000)).what, kind::saved) << "another total";
    EXPECT_EQ(hold(part("index", 1, 3, "a newer text's first part", 2000)).what, kind::saved)
        << "an index the text had: a newer text reusing the reference";
    EXPECT_EQ(hold(part("old", 2, 3, "B", 1000 + day + 1)).what, kind::saved) << "after the window";
    EXPECT_EQ(hold(part("edge", 2, 3, "B", 1000 + day)).what, kind::late) << "at the window's end";
    EXPECT_EQ(hold(part("edge", 2, 3, "B", 2000, "+48600100300")).what, kind::saved) << "another sender";

    ASSERT_TRUE(keep_incomplete_text(*db, {part("edge", 2, 2, "B", 3000)}, 8, 3000 + day));
    EXPECT_EQ(hold(part("edge", 1, 2, "A", 3000 + day)).what, kind::late)
        << "the newer text replaced the older one";
    EXPECT_EQ(hold(part("edge", 1, 2, "A", 3000 + day)).request_id, 8);
    EXPECT_EQ(hold(part("pruned", 2, 3, "B", 3000)).what, kind::late) << "kept until forgotten";

    EXPECT_EQ(forget_incomplete_texts_before(*db, 1001).value(), 8)
        << "the parts of the four texts kept at 1000";
    EXPECT_EQ(hold(part("pruned", 2, 3, "B", 3000)).what, kind::saved) << "forgotten: a text of its own";
    EXPECT_EQ(hold(part("edge", 1, 2, "A", 3001 + day)).what, kind::late) << "kept later: still there";
}

} // namespace
} // namespace ask::store
