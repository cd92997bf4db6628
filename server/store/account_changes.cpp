#include "server/store/account_changes.hpp"

#include "server/store/error.hpp"
#include "server/store/sql.hpp"

namespace ask::store {
namespace {

result<void> end_sessions(database& db, std::int64_t staff_id) {
    return run_sql(db, "DELETE FROM staff_sessions WHERE staff_id = ?1",
                   [&](statement& s) { s.bind(1, staff_id); });
}

result<staff_record> existing_staff(database& db, const std::string& username) {
    auto found = find_staff_by_username(db, username);
    if (!found)
        return found.error();
    if (!*found)
        return make_error_code(errc::not_found);
    return std::move((*found)->staff);
}

} // namespace

result<staff_record> disable_staff(database& db, const std::string& username, millis now) {
    auto staff = existing_staff(db, username);
    if (!staff)
        return staff.error();
    auto done = run_sql(db,
                        "UPDATE staff SET disabled_at = coalesce(disabled_at, ?2), "
                        "sign_ins_ended = sign_ins_ended + 1, on_duty = 0 WHERE id = ?1",
                        [&](statement& s) { s.bind(1, staff->id).bind(2, now); });
    if (!done)
        return done.error();
    if (auto ended = end_sessions(db, staff->id); !ended)
        return ended.error();
    staff->disabled = true;
    staff->on_duty = false;
    ++staff->sign_ins_ended;
    return staff;
}

result<staff_record> enable_staff(database& db, const std::string& username) {
    auto staff = existing_staff(db, username);
    if (!staff)
        return staff.error();
    if (!staff->disabled)
        return staff; // nothing to undo: their duty stays as it is
    auto done = run_sql(db, "UPDATE staff SET disabled_at = NULL, on_duty = 0 WHERE id = ?1",
                        [&](statement& s) { s.bind(1, staff->id); });
    if (!done)
        return done.error();
    staff->disabled = false;
    staff->on_duty = false;
    return staff;
}

result<staff_record> replace_staff_password(database& db, const std::string& username,
                                            const std::string& password_hash) {
    auto staff = existing_staff(db, username);
    if (!staff)
        return staff.error();
    if (auto set = set_staff_password(db, staff->id, password_hash); !set)
        return set.error();
    if (auto marked = run_sql(db, "UPDATE staff SET sign_ins_ended = sign_ins_ended + 1 WHERE id = ?1",
                              [&](statement& s) { s.bind(1, staff->id); });
        !marked)
        return marked.error();
    if (auto ended = end_sessions(db, staff->id); !ended)
        return ended.error();
    ++staff->sign_ins_ended;
    return staff;
}

result<std::vector<std::int64_t>> requests_held_by(database& db, std::int64_t staff_id) {
    return all<std::int64_t>(
        db,
        "SELECT id FROM requests WHERE acked_by = ?1 AND state IN ('acknowledged', 'contacted') ORDER BY id",
        [&](statement& s) { s.bind(1, staff_id); }, [](const statement& s) { return s.column_int(0); });
}

result<removed_resident> remove_resident(database& db, std::int64_t resident_id) {
    auto bind = [&](statement& s) { s.bind(1, resident_id); };
    auto found =
        one<int>(db, "SELECT 1 FROM residents WHERE id = ?1", bind, [](const statement&) { return 1; });
    if (!found)
        return found.error();
    if (!*found)
        return make_error_code(errc::not_found);
    auto open =
        one<int>(db,
                 "SELECT 1 FROM requests WHERE resident_id = ?1 AND state NOT IN ('resolved', 'cancelled') "
                 "LIMIT 1",
                 bind, [](const statement&) { return 1; });
    if (!open)
        return open.error();
    if (*open)
        return make_error_code(errc::conflict);
    // The histories first: their rows refer to the requests (the trigger lets them go, as they are closed).
    if (auto r = run_sql(db,
                         "DELETE FROM request_events WHERE request_id IN "
                         "(SELECT id FROM requests WHERE resident_id = ?1)",
                         bind);
        !r)
        return r.error();
    if (auto r = run_sql(db,
                         "DELETE FROM incomplete_text_parts WHERE request_id IN "
                         "(SELECT id FROM requests WHERE resident_id = ?1)",
                         bind);
        !r)
        return r.error();
    // An answer to the resident's START, not yet sent, holds their number.
    if (auto r = run_sql(db,
                         "DELETE FROM unsent_replies WHERE staff_id IS NULL AND phone = "
                         "(SELECT phone FROM residents WHERE id = ?1)",
                         bind);
        !r)
        return r.error();
    if (auto r = run_sql(db, "DELETE FROM requests WHERE resident_id = ?1", bind); !r)
        return r.error();
    removed_resident out;
    out.requests = db.changes();
    // resident_views go with the resident (ON DELETE CASCADE).
    if (auto r = run_sql(db, "DELETE FROM residents WHERE id = ?1", bind); !r)
        return r.error();
    return out;
}

} // namespace ask::store
