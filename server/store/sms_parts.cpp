#include "server/store/sms_parts.hpp"

#include "server/store/accounts.hpp"
#include "server/store/error.hpp"
#include "server/store/sql.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace ask::store {
namespace {

constexpr const char* part_columns =
    "provider, sender, part_ref, part_index, part_total, message_id, recipient, text, received_at";

text_part read_part(const statement& s) {
    text_part p;
    p.provider = s.column_text(0);
    p.sender = s.column_text(1);
    p.part_ref = s.column_text(2);
    p.index = static_cast<int>(s.column_int(3));
    p.total = static_cast<int>(s.column_int(4));
    p.message_id = s.column_text(5);
    p.recipient = s.column_text(6);
    p.text = s.column_text(7);
    p.received_at = s.column_int(8);
    return p;
}

void bind_group(statement& s, const text_part& p) { s.bind(1, p.provider).bind(2, p.sender).bind(3, p.part_ref); }

result<std::vector<text_part>> group_of(database& db, const text_part& p) {
    return all<text_part>(db,
                          std::string("SELECT ") + part_columns +
                              " FROM inbound_parts WHERE provider = ?1 AND sender = ?2 AND part_ref = ?3 "
                              "ORDER BY part_index",
                          [&](statement& s) { bind_group(s, p); }, read_part);
}

/// A text kept by keep_incomplete_text: its parts in index order, the request it became, and when it
/// was delivered (its late parts are kept with that time, so the window counts from the delivery).
struct kept_text {
    std::vector<text_part> parts;
    std::int64_t request_id = 0;
    millis delivered_at = 0;
};

// The kept text of the group `p` names, if one was delivered since `since` (none: no parts).
result<kept_text> kept_text_of(database& db, const text_part& p, millis since) {
    kept_text out;
    auto parts = all<text_part>(
        db,
        std::string("SELECT ") + part_columns +
            ", request_id, delivered_at FROM incomplete_text_parts WHERE provider = ?1 AND sender = ?2 "
            "AND part_ref = ?3 AND delivered_at >= ?4 ORDER BY part_index",
        [&](statement& s) {
            bind_group(s, p);
            s.bind(4, since);
        },
        [&](const statement& s) {
            out.request_id = s.column_int(9);
            out.delivered_at = s.column_int(10);
            return read_part(s);
        });
    if (!parts)
        return parts.error();
    out.parts = std::move(*parts);
    return out;
}

void by_index(std::vector<text_part>& parts) {
    std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.index < b.index; });
}

result<void> keep_part(database& db, const text_part& p, std::int64_t request_id, millis now) {
    return run_sql(db,
                   std::string("INSERT OR REPLACE INTO incomplete_text_parts (") + part_columns +
                       ", request_id, delivered_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                   [&](statement& s) {
                       bind_group(s, p);
                       s.bind(4, p.index).bind(5, p.total).bind(6, p.message_id).bind(7, p.recipient);
                       s.bind(8, p.text).bind(9, p.received_at).bind(10, request_id).bind(11, now);
                   });
}

} // namespace

result<std::optional<held_part>> late_group(database& db, const std::vector<text_part>& parts,
                                            millis late_window) {
    auto kept = kept_text_of(db, parts.front(), parts.front().received_at - late_window);
    if (!kept)
        return kept.error();
    auto& text = kept->parts;
    if (text.empty() || text.front().total != parts.front().total)
        return std::nullopt;
    for (const auto& p : parts)
        if (std::any_of(text.begin(), text.end(), [&](const text_part& q) { return q.index == p.index; }))
            return std::nullopt;
    text.insert(text.end(), parts.begin(), parts.end());
    by_index(text);
    return held_part{held_part::kind::late, std::move(text), kept->request_id};
}

