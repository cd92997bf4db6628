#include "server/store/account_edits.hpp"

#include "server/store/error.hpp"
#include "server/store/sql.hpp"

namespace ask::store {
namespace {

std::optional<std::string> needs_text(const std::optional<std::vector<std::string>>& needs) {
    if (!needs)
        return std::nullopt;
    return join_needs(*needs);
}

std::optional<std::int64_t> flag(const std::optional<bool>& on) {
    if (!on)
        return std::nullopt;
    return std::int64_t{*on};
}

std::optional<std::string> role_text(const std::optional<protocol::staff_role>& role) {
    if (!role)
        return std::nullopt;
    return std::string(protocol::to_string(*role));
}

} // namespace

result<resident_record> edit_resident(database& db, std::int64_t resident_id, const resident_changes& c) {
    auto done = run_sql(db,
                        "UPDATE residents SET name = coalesce(?2, name), phone = coalesce(?3, phone), "
                        "address = coalesce(?4, address), needs = coalesce(?5, needs), "
                        "sms_opt_out = coalesce(?6, sms_opt_out), "
                        "unknown_sender = CASE WHEN ?2 IS NULL THEN unknown_sender ELSE 0 END WHERE id = ?1",
                        [&](statement& s) {
                            s.bind(1, resident_id)
                                .bind(2, c.name)
                                .bind(3, c.phone)
                                .bind(4, c.address)
                                .bind(5, needs_text(c.needs))
                                .bind(6, flag(c.sms_opt_out));
                        });
    if (!done)
        return done.error();
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    auto now = find_resident(db, resident_id);
    if (!now)
        return now.error();
    if (!*now)
        return make_error_code(errc::not_found);
    return std::move(**now);
}

result<edited_staff> edit_staff(database& db, const std::string& username, const staff_changes& c) {
    auto found = find_staff_by_username(db, username);
    if (!found)
        return found.error();
    if (!*found)
        return make_error_code(errc::not_found);
    const auto before = (*found)->staff;
    edited_staff out;
    out.before = before;
    out.signed_out = c.role && *c.role != before.role;
    auto done =
        run_sql(db,
                "UPDATE staff SET display_name = coalesce(?2, display_name), phone = coalesce(?3, phone), "
                "role = coalesce(?4, role), sign_ins_ended = sign_ins_ended + ?5 WHERE id = ?1",
                [&](statement& s) {
                    s.bind(1, before.id)
                        .bind(2, c.display_name)
                        .bind(3, c.phone)
                        .bind(4, role_text(c.role))
                        .bind(5, std::int64_t{out.signed_out});
                });
    if (!done)
        return done.error();
    if (out.signed_out)
        if (auto ended = run_sql(db, "DELETE FROM staff_sessions WHERE staff_id = ?1",
                                 [&](statement& s) { s.bind(1, before.id); });
            !ended)
            return ended.error();
    auto now = find_staff(db, before.id);
    if (!now)
        return now.error();
    if (!*now)
        return make_error_code(errc::not_found);
    out.staff = std::move(**now);
    return out;
}

result<open_request_people> people_of_open_requests(database& db) {
    open_request_people out;
    auto residents = all<protocol::resident_card>(
        db,
        "SELECT id, name, phone, address, needs, unknown_sender FROM residents WHERE id IN "
        "(SELECT resident_id FROM requests WHERE state NOT IN ('resolved', 'cancelled'))",
        no_parameters, [](const statement& s) {
            protocol::resident_card card;
            card.id = s.column_int(0);
            card.name = s.column_text(1);
            card.phone = s.column_text(2);
            card.address = s.column_text(3);
            card.needs = split_needs(s.column_text(4));
            card.unknown_sender = s.column_int(5) != 0;
            return card;
        });
    if (!residents)
        return residents.error();
    out.residents = std::move(*residents);
    auto staff = all<protocol::person_ref>(
        db,
        "SELECT id, display_name FROM staff WHERE id IN (SELECT acked_by FROM requests WHERE state NOT IN "
        "('resolved', 'cancelled') UNION SELECT contacted_by FROM requests WHERE state NOT IN ('resolved', "
        "'cancelled'))",
        no_parameters, [](const statement& s) {
            return protocol::person_ref{s.column_int(0), s.column_text(1)};
        });
    if (!staff)
        return staff.error();
    out.staff = std::move(*staff);
    return out;
}

} // namespace ask::store
