// The parts of long texts that arrived and wait for the rest (a provider such as Vonage delivers
// each part as its own webhook; gateways/sms_parts.hpp joins them). Persist, then acknowledge: a
// part is saved before the provider is told it arrived. A group is forgotten, and the message id
// of each of its parts recorded as seen (inbound_sms), only once its text was stored as a request
// or a reply: a stop in between delivers the text again (its message id makes that a retry), and a
// provider's retry of a part already delivered changes nothing. A text delivered with parts missing
// keeps its parts for a while with the request it became, so that a missing part arriving later
// completes that request's message rather than counting as the resident writing again. All
// functions run on the store thread.
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"
#include "server/store/requests.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

using protocol::millis;

/// One part; a group is the parts with the same provider, sender and part_ref.
struct text_part {
    std::string provider;
    std::string sender;
    std::string part_ref;
    int index = 1; ///< 1-based
    int total = 1; ///< as the group's first saved part announced
    std::string message_id;
    std::string recipient;
    std::string text;
    millis received_at = 0;
};

struct held_part {
    enum class kind {
        saved,       ///< held until the rest arrives (a retried part keeps the first copy)
        seen_before, ///< its text was delivered already: nothing to do
        complete,    ///< this was the last missing part: `group` has them all, in index order
        other_total, ///< its total disagrees with its group's: not part of it (a text of its own)
        late ///< missing from a text delivered without it (keep_incomplete_text), which became request
             ///< `request_id`: `group` has that text's parts and this one, in index order. Nothing is saved.
    } what = kind::saved;
    std::vector<text_part> group;
    std::int64_t request_id = 0; ///< for late
};

/// How long a text delivered with parts missing is kept for a late part. A day: far longer than a
/// carrier holds a part back, and short enough that a phone that reuses its part_refs (one byte; some
/// phones pick them at random) rarely meets an old text's with the same total and an index it lacked.
constexpr millis late_part_window = 24LL * 3600 * 1000;

/// Saves a part of a long text (`received_at` is when it arrived), unless it is late (late_group): no
/// part of its group waits, and it is the missing part of a kept text.
result<held_part> hold_part(database&, const text_part&, millis late_window);

/// Whether `parts` (one group's, not empty) are late: a text with their provider, sender, part_ref and
/// total, delivered at most `late_window` before the first of them arrived, is kept (keep_incomplete_text)
/// and lacks every one of their indexes. If so, that text's parts and these, in index order, and its request.
result<std::optional<held_part>> late_group(database&, const std::vector<text_part>& parts,
                                            millis late_window);

/// What part_groups_due found.
struct parts_due {
    std::vector<std::vector<text_part>> groups; ///< to deliver now, each in index order, oldest first
    std::size_t waiting = 0;                    ///< groups not yet due: still waiting for parts
};

/// The groups to deliver at `now`: complete ones (a stop came between a group's last part and its
/// delivery), late ones (late_group: parts that came while their text was being delivered without
/// them), those whose first part came more than `wait` ago, and all but the newest `max_groups` (a
/// bound on how many texts wait for parts).
result<parts_due> part_groups_due(database&, millis now, millis wait, std::size_t max_groups);

/// After the text joined from `delivered` was stored: those parts are forgotten and their message
/// ids recorded as seen. A part of their group that arrived meanwhile stays, to be delivered later.
result<void> forget_delivered_parts(database&, const std::vector<text_part>& delivered, millis now);

/// After the text joined from `delivered`, with parts missing, became the new request `request_id`:
/// keeps its parts, replacing an older text's with the same part_ref, so that hold_part finds a late
/// part of it.
result<void> keep_incomplete_text(database&, const std::vector<text_part>& delivered, std::int64_t request_id,
                                  millis now);

/// Forgets the texts keep_incomplete_text kept before `before` (the upkeep passes now - late_part_window).
/// Returns how many parts.
result<int> forget_incomplete_texts_before(database&, millis before);

/// Late parts (held_part::kind::late, one group's) complete their request, which must be open: each
/// not seen before is kept with the text (as delivered then, so the window counts from the delivery),
/// its message id marked seen and its waiting copy, if any, forgotten; the message becomes `join` of
/// every kept part, read here (so late parts arriving together each add to the other's), and a
/// `message_completed` event by the resident records it. Parts all seen before change nothing (a
/// provider's retry). not_found, changing nothing, when the request is closed, or the parts are no
/// longer late (their text was forgotten or replaced since late_group, or holds another part of an index).
result<request_record> complete_message(database&, const std::vector<text_part>& late,
                                        std::int64_t request_id,
                                        const std::function<std::string(const std::vector<text_part>&)>& join,
                                        millis now);

} // namespace ask::store