result<held_part> hold_part(database& db, const text_part& p, millis late_window) {
    auto seen = inbound_seen(db, p.provider, p.message_id);
    if (!seen)
        return seen.error();
    if (*seen)
        return held_part{held_part::kind::seen_before, {}};
    auto group = group_of(db, p);
    if (!group)
        return group.error();
    if (group->empty()) {
        auto late = late_group(db, {p}, late_window);
        if (!late)
            return late.error();
        if (*late)
            return std::move(**late);
    }
    if (!group->empty() && group->front().total != p.total)
        return held_part{held_part::kind::other_total, {}};
    bool retried = std::any_of(group->begin(), group->end(), [&](const text_part& q) { return q.index == p.index; });
    if (retried)
        return held_part{held_part::kind::saved, {}};
    auto saved = run_sql(db,
                         std::string("INSERT INTO inbound_parts (") + part_columns +
                             ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                         [&](statement& s) {
                             bind_group(s, p);
                             s.bind(4, p.index).bind(5, p.total).bind(6, p.message_id).bind(7, p.recipient);
                             s.bind(8, p.text).bind(9, p.received_at);
                         });
    if (!saved)
        return saved.error();
    group->push_back(p);
    if (static_cast<int>(group->size()) < p.total)
        return held_part{held_part::kind::saved, {}};
    std::sort(group->begin(), group->end(), [](const auto& a, const auto& b) { return a.index < b.index; });
    return held_part{held_part::kind::complete, std::move(*group)};
}

result<parts_due> part_groups_due(database& db, millis now, millis wait, std::size_t max_groups) {
    struct summary {
        text_part key;
        millis first = 0;
        std::int64_t parts = 0;
        bool kept_text = false; ///< a text with its part_ref is kept (keep_incomplete_text)
    };
    auto groups = all<summary>(
        db,
        "SELECT provider, sender, part_ref, MAX(part_total), MIN(received_at), COUNT(*), "
        "EXISTS (SELECT 1 FROM incomplete_text_parts k "
        "WHERE k.provider = p.provider AND k.sender = p.sender AND k.part_ref = p.part_ref) "
        "FROM inbound_parts p GROUP BY provider, sender, part_ref ORDER BY MIN(received_at) DESC",
        no_parameters, [](const statement& s) {
            summary g;
            g.key.provider = s.column_text(0);
            g.key.sender = s.column_text(1);
            g.key.part_ref = s.column_text(2);
            g.key.total = static_cast<int>(s.column_int(3));
            g.first = s.column_int(4);
            g.parts = s.column_int(5);
            g.kept_text = s.column_int(6) != 0;
            return g;
        });
    if (!groups)
        return groups.error();
    parts_due due;
    for (std::size_t i = groups->size(); i-- > 0;) { // oldest first
        const auto& g = (*groups)[i];
        bool waits = g.parts < g.key.total && now - g.first <= wait && i < max_groups;
        if (waits && !g.kept_text) {
            ++due.waiting;
            continue;
        }
        auto parts = group_of(db, g.key);
        if (!parts)
            return parts.error();
        if (waits) {
            // The rest of a text delivered without it (a part that came during that delivery) is due at once.
            auto late = late_group(db, *parts, late_part_window);
            if (!late)
                return late.error();
            if (!*late) {
                ++due.waiting;
                continue;
            }
        }
        due.groups.push_back(std::move(*parts));
    }
    return due;
}

result<void> forget_delivered_parts(database& db, const std::vector<text_part>& delivered, millis now) {
    for (const auto& p : delivered) {
        if (auto marked = mark_inbound(db, p.provider, p.message_id, now); !marked)
            return marked.error();
        auto forgotten = run_sql(
            db, "DELETE FROM inbound_parts WHERE provider = ?1 AND sender = ?2 AND part_ref = ?3 AND part_index = ?4",
            [&](statement& s) {
                bind_group(s, p);
                s.bind(4, p.index);
            });
        if (!forgotten)
            return forgotten.error();
    }
    return {};
}

