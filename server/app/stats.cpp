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

} // namespace

stats_report compute_stats(const std::vector<store::request_record>& requests, millis from, millis to) {
    stats_report r;
    r.from = from;
    r.to = to;
    std::vector<millis> ack, contact, resolve;
    for (const auto& q : requests) {
        ++r.total;
        ++r.by_priority[std::string(protocol::to_string(q.view.level))];
        ++r.by_channel[std::string(protocol::to_string(q.view.via))];
        ++r.by_state[std::string(protocol::to_string(q.view.state))];
        if (q.outcome)
            ++r.by_outcome[std::string(protocol::to_string(*q.outcome))];
        if (q.acknowledged_at) {
            auto t = *q.acknowledged_at - q.view.created_at;
            ack.push_back(t);
            if (t <= 60'000)
                ++r.acknowledged_within_60s;
        }
        if (q.contacted_at)
            contact.push_back(*q.contacted_at - q.view.created_at);
        if (q.resolved_at)
            resolve.push_back(*q.resolved_at - q.view.created_at);
    }
    r.to_acknowledge = summarise(std::move(ack));
    r.to_contact = summarise(std::move(contact));
    r.to_resolve = summarise(std::move(resolve));
    if (r.total > 0)
        r.share_acknowledged_within_60s = static_cast<double>(r.acknowledged_within_60s) / static_cast<double>(r.total);
    return r;
}

std::string stats_json(const stats_report& r) {
    return boost::json::serialize(boost::json::object{
        {"from", protocol::iso8601(r.from)},
        {"to", protocol::iso8601(r.to)},
        {"first_day", r.first_day},
        {"last_day", r.last_day},
        {"total", r.total},
        {"by_priority", counts_json(r.by_priority)},
        {"by_channel", counts_json(r.by_channel)},
        {"by_state", counts_json(r.by_state)},
        {"by_outcome", counts_json(r.by_outcome)},
        {"to_acknowledge", summary_json(r.to_acknowledge)},
        {"to_contact", summary_json(r.to_contact)},
        {"to_resolve", summary_json(r.to_resolve)},
        {"acknowledged_within_60s", r.acknowledged_within_60s},
        {"share_acknowledged_within_60s",
         r.share_acknowledged_within_60s ? boost::json::value(*r.share_acknowledged_within_60s) : boost::json::value(nullptr)},
    });
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
    for (const auto& [name, s] : {std::pair{"to_acknowledge", &r.to_acknowledge}, std::pair{"to_contact", &r.to_contact},
                                  std::pair{"to_resolve", &r.to_resolve}}) {
        row(fmt::format("{}.count", name), std::to_string(s->count));
        row(fmt::format("{}.p50_s", name), fmt::format("{:.3f}", seconds(s->p50)));
        row(fmt::format("{}.p90_s", name), fmt::format("{:.3f}", seconds(s->p90)));
        row(fmt::format("{}.max_s", name), fmt::format("{:.3f}", seconds(s->max)));
    }
    row("acknowledged_within_60s", std::to_string(r.acknowledged_within_60s));
    row("share_acknowledged_within_60s",
        r.share_acknowledged_within_60s ? fmt::format("{:.4f}", *r.share_acknowledged_within_60s) : std::string());
    return out;
}

} // namespace ask
