#include "server/app/alert_hub.hpp"

#include "protocol/server_messages.hpp"

#include <algorithm>
#include <limits>

namespace ask {
namespace {

bool awaiting_ack(const store::request_record& r) { return protocol::awaiting_ack(r.view.state); }

constexpr protocol::millis never = std::numeric_limits<protocol::millis>::min(); ///< sorts before any push

} // namespace

protocol::status_view alert_hub::status_of(const store::request_record& r) const {
    protocol::status_view s;
    s.id = r.view.id;
    s.state = r.view.state;
    s.level = r.view.level;
    if (r.view.acknowledged_by)
        s.by = r.view.acknowledged_by->name;
    s.result = r.outcome;
    s.no_voice_calls = protocol::calls_fail_for(r.view.resident);
    // Taken and not yet contacted: "Anna will contact you" must not stand through a weekend the office is
    // closed, so the resident is told it is closed, and when it opens, beside who has the request.
    const bool taken_not_contacted = r.view.state == protocol::request_state::acknowledged;
    if (!awaiting_ack(r) && !taken_not_contacted)
        return s;
    auto office = calendar_ ? calendar_(r.office_id, clock_()) : office_availability{};
    if (awaiting_ack(r)) {
        bool nobody = reachable_staff(r.office_id) == 0;
        s.office_closed = !office.open || nobody;
        s.nobody_on_duty = office.open && nobody;
    } else {
        s.office_closed = !office.open;
    }
    if (!office.open) {
        s.opens_at = office.opens_at;
        s.opens_at_local = office.opens_at_local;
    }
    return s;
}

void alert_hub::ring_staff(const std::vector<std::int64_t>& staff_ids, const store::request_record& r) const {
    const card_message ring{r, share(protocol::alert_json(r.view, true)), topic_of(r, true), clock_()};
    for (const auto& seat : staff_)
        if (std::find(staff_ids.begin(), staff_ids.end(), seat.staff_id) != staff_ids.end())
            send_card(seat, ring);
}

void alert_hub::send_card(const staff_seat& seat, const card_message& m) const {
    seat.sink->deliver(m.text, m.about);
    if (card_listener_)
        card_listener_(seat.staff_id, m.request.view.resident.id, m.at);
}

topic alert_hub::topic_of(const store::request_record& r, bool rings) {
    return {.request_id = r.view.id,
            .urgent = r.view.level == protocol::priority::urgent,
            .card = true,
            .rings = rings};
}

alert_hub::queue_key alert_hub::key_of(const store::request_record& r) {
    return {protocol::rank(r.view.level), r.view.created_at, r.view.id};
}

void alert_hub::load(std::vector<store::request_record> open) {
    open_.clear();
    order_.clear();
    last_push_.clear();
    by_last_push_.clear();
    for (auto& r : open) {
        if (!protocol::is_open(r.view.state))
            continue;
        order_.insert(key_of(r));
        // Never pushed by this process: due at the first tick, so alerts resume at once after a restart.
        last_push_[r.view.id] = std::nullopt;
        schedule(r);
        open_.emplace(r.view.id, std::move(r));
    }
}

void alert_hub::schedule(const store::request_record& r) {
    if (awaiting_ack(r))
        by_last_push_.emplace(last_push_[r.view.id].value_or(never), r.view.id);
}

void alert_hub::unschedule(const store::request_record& r) {
    if (!awaiting_ack(r))
        return;
    auto last = last_push_.find(r.view.id);
    by_last_push_.erase({last == last_push_.end() ? never : last->second.value_or(never), r.view.id});
}

namespace {

// Whether two copies of a request name the same people the same way: the resident's card, and the names
// of whoever took or contacted it.
bool same_people(const store::request_record& a, const store::request_record& b) {
    return a.view.resident == b.view.resident && a.view.acknowledged_by == b.view.acknowledged_by &&
           a.contacted_by == b.contacted_by;
}

} // namespace

void alert_hub::apply(const store::request_record& r, change how) {
    auto id = r.view.id;
    if (auto it = open_.find(id); it != open_.end()) {
        // A record read back for bookkeeping may carry details an askd command corrected since the hub's
        // copy was read: the dashboards and the resident are told, or refresh_people would find the copy
        // already matching and nobody would be.
        if (how == change::recorded && !same_people(it->second, r))
            how = change::updated;
        unschedule(it->second);
        order_.erase(key_of(it->second));
        open_.erase(it);
    }
    if (protocol::is_open(r.view.state)) {
        order_.insert(key_of(r));
        open_.emplace(id, r);
        if (how == change::created || how == change::renotified)
            last_push_[id] = clock_();
        schedule(r);
    } else {
        last_push_.erase(id);
    }

    if (how == change::recorded)
        return;
    publish_to_office(r, how);
    if (how == change::renotified)
        return;
    report_status(r);
}

std::size_t alert_hub::refresh_people(const std::vector<protocol::resident_card>& residents,
                                      const std::vector<protocol::person_ref>& staff) {
    std::unordered_map<std::int64_t, const protocol::resident_card*> card_of;
    for (const auto& card : residents)
        card_of.emplace(card.id, &card);
    std::unordered_map<std::int64_t, const std::string*> name_of;
    for (const auto& person : staff)
        name_of.emplace(person.id, &person.name);
    auto stale_card = [&](const store::request_record& r) {
        auto it = card_of.find(r.view.resident.id);
        return it != card_of.end() && *it->second != r.view.resident;
    };
    auto stale_name = [&](const std::optional<protocol::person_ref>& person) {
        if (!person)
            return false;
        auto it = name_of.find(person->id);
        return it != name_of.end() && *it->second != person->name;
    };
    // Compared in place, copied only when changed: apply() replaces entries of open_, which must not move
    // under the loop.
    std::vector<store::request_record> changed;
    for (const auto& [id, r] : open_) {
        if (!stale_card(r) && !stale_name(r.view.acknowledged_by) && !stale_name(r.contacted_by))
            continue;
        auto& copy = changed.emplace_back(r);
        if (auto it = card_of.find(r.view.resident.id); it != card_of.end())
            copy.view.resident = *it->second;
        for (auto* person : {&copy.view.acknowledged_by, &copy.contacted_by})
            if (*person)
                if (auto it = name_of.find((*person)->id); it != name_of.end())
                    (*person)->name = *it->second;
    }
    for (const auto& r : changed)
        apply(r, change::updated);
    return changed.size();
}

void alert_hub::report_status(const store::request_record& r) const {
    auto status = status_of(r);
    if (residents_.contains(r.view.resident.id))
        tell_resident(r.view.resident.id, share(protocol::status_json(status)));
    if (status_listener_)
        status_listener_(r, status);
}

// On-duty staff's dashboards ring (the alert); the others get the quiet update, and so does every
// dashboard when the change is an update. Each message is built only once someone gets it: an office
// with no dashboard open (at night, or under a flood of texts) costs no JSON, and one whose open
// dashboards are all on duty never builds the quiet one.
void alert_hub::publish_to_office(const store::request_record& r, change how) const {
    // As the dashboard has it (staff.js): an alert rings for a waiting request, or a reminder.
    card_message ring{r, nullptr, topic_of(r, awaiting_ack(r) || how == change::renotified), clock_()};
    card_message quiet{r, nullptr, topic_of(r, false), ring.at};
    for (const auto& seat : staff_) {
        if (seat.office_id != r.office_id)
            continue;
        bool rings = how != change::updated && on_duty(seat.staff_id);
        auto& message = rings ? ring : quiet;
        if (!message.text)
            message.text = rings ? share(protocol::alert_json(r.view, how == change::renotified))
                                 : share(protocol::alert_update_json(r.view));
        send_card(seat, message);
    }
}

void alert_hub::tell_resident(std::int64_t resident_id, const shared_text& message) const {
    auto [first, last] = residents_.equal_range(resident_id);
    for (auto it = first; it != last; ++it)
        it->second->deliver(message);
}

bool alert_hub::on_duty(std::int64_t staff_id) const {
    auto it = duty_.find(staff_id);
    return it != duty_.end() && it->second;
}

bool alert_hub::reachable(std::int64_t staff_id) const { return connected(staff_id) && on_duty(staff_id); }

void alert_hub::recount(std::int64_t staff_id, std::int64_t office_id, bool was) {
    bool now = reachable(staff_id);
    if (now == was)
        return;
    if ((reachable_[office_id] += now ? 1 : -1) == 0)
        reachable_.erase(office_id);
}

bool alert_hub::add_staff(staff_seat seat, bool stored_duty, std::uint64_t changes_before_read) {
    bool was = reachable(seat.staff_id);
    staff_.push_back(seat);
    ++seats_[seat.staff_id];
    auto changed = duty_changed_at_.find(seat.staff_id);
    if (changed == duty_changed_at_.end() || changed->second <= changes_before_read)
        duty_[seat.staff_id] = stored_duty;
    recount(seat.staff_id, seat.office_id, was);
    return on_duty(seat.staff_id);
}

void alert_hub::remove_staff(subscriber* sink) {
    for (const auto& seat : staff_) {
        if (seat.sink != sink)
            continue;
        bool was = reachable(seat.staff_id);
        if (--seats_[seat.staff_id] == 0)
            seats_.erase(seat.staff_id);
        recount(seat.staff_id, seat.office_id, was);
    }
    std::erase_if(staff_, [&](const staff_seat& s) { return s.sink == sink; });
}

void alert_hub::add_resident(subscriber* sink, std::int64_t resident_id) { residents_.emplace(resident_id, sink); }

void alert_hub::remove_resident(subscriber* sink) {
    std::erase_if(residents_, [&](const auto& entry) { return entry.second == sink; });
}

void alert_hub::set_duty(std::int64_t staff_id, std::int64_t office_id, bool on) {
    bool was = on_duty(staff_id);
    bool was_reachable = reachable(staff_id);
    duty_[staff_id] = on;
    duty_changed_at_[staff_id] = ++duty_changes_;
    recount(staff_id, office_id, was_reachable);
    // Before the rings below, so a dashboard shows itself on duty when they sound (on one that has fallen
    // behind, an urgent ring may pass it: subscriber::deliver).
    const auto duty = share(protocol::duty_json(on));
    for (const auto& seat : staff_)
        if (seat.staff_id == staff_id)
            seat.sink->deliver(duty, {.passable = true});
    if (!on || was)
        return;
    const auto at = clock_();
    for (const auto& key : order_) {
        const auto& r = open_.at(std::get<2>(key));
        if (r.office_id != office_id || !awaiting_ack(r))
            continue;
        const card_message ring{r, share(protocol::alert_json(r.view, false)), topic_of(r, true), at};
        for (const auto& seat : staff_)
            if (seat.staff_id == staff_id)
                send_card(seat, ring);
    }
}

bool alert_hub::connected(std::int64_t staff_id) const { return seats_.contains(staff_id); }

std::set<std::int64_t> alert_hub::connected_staff() const {
    std::set<std::int64_t> out;
    for (const auto& [id, dashboards] : seats_)
        out.insert(id);
    return out;
}

int alert_hub::reachable_staff(std::int64_t office_id) const {
    auto found = reachable_.find(office_id);
    return found == reachable_.end() ? 0 : found->second;
}

std::vector<protocol::alert_view> alert_hub::queue(std::int64_t office_id) const {
    std::vector<protocol::alert_view> out;
    for (const auto& key : order_) {
        const auto& r = open_.at(std::get<2>(key));
        if (r.office_id == office_id)
            out.push_back(r.view);
    }
    return out;
}

std::vector<const store::request_record*> alert_hub::open_for_resident(std::int64_t resident_id) const {
    std::vector<const store::request_record*> out;
    for (const auto& [id, r] : open_)
        if (r.view.resident.id == resident_id)
            out.push_back(&r);
    std::sort(out.begin(), out.end(), [](auto* a, auto* b) { return a->view.id < b->view.id; });
    return out;
}

const store::request_record* alert_hub::find(std::int64_t request_id) const {
    auto it = open_.find(request_id);
    return it == open_.end() ? nullptr : &it->second;
}

std::vector<std::int64_t> alert_hub::open_ids() const {
    std::vector<std::int64_t> out;
    out.reserve(order_.size());
    for (const auto& key : order_)
        out.push_back(std::get<2>(key));
    return out;
}

std::vector<alert_hub::queue_key> alert_hub::open_after(const std::optional<queue_key>& from,
                                                        std::size_t n) const {
    std::vector<queue_key> out;
    auto it = from ? order_.upper_bound(*from) : order_.begin();
    for (; it != order_.end() && out.size() < n; ++it)
        out.push_back(*it);
    return out;
}

std::optional<alert_hub::queue_key> alert_hub::last_in_queue() const {
    if (order_.empty())
        return std::nullopt;
    return *order_.rbegin();
}

std::vector<std::int64_t> alert_hub::take_due(millis now, millis interval) {
    std::vector<std::int64_t> due;
    // A wall clock stepped back leaves pushes after `now`: they count from now, so re-ringing waits
    // one interval, not the step (hours, if that is how far the clock went back).
    while (!by_last_push_.empty() && by_last_push_.rbegin()->first > now) {
        auto id = by_last_push_.rbegin()->second;
        by_last_push_.erase(std::prev(by_last_push_.end()));
        last_push_[id] = now;
        by_last_push_.emplace(now, id);
    }
    // All taken out before any goes back in at `now`, so an interval of 0 cannot loop.
    while (!by_last_push_.empty() && by_last_push_.begin()->first <= now - interval) {
        due.push_back(by_last_push_.begin()->second);
        by_last_push_.erase(by_last_push_.begin());
    }
    for (auto id : due) {
        last_push_[id] = now;
        by_last_push_.emplace(now, id);
    }
    std::sort(due.begin(), due.end(), [&](auto a, auto b) { return key_of(open_.at(a)) < key_of(open_.at(b)); });
    return due;
}

} // namespace ask
