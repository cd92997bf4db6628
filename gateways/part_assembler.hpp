// Joins the parts of a long text that a provider delivers one webhook at a time (Vonage's
// concat-ref/-part/-total, sms-gateways.md 2.1). Parts wait in memory: at most `max_groups`
// texts at once and `max_age` each; the oldest is dropped first (and logged by the caller as a
// lost partial). A part is acknowledged to the provider when it is held, so a crash before the
// last part arrives loses the earlier parts: the resident's later parts still arrive as a text.
#pragma once

#include "gateways/webhook.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>

namespace ask::gateways {

class part_assembler {
public:
    explicit part_assembler(std::size_t max_groups = 1000, std::int64_t max_age_ms = 10 * 60 * 1000)
        : max_groups_(max_groups), max_age_ms_(max_age_ms) {}

    /// Adds a part; returns the whole message (text joined in part order, the first part's id as
    /// message_id) once every part is in. A single-part message comes straight back.
    std::optional<inbound_sms> add(inbound_sms part, std::int64_t now_ms);

    std::size_t pending() const { return groups_.size(); }

private:
    using key = std::tuple<std::string, std::string, std::string>; // provider, from, part_ref
    struct group {
        std::int64_t first_seen = 0;
        int total = 0;
        std::map<int, inbound_sms> parts;
    };
    void expire(std::int64_t now_ms);

    std::size_t max_groups_;
    std::int64_t max_age_ms_;
    std::map<key, group> groups_;
};

} // namespace ask::gateways
