#include "server/store/requests.hpp"

#include "server/store/accounts.hpp"
#include "server/store/error.hpp"
#include "server/store/request_row.hpp"
#include "server/store/sql.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

namespace ask::store {
namespace {

using protocol::request_state;

// A press's one lookup, by resident (?1) and key (?2): the resident, always, and the request the
// press is about, if any: the key's own request (a retry), else the resident's oldest open one (a
// repeat to merge); the request columns are NULL when there is none. Two index lookups, no sort
// (ORDER BY ... LIMIT 1 built a sorter on every press).
const std::string select_resident_and_press =
    std::string(request_columns) +
    "FROM residents AS p LEFT JOIN requests AS r ON r.id = coalesce("
    "(SELECT id FROM requests WHERE resident_id = ?1 AND client_request_id = ?2), "
    "(SELECT min(id) FROM requests WHERE resident_id = ?1 AND state NOT IN ('resolved', 'cancelled')))" +
    std::string(staff_joins) + "WHERE p.id = ?1";

result<request_record> load(database& db, std::int64_t id) {
    auto found = find_request(db, id);
    if (!found)
        return found.error();
    if (!*found)
        return make_error_code(errc::not_found);
    return std::move(**found);
}

std::string json(const boost::json::object& o) { return boost::json::serialize(o); }

using protocol::awaiting_ack;

// The request if it exists, is open and belongs to the staff member's office; else not_found
// (account_disabled, whatever the request, for a disabled account).
result<request_record> load_for_staff(database& db, std::int64_t request_id, std::int64_t staff_id,
                                      bool open_only) {
    auto staff_office = office_of_staff(db, staff_id);
    if (!staff_office)
        return staff_office.error();
    auto current = load(db, request_id);
    if (!current)
        return current.error();
    if (*staff_office != current->office_id || (open_only && !protocol::is_open(current->view.state)))
        return make_error_code(errc::not_found);
    return current;
}

// Whether `staff_id` may change the taken request `current` (give it back, close it): its holder, or
// anyone above plain staff. Marking it contacted is not checked: anyone the ladder or an overdue alert
// called in to help may be the one who reached the resident, and says so. Checked in the job that changes it,
// so a role changed or a request taken over meanwhile counts. errc::not_holder otherwise.
result<void> may_change_taken(database& db, const request_record& current, std::int64_t staff_id) {
    const auto& holder = current.view.acknowledged_by;
    if (holder && holder->id == staff_id)
        return {};
    auto role = one<std::string>(
        db, "SELECT role FROM staff WHERE id = ?1", [&](statement& s) { s.bind(1, staff_id); },
        [](const statement& s) { return s.column_text(0); });
    if (!role)
        return role.error();
    if (!*role || *role == protocol::to_string(protocol::staff_role::staff))
        return make_error_code(errc::not_holder);
    return {};
}

// A press that repeats this client_request_id was merged into a request before: that request's id.
result<std::optional<std::int64_t>> merged_before(database& db, std::int64_t resident_id, const std::string& key) {
    return one<std::int64_t>(
        db,
        "SELECT e.request_id FROM request_events AS e JOIN requests AS r ON r.id = e.request_id "
        "WHERE r.resident_id = ?1 AND r.repeat_count > 0 AND e.kind = 'repeated' "
        "AND json_extract(e.detail, '$.request_id') = ?2 LIMIT 1",
        [&](statement& s) { s.bind(1, resident_id).bind(2, key); }, [](const statement& s) { return s.column_int(0); });
}

// "I still need help" (issue 3): the open request turns urgent, and every dashboard on duty rings
// again (actions::announce). A waiting request's ladder starts again, unless it was urgent already
// and still climbing (`keeps_ladder`): a press must never put its next step off. One that staff took stays
// theirs (a resident who presses again and again must not undo the acknowledgement each time), but
// is news to them: one marked contacted is to be contacted again (acknowledged; the first contact
// stays recorded for the statistics). Its ack-timeout follow-ups (engine::decide) are never put
// off by a press: they keep their time and count (the coordinators' overdue alerts repeat while no
// contact is recorded), and after a contact they count again from this press, so a taker who does
// nothing is reminded, then the coordinators are.
result<insert_result> merge_repeat(database& db, const request_record& open, const new_request_record& n, millis now,
                                   const keeps_ladder_fn& keeps_ladder) {
    auto id = open.view.id;
    bool taken = protocol::is_taken(open.view.state);
    bool keep = taken || keeps_ladder(open);
    bool followups_restart = open.view.state == protocol::request_state::contacted;
    // ?3: the ladder keeps its position (a taken request's manual escalation goes on from there);
    // ?4: a taken request's follow-ups start again from this press.
    auto done =
        run_sql(db,
                "UPDATE requests SET repeat_count = repeat_count + 1, priority = 'urgent', "
                "ladder_started_at = CASE WHEN ?3 AND NOT ?4 THEN ladder_started_at ELSE ?2 END, "
                "ladder_cycle = CASE WHEN ?3 THEN ladder_cycle ELSE 0 END, "
                "ladder_next_step = CASE WHEN ?3 THEN ladder_next_step ELSE 0 END, "
                "ack_reminders = CASE WHEN ?4 THEN 0 ELSE ack_reminders END, "
                "latest_message = CASE WHEN ?5 <> '' THEN ?5 ELSE latest_message END, "
                "state = CASE WHEN state = 'contacted' THEN 'acknowledged' ELSE state END WHERE id = ?1",
                [&](statement& s) {
                    s.bind(1, id).bind(2, now).bind(3, keep ? 1 : 0).bind(4, followups_restart ? 1 : 0);
                    s.bind(5, std::string_view(n.message));
                });
    if (!done)
        return done.error();
    boost::json::object detail{{"count", open.view.repeat_count + 1},
                               {"channel", protocol::to_string(n.via)},
                               {"priority_was", protocol::to_string(open.view.level)},
                               {"message", n.message},
                               {"ladder_restarted", !keep},
                               {"followups_restarted", followups_restart}};
    if (open.view.state == protocol::request_state::contacted)
        detail["state_was"] = "contacted";
    if (!n.client_request_id.empty())
        detail["request_id"] = n.client_request_id;
    if (auto e = append_event(db, id, "repeated", "resident", n.resident_id, json(detail), now); !e)
        return e.error();
    auto record = load(db, id);
    if (!record)
        return record.error();
    return insert_result{std::move(*record), false, true};
}

// record_notified's change: notify_count + `times` and the `notified` event.
result<void> mark_notified(database& db, std::int64_t request_id, int recipients, millis now, int times) {
    auto done = run_sql(db,
                        "UPDATE requests SET notify_count = notify_count + ?2 WHERE id = ?1 "
                        "AND state NOT IN ('resolved', 'cancelled')",
                        [&](statement& s) { s.bind(1, request_id).bind(2, times); });
    if (!done)
        return done.error();
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    boost::json::object detail{{"recipients", recipients}, {"via", "dashboard"}};
    if (times > 1)
        detail["times"] = times;
    return append_event(db, request_id, "notified", "system", std::nullopt, json(detail), now);
}

} // namespace

result<void> append_event(database& db, std::int64_t request_id, const std::string& kind,
                          const std::string& actor_kind, std::optional<std::int64_t> actor_id,
                          const std::string& detail_json, millis now) {
    return run_sql(db,
                "INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id, detail) "
                "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                [&](statement& s) {
                    s.bind(1, request_id).bind(2, now).bind(3, kind).bind(4, actor_kind).bind(5, actor_id).bind(6, detail_json);
                });
}