result<void> keep_incomplete_text(database& db, const std::vector<text_part>& delivered,
                                  std::int64_t request_id, millis now) {
    if (delivered.empty())
        return {};
    if (auto replaced = run_sql(
            db, "DELETE FROM incomplete_text_parts WHERE provider = ?1 AND sender = ?2 AND part_ref = ?3",
            [&](statement& s) { bind_group(s, delivered.front()); });
        !replaced)
        return replaced.error();
    for (const auto& p : delivered)
        if (auto kept = keep_part(db, p, request_id, now); !kept)
            return kept.error();
    return {};
}

result<int> forget_incomplete_texts_before(database& db, millis before) {
    auto done = run_sql(db, "DELETE FROM incomplete_text_parts WHERE delivered_at < ?1",
                        [&](statement& s) { s.bind(1, before); });
    if (!done)
        return done.error();
    return db.changes();
}

result<request_record> complete_message(database& db, const std::vector<text_part>& late,
                                        std::int64_t request_id,
                                        const std::function<std::string(const std::vector<text_part>&)>& join,
                                        millis now) {
    auto current = find_request(db, request_id);
    if (!current)
        return current.error();
    if (!*current || !protocol::is_open((*current)->view.state))
        return make_error_code(errc::not_found);
    // Read again here, as the parts were found late in an earlier job: the text may have been forgotten
    // (its day ran out) or replaced by a newer one with its part_ref since. A join without the text's
    // own parts would overwrite its words; the parts are then not late after all (not_found).
    auto kept = kept_text_of(db, late.front(), 0);
    if (!kept)
        return kept.error();
    const auto& text = kept->parts;
    if (text.empty() || kept->request_id != request_id || text.front().total != late.front().total)
        return make_error_code(errc::not_found);
    std::vector<text_part> fresh;
    for (const auto& p : late) {
        auto seen = inbound_seen(db, p.provider, p.message_id);
        if (!seen)
            return seen.error();
        if (*seen)
            continue; // a copy of a part that completed the message already
        if (std::any_of(text.begin(), text.end(), [&](const text_part& q) { return q.index == p.index; }))
            return make_error_code(errc::not_found); // another part with its index is kept: not this text's
        fresh.push_back(p);
    }
    const millis delivered_at = kept->delivered_at;
    boost::json::array added;
    for (const auto& p : fresh) {
        if (auto k = keep_part(db, p, request_id, delivered_at); !k)
            return k.error();
        if (auto marked = mark_inbound(db, p.provider, p.message_id, now); !marked)
            return marked.error();
        auto waiting = run_sql(db,
                               "DELETE FROM inbound_parts WHERE provider = ?1 AND sender = ?2 AND part_ref = "
                               "?3 AND part_index = ?4",
                               [&](statement& s) {
                                   bind_group(s, p);
                                   s.bind(4, p.index);
                               });
        if (!waiting)
            return waiting.error();
        added.emplace_back(p.index);
    }
    if (added.empty())
        return std::move(**current);
    auto whole = kept_text_of(db, late.front(), 0);
    if (!whole)
        return whole.error();
    auto message = join(whole->parts);
    // A late part asking for urgent help was merged as a press again with the whole text (sms::complete_late)
    // before this: those words are the message now, not a later one's.
    if (auto set = run_sql(db,
                           "UPDATE requests SET message = ?2, latest_message = CASE WHEN latest_message = ?2 "
                           "THEN '' ELSE latest_message END WHERE id = ?1",
                           [&](statement& s) { s.bind(1, request_id).bind(2, message); });
        !set)
        return set.error();
    boost::json::object detail{{"parts", std::move(added)}, {"of", late.front().total}, {"text", message}};
    if (auto e = append_event(db, request_id, "message_completed", "resident", (*current)->view.resident.id,
                              boost::json::serialize(detail), now);
        !e)
        return e.error();
    auto done = find_request(db, request_id);
    if (!done)
        return done.error();
    return std::move(**done);
}

} // namespace ask::store
