#include "gateways/sms_parts.hpp"

#include <algorithm>

namespace ask::gateways {

bool is_part_of_longer(const inbound_sms& sms) {
    return sms.part_total > 1 && !sms.part_ref.empty() && sms.part_total <= max_parts && sms.part_index >= 1 &&
           sms.part_index <= sms.part_total && sms.text.size() <= max_part_bytes;
}

inbound_sms join_parts(std::vector<inbound_sms> parts, int total) {
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.part_index < b.part_index; });
    inbound_sms whole = parts.front();
    whole.text.clear();
    int expected = 1;
    for (const auto& p : parts) {
        if (p.part_index != expected)
            whole.text += "(…)";
        whole.text += p.text;
        expected = p.part_index + 1;
    }
    if (expected <= total)
        whole.text += "(…)";
    whole.part_index = 1;
    whole.part_total = 1;
    whole.part_ref.clear();
    return whole;
}

} // namespace ask::gateways
