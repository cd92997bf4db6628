#include "server/app/stats.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace ask {
namespace {

using protocol::millis;

duration_summary summarise(std::vector<millis> d) {
    duration_summary s;
    s.count = d.size();
    if (d.empty())
        return s;
    std::sort(d.begin(), d.end());
    auto rank = [&](double p) {
        auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(d.size())));
        return d[std::clamp<std::size_t>(i, 1, d.size()) - 1];
    };
    s.p50 = rank(0.5);
    s.p90 = rank(0.9);
    s.max = d.back();
    return s;
}

double seconds(millis ms) { return static_cast<double>(ms) / 1000.0; }

boost::json::object summary_json(const duration_summary& s) {
    return {{"count", s.count}, {"p50_s", seconds(s.p50)}, {"p90_s", seconds(s.p90)}, {"max_s", seconds(s.max)}};
}

boost::json::object counts_json(const std::map<std::string, std::size_t>& m) {
    boost::json::object o;
    for (const auto& [k, v] : m)
        o[k] = v;
    return o;
}

constexpr millis target = 60'000;

// When the resident was first reached: a `contacted` step, or a resolve as called back (the call-back
// reached them then) when there was none before it.
std::optional<millis> first_contact(const store::request_history& h) {
    std::optional<millis> called_back;
    if (h.record.outcome == protocol::outcome::called_back)
        called_back = h.record.resolved_at;
    if (h.first_contacted_at && called_back)
        return std::min(*h.first_contacted_at, *called_back);
    return h.first_contacted_at ? h.first_contacted_at : called_back;
}

// Gathers one set of requests' response_times.
class times_builder {
  public:
    void add(const store::request_history& h, bool arrived_while_open) {
        auto created = h.record.view.created_at;
        auto since_arrival = [&](std::optional<millis> at, std::vector<millis>& into) {
            if (at)
                into.push_back(*at - created);
        };
        since_arrival(h.first_acknowledged_at, ack_);
        since_arrival(first_contact(h), contact_);
        since_arrival(h.record.resolved_at, resolve_);
        if (h.first_acknowledged_at && *h.first_acknowledged_at - created <= target) {
            ++t_.acknowledged_within_60s;
            ++t_.within_60s_counted;
        } else if (!arrived_while_open) {
            ++t_.left_out_arrived_while_closed;
        } else if (h.cancelled_at && *h.cancelled_at - created <= target) {
            ++t_.left_out_cancelled_within_60s;
        } else {
            ++t_.within_60s_counted;
        }
    }

    response_times finish() && {
        t_.to_acknowledge = summarise(std::move(ack_));
        t_.to_contact = summarise(std::move(contact_));
        t_.to_resolve = summarise(std::move(resolve_));
        if (t_.within_60s_counted > 0)
            t_.share_acknowledged_within_60s =
                static_cast<double>(t_.acknowledged_within_60s) / static_cast<double>(t_.within_60s_counted);
        return std::move(t_);
    }

  private:
    std::vector<millis> ack_, contact_, resolve_;
    response_times t_;
};

// response_times' fields, into `o`.
void add_times_json(boost::json::object& o, const response_times& t) {
    o["to_acknowledge"] = summary_json(t.to_acknowledge);
    o["to_contact"] = summary_json(t.to_contact);
    o["to_resolve"] = summary_json(t.to_resolve);
    o["acknowledged_within_60s"] = t.acknowledged_within_60s;
    o["within_60s_counted"] = t.within_60s_counted;
    o["within_60s_left_out"] = boost::json::object{{"arrived_while_closed", t.left_out_arrived_while_closed},
                                                   {"cancelled_within_60s", t.left_out_cancelled_within_60s}};
    o["share_acknowledged_within_60s"] = t.share_acknowledged_within_60s
                                             ? boost::json::value(*t.share_acknowledged_within_60s)
                                             : boost::json::value(nullptr);
}

} // namespace

