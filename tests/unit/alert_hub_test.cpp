// The alert hub: queue order, who is rung and who is only told, duty, re-notification timing.
#include "server/app/alert_hub.hpp"

#include <boost/json.hpp>
#include <gtest/gtest.h>

namespace ask {
namespace {

using protocol::priority;
using protocol::request_state;

struct recorder : subscriber {
    std::vector<boost::json::object> got;
    void deliver(shared_text m, topic) override { got.push_back(boost::json::parse(*m).as_object()); }
    std::vector<std::string> types() const {
        std::vector<std::string> out;
        for (const auto& m : got)
            out.emplace_back(m.at("type").as_string());
        return out;
    }
};

store::request_record request(std::int64_t id, priority level, millis created, request_state state,
                              std::int64_t office = 1, std::int64_t resident = 100) {
    store::request_record r;
    r.office_id = office;
    r.view.id = id;
    r.view.level = level;
    r.view.created_at = created;
    r.view.state = state;
    r.view.resident.id = resident;
    r.view.resident.name = "Jan";
    return r;
}

class hub_test : public ::testing::Test {
protected:
    millis now = 1000;
    alert_hub hub{[this] { return now; }};
    recorder on_duty, off_duty, other_office, resident;
    void SetUp() override {
        hub.add_staff({&on_duty, 1, 1}, true, hub.duty_changes());
        hub.add_staff({&off_duty, 2, 1}, false, hub.duty_changes());
        hub.add_staff({&other_office, 3, 2}, true, hub.duty_changes());
        hub.add_resident(&resident, 100);
    }
};

TEST_F(hub_test, queue_is_urgent_first_then_oldest_then_id) {
    hub.load({request(1, priority::normal, 10, request_state::queued), request(2, priority::urgent, 30, request_state::queued),
              request(3, priority::urgent, 20, request_state::notifying), request(4, priority::normal, 10, request_state::queued),
              request(5, priority::urgent, 5, request_state::resolved)});
    std::vector<std::int64_t> ids;
    for (const auto& a : hub.queue(1))
        ids.push_back(a.id);
    EXPECT_EQ(ids, (std::vector<std::int64_t>{3, 2, 1, 4})) << "closed requests are not loaded";
    EXPECT_EQ(hub.open_count(), 4u);
}

// The periodic loop's walk in slices: each slice continues after the last key of the one before, in
// queue order, whatever opened or closed in between.
TEST_F(hub_test, open_requests_are_walked_in_slices_in_queue_order) {
    hub.load({request(1, priority::normal, 10, request_state::queued),
              request(2, priority::urgent, 30, request_state::queued),
              request(3, priority::urgent, 20, request_state::notifying),
              request(4, priority::normal, 10, request_state::queued)});
    auto ids = [](const std::vector<alert_hub::queue_key>& keys) {
        std::vector<std::int64_t> out;
        for (const auto& k : keys)
            out.push_back(std::get<2>(k));
        return out;
    };
    ASSERT_TRUE(hub.last_in_queue());
    EXPECT_EQ(std::get<2>(*hub.last_in_queue()), 4);
    auto first = hub.open_after(std::nullopt, 2);
    EXPECT_EQ(ids(first), (std::vector<std::int64_t>{3, 2}));
    hub.apply(request(1, priority::normal, 10, request_state::resolved), alert_hub::change::updated);
    hub.apply(request(2, priority::urgent, 30, request_state::resolved), alert_hub::change::updated);
    hub.apply(request(5, priority::normal, 40, request_state::queued), alert_hub::change::created);
    hub.apply(request(6, priority::urgent, 1, request_state::queued), alert_hub::change::created);
    auto second = hub.open_after(first.back(), 2);
    EXPECT_EQ(ids(second), (std::vector<std::int64_t>{4, 5}))
        << "1 closed; 2, where the walk is, closed too; 6 went ahead of it";
    EXPECT_TRUE(hub.open_after(second.back(), 2).empty());
    EXPECT_EQ(std::get<2>(*hub.last_in_queue()), 5);
    for (auto id : {3, 4, 5, 6})
        hub.apply(request(id, priority::normal, 1, request_state::resolved), alert_hub::change::updated);
    EXPECT_FALSE(hub.last_in_queue()) << "nothing open";
}

TEST_F(hub_test, a_new_request_rings_on_duty_staff_of_its_office_only_and_tells_the_resident) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    EXPECT_EQ(on_duty.types(), std::vector<std::string>{"alert"});
    EXPECT_EQ(off_duty.types(), std::vector<std::string>{"alert_update"});
    EXPECT_TRUE(other_office.got.empty());
    ASSERT_EQ(resident.types(), std::vector<std::string>{"status"});
    EXPECT_EQ(resident.got[0].at("state").as_string(), "notifying");
}

TEST_F(hub_test, updates_never_ring_bookkeeping_is_silent_and_closing_leaves_the_queue) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    on_duty.got.clear();
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::recorded);
    EXPECT_TRUE(on_duty.got.empty());
    hub.apply(request(1, priority::urgent, 10, request_state::acknowledged), alert_hub::change::updated);
    EXPECT_EQ(on_duty.types(), std::vector<std::string>{"alert_update"});
    hub.apply(request(1, priority::urgent, 10, request_state::resolved), alert_hub::change::updated);
    EXPECT_TRUE(hub.queue(1).empty());
    EXPECT_EQ(resident.got.back().at("state").as_string(), "resolved");
}

