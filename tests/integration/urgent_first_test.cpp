// Urgent first on a dashboard that has fallen behind (issue 6, scenario 6: the reason a priority
// queue exists). When alerts queue up in askd for a dashboard that reads slowly, an urgent alert
// goes ahead of the normal ones waiting there instead of arriving after all of them; a request's
// own messages keep their order, and each request's newest card arrives (a newer card of a request
// takes the place of one still waiting: subscriber::deliver).
#include "tests/integration/office_fixture.hpp"
#include "tests/integration/raw_ws.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace ask::test {
namespace {

class urgent_first : public office_fixture {
protected:
    // Room for every alert of the test in the outbox, and no re-notifications of their own.
    urgent_first()
        : office_fixture("[alerts]\nrenotify_seconds = 600\n[limits]\nws_outbox_messages = 8000\n"
                         "ws_idle_timeout_seconds = 60\n") {}
};

/// One message the slow dashboard received.
struct seen {
    std::string type;
    std::int64_t id = 0; ///< the alert's, if it carries one
    std::string state;   ///< the alert's
    std::string priority;
    bool renotified = false;
};

TEST_F(urgent_first, a_dashboard_behind_gets_an_urgent_alert_before_the_normal_ones_queued_for_it) {
    // Anna on duty throughout: Bob going off duty below leaves the office reachable, so the waiting
    // requests only ring each time he comes back (had he been the last, each would also move to queued
    // and back, and its updates would fill the slow dashboard's outbox past its room).
    auto anna = dashboard("anna");
    // Forty open normal requests with long messages, from residents of their own.
    constexpr int waiting = 40;
    std::vector<std::string> residents;
    std::set<std::int64_t> normal_ids;
    for (int i = 0; i < waiting; ++i) {
        residents.push_back(askd.add_resident("Mieszkaniec " + std::to_string(i)));
        auto pressed = press(residents.back(), "normal", long_message());
        ASSERT_EQ(pressed.status, 201);
        normal_ids.insert(id_of(pressed.json()));
    }

    // Bob's dashboard that does not read for now, on a tiny receive window, and Bob's second
    // dashboard, which reads and drives the flood: each time Bob goes on duty, every waiting
    // request rings on all of Bob's dashboards (40 alerts of over 1 KB each, after a `duty` message
    // that an urgent alert may pass, as each duty change also brings). 110 times: about
    // 5.7 MB, more than the kernel holds for one socket here (up to about 4 MB), so the rest
    // waits in askd's outbox for that dashboard.
    auto bob_token = login(port(), "bob", staff_password);
    raw_ws behind(port(), "/ws/staff", bob_token, 4096);
    ASSERT_TRUE(behind.upgraded());
    auto bob = dashboard("bob", false);
    constexpr int cycles = 110;
    for (int cycle = 0; cycle < cycles; ++cycle) {
        for (bool on : {true, false}) {
            if (cycle == cycles - 1 && !on)
                break; // Bob stays on duty, so the next requests ring
            bob->send(boost::json::object{{"type", "duty"}, {"on", on}, {"ref", "flood"}});
            ASSERT_TRUE(bob->next_of("ok", 2s)) << "cycle " << cycle;
        }
        while (bob->next(1ms)) {
        } // Bob's reading dashboard keeps up
    }

    // Then a new urgent request.
    auto urgent = press(askd.add_resident("Ewa Pilna"), "urgent");
    ASSERT_EQ(urgent.status, 201);
    auto urgent_id = id_of(urgent.json());

    // The slow dashboard takes another request; its reply ("ok") is about no one request, so a
    // later urgent alert must not overtake it. Bob's reading dashboard seeing the update means
    // the reply is queued too (it is sent right after the update).
    auto taken_id = *std::next(normal_ids.begin(), 1);
    ASSERT_TRUE(behind.send_frame(1, boost::json::serialize(boost::json::object{
                                         {"type", "ack"}, {"id", taken_id}, {"ref", "fence"}})));
    ASSERT_TRUE(bob->next_of("alert_update", 2s, [&](const auto& m) {
        return m.at("alert").as_object().at("id").as_int64() == taken_id;
    })) << "the slow dashboard's acknowledgement was not carried out";
    // One of the forty residents presses again, which makes that request urgent ("I still need help") and
    // rings it once more: its card, waiting ahead of the reply, takes the new one's place there, not behind
    // the reply.
    auto again = press(residents.front(), "normal");
    ASSERT_EQ(again.status, 200);
    auto raised_id = id_of(again.json());
    ASSERT_TRUE(normal_ids.contains(raised_id));
    ASSERT_NE(taken_id, raised_id);
    auto after_reply = press(askd.add_resident("Olga Pilna"), "urgent");
    ASSERT_EQ(after_reply.status, 201);
    auto after_reply_id = id_of(after_reply.json());

    // Everything the slow dashboard was sent, in the order it arrives, until it has been quiet a while
    // (nothing rings again: renotify_seconds = 600).
    std::vector<seen> got;
    std::size_t alerts = 0;
    const std::size_t sent = cycles * waiting + 3;
    while (auto text = behind.next_text(3s)) {
        auto m = boost::json::parse(*text).as_object();
        seen one{str(m.at("type"))};
        if (m.contains("alert")) {
            const auto& alert = m.at("alert").as_object();
            one.id = alert.at("id").as_int64();
            one.state = str(alert.at("state"));
            one.priority = str(alert.at("priority"));
        }
        one.renotified = m.contains("renotified") && m.at("renotified").as_bool();
        alerts += one.type == "alert";
        got.push_back(std::move(one));
    }
    auto at = [&](auto pred) { return std::find_if(got.begin(), got.end(), pred) - got.begin(); };
    for (auto id : normal_ids)
        ASSERT_LT(at([&](const seen& m) { return m.id == id; }), static_cast<long>(got.size()))
            << "nothing came about request " << id;
    auto urgent_at = at([&](const seen& m) { return m.type == "alert" && m.id == urgent_id; });
    ASSERT_LT(urgent_at, static_cast<long>(got.size())) << "the urgent alert never came";
    std::set<std::int64_t> normal_after;
    for (auto m = got.begin() + urgent_at + 1; m != got.end(); ++m)
        if (m->type == "alert" && !m->renotified && normal_ids.contains(m->id))
            normal_after.insert(m->id);
    std::cout << "[ info     ] " << alerts << " of the " << sent
              << " alerts sent reached the slow dashboard (newer "
              << "cards took the place of waiting ones); the urgent alert arrived " << urgent_at + 1 << " of "
              << got.size() << ", ahead of cards of " << normal_after.size()
              << " normal requests queued before it\n";
    EXPECT_LT(alerts, sent) << "every card of the flood was kept, each request's many times over";
    // What came last about a request is where it stands: the newest card took the place of older ones.
    auto last_about = [&](std::int64_t id) {
        return *std::find_if(got.rbegin(), got.rend(), [&](const seen& m) { return m.id == id; });
    };
    EXPECT_EQ(last_about(taken_id).state, "acknowledged");
    EXPECT_EQ(last_about(raised_id).priority, "urgent");
    EXPECT_GE(normal_after.size(), waiting / 2u)
        << "the urgent alert waited behind the normal ones queued for the dashboard";

    // The raised request's ring came after every earlier message about it.
    auto raised_at = at([&](const seen& m) { return m.id == raised_id && m.renotified; });
    ASSERT_LT(raised_at, static_cast<long>(got.size())) << "the raised request did not ring again";
    auto last_earlier = std::find_if(got.rbegin(), got.rend(), [&](const seen& m) {
        return m.id == raised_id && !m.renotified;
    });
    EXPECT_LT(got.rend() - last_earlier - 1, raised_at) << "a request's messages left out of order";

    // The urgent alert sent after the reply came after it.
    auto reply_at = at([](const seen& m) { return m.type == "ok"; });
    auto after_reply_at = at([&](const seen& m) { return m.type == "alert" && m.id == after_reply_id; });
    ASSERT_LT(reply_at, static_cast<long>(got.size())) << "the slow dashboard's reply never came";
    EXPECT_GT(after_reply_at, reply_at) << "an urgent alert overtook a reply about no one request";
    EXPECT_LT(raised_at, reply_at)
        << "the raised request's card went behind the reply queued after its old card";
}

} // namespace
} // namespace ask::test