result<insert_result> submit_request(database& db, const new_request_record& n, millis now,
                                     const keeps_ladder_fn& keeps_ladder) {
    // One lookup answers both questions a press asks: is this key known (a retry), and is one of
    // the resident's requests still open (a repeat to merge)? It also reads the resident, so a
    // new request is returned without reading it back. Statements are few on purpose: this runs
    // for every press.
    struct lookup {
        request_record match;     ///< the resident's card, and the request the press is about if any
        bool has_request = false;
    };
    const bool keyed = !n.client_request_id.empty();
    auto found = one<lookup>(
        db, select_resident_and_press,
        [&](statement& s) {
            s.bind(1, n.resident_id);
            if (keyed)
                s.bind(2, std::string_view(n.client_request_id));
            else
                s.bind(2, std::nullopt);
        },
        [](const statement& s) { return lookup{read_request(s), !s.column_is_null(0)}; });
    if (!found)
        return found.error();
    if (!*found)
        return make_error_code(errc::not_found); // no such resident
    auto& [match, has_request] = **found;
    if (keyed && has_request && match.client_request_id == n.client_request_id) {
        // A repeat raises the request to urgent after it was stored: the retry of its first press
        // still carries the priority it was pressed with.
        bool level_differs = match.view.level != n.level && match.view.repeat_count == 0;
        if (level_differs || match.view.message != n.message)
            return make_error_code(errc::conflict);
        return insert_result{std::move(match), false};
    }
    if (keyed) {
        auto merged = merged_before(db, n.resident_id, n.client_request_id);
        if (!merged)
            return merged.error();
        if (*merged) {
            auto earlier = load(db, **merged);
            if (!earlier)
                return earlier.error();
            return insert_result{std::move(*earlier), false};
        }
    }
    if (has_request)
        return merge_repeat(db, match, n, now, keeps_ladder);
    auto inserted = run_sql(db,
                         "INSERT INTO requests (office_id, resident_id, client_request_id, priority, channel, message, "
                         "state, created_at, ladder_started_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                         [&](statement& s) {
                             s.bind(1, n.office_id).bind(2, n.resident_id);
                             if (n.client_request_id.empty())
                                 s.bind(3, std::nullopt);
                             else
                                 s.bind(3, std::string_view(n.client_request_id));
                             s.bind(4, protocol::to_string(n.level))
                                 .bind(5, protocol::to_string(n.via))
                                 .bind(6, n.message)
                                 .bind(7, protocol::to_string(n.initial_state))
                                 .bind(8, now);
                         });
    if (!inserted)
        return inserted.error();
    auto id = db.last_insert_rowid();
    boost::json::object detail{{"priority", protocol::to_string(n.level)}, {"channel", protocol::to_string(n.via)}};
    if (auto e = append_event(db, id, "created", "resident", n.resident_id, json(detail), now); !e)
        return e.error();
    // The row just inserted, as read_request would read it (every other column has its default).
    request_record created;
    created.office_id = n.office_id;
    created.client_request_id = n.client_request_id;
    created.view.id = id;
    created.view.level = n.level;
    created.view.via = n.via;
    created.view.state = n.initial_state;
    created.view.message = n.message;
    created.view.created_at = now;
    created.view.resident = std::move(match.view.resident);
    created.ladder_started_at = now;
    return insert_result{std::move(created), true, false};
}

