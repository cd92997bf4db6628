#include "gateways/part_assembler.hpp"

#include <algorithm>

namespace ask::gateways {

inbound_sms part_assembler::join(const group& g) {
    inbound_sms whole = g.parts.begin()->second;
    whole.text.clear();
    int expected = 1;
    for (const auto& [index, p] : g.parts) {
        if (index != expected)
            whole.text += "(…)";
        whole.text += p.text;
        expected = index + 1;
    }
    if (expected <= g.total)
        whole.text += "(…)";
    whole.part_index = 1;
    whole.part_total = 1;
    whole.part_ref.clear();
    return whole;
}

void part_assembler::give_up(std::map<key, group>::iterator it) {
    if (given_up_.size() >= max_groups_)
        given_up_.pop_front();
    given_up_.push_back(join(it->second));
    groups_.erase(it);
}

void part_assembler::expire(std::int64_t now_ms) {
    for (auto it = groups_.begin(); it != groups_.end();) {
        auto next = std::next(it);
        if (now_ms - it->second.first_seen > max_age_ms_)
            give_up(it);
        it = next;
    }
}

std::optional<inbound_sms> part_assembler::add(inbound_sms part, std::int64_t now_ms) {
    if (part.part_total <= 1 || part.part_ref.empty())
        return part;
    if (part.part_total > max_parts || part.part_index < 1 || part.part_index > part.part_total ||
        part.text.size() > max_part_bytes)
        return part;
    expire(now_ms);
    key k{part.provider, part.from, part.part_ref};
    auto it = groups_.find(k);
    if (it == groups_.end()) {
        if (groups_.size() >= max_groups_)
            give_up(std::min_element(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
                return a.second.first_seen < b.second.first_seen;
            }));
        it = groups_.emplace(k, group{now_ms, part.part_total, {}}).first;
    } else if (it->second.total != part.part_total) {
        return part;
    }
    auto& g = it->second;
    g.parts.emplace(part.part_index, std::move(part)); // a repeated part (a retry) keeps the first copy
    if (static_cast<int>(g.parts.size()) < g.total)
        return std::nullopt;
    auto whole = join(g);
    groups_.erase(it);
    return whole;
}

std::vector<inbound_sms> part_assembler::take_expired(std::int64_t now_ms) {
    expire(now_ms);
    std::vector<inbound_sms> out(std::make_move_iterator(given_up_.begin()), std::make_move_iterator(given_up_.end()));
    given_up_.clear();
    return out;
}

} // namespace ask::gateways