TEST_F(hub_test, going_on_duty_rings_what_waits_once_and_only_for_that_person) {
    hub.apply(request(1, priority::urgent, 10, request_state::queued), alert_hub::change::created);
    hub.apply(request(2, priority::normal, 11, request_state::acknowledged), alert_hub::change::updated);
    recorder second_tab;
    hub.add_staff({&second_tab, 2, 1}, false, hub.duty_changes());
    off_duty.got.clear();
    on_duty.got.clear();
    hub.set_duty(2, 1, true);
    const std::vector<std::string> duty_then_ring{"duty", "alert"};
    EXPECT_EQ(off_duty.types(), duty_then_ring) << "only the unacknowledged one rings";
    EXPECT_EQ(second_tab.types(), duty_then_ring);
    EXPECT_TRUE(on_duty.got.empty());
    off_duty.got.clear();
    hub.set_duty(2, 1, true);
    EXPECT_EQ(off_duty.types(), std::vector<std::string>{"duty"}) << "already on duty: no second ring";
    EXPECT_EQ(hub.reachable_staff(1), 2) << "two tabs are one person";
    hub.remove_staff(&on_duty);
    EXPECT_EQ(hub.reachable_staff(1), 1);
}

TEST_F(hub_test, reachable_staff_follow_every_connect_duty_change_and_disconnect) {
    using counts = std::map<std::int64_t, int>;
    EXPECT_EQ(hub.reachable_by_office(), (counts{{1, 1}, {2, 1}})) << "on duty with a dashboard; off duty is not";
    recorder second_tab, third_tab;
    hub.add_staff({&second_tab, 1, 1}, true, hub.duty_changes());
    EXPECT_EQ(hub.reachable_staff(1), 1) << "a second tab is the same person";
    hub.set_duty(1, 1, false);
    EXPECT_EQ(hub.reachable_by_office(), (counts{{2, 1}})) << "off duty: office 1 has nobody";
    hub.set_duty(1, 1, false);
    EXPECT_EQ(hub.reachable_staff(1), 0);
    hub.set_duty(1, 1, true);
    hub.set_duty(2, 1, true);
    EXPECT_EQ(hub.reachable_staff(1), 2);
    hub.remove_staff(&on_duty);
    EXPECT_EQ(hub.reachable_staff(1), 2) << "staff 1 still has a tab open";
    hub.remove_staff(&second_tab);
    EXPECT_EQ(hub.reachable_staff(1), 1) << "staff 1's last tab closed";
    hub.remove_staff(&second_tab);
    EXPECT_EQ(hub.reachable_staff(1), 1) << "removing a seat twice changes nothing";
    hub.set_duty(1, 1, true);
    EXPECT_EQ(hub.reachable_staff(1), 1) << "on duty without a dashboard reaches nobody";
    hub.add_staff({&third_tab, 1, 1}, true, hub.duty_changes());
    EXPECT_EQ(hub.reachable_staff(1), 2) << "back with a dashboard";
    hub.remove_staff(&off_duty);
    hub.remove_staff(&third_tab);
    hub.remove_staff(&other_office);
    EXPECT_TRUE(hub.reachable_by_office().empty());
}

