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

// The kept parts of the text delivered without some of its parts whose group `p` names, if one was
// delivered since `since`, with the request it became (0 when none).
result<std::pair<std::vector<text_part>, std::int64_t>> incomplete_text_of(database& db, const text_part& p,
                                                                           millis since) {
    std::int64_t request_id = 0;
    auto parts = all<text_part>(
        db,
        std::string("SELECT ") + part_columns +
            ", request_id FROM incomplete_text_parts WHERE provider = ?1 AND sender = ?2 AND part_ref = ?3 "
            "AND delivered_at >= ?4 ORDER BY part_index",
        [&](statement& s) {
            bind_group(s, p);
            s.bind(4, since);
        },
        [&](const statement& s) {
            request_id = s.column_int(9);
            return read_part(s);
        });
    if (!parts)
        return parts.error();
    return std::pair{std::move(*parts), request_id};
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
        auto delivered = incomplete_text_of(db, p, p.received_at - late_window);
        if (!delivered)
            return delivered.error();
        auto& [parts, request_id] = *delivered;
        bool missing =
            std::none_of(parts.begin(), parts.end(), [&](const text_part& q) { return q.index == p.index; });
        if (!parts.empty() && parts.front().total == p.total && missing) {
            parts.push_back(p);
            std::sort(parts.begin(), parts.end(),
                      [](const auto& a, const auto& b) { return a.index < b.index; });
            return held_part{held_part::kind::late, std::move(parts), request_id};
        }
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
    };
    auto groups = all<summary>(
        db,
        "SELECT provider, sender, part_ref, MAX(part_total), MIN(received_at), COUNT(*) FROM inbound_parts "
        "GROUP BY provider, sender, part_ref ORDER BY MIN(received_at) DESC",
        no_parameters, [](const statement& s) {
            summary g;
            g.key.provider = s.column_text(0);
            g.key.sender = s.column_text(1);
            g.key.part_ref = s.column_text(2);
            g.key.total = static_cast<int>(s.column_int(3));
            g.first = s.column_int(4);
            g.parts = s.column_int(5);
            return g;
        });
    if (!groups)
        return groups.error();
    parts_due due;
    for (std::size_t i = groups->size(); i-- > 0;) { // oldest first
        const auto& g = (*groups)[i];
        if (g.parts < g.key.total && now - g.first <= wait && i < max_groups) {
            ++due.waiting;
            continue;
        }
        auto parts = group_of(db, g.key);
        if (!parts)
            return parts.error();
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

result<request_record> complete_message(database& db, const text_part& late, std::int64_t request_id,
                                        const std::string& message, millis now) {
    auto current = find_request(db, request_id);
    if (!current)
        return current.error();
    if (!*current || !protocol::is_open((*current)->view.state))
        return make_error_code(errc::not_found);
    if (auto set = run_sql(db, "UPDATE requests SET message = ?2 WHERE id = ?1",
                           [&](statement& s) { s.bind(1, request_id).bind(2, message); });
        !set)
        return set.error();
    boost::json::object detail{{"part", late.index}, {"of", late.total}, {"text", message}};
    if (auto e = append_event(db, request_id, "message_completed", "resident", (*current)->view.resident.id,
                              boost::json::serialize(detail), now);
        !e)
        return e.error();
    if (auto kept = keep_part(db, late, request_id, now); !kept)
        return kept.error();
    if (auto marked = mark_inbound(db, late.provider, late.message_id, now); !marked)
        return marked.error();
    auto done = find_request(db, request_id);
    if (!done)
        return done.error();
    return std::move(**done);
}

} // namespace ask::store