result<request_record> set_notifying(database& db, std::int64_t request_id, bool notifying, int recipients,
                                     millis now) {
    auto done = run_sql(db,
                     "UPDATE requests SET state = ?2 "
                     "WHERE id = ?1 AND (state = 'received' OR state = 'queued' OR state = 'notifying')",
                     [&](statement& s) { s.bind(1, request_id).bind(2, notifying ? "notifying" : "queued"); });
    if (!done)
        return done.error();
    if (db.changes() == 0) {
        auto existing = find_request(db, request_id);
        if (!existing)
            return existing.error();
        return make_error_code(*existing ? errc::conflict : errc::not_found);
    }
    boost::json::object detail{{"reachable_staff", recipients}};
    if (auto e = append_event(db, request_id, notifying ? "notifying" : "queued", "system", std::nullopt, json(detail), now); !e)
        return e.error();
    return load(db, request_id);
}

result<request_record> record_notified(database& db, std::int64_t request_id, int recipients, millis now,
                                       int times) {
    if (auto marked = mark_notified(db, request_id, recipients, now, times); !marked)
        return marked.error();
    return load(db, request_id);
}

result<void> record_notified(database& db, request_record& request, int recipients, millis now) {
    if (auto marked = mark_notified(db, request.view.id, recipients, now, 1); !marked)
        return marked.error();
    ++request.view.notify_count;
    return {};
}

