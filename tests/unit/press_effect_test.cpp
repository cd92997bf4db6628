// What a press would do, read without writing: it must judge every press as store::submit_request
// then does, so that the press allowance refuses only what would be stored as a repeat or a new request.
#include "server/store/press_effect.hpp"

#include "server/store/accounts.hpp"
#include "server/store/migrations.hpp"
#include "server/store/requests.hpp"
#include "tests/support/temp_dir.hpp"

#include <gtest/gtest.h>

namespace ask::store {
namespace {

class press_effect_test : public ::testing::Test {
  protected:
    void SetUp() override {
        db = std::make_unique<database>(database::open((dir.path() / "ask.db").string()).value());
        ASSERT_TRUE(migrate(*db));
        office = upsert_office(*db, "demo", "Urząd", "Europe/Warsaw").value();
        jan = resident("Jan", "hash-jan");
        maria = resident("Maria", "hash-maria");
    }
    std::int64_t resident(const std::string& name, const std::string& token_hash) {
        resident_record r;
        r.office_id = office;
        r.name = name;
        return add_resident(*db, r, token_hash, 1).value();
    }
    /// The effect read first, then what submit_request did with the same press.
    std::pair<press_effect, press_effect> judged_and_done(std::int64_t who, const std::string& key) {
        auto judged = press_effect_of(*db, who, key);
        if (!judged) {
            ADD_FAILURE() << judged.error().message();
            return {};
        }
        new_request_record n;
        n.office_id = office;
        n.resident_id = who;
        n.client_request_id = key;
        n.level = protocol::priority::urgent;
        auto done = submit_request(*db, n, ++now, [](const request_record&) { return false; });
        EXPECT_TRUE(done);
        last = done->request.view.id;
        auto effect = done->created  ? press_effect::create
                      : done->merged ? press_effect::repeat
                                     : press_effect::retry;
        return {*judged, effect};
    }

    test::temp_dir dir;
    std::unique_ptr<database> db;
    std::int64_t office = 0, jan = 0, maria = 0, last = 0;
    protocol::millis now = 1000;
};

TEST_F(press_effect_test, judges_every_press_as_submit_request_stores_it) {
    using enum press_effect;
    const std::pair<press_effect, press_effect> create_done{create, create}, repeat_done{repeat, repeat},
        retry_done{retry, retry};
    EXPECT_EQ(judged_and_done(jan, "k1"), create_done) << "nothing open";
    auto first = last;
    EXPECT_EQ(judged_and_done(jan, "k1"), retry_done) << "the key of the request";
    EXPECT_EQ(judged_and_done(jan, "k2"), repeat_done) << "a new key while it is open";
    EXPECT_EQ(judged_and_done(jan, "k2"), retry_done) << "the key of a press merged into it";
    EXPECT_EQ(judged_and_done(jan, ""), repeat_done) << "no key while it is open";
    EXPECT_EQ(judged_and_done(maria, "k1"), create_done) << "another resident's key";

    ASSERT_TRUE(cancel(*db, first, jan, ++now));
    EXPECT_EQ(judged_and_done(jan, "k2"), retry_done) << "a merged press's key once its request is closed";
    EXPECT_EQ(last, first);
    EXPECT_EQ(judged_and_done(jan, "k3"), create_done) << "a new key once it is closed";
    EXPECT_EQ(judged_and_done(jan, ""), repeat_done) << "no key: into the new request";
}

} // namespace
} // namespace ask::store