stats_report compute_stats(const std::vector<store::request_history>& requests, millis from, millis to,
                           const office_open_fn& office_open) {
    stats_report r;
    r.from = from;
    r.to = to;
    times_builder all;
    std::map<protocol::priority, times_builder> by_priority{{protocol::priority::urgent, {}},
                                                            {protocol::priority::normal, {}}};
    for (const auto& h : requests) {
        const auto& q = h.record;
        ++r.total;
        ++r.by_priority[std::string(protocol::to_string(q.view.level))];
        ++r.by_channel[std::string(protocol::to_string(q.view.via))];
        ++r.by_state[std::string(protocol::to_string(q.view.state))];
        if (q.outcome)
            ++r.by_outcome[std::string(protocol::to_string(*q.outcome))];
        bool open = office_open(q.view.created_at);
        all.add(h, open);
        by_priority[q.view.level].add(h, open);
    }
    r.all = std::move(all).finish();
    for (auto& [level, times] : by_priority)
        r.by_priority_times[std::string(protocol::to_string(level))] = std::move(times).finish();
    return r;
}

std::string stats_json(const stats_report& r) {
    boost::json::object o{
        {"from", protocol::iso8601(r.from)},
        {"to", protocol::iso8601(r.to)},
        {"first_day", r.first_day},
        {"last_day", r.last_day},
        {"total", r.total},
        {"by_priority", counts_json(r.by_priority)},
        {"by_channel", counts_json(r.by_channel)},
        {"by_state", counts_json(r.by_state)},
        {"by_outcome", counts_json(r.by_outcome)},
    };
    add_times_json(o, r.all);
    boost::json::object by_priority;
    for (const auto& [level, times] : r.by_priority_times)
        add_times_json(by_priority[level].emplace_object(), times);
    o["by_priority_times"] = std::move(by_priority);
    return boost::json::serialize(o);
}

std::string stats_csv(const stats_report& r) {
    std::string out = "metric,value\r\n";
    auto row = [&](std::string_view name, const std::string& value) { out += fmt::format("{},{}\r\n", name, value); };
    row("from", protocol::iso8601(r.from));
    row("to", protocol::iso8601(r.to));
    row("first_day", r.first_day);
    row("last_day", r.last_day);
    row("total", std::to_string(r.total));
    for (const auto& [group, counts] : {std::pair{"priority", &r.by_priority}, std::pair{"channel", &r.by_channel},
                                        std::pair{"state", &r.by_state}, std::pair{"outcome", &r.by_outcome}})
        for (const auto& [k, v] : *counts)
            row(fmt::format("{}.{}", group, k), std::to_string(v));
    auto times_rows = [&](const std::string& prefix, const response_times& t) {
        for (const auto& [name, s] :
             {std::pair{"to_acknowledge", &t.to_acknowledge}, std::pair{"to_contact", &t.to_contact},
              std::pair{"to_resolve", &t.to_resolve}}) {
            row(fmt::format("{}{}.count", prefix, name), std::to_string(s->count));
            row(fmt::format("{}{}.p50_s", prefix, name), fmt::format("{:.3f}", seconds(s->p50)));
            row(fmt::format("{}{}.p90_s", prefix, name), fmt::format("{:.3f}", seconds(s->p90)));
            row(fmt::format("{}{}.max_s", prefix, name), fmt::format("{:.3f}", seconds(s->max)));
        }
        row(prefix + "acknowledged_within_60s", std::to_string(t.acknowledged_within_60s));
        row(prefix + "within_60s_counted", std::to_string(t.within_60s_counted));
        row(prefix + "within_60s_left_out.arrived_while_closed",
            std::to_string(t.left_out_arrived_while_closed));
        row(prefix + "within_60s_left_out.cancelled_within_60s",
            std::to_string(t.left_out_cancelled_within_60s));
        row(prefix + "share_acknowledged_within_60s",
            t.share_acknowledged_within_60s ? fmt::format("{:.4f}", *t.share_acknowledged_within_60s)
                                            : std::string());
    };
    times_rows("", r.all);
    for (const auto& [level, times] : r.by_priority_times)
        times_rows("priority." + level + ".", times);
    return out;
}

} // namespace ask