result<ack_result> acknowledge(database& db, std::int64_t request_id, std::int64_t staff_id, millis now) {
    auto done = run_sql(
        db,
        "UPDATE requests SET state = 'acknowledged', acked_by = ?2, acked_at = ?3, ladder_started_at = ?3 "
        "WHERE id = ?1 AND (state = 'received' OR state = 'queued' OR state = 'notifying') "
        "AND office_id = (SELECT office_id FROM staff WHERE id = ?2 AND disabled_at IS NULL)",
        [&](statement& s) { s.bind(1, request_id).bind(2, staff_id).bind(3, now); });
    if (!done)
        return done.error();
    bool won = db.changes() == 1;
    auto staff_office = office_of_staff(db, staff_id);
    if (!staff_office)
        return staff_office.error();
    auto record = load(db, request_id);
    if (!record)
        return record.error();
    if (*staff_office != record->office_id || !protocol::is_open(record->view.state))
        return make_error_code(errc::not_found);
    if (won) {
        if (auto e = append_event(db, request_id, "acknowledged", "staff", staff_id, "{}", now); !e)
            return e.error();
    }
    return ack_result{std::move(*record), won};
}

result<request_record> resolve(database& db, std::int64_t request_id, std::int64_t staff_id,
                               protocol::outcome result, const std::string& note, millis now) {
    auto current = load_for_staff(db, request_id, staff_id, true);
    if (!current)
        return current.error();
    if (awaiting_ack(current->view.state))
        return make_error_code(errc::conflict);
    if (auto allowed = may_change_taken(db, *current, staff_id); !allowed)
        return allowed.error();
    auto done =
        run_sql(db,
                "UPDATE requests SET state = 'resolved', resolved_by = ?2, resolved_at = ?3, closed_at = ?3, "
                "outcome = ?4, note = ?5 "
                "WHERE id = ?1 AND state IN ('acknowledged', 'contacted')",
                [&](statement& s) {
                    s.bind(1, request_id)
                        .bind(2, staff_id)
                        .bind(3, now)
                        .bind(4, protocol::to_string(result))
                        .bind(5, note);
                });
    if (!done)
        return done.error();
    boost::json::object detail{{"outcome", protocol::to_string(result)}};
    if (auto e = append_event(db, request_id, "resolved", "staff", staff_id, json(detail), now); !e)
        return e.error();
    return load(db, request_id);
}

result<request_record> mark_contacted(database& db, std::int64_t request_id, std::int64_t staff_id,
                                      const std::string& note, millis now) {
    auto current = load_for_staff(db, request_id, staff_id, true);
    if (!current)
        return current.error();
    if (current->view.state != request_state::acknowledged)
        return make_error_code(errc::conflict);
    auto done = run_sql(db,
                        "UPDATE requests SET state = 'contacted', contacted_by = coalesce(contacted_by, ?2), "
                        "contacted_at = coalesce(contacted_at, ?3) "
                        "WHERE id = ?1 AND state = 'acknowledged'",
                        [&](statement& s) { s.bind(1, request_id).bind(2, staff_id).bind(3, now); });
    if (!done)
        return done.error();
    boost::json::object detail;
    if (!note.empty())
        detail["note"] = note;
    if (auto e = append_event(db, request_id, "contacted", "staff", staff_id, json(detail), now); !e)
        return e.error();
    return load(db, request_id);
}

namespace {

// Un-acknowledges the taken request `current` (release's contract) with a `released` event by `actor_kind`
// `actor_id`; `reason`, when not empty, says why in the event's detail.
result<request_record> give_back(database& db, const request_record& current, bool notifying,
                                 const std::string& actor_kind, std::optional<std::int64_t> actor_id,
                                 const std::string& reason, millis now) {
    auto id = current.view.id;
    auto done = run_sql(
        db,
        "UPDATE requests SET state = ?2, acked_by = NULL, acked_at = NULL, contacted_by = NULL, "
        "contacted_at = NULL, ladder_started_at = ?3, ladder_cycle = 0, ladder_next_step = 0, "
        "ack_reminders = 0 WHERE id = ?1",
        [&](statement& s) { s.bind(1, id).bind(2, notifying ? "notifying" : "queued").bind(3, now); });
    if (!done)
        return done.error();
    boost::json::object detail{
        {"held_by", current.view.acknowledged_by ? current.view.acknowledged_by->id : 0}};
    if (!reason.empty())
        detail["reason"] = reason;
    if (auto e = append_event(db, id, "released", actor_kind, actor_id, json(detail), now); !e)
        return e.error();
    return load(db, id);
}

} // namespace

