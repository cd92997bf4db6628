// The queries of requests and their history (declared in requests.hpp); the writes are in requests.cpp.
#include "server/store/error.hpp"
#include "server/store/request_row.hpp"
#include "server/store/requests.hpp"
#include "server/store/sql.hpp"

namespace ask::store {

result<std::optional<request_record>> find_request(database& db, std::int64_t request_id) {
    static const std::string by_id = std::string(select_request) + " WHERE r.id = ?1";
    return one<request_record>(db, by_id, [&](statement& s) { s.bind(1, request_id); }, read_request);
}

result<std::vector<request_record>> open_requests(database& db) {
    return all<request_record>(
        db, std::string(select_request) + " WHERE r.state NOT IN ('resolved', 'cancelled')" + std::string(queue_order),
        no_parameters, read_request);
}

result<std::vector<request_record>> requests_resolved_since(database& db, millis since) {
    // The closed-requests index (requests_closed_by_age) is on coalesce(resolved_at, created_at).
    return all<request_record>(
        db,
        std::string(select_request) +
            " WHERE r.state IN ('resolved', 'cancelled') AND coalesce(r.resolved_at, r.created_at) >= ?1 "
            "AND r.state = 'resolved' ORDER BY coalesce(r.resolved_at, r.created_at), r.id",
        [&](statement& s) { s.bind(1, since); }, read_request);
}

result<std::vector<request_record>> requests_of_resident(database& db, std::int64_t resident_id) {
    return all<request_record>(
        db, std::string(select_request) + " WHERE r.resident_id = ?1 ORDER BY r.id",
        [&](statement& s) { s.bind(1, resident_id); }, read_request);
}

result<bool> has_open_urgent_request(database& db, std::int64_t resident_id) {
    auto found = one<int>(
        db,
        "SELECT 1 FROM requests WHERE resident_id = ?1 AND priority = 'urgent' "
        "AND state NOT IN ('resolved', 'cancelled') LIMIT 1",
        [&](statement& s) { s.bind(1, resident_id); }, [](const statement&) { return 1; });
    if (!found)
        return {boost::system::in_place_error, found.error()};
    return found->has_value();
}

result<std::optional<std::int64_t>> latest_texted_to(database& db, std::int64_t staff_id) {
    return one<std::int64_t>(
        db,
        "SELECT e.request_id FROM request_events AS e JOIN requests AS r ON r.id = e.request_id "
        "WHERE r.state NOT IN ('resolved', 'cancelled') AND e.kind IN ('escalated', 'ack_timeout') "
        "AND EXISTS (SELECT 1 FROM json_each(e.detail, '$.sms') WHERE value = ?1) ORDER BY e.id DESC LIMIT 1",
        [&](statement& s) { s.bind(1, staff_id); }, [](const statement& s) { return s.column_int(0); });
}

result<resident_texted> last_resident_text(database& db, std::int64_t request_id) {
    // A request's texts to its resident go out one at a time (sms::resident_notifier), so each record is
    // followed by its own tries' outcomes, then by the next record.
    struct step {
        std::string kind;
        std::string told; ///< for a record
        std::string key;  ///< for a record
        bool permanent = false;
    };
    auto steps = all<step>(
        db,
        "SELECT kind, coalesce(json_extract(detail, '$.told'), json_extract(detail, '$.stage')), "
        "coalesce(json_extract(detail, '$.key'), ''), json_extract(detail, '$.permanent') IS NOT NULL "
        "FROM request_events WHERE request_id = ?1 AND (kind = 'resident_sms' OR (kind IN ('sms_sent', "
        "'sms_failed') AND json_extract(detail, '$.resident') IS NOT NULL)) ORDER BY id",
        [&](statement& s) { s.bind(1, request_id); },
        [](const statement& s) {
            return step{s.column_text(0), s.column_text(1), s.column_text(2), s.column_int(3) != 0};
        });
    if (!steps)
        return steps.error();
    resident_texted texted;
    std::optional<step> latest; ///< the last record whose outcome is not settled yet
    bool latest_failed = false; ///< every try of `latest` so far failed
    for (auto& s : *steps) {
        if (s.kind == "resident_sms") {
            if (latest && !latest_failed)
                texted.told = std::move(latest->told);
            latest = std::move(s);
            latest_failed = false;
        } else if (!latest) {
            continue;
        } else if (s.kind == "sms_sent" || s.permanent) {
            texted.told = std::move(latest->told);
            latest.reset();
        } else {
            latest_failed = true;
        }
    }
    if (latest && !latest_failed)
        texted.told = std::move(latest->told);
    else if (latest) {
        texted.owed_told = std::move(latest->told);
        texted.owed_key = std::move(latest->key);
    }
    return texted;
}

result<std::optional<std::string>> last_after_hours_text(database& db, std::int64_t request_id) {
    return one<std::string>(
        db,
        "SELECT json_extract(detail, '$.told') FROM request_events WHERE request_id = ?1 "
        "AND kind = 'notified' AND json_extract(detail, '$.who') = 'after_hours_phone' "
        "AND json_extract(detail, '$.told') IS NOT NULL ORDER BY id DESC LIMIT 1",
        [&](statement& s) { s.bind(1, request_id); }, [](const statement& s) { return s.column_text(0); });
}

std::string after_hours_told(protocol::priority level, millis opens_at, int repeats) {
    auto told = std::string(protocol::to_string(level)) + "@" + std::to_string(opens_at);
    if (repeats > 0) // the form of before repeats were told, for a request with none
        told += "+" + std::to_string(repeats);
    return told;
}

result<std::optional<std::int64_t>> request_of_sent_sms(database& db, const std::string& provider,
                                                        const std::string& provider_id) {
    return one<std::int64_t>(
        db,
        "SELECT request_id FROM request_events WHERE kind = 'sms_sent' "
        "AND json_extract(detail, '$.provider_id') = ?2 AND json_extract(detail, '$.provider') = ?1 "
        "ORDER BY id DESC LIMIT 1",
        [&](statement& s) { s.bind(1, provider).bind(2, provider_id); }, [](const statement& s) { return s.column_int(0); });
}

result<bool> has_sms_status(database& db, std::int64_t request_id, const std::string& provider,
                            const std::string& provider_id, const std::string& status) {
    auto found = one<std::int64_t>(
        db,
        "SELECT 1 FROM request_events WHERE request_id = ?1 AND kind = 'sms_status' "
        "AND json_extract(detail, '$.provider_id') = ?3 AND json_extract(detail, '$.status') = ?4 "
        "AND json_extract(detail, '$.provider') = ?2 LIMIT 1",
        [&](statement& s) { s.bind(1, request_id).bind(2, provider).bind(3, provider_id).bind(4, status); },
        [](const statement& s) { return s.column_int(0); });
    if (!found)
        return {boost::system::in_place_error, found.error()};
    return found->has_value();
}

result<std::vector<protocol::event_view>> request_events(database& db, std::int64_t request_id) {
    return all<protocol::event_view>(
        db,
        "SELECT e.at, e.kind, e.actor_kind, e.actor_id, e.detail, "
        "CASE e.actor_kind WHEN 'staff' THEN s.display_name WHEN 'resident' THEN p.name END "
        "FROM request_events AS e "
        "LEFT JOIN staff AS s ON e.actor_kind = 'staff' AND s.id = e.actor_id "
        "LEFT JOIN residents AS p ON e.actor_kind = 'resident' AND p.id = e.actor_id "
        "WHERE e.request_id = ?1 ORDER BY e.id",
        [&](statement& s) { s.bind(1, request_id); },
        [](const statement& s) {
            protocol::event_view e;
            e.at = s.column_int(0);
            e.kind = s.column_text(1);
            e.actor_kind = s.column_text(2);
            if (auto id = s.column_optional_int(3))
                e.actor = protocol::person_ref{*id, s.column_text(5)};
            e.detail_json = s.column_text(4);
            return e;
        });
}

result<std::vector<request_history>> request_histories_created_between(database& db, std::int64_t office_id,
                                                                       millis from, millis to) {
    // Each request's first event of a kind, by the index request_events_by_request: a few rows per request.
    auto first = [](const std::string& kind) {
        return "(SELECT min(e.at) FROM request_events AS e WHERE e.request_id = r.id AND e.kind = '" + kind +
               "')";
    };
    // read_request reads the first request_column_count columns; the histories follow them.
    static const std::string query =
        std::string(request_columns) + ", coalesce(" + first("acknowledged") + ", r.acked_at), coalesce(" +
        first("contacted") + ", r.contacted_at), " + first("cancelled") +
        " FROM requests AS r JOIN residents AS p ON p.id = r.resident_id" + std::string(staff_joins) +
        " WHERE r.office_id = ?1 AND r.created_at >= ?2 AND r.created_at < ?3 ORDER BY r.created_at, r.id";
    return all<request_history>(
        db, query, [&](statement& s) { s.bind(1, office_id).bind(2, from).bind(3, to); },
        [](const statement& s) {
            constexpr int n = request_column_count;
            return request_history{read_request(s), s.column_optional_int(n), s.column_optional_int(n + 1),
                                   s.column_optional_int(n + 2)};
        });
}

result<std::vector<closed_request>> closed_requests(database& db, std::int64_t office_id,
                                                    std::optional<std::int64_t> before, int limit) {
    // read_request reads the first request_column_count columns; when and by whom it was resolved follow
    // them. The state term is the index's own condition, word for word, so SQLite may read the (partial)
    // index.
    static const std::string columns = std::string(request_columns) +
                                       ", r.closed_at, z.id, z.display_name FROM requests AS r "
                                       "JOIN residents AS p ON p.id = r.resident_id" +
                                       std::string(staff_joins) +
                                       " LEFT JOIN staff AS z ON z.id = r.resolved_by "
                                       "WHERE r.office_id = ?1 AND r.state IN ('resolved', 'cancelled')";
    static const std::string order = " ORDER BY r.closed_at DESC, r.id DESC LIMIT ?2";
    static const std::string first_page = columns + order;
    static const std::string next_page = columns + " AND (r.closed_at, r.id) < (?3, ?4)" + order;
    auto read = [](const statement& s) {
        constexpr int n = request_column_count;
        closed_request c{read_request(s), s.column_int(n), std::nullopt};
        if (!s.column_is_null(n + 1))
            c.resolved_by = protocol::person_ref{s.column_int(n + 1), s.column_text(n + 2)};
        return c;
    };
    if (!before)
        return all<closed_request>(
            db, first_page, [&](statement& s) { s.bind(1, office_id).bind(2, std::int64_t{limit}); }, read);
    auto after = one<millis>(
        db,
        "SELECT closed_at FROM requests WHERE id = ?1 AND office_id = ?2 AND state IN ('resolved', "
        "'cancelled')",
        [&](statement& s) { s.bind(1, *before).bind(2, office_id); },
        [](const statement& s) { return s.column_int(0); });
    if (!after)
        return after.error();
    if (!*after)
        return make_error_code(errc::not_found);
    return all<closed_request>(
        db, next_page,
        [&](statement& s) {
            s.bind(1, office_id).bind(2, std::int64_t{limit}).bind(3, **after).bind(4, *before);
        },
        read);
}

} // namespace ask::store
