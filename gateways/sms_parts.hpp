// The parts of a long text that a provider delivers one webhook at a time (Vonage's
// concat-ref/-part/-total, sms-gateways.md 2.1). Pure: which webhooks are parts, and how the parts
// that arrived make one text. Holding them until the rest comes is the store's (store/sms_parts),
// so a part is acknowledged to the provider only once it is saved.
#pragma once

#include "gateways/webhook.hpp"

#include <cstddef>
#include <vector>

namespace ask::gateways {

/// A real part is at most 160 GSM-7 characters (≤ 480 bytes of UTF-8) or 67 UCS-2 units.
inline constexpr std::size_t max_part_bytes = 1024;

/// Whether `sms` is one part of a longer text, to be held until the rest arrives. A single text
/// (part_total 1 or no part_ref) is not, and neither is a part that cannot belong to a whole (index
/// outside 1..part_total, part_total over max_parts, text over max_part_bytes): it is a text of its own.
bool is_part_of_longer(const inbound_sms& sms);

/// One text from the parts of one long text that arrived (any order, each index once): their texts
/// joined in part order, "(…)" wherever parts are missing (of `total`), so the resident's words reach
/// a person even when some never came. The lowest part's provider, message_id, from and to;
/// part_index = part_total = 1, part_ref "". `parts` is not empty.
inbound_sms join_parts(std::vector<inbound_sms> parts, int total);

} // namespace ask::gateways