result<request_record> release(database& db, std::int64_t request_id, std::int64_t staff_id, bool notifying,
                               millis now) {
    auto current = load_for_staff(db, request_id, staff_id, true);
    if (!current)
        return current.error();
    if (!protocol::is_taken(current->view.state))
        return make_error_code(errc::conflict);
    if (auto allowed = may_change_taken(db, *current, staff_id); !allowed)
        return allowed.error();
    return give_back(db, *current, notifying, "staff", staff_id, "", now);
}

result<std::vector<request_record>>
release_held_by_disabled(database& db, const std::map<std::int64_t, int>& reachable_by_office, millis now) {
    auto held = all<std::int64_t>(
        db,
        "SELECT r.id FROM requests AS r JOIN staff AS s ON s.id = r.acked_by "
        "WHERE r.state NOT IN ('resolved', 'cancelled') AND r.state IN ('acknowledged', 'contacted') "
        "AND s.disabled_at IS NOT NULL ORDER BY r.id", // the first term lets it read the open requests' index
        no_parameters, [](const statement& s) { return s.column_int(0); });
    if (!held)
        return held.error();
    std::vector<request_record> released;
    for (auto id : *held) {
        auto current = load(db, id);
        if (!current)
            return current.error();
        bool notifying = reachable_by_office.contains(current->office_id);
        auto back = give_back(db, *current, notifying, "system", std::nullopt, "account_disabled", now);
        if (!back)
            return back.error();
        released.push_back(std::move(*back));
    }
    return released;
}

result<request_record> add_note(database& db, std::int64_t request_id, std::int64_t staff_id, const std::string& text,
                                millis now) {
    auto current = load_for_staff(db, request_id, staff_id, false);
    if (!current)
        return current.error();
    boost::json::object detail{{"text", text}};
    if (auto e = append_event(db, request_id, "note", "staff", staff_id, json(detail), now); !e)
        return e.error();
    return current;
}

result<request_record> advance_ladder(database& db, std::int64_t request_id, millis started_at, int cycle,
                                      int next_step, int ack_reminders, const std::vector<event_draft>& events,
                                      millis now) {
    auto done = run_sql(db,
                        "UPDATE requests SET ladder_started_at = ?2, ladder_cycle = ?3, ladder_next_step = ?4, "
                        "ack_reminders = ?5 WHERE id = ?1 AND state NOT IN ('resolved', 'cancelled')",
                        [&](statement& s) {
                            s.bind(1, request_id).bind(2, started_at).bind(3, cycle).bind(4, next_step).bind(5, ack_reminders);
                        });
    if (!done)
        return done.error();
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    for (const auto& e : events)
        if (auto r = append_event(db, request_id, e.kind, e.actor_kind, e.actor_id, e.detail_json, now); !r)
            return r.error();
    return load(db, request_id);
}

result<request_record> cancel(database& db, std::int64_t request_id, std::int64_t resident_id, millis now) {
    auto done =
        run_sql(db,
                "UPDATE requests SET state = 'cancelled', closed_at = ?3 WHERE id = ?1 AND resident_id = ?2 "
                "AND state NOT IN ('resolved', 'cancelled')",
                [&](statement& s) { s.bind(1, request_id).bind(2, resident_id).bind(3, now); });
    if (!done)
        return done.error();
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    if (auto e = append_event(db, request_id, "cancelled", "resident", resident_id, "{}", now); !e)
        return e.error();
    return load(db, request_id);
}

} // namespace ask::store
