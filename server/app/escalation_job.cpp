#include "server/app/escalation_job.hpp"

#include "gateways/text_key.hpp"
#include "server/app/staff_text.hpp"
#include "server/engine/escalation.hpp"
#include "server/store/error.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <functional>
#include <iterator>
#include <string_view>
#include <utility>
#include <vector>

namespace ask {
namespace {

using engine::audience;
using protocol::millis;

bool reaches(const store::staff_record& s, const engine::escalation_step& step) {
    switch (step.who) {
    case audience::on_duty:
        return s.on_duty;
    case audience::coordinators:
        return s.role != protocol::staff_role::staff;
    case audience::all_staff:
        return true;
    case audience::named:
        return std::find(step.usernames.begin(), step.usernames.end(), s.username) != step.usernames.end();
    }
    return false;
}

} // namespace

engine::escalation_input escalation_input_of(const store::request_record& r,
                                             std::optional<millis> closed_until) {
    engine::escalation_input in;
    in.closed_until = closed_until;
    in.state = r.view.state;
    in.level = r.view.level;
    in.position = {r.ladder_started_at, r.ladder_cycle, r.ladder_next_step, r.ack_reminders};
    in.acknowledged_at = r.acknowledged_at;
    return in;
}

namespace {

// "ponowione 2 razy, " when the resident pressed again (twice), else "".
std::string repeats_said(const store::request_record& r) {
    auto n = r.view.repeat_count;
    return n > 0 ? fmt::format("ponowione {} {}, ", n, n == 1 ? "raz" : "razy") : std::string();
}

// The text to the office's after-hours phone about `r`, saying `situation`, with its `notified` event, unless
// that phone was last told `told` of it (store::after_hours_told: its priority, the opening it waits for and
// how many times its resident pressed again; for a taken request, also who has it).
store::result<void> text_after_hours_phone(store::database& db, const store::request_record& r,
                                           const std::string& told, const std::string& phone,
                                           std::string situation, escalator::outcome& out,
                                           std::vector<store::event_draft>& events) {
    auto before = store::last_after_hours_text(db, r.view.id);
    if (!before)
        return before.error();
    if (*before == told)
        return {};
    boost::json::object detail{
        {"via", boost::json::array{"sms"}}, {"who", "after_hours_phone"}, {"told", told}};
    events.push_back({"notified", "system", std::nullopt, boost::json::serialize(detail)});
    auto member = store::staff_by_phone(db, phone);
    if (!member)
        return member.error();
    store::unsent_staff_text text;
    text.request_id = r.view.id;
    text.phone = phone;
    text.kind = store::staff_text_kind::after_hours;
    text.decided_in = r.view.state;
    text.held_by = holder_of(r);
    text.situation = std::move(situation);
    text.replies_taken = *member && (*member)->office_id == r.office_id;
    out.sms.push_back(std::move(text));
    return {};
}

// The outcome's texts kept in the store until sent (store::keep_staff_text), each with its key.
store::result<void> keep_texts(store::database& db, escalator::outcome& out, millis now) {
    for (auto& text : out.sms) {
        text.send_key = gateways::new_text_key();
        auto kept = store::keep_staff_text(db, text, now);
        if (!kept)
            return kept.error();
        text.id = *kept;
    }
    return {};
}

// Who a step reaches and how, added to the outcome and described in the event's detail; each text says
// the request's `situation`.
void alert_people(escalator::outcome& out, boost::json::object& detail,
                  const std::vector<store::staff_record>& people, bool dashboard, bool sms,
                  const std::string& situation, store::staff_text_kind kind) {
    boost::json::array rung, texted, no_phone;
    for (const auto& p : people) {
        if (dashboard) {
            out.ring.push_back(p.id);
            rung.emplace_back(p.id);
        }
        if (!sms)
            continue;
        if (p.phone.empty()) {
            no_phone.emplace_back(p.id);
            continue;
        }
        out.sms.push_back({0, out.request.view.id, p.id, p.phone, kind, out.request.view.state,
                           holder_of(out.request), situation});
        texted.emplace_back(p.id);
    }
    boost::json::array via;
    if (dashboard)
        via.emplace_back("dashboard");
    if (sms)
        via.emplace_back("sms");
    detail["via"] = std::move(via);
    detail["dashboards"] = std::move(rung);
    detail["sms"] = std::move(texted);
    if (!no_phone.empty())
        detail["sms_no_phone"] = std::move(no_phone);
}

// What a step's texts say of the request. A member may bring the next step forward while someone holds
// it: the text names the holder in the nominative ("ma je Ola N."), which needs no declension of a name.
std::string situation_of_step(const store::request_record& r) {
    if (!r.view.acknowledged_by)
        return "czeka na przyjęcie";
    return fmt::format("ma je {}, potrzebna pomoc", short_name(r.view.acknowledged_by->name));
}

std::vector<store::staff_record> select(const std::vector<store::staff_record>& staff,
                                        const std::function<bool(const store::staff_record&)>& wanted) {
    std::vector<store::staff_record> out;
    std::copy_if(staff.begin(), staff.end(), std::back_inserter(out), wanted);
    return out;
}

// Whom a step calls about `r`: those it names but the request's holder, whom a step brought forward
// while it is taken calls others to help; and by hand, but the member asking, who knows already.
std::vector<store::staff_record> called_by(const engine::escalation_step& step,
                                           const std::vector<store::staff_record>& staff,
                                           const store::request_record& r,
                                           const store::staff_record* by_hand) {
    return select(staff, [&](const store::staff_record& s) {
        return reaches(s, step) && holder_of(r) != s.id && (!by_hand || by_hand->id != s.id);
    });
}

// How many of `people` a step reaches: a dashboard rings for each (with `connected`, only for those with
// one open), a text needs a phone.
int reached_count(const engine::escalation_step& step, const std::vector<store::staff_record>& people,
                  const std::set<std::int64_t>* connected = nullptr) {
    return static_cast<int>(std::count_if(people.begin(), people.end(), [&](const auto& p) {
        return (step.dashboard && (!connected || connected->contains(p.id))) ||
               (step.sms && !p.phone.empty());
    }));
}

bool reaches_anyone(const engine::escalation_step& step, const std::vector<store::staff_record>& people,
                    const std::set<std::int64_t>* connected = nullptr) {
    return reached_count(step, people, connected) > 0;
}

// The steps due by the clock that reach nobody (their people have no dashboard open in `connected`,
// and no phone for their texts) go in `unreached`. When the last step fired is one of them, the run's
// next step that reaches someone now fires with it, with those between (in `unreached` too), rather
// than at its time: waiting would leave the resident with nobody new alerted for nothing (the default
// normal ladder waits two hours between its coordinators' step and everyone's). When no later step
// reaches anyone, or the catch-up after a pause fired one of them already in this decision, each keeps
// its time. The steps after which the next came at once go in `passed_on`.
void pass_on_from_unreached(engine::decision& d, const engine::ladder_policy& ladder,
                            const std::vector<store::staff_record>& staff, const store::request_record& r,
                            const std::set<std::int64_t>& connected, std::set<int>& unreached,
                            std::set<int>& passed_on) {
    auto reaches_now = [&](int index) {
        const auto& step = ladder.steps[static_cast<std::size_t>(index)];
        return reaches_anyone(step, called_by(step, staff, r, nullptr), &connected);
    };
    std::set<int> fired;
    for (const auto& f : d.fire) {
        fired.insert(f.step);
        if (!reaches_now(f.step))
            unreached.insert(f.step);
    }
    if (d.fire.empty())
        return;
    const auto last = d.fire.back();
    if (!unreached.contains(last.step) || last.cycle != d.next.cycle || d.next.next_step != last.step + 1)
        return;
    const int steps = static_cast<int>(ladder.steps.size());
    for (int next = last.step + 1; next < steps && !fired.contains(next); ++next) {
        if (!reaches_now(next))
            continue;
        passed_on.insert(last.step);
        for (int between = last.step + 1; between < next; ++between) {
            d.fire.push_back({last.cycle, between});
            unreached.insert(between);
            passed_on.insert(between);
        }
        d.fire.push_back({last.cycle, next});
        d.next.next_step = next + 1;
        return;
    }
}

// Asked by `asker` to call in more people, askd calls the first step that reaches someone else: from
// `first` (the ladder's next step, or its last once the run is over) on, then back from the one before
// it, so that an earlier step is repeated for someone on duty since. Each step looked at before the one
// chosen goes in `passed_over`, with `sms_no_phone` for those a text-only step named who have no phone.
// nullopt: no step would reach anyone else.
std::optional<int> step_by_hand(const engine::ladder_policy& ladder, int first,
                                const std::vector<store::staff_record>& staff, const store::request_record& r,
                                const store::staff_record& asker, boost::json::array& passed_over) {
    const int steps = static_cast<int>(ladder.steps.size());
    std::vector<int> order;
    for (int i = first; i < steps; ++i)
        order.push_back(i);
    for (int i = first - 1; i >= 0; --i)
        order.push_back(i);
    for (int i : order) {
        const auto& step = ladder.steps[static_cast<std::size_t>(i)];
        auto people = called_by(step, staff, r, &asker);
        if (reaches_anyone(step, people))
            return i;
        boost::json::object looked_at{{"step", i + 1}};
        if (step.sms && !people.empty()) { // reaches_anyone: none of them has a phone
            boost::json::array no_phone;
            for (const auto& p : people)
                no_phone.emplace_back(p.id);
            looked_at["sms_no_phone"] = std::move(no_phone);
        }
        passed_over.emplace_back(std::move(looked_at));
    }
    return std::nullopt;
}

} // namespace

store::result<escalator::outcome>
decide_and_record(store::database& db, std::int64_t id, const engine::escalation_policy& policy, millis now,
                  const store::staff_record* by_hand, std::optional<millis> closed_until,
                  const std::string& after_hours_phone, const std::set<std::int64_t>* connected) {
    auto found = store::find_request(db, id);
    if (!found)
        return found.error();
    if (!*found || !protocol::is_open((*found)->view.state))
        return make_error_code(store::errc::not_found);
    const auto& r = **found;
    auto in = escalation_input_of(r, closed_until);
    const auto& ladder = policy.for_priority(r.view.level);
    engine::decision d;
    d.next = in.position;
    boost::json::array passed_over; // by hand: the steps looked at before the one fired (step_by_hand)
    store::result<std::vector<store::staff_record>> staff = std::vector<store::staff_record>{};
    if (by_hand) {
        // Read now, not taken from the caller's record: an account disabled since it was read escalates
        // nothing.
        auto office = store::office_of_staff(db, by_hand->id);
        if (!office)
            return office.error();
        if (*office != r.office_id)
            return make_error_code(store::errc::not_found);
        auto step = engine::manual_step(in, policy);
        if (!step)
            return make_error_code(store::errc::conflict);
        staff = store::staff_of_office(db, r.office_id);
        if (!staff)
            return staff.error();
        // When no step would reach anyone else, nothing is recorded and the member is told (rather than
        // "called" with no one called).
        auto chosen = step_by_hand(ladder, step->step, *staff, r, *by_hand, passed_over);
        if (!chosen)
            return escalator::outcome{r, {}, {}, false, true};
        step->step = *chosen;
        d.fire.push_back(*step);
        // The ladder goes on after the step fired: the steps passed over on the way to it are not fired
        // later by the clock. A ladder waiting for the opening keeps its first step for then: a step
        // brought forward through the closed hours does not take it from the office's morning.
        if (step->step >= d.next.next_step && d.next.started_at <= now)
            d.next.next_step = step->step + 1;
    } else {
        d = engine::decide(in, policy, now);
        if (d.empty())
            return escalator::outcome{r, {}, {}};
        staff = store::staff_of_office(db, r.office_id);
        if (!staff)
            return staff.error();
    }
    std::set<int> unreached; // steps fired that reached nobody
    std::set<int> passed_on; // of them, those after which the next step came at once
    if (connected)
        pass_on_from_unreached(d, ladder, *staff, r, *connected, unreached, passed_on);

    escalator::outcome out{r, {}, {}};
    std::vector<store::event_draft> events;
    if (d.waits_until) {
        events.push_back({"waits_for_opening", "system", std::nullopt,
                          boost::json::serialize(boost::json::object{{"opens_at", *d.waits_until}})});
        out.waits_for_opening = true;
        if (!after_hours_phone.empty()) {
            // "… (Jan K.) ponowione 2 razy, poza godzinami urzędu, czeka od 40 min." (staff_text)
            auto told = store::after_hours_told(r.view.level, *d.waits_until, r.view.repeat_count);
            auto texted =
                text_after_hours_phone(db, r, told, after_hours_phone,
                                       repeats_said(r) + "poza godzinami urzędu, czeka", out, events);
            if (!texted)
                return texted.error();
        }
    }
    if (d.restarted && !d.waits_until) {
        // The ladder would have started after now (the clock stepped back, or the office opens earlier
        // than it waited for): its history says so, or its steps' times would not add up.
        boost::json::object detail{{"was", in.position.started_at}, {"from", d.next.started_at}};
        events.push_back({"ladder_restarted", "system", std::nullopt, boost::json::serialize(detail)});
    }
    for (const auto& f : d.fire) {
        const auto& step = ladder.steps[static_cast<std::size_t>(f.step)];
        boost::json::object detail{
            {"step", f.step + 1}, {"run", f.cycle + 1}, {"who", engine::to_string(step.who)}};
        auto people = called_by(step, *staff, r, by_hand);
        if (connected) // known by the clock, once dashboards had the grace to come back
            detail["reached"] = reached_count(step, people, connected);
        alert_people(out, detail, people, step.dashboard, step.sms, situation_of_step(r),
                     by_hand ? store::staff_text_kind::by_hand : store::staff_text_kind::step);
        if (unreached.contains(f.step)) {
            detail["reached_nobody"] = true;
            if (passed_on.contains(f.step))
                detail["next_step_at_once"] = true;
            spdlog::warn("escalation: request {}: step {} ({}) reached nobody: none of them has a dashboard "
                         "open or, for its texts, a phone{}",
                         id, f.step + 1, engine::to_string(step.who),
                         passed_on.contains(f.step) ? "; the next step comes at once" : "");
        }
        store::event_draft e{"escalated", "system", std::nullopt, ""};
        if (by_hand) {
            e.actor_kind = "staff";
            e.actor_id = by_hand->id;
            detail["by_hand"] = true;
            if (!passed_over.empty())
                detail["passed_over"] = passed_over;
        }
        e.detail_json = boost::json::serialize(detail);
        events.push_back(std::move(e));
    }
    if (d.followup != engine::ack_followup::none && r.view.acknowledged_by) {
        bool remind = d.followup == engine::ack_followup::remind_acknowledger;
        auto holder = r.view.acknowledged_by->id;
        // A reminder the holder cannot get (no dashboard open, no phone) would reach nobody, and the
        // coordinators would hear only a timeout later: they hear now instead, as a ladder step that would
        // reach nobody passes on to the next. Known only once dashboards had the grace to come back.
        bool holder_away = false;
        if (remind && connected && !connected->contains(holder)) {
            auto it =
                std::find_if(staff->begin(), staff->end(), [&](const auto& s) { return s.id == holder; });
            holder_away = it == staff->end() || it->phone.empty();
            remind = !holder_away;
            if (holder_away)
                spdlog::warn("escalation: request {}: its holder has no dashboard open and no phone: the "
                             "reminder goes to the coordinators",
                             id);
        }
        // Overdue: the coordinators but the holder, who was reminded already; with no other coordinator
        // (a small office whose coordinator took it), everyone else; with nobody else, the holder again.
        const char* who = remind ? "acknowledger" : "coordinators";
        auto people = select(*staff, [&](const store::staff_record& s) {
            return remind ? s.id == holder : s.role != protocol::staff_role::staff && s.id != holder;
        });
        if (!remind && people.empty()) {
            who = "all_staff";
            people = select(*staff, [&](const store::staff_record& s) { return s.id != holder; });
        }
        if (people.empty()) {
            who = "acknowledger";
            people = select(*staff, [&](const store::staff_record& s) { return s.id == holder; });
        }
        engine::escalation_step both{};
        both.dashboard = both.sms = true;
        // Whether `p` can get it (a dashboard open, or a phone): known, as above, only after the grace.
        auto reaches = [&](const std::vector<store::staff_record>& p) {
            return !connected || reached_count(both, p, connected) > 0;
        };
        // Coordinators none of whom can get it: those on duty hear instead, as a ladder step that would reach
        // nobody passes on; when none of them can either, everyone else, off duty too (their phones texted:
        // the request's holder is gone and nobody else would hear of it).
        bool coordinators_away = false;
        if (!remind && std::string_view(who) == "coordinators" && !reaches(people)) {
            auto on_duty =
                select(*staff, [&](const store::staff_record& s) { return s.id != holder && s.on_duty; });
            auto everyone = select(*staff, [&](const store::staff_record& s) { return s.id != holder; });
            coordinators_away = reaches(on_duty) || reaches(everyone);
            if (reaches(on_duty)) {
                who = "on_duty";
                people = std::move(on_duty);
            } else if (reaches(everyone)) {
                who = "all_staff";
                people = std::move(everyone);
            }
            if (coordinators_away)
                spdlog::warn(
                    "escalation: request {}: no coordinator has a dashboard open or a phone: the overdue "
                    "reminder goes to {}",
                    id, who);
        }
        // Nobody else can get it: the holder again, when they can.
        bool nobody_else = false;
        if (!remind && !holder_away && !reaches(people)) {
            auto holder_only = select(*staff, [&](const store::staff_record& s) { return s.id == holder; });
            if (reaches(holder_only)) {
                spdlog::warn("escalation: request {}: nobody but its holder can get the overdue reminder "
                             "(no dashboard open, no phone): it goes to the holder again",
                             id);
                nobody_else = true;
                who = "acknowledger";
                people = std::move(holder_only);
            }
        }
        boost::json::object detail{{"stage", remind || holder_away ? 1 : d.next.ack_reminders},
                                   {"who", who},
                                   {"acknowledged_by", holder}};
        if (holder_away)
            detail["acknowledger_unreachable"] = true;
        if (coordinators_away)
            detail["coordinators_unreachable"] = true;
        if (nobody_else)
            detail["nobody_else_reachable"] = true;
        if (connected) {
            auto reached = reached_count(both, people, connected);
            detail["reached"] = reached;
            if (reached == 0)
                detail["reached_nobody"] = true;
        }
        auto situation = std::string_view(who) == "acknowledger"
                             ? std::string("przyjęte, bez kontaktu z mieszkańcem")
                             : fmt::format("ma je {}, bez kontaktu z mieszkańcem",
                                           short_name(r.view.acknowledged_by->name));
        alert_people(out, detail, people, true, true, situation, store::staff_text_kind::follow_up);
        events.push_back({"ack_timeout", "system", std::nullopt, boost::json::serialize(detail)});
    }
    auto moved = store::advance_ladder(db, id, d.next.started_at, d.next.cycle, d.next.next_step,
                                       d.next.ack_reminders, events, now);
    if (!moved)
        return moved.error();
    out.request = std::move(*moved);
    if (auto kept = keep_texts(db, out, now); !kept)
        return kept.error();
    return out;
}

store::result<escalator::outcome> after_hours_press_recorded(store::database& db, std::int64_t id,
                                                             millis opens_at,
                                                             const std::string& after_hours_phone,
                                                             millis now) {
    auto found = store::find_request(db, id);
    if (!found)
        return found.error();
    if (!*found || (*found)->view.state != protocol::request_state::acknowledged)
        return make_error_code(store::errc::not_found);
    const auto& r = **found;
    escalator::outcome out{r, {}, {}};
    std::vector<store::event_draft> events;
    // "… (Jan K.) sprzed 300 min: ponowione 1 raz, poza godzinami urzędu, ma je Anna K., bez kontaktu z
    // mieszkańcem. Szczegóły w panelu ASK." (staff_text). One contacted before is to be contacted again.
    auto situation = fmt::format("{}poza godzinami urzędu, ma je {}, {}", repeats_said(r),
                                 short_name(r.view.acknowledged_by->name),
                                 r.contacted_at ? "do ponownego kontaktu" : "bez kontaktu z mieszkańcem");
    // Told apart from what the phone hears of the request waiting (decide_and_record): given back later the
    // same night, it is news there again.
    auto told =
        fmt::format("{}:taken_by={}", store::after_hours_told(r.view.level, opens_at, r.view.repeat_count),
                    r.view.acknowledged_by->id);
    if (auto texted = text_after_hours_phone(db, r, told, after_hours_phone, situation, out, events); !texted)
        return texted.error();
    if (out.sms.empty())
        return out;
    auto recorded = store::advance_ladder(db, id, r.ladder_started_at, r.ladder_cycle, r.ladder_next_step,
                                          r.ack_reminders, events, now);
    if (!recorded)
        return recorded.error();
    out.request = std::move(*recorded);
    if (auto kept = keep_texts(db, out, now); !kept)
        return kept.error();
    return out;
}

} // namespace ask
