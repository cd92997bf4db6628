// Joins the parts of a long text that a provider delivers one webhook at a time (Vonage's
// concat-ref/-part/-total, sms-gateways.md 2.1), keyed by (provider, from, part_ref). Pure, one thread.
//
// Bounded memory: at most `max_groups` texts wait for parts (each at most max_parts parts of at
// most max_part_bytes), plus at most `max_groups` given-up texts waiting for take_expired().
// A text whose parts stop coming is given up `max_age_ms` after its first part arrived, or
// earlier when the table is full and a new text needs room (the oldest goes first). A given-up
// text is not dropped: take_expired() hands it over with what arrived, "(…)" where parts are
// missing, so the resident's words still reach a person. Only when more than `max_groups`
// given-up texts wait uncollected is the oldest of them lost.
//
// A part is acknowledged to the provider once it is held here, so a restart loses held parts.
#pragma once

#include "gateways/webhook.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace ask::gateways {

class part_assembler {
public:
    /// A real part is at most 160 GSM-7 characters (≤ 480 bytes of UTF-8) or 67 UCS-2 units.
    static constexpr std::size_t max_part_bytes = 1024;

    explicit part_assembler(std::size_t max_groups = 1000, std::int64_t max_age_ms = 10 * 60 * 1000)
        : max_groups_(max_groups == 0 ? 1 : max_groups), max_age_ms_(max_age_ms) {}

    /// Adds a part. Returns the whole text once every part is in: the parts' texts joined in order,
    /// part 1's message_id, part_index = part_total = 1, part_ref "". A single text (part_total 1 or
    /// no part_ref) comes straight back, and so does, as a text of its own, a part that cannot
    /// belong to a whole: index outside 1..part_total, part_total over max_parts, text over
    /// max_part_bytes, or a part_total different from the one its first part announced. A part
    /// already held (a provider's retry) is ignored.
    std::optional<inbound_sms> add(inbound_sms part, std::int64_t now_ms);

    /// Every text given up so far, and now every one older than max_age_ms, joined as described
    /// above (message_id of the lowest part that arrived). Call it from a timer.
    std::vector<inbound_sms> take_expired(std::int64_t now_ms);

    std::size_t pending() const { return groups_.size(); }

private:
    using key = std::tuple<std::string, std::string, std::string>; // provider, from, part_ref
    struct group {
        std::int64_t first_seen = 0;
        int total = 0;
        std::map<int, inbound_sms> parts;
    };
    static inbound_sms join(const group&);
    void give_up(std::map<key, group>::iterator);
    void expire(std::int64_t now_ms);

    std::size_t max_groups_;
    std::int64_t max_age_ms_;
    std::map<key, group> groups_;
    std::deque<inbound_sms> given_up_;
};

} // namespace ask::gateways