// A dashboard's sign-in reads the duty from the store; a duty change made since (set_duty, through
// another dashboard or the HTTP API) must not be undone as it joins, and the store's duty counts otherwise
// (an `askd` command may have changed it with a dashboard of the person open).
TEST_F(hub_test, a_dashboard_takes_the_duty_set_since_its_sign_in_was_read) {
    recorder second_tab, third_tab, fourth_tab, first_of_four;
    auto before_read = hub.duty_changes();
    hub.set_duty(1, 1, false); // through the first tab, after the second tab's sign-in read "on duty"
    EXPECT_FALSE(hub.add_staff({&second_tab, 1, 1}, true, before_read));
    EXPECT_EQ(hub.reachable_staff(1), 0) << "off duty as set, not as read before";
    before_read = hub.duty_changes();
    hub.set_duty(2, 1, true);
    EXPECT_TRUE(hub.add_staff({&third_tab, 2, 1}, false, before_read))
        << "on duty as set, not as read before";
    EXPECT_EQ(hub.reachable_staff(1), 1);

    EXPECT_FALSE(hub.add_staff({&fourth_tab, 2, 1}, false, hub.duty_changes()))
        << "nothing set since the read (an askd command turned the duty off): the store's duty counts";
    EXPECT_EQ(hub.reachable_staff(1), 0);

    before_read = hub.duty_changes();
    hub.set_duty(4, 1, true); // through the HTTP API, during their first dashboard's sign-in
    EXPECT_TRUE(hub.add_staff({&first_of_four, 4, 1}, false, before_read));
    EXPECT_EQ(hub.reachable_staff(1), 1);
}

