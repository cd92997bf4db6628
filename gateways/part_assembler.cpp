#include "gateways/part_assembler.hpp"

#include <algorithm>

namespace ask::gateways {

void part_assembler::expire(std::int64_t now_ms) {
    std::erase_if(groups_, [&](const auto& g) { return now_ms - g.second.first_seen > max_age_ms_; });
    while (groups_.size() >= max_groups_) {
        auto oldest = std::min_element(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
            return a.second.first_seen < b.second.first_seen;
        });
        groups_.erase(oldest);
    }
}

std::optional<inbound_sms> part_assembler::add(inbound_sms part, std::int64_t now_ms) {
    if (part.part_total <= 1 || part.part_ref.empty())
        return part;
    key k{part.provider, part.from, part.part_ref};
    if (!groups_.contains(k))
        expire(now_ms);
    auto& g = groups_[k];
    if (g.parts.empty()) {
        g.first_seen = now_ms;
        g.total = part.part_total;
    }
    g.parts.emplace(part.part_index, std::move(part)); // a repeated part (a retry) keeps the first copy
    if (static_cast<int>(g.parts.size()) < g.total)
        return std::nullopt;
    inbound_sms whole = g.parts.begin()->second;
    whole.text.clear();
    for (const auto& [index, p] : g.parts)
        whole.text += p.text;
    whole.part_index = 1;
    whole.part_total = 1;
    whole.part_ref.clear();
    groups_.erase(k);
    return whole;
}

} // namespace ask::gateways