TEST_F(hub_test, unacknowledged_requests_fall_due_once_per_interval) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    hub.apply(request(2, priority::urgent, 10, request_state::acknowledged), alert_hub::change::updated);
    EXPECT_TRUE(hub.take_due(now + 29'999, 30'000).empty());
    now += 30'000;
    EXPECT_EQ(hub.take_due(now, 30'000), std::vector<std::int64_t>{1});
    EXPECT_TRUE(hub.take_due(now + 1, 30'000).empty());
    EXPECT_EQ(hub.take_due(now + 30'000, 30'000), std::vector<std::int64_t>{1});
}

// take_due keeps its own schedule by last push; these check it follows every change of state.
TEST_F(hub_test, due_requests_come_in_queue_order_whatever_order_they_were_pushed_in) {
    hub.apply(request(1, priority::normal, 10, request_state::notifying), alert_hub::change::created);
    now += 10;
    hub.apply(request(2, priority::normal, 5, request_state::queued), alert_hub::change::created);
    now += 10;
    hub.apply(request(3, priority::urgent, 30, request_state::notifying), alert_hub::change::created);
    now += 30'000;
    EXPECT_EQ(hub.take_due(now, 30'000), (std::vector<std::int64_t>{3, 2, 1}));
    EXPECT_TRUE(hub.take_due(now + 29'999, 30'000).empty()) << "all were pushed again at the same moment";
    EXPECT_EQ(hub.take_due(now + 30'000, 30'000), (std::vector<std::int64_t>{3, 2, 1}));
}

TEST_F(hub_test, acknowledged_and_closed_requests_leave_the_schedule_and_a_released_one_returns) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    hub.apply(request(2, priority::urgent, 20, request_state::notifying), alert_hub::change::created);
    hub.apply(request(3, priority::normal, 30, request_state::notifying), alert_hub::change::created);
    hub.apply(request(1, priority::urgent, 10, request_state::acknowledged), alert_hub::change::updated);
    hub.apply(request(2, priority::urgent, 20, request_state::resolved), alert_hub::change::updated);
    now += 30'000;
    EXPECT_EQ(hub.take_due(now, 30'000), std::vector<std::int64_t>{3});
    // Released by its acknowledger: waiting again, and its last push is long past.
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::updated);
    EXPECT_EQ(hub.take_due(now, 30'000), std::vector<std::int64_t>{1});
    // A renotify (pressed again) counts as a push: not due until an interval after it.
    now += 20'000;
    hub.apply(request(3, priority::urgent, 30, request_state::notifying), alert_hub::change::renotified);
    EXPECT_TRUE(hub.take_due(now, 30'000).empty());
    EXPECT_EQ(hub.take_due(now + 10'000, 30'000), std::vector<std::int64_t>{1});
    EXPECT_EQ(hub.take_due(now + 30'000, 30'000), (std::vector<std::int64_t>{3}));
}

TEST_F(hub_test, an_interval_of_zero_gives_each_waiting_request_once_per_call) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    hub.apply(request(2, priority::normal, 10, request_state::queued), alert_hub::change::created);
    EXPECT_EQ(hub.take_due(now, 0), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(hub.take_due(now, 0), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(hub_test, a_clock_stepped_back_delays_the_next_push_by_one_interval_not_by_the_step) {
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    hub.apply(request(2, priority::normal, 10, request_state::queued), alert_hub::change::created);
    const millis back = now - 3'600'000; // an hour back
    EXPECT_TRUE(hub.take_due(back, 30'000).empty()) << "not early either";
    EXPECT_TRUE(hub.take_due(back + 29'999, 30'000).empty());
    EXPECT_EQ(hub.take_due(back + 30'000, 30'000), (std::vector<std::int64_t>{1, 2}));
}

TEST_F(hub_test, loaded_requests_are_due_at_once_after_a_restart) {
    hub.load({request(1, priority::urgent, 10, request_state::notifying)});
    EXPECT_EQ(hub.take_due(now, 30'000), std::vector<std::int64_t>{1});
}

// Every message with a resident's card sent to a dashboard is told to the card listener (the record of
// who was shown it), with the staff member it went to: a ring, a quiet update, a renotification, the
// ladder's ring and going on duty. Bookkeeping sends nothing and tells nothing.
TEST_F(hub_test, every_card_sent_to_a_dashboard_is_told_with_its_staff_member) {
    std::vector<std::pair<std::int64_t, std::int64_t>> shown; // staff, resident
    hub.set_card_listener([&](std::int64_t staff, std::int64_t resident, millis at) {
        EXPECT_EQ(at, now) << "the moment of the change";
        shown.emplace_back(staff, resident);
    });
    using pairs = decltype(shown);
    hub.apply(request(1, priority::urgent, 10, request_state::notifying, 1, 100), alert_hub::change::created);
    EXPECT_EQ(shown, (pairs{{1, 100}, {2, 100}})) << "the ring and the quiet update; not the other office";
    shown.clear();
    hub.apply(request(1, priority::urgent, 10, request_state::notifying, 1, 100),
              alert_hub::change::recorded);
    EXPECT_TRUE(shown.empty());
    hub.apply(request(1, priority::urgent, 10, request_state::notifying, 1, 100),
              alert_hub::change::renotified);
    EXPECT_EQ(shown, (pairs{{1, 100}, {2, 100}}));
    shown.clear();
    hub.ring_staff({2}, request(1, priority::urgent, 10, request_state::notifying, 1, 100));
    EXPECT_EQ(shown, (pairs{{2, 100}})) << "the ladder rings one person";
    shown.clear();
    hub.set_duty(2, 1, true);
    EXPECT_EQ(shown, (pairs{{2, 100}})) << "going on duty rings what waits";
}

// Every dashboard of the person shows the duty set through any one of them, or over HTTP.
TEST_F(hub_test, a_duty_change_reaches_every_dashboard_of_that_person_and_nobody_else) {
    recorder second_tab;
    hub.add_staff({&second_tab, 1, 1}, true, hub.duty_changes());
    on_duty.got.clear();
    off_duty.got.clear();
    other_office.got.clear();
    hub.set_duty(1, 1, false);
    for (auto* tab : {&on_duty, &second_tab}) {
        ASSERT_EQ(tab->types(), std::vector<std::string>{"duty"});
        EXPECT_EQ(tab->got[0].at("on_duty"), false);
        tab->got.clear();
    }
    EXPECT_TRUE(off_duty.got.empty());
    EXPECT_TRUE(other_office.got.empty());
    hub.set_duty(1, 1, true);
    for (auto* tab : {&on_duty, &second_tab}) {
        ASSERT_EQ(tab->types(), std::vector<std::string>{"duty"}) << "nothing waits, nothing rings";
        EXPECT_EQ(tab->got[0].at("on_duty"), true);
    }
}

// After an askd command corrected a resident's details or a staff member's name, the cards that name them
// are updated quietly and their residents told; the others are left alone.
TEST_F(hub_test, corrected_people_update_the_cards_that_name_them_and_only_those) {
    auto taken = request(1, priority::normal, 10, request_state::acknowledged);
    taken.view.acknowledged_by = protocol::person_ref{7, "Bob"};
    auto other = request(2, priority::normal, 20, request_state::notifying, 1, 200);
    hub.load({taken, other});
    protocol::resident_card jan = taken.view.resident;
    jan.phone = "+48600100201";
    EXPECT_EQ(hub.refresh_people({jan, other.view.resident}, {{7, "Bob"}}), 1u);
    ASSERT_EQ(on_duty.types(), (std::vector<std::string>{"alert_update"}));
    EXPECT_EQ(on_duty.got[0].at("alert").at("resident").at("phone"), "+48600100201");
    EXPECT_EQ(resident.types(), (std::vector<std::string>{"status"}));
    EXPECT_EQ(hub.find(1)->view.resident.phone, "+48600100201");

    EXPECT_EQ(hub.refresh_people({jan}, {{7, "Robert"}}), 1u);
    EXPECT_EQ(hub.find(1)->view.acknowledged_by->name, "Robert");
    EXPECT_EQ(hub.refresh_people({jan}, {{7, "Robert"}}), 0u) << "nothing differs any more";
    EXPECT_EQ(on_duty.types().size(), 2u);
}

// A record read back for bookkeeping (a ring counted, an escalation step) with details corrected since the
// hub's copy was read is told as an update: the refresh that follows finds the copy matching.
TEST_F(hub_test, a_bookkeeping_record_with_corrected_people_is_told_as_an_update) {
    auto r = request(1, priority::normal, 10, request_state::notifying);
    hub.load({r});
    auto counted = r;
    counted.view.notify_count = 3;
    hub.apply(counted, alert_hub::change::recorded);
    EXPECT_TRUE(on_duty.got.empty()) << "bookkeeping alone is silent";
    counted.view.resident.name = "Jan Nowak";
    hub.apply(counted, alert_hub::change::recorded);
    EXPECT_EQ(on_duty.types(), (std::vector<std::string>{"alert_update"}));
    EXPECT_EQ(resident.types(), (std::vector<std::string>{"status"}));
    hub.apply(counted, alert_hub::change::recorded);
    EXPECT_EQ(on_duty.types().size(), 1u) << "told once";
}

TEST_F(hub_test, removed_subscribers_hear_nothing) {
    hub.remove_staff(&on_duty);
    hub.remove_resident(&resident);
    hub.apply(request(1, priority::urgent, 10, request_state::notifying), alert_hub::change::created);
    EXPECT_TRUE(on_duty.got.empty());
    EXPECT_TRUE(resident.got.empty());
}

} // namespace
} // namespace ask
