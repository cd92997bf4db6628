#include "server/store/accounts.hpp"

#include "server/store/error.hpp"
#include "server/store/sql.hpp"


namespace ask::store {
namespace {

// A constraint violation is the caller's problem (a duplicate), anything else is storage failing.
error_code classify(const error_code& ec) {
    return is_storage_failure(ec) ? ec : make_error_code(errc::constraint);
}

constexpr std::string_view staff_columns =
    "id, office_id, username, display_name, role, phone, on_duty, disabled_at IS NOT NULL, sign_ins_ended";

staff_record read_staff(const statement& s, int first = 0) {
    staff_record r;
    r.id = s.column_int(first);
    r.office_id = s.column_int(first + 1);
    r.username = s.column_text(first + 2);
    r.display_name = s.column_text(first + 3);
    r.role = protocol::staff_role_from_string(s.column_text(first + 4)).value_or(protocol::staff_role::staff);
    r.phone = s.column_text(first + 5);
    r.on_duty = s.column_int(first + 6) != 0;
    r.disabled = s.column_int(first + 7) != 0;
    r.sign_ins_ended = s.column_int(first + 8);
    return r;
}

constexpr std::string_view resident_columns =
    "id, office_id, name, phone, address, needs, unknown_sender, sms_opt_out, created_at";

resident_record read_resident(const statement& s) {
    resident_record r;
    r.id = s.column_int(0);
    r.office_id = s.column_int(1);
    r.name = s.column_text(2);
    r.phone = s.column_text(3);
    r.address = s.column_text(4);
    r.needs = split_needs(s.column_text(5));
    r.unknown_sender = s.column_int(6) != 0;
    r.sms_opt_out = s.column_int(7) != 0;
    r.created_at = s.column_int(8);
    return r;
}

} // namespace

result<std::int64_t> upsert_office(database& db, const std::string& slug, const std::string& name,
                                   const std::string& time_zone) {
    // Unchanged: nothing to write. So askd can start on a database it cannot write (a volume gone
    // read-only): it runs, says so on /healthz, answers 503, and recovers once the volume is
    // writable (store::writer reopens), instead of not starting at all.
    auto existing = find_office(db, slug);
    if (!existing)
        return existing.error();
    if (*existing && (*existing)->name == name && (*existing)->time_zone == time_zone)
        return (*existing)->id;
    auto done = run_sql(db,
                    "INSERT INTO offices (slug, name, time_zone) VALUES (?1, ?2, ?3) "
                    "ON CONFLICT (slug) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone",
                    [&](statement& s) { s.bind(1, slug).bind(2, name).bind(3, time_zone); });
    if (!done)
        return done.error();
    auto office = find_office(db, slug);
    if (!office)
        return office.error();
    if (!*office)
        return make_error_code(errc::not_found);
    return (*office)->id;
}

result<std::optional<office_record>> find_office(database& db, const std::string& slug) {
    return one<office_record>(
        db, "SELECT id, slug, name, time_zone FROM offices WHERE slug = ?1", [&](statement& s) { s.bind(1, slug); },
        [](const statement& s) {
            return office_record{s.column_int(0), s.column_text(1), s.column_text(2), s.column_text(3)};
        });
}

result<std::vector<office_record>> list_offices(database& db) {
    return all<office_record>(db, "SELECT id, slug, name, time_zone FROM offices ORDER BY id", no_parameters,
                              [](const statement& s) {
                                  return office_record{s.column_int(0), s.column_text(1), s.column_text(2),
                                                       s.column_text(3)};
                              });
}

result<std::int64_t> add_staff(database& db, const staff_record& r, const std::string& password_hash, millis now) {
    auto done = run_sql(db,
                    "INSERT INTO staff (office_id, username, display_name, role, phone, password_hash, on_duty, "
                    "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    [&](statement& s) {
                        s.bind(1, r.office_id)
                            .bind(2, r.username)
                            .bind(3, r.display_name)
                            .bind(4, protocol::to_string(r.role))
                            .bind(5, r.phone)
                            .bind(6, password_hash)
                            .bind(7, std::int64_t{r.on_duty})
                            .bind(8, now);
                    });
    if (!done)
        return classify(done.error());
    return db.last_insert_rowid();
}

result<std::optional<staff_credentials>> find_staff_by_username(database& db, const std::string& username) {
    return one<staff_credentials>(
        db, "SELECT " + std::string(staff_columns) + ", password_hash FROM staff WHERE username = ?1",
        [&](statement& s) { s.bind(1, username); },
        [](const statement& s) {
            return staff_credentials{read_staff(s), s.column_text(9)};
        });
}

result<void> set_staff_password(database& db, std::int64_t staff_id, const std::string& password_hash) {
    auto done = run_sql(db, "UPDATE staff SET password_hash = ?2 WHERE id = ?1",
                    [&](statement& s) { s.bind(1, staff_id).bind(2, password_hash); });
    if (!done)
        return done.error();
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    return {};
}

result<std::optional<staff_record>> find_staff(database& db, std::int64_t staff_id) {
    return one<staff_record>(
        db, "SELECT " + std::string(staff_columns) + " FROM staff WHERE id = ?1",
        [&](statement& s) { s.bind(1, staff_id); }, [](const statement& s) { return read_staff(s); });
}

result<std::vector<staff_record>> staff_of_office(database& db, std::int64_t office_id) {
    return all<staff_record>(
        db,
        "SELECT " + std::string(staff_columns) +
            " FROM staff WHERE office_id = ?1 AND disabled_at IS NULL ORDER BY id",
        [&](statement& s) { s.bind(1, office_id); }, [](const statement& s) { return read_staff(s); });
}

result<std::vector<staff_record>> all_staff(database& db, std::int64_t office_id) {
    return all<staff_record>(
        db,
        "SELECT " + std::string(staff_columns) +
            " FROM staff WHERE ?1 = 0 OR office_id = ?1 ORDER BY office_id, id",
        [&](statement& s) { s.bind(1, office_id); }, [](const statement& s) { return read_staff(s); });
}

result<std::optional<std::int64_t>> office_of_staff(database& db, std::int64_t staff_id) {
    struct row {
        std::int64_t office_id;
        bool disabled;
    };
    auto found = one<row>(
        db, "SELECT office_id, disabled_at IS NOT NULL FROM staff WHERE id = ?1",
        [&](statement& s) { s.bind(1, staff_id); },
        [](const statement& s) {
            return row{s.column_int(0), s.column_int(1) != 0};
        });
    if (!found)
        return found.error();
    if (!*found)
        return std::optional<std::int64_t>{};
    if ((*found)->disabled)
        return make_error_code(errc::account_disabled);
    return std::optional<std::int64_t>{(*found)->office_id};
}

result<void> set_duty(database& db, std::int64_t staff_id, bool on) {
    auto done = run_sql(db, "UPDATE staff SET on_duty = ?2 WHERE id = ?1 AND disabled_at IS NULL",
                        [&](statement& s) { s.bind(1, staff_id).bind(2, std::int64_t{on}); });
    if (!done)
        return done.error();
    if (db.changes() == 0) {
        auto office = office_of_staff(db, staff_id); // account_disabled, else not_found
        return office ? make_error_code(errc::not_found) : office.error();
    }
    return {};
}

result<void> create_session(database& db, const std::string& token_hash, std::int64_t staff_id, millis now,
                            millis expires_at) {
    auto done = run_sql(db, "INSERT INTO staff_sessions (token_hash, staff_id, created_at, expires_at) VALUES (?1, ?2, ?3, ?4)",
                    [&](statement& s) { s.bind(1, token_hash).bind(2, staff_id).bind(3, now).bind(4, expires_at); });
    if (!done)
        return classify(done.error());
    return {};
}

result<std::optional<staff_record>> staff_by_session(database& db, const std::string& token_hash, millis now) {
    return one<staff_record>(
        db,
        "SELECT s.id, s.office_id, s.username, s.display_name, s.role, s.phone, s.on_duty, 0, "
        "s.sign_ins_ended "
        "FROM staff_sessions AS t JOIN staff AS s ON s.id = t.staff_id "
        "WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND s.disabled_at IS NULL",
        [&](statement& s) { s.bind(1, token_hash).bind(2, now); },
        [](const statement& s) { return read_staff(s); });
}

result<std::optional<std::int64_t>> delete_session(database& db, const std::string& token_hash) {
    return one<std::int64_t>(
        db, "DELETE FROM staff_sessions WHERE token_hash = ?1 RETURNING staff_id",
        [&](statement& s) { s.bind(1, token_hash); }, [](const statement& s) { return s.column_int(0); });
}

result<int> delete_expired_sessions(database& db, millis now) {
    auto done = run_sql(db, "DELETE FROM staff_sessions WHERE expires_at <= ?1", [&](statement& s) { s.bind(1, now); });
    if (!done)
        return done.error();
    return db.changes();
}

result<std::int64_t> add_resident(database& db, const resident_record& r, const std::string& token_hash, millis now) {
    auto done = run_sql(db,
                    "INSERT INTO residents (office_id, name, phone, address, needs, token_hash, created_at) "
                    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    [&](statement& s) {
                        s.bind(1, r.office_id)
                            .bind(2, r.name)
                            .bind(3, r.phone)
                            .bind(4, r.address)
                            .bind(5, join_needs(r.needs))
                            .bind(6, token_hash)
                            .bind(7, now);
                    });
    if (!done)
        return classify(done.error());
    return db.last_insert_rowid();
}

result<void> set_resident_token(database& db, std::int64_t resident_id, const std::string& token_hash) {
    auto done = run_sql(db, "UPDATE residents SET token_hash = ?2 WHERE id = ?1",
                    [&](statement& s) { s.bind(1, resident_id).bind(2, token_hash); });
    if (!done)
        return classify(done.error());
    if (db.changes() == 0)
        return make_error_code(errc::not_found);
    return {};
}

result<std::optional<resident_record>> resident_by_token(database& db, const std::string& token_hash) {
    return one<resident_record>(
        db, "SELECT " + std::string(resident_columns) + " FROM residents WHERE token_hash = ?1",
        [&](statement& s) { s.bind(1, token_hash); }, read_resident);
}

result<std::optional<resident_record>> find_resident(database& db, std::int64_t resident_id) {
    return one<resident_record>(
        db, "SELECT " + std::string(resident_columns) + " FROM residents WHERE id = ?1",
        [&](statement& s) { s.bind(1, resident_id); }, read_resident);
}

result<std::optional<resident_record>> resident_by_phone(database& db, const std::string& phone) {
    return one<resident_record>(
        db, "SELECT " + std::string(resident_columns) + " FROM residents WHERE phone = ?1 AND phone <> '' ORDER BY id LIMIT 1",
        [&](statement& s) { s.bind(1, phone); }, read_resident);
}

result<std::vector<resident_listing>> all_residents(database& db, std::int64_t office_id) {
    return all<resident_listing>(
        db,
        "SELECT " + std::string(resident_columns) +
            ", (SELECT count(*) FROM requests q WHERE q.resident_id = residents.id"
            " AND q.state NOT IN ('resolved', 'cancelled'))"
            " FROM residents WHERE ?1 = 0 OR office_id = ?1 ORDER BY office_id, id",
        [&](statement& s) { s.bind(1, office_id); },
        [](const statement& s) {
            return resident_listing{read_resident(s), static_cast<int>(s.column_int(9))};
        });
}

result<std::vector<resident_record>> residents_by_phone(database& db, const std::string& phone) {
    return all<resident_record>(
        db,
        "SELECT " + std::string(resident_columns) +
            " FROM residents WHERE phone = ?1 AND phone <> '' ORDER BY id",
        [&](statement& s) { s.bind(1, phone); }, read_resident);
}

result<resident_record> resident_for_sms(database& db, std::int64_t office_id, const std::string& phone, millis now) {
    auto known = resident_by_phone(db, phone);
    if (!known)
        return known.error();
    if (*known)
        return std::move(**known);
    resident_record r;
    r.office_id = office_id;
    r.name = "Nieznany numer " + phone;
    r.phone = phone;
    r.unknown_sender = true;
    r.created_at = now;
    // Never a usable token: the hash of nothing anyone holds, unique per placeholder.
    auto inserted = run_sql(db,
                            "INSERT INTO residents (office_id, name, phone, token_hash, created_at, unknown_sender) "
                            "VALUES (?1, ?2, ?3, 'unknown-sender:' || ?3 || ':' || ?4, ?4, 1)",
                            [&](statement& s) { s.bind(1, office_id).bind(2, r.name).bind(3, phone).bind(4, now); });
    if (!inserted)
        return classify(inserted.error());
    r.id = db.last_insert_rowid();
    return r;
}

result<void> set_sms_opt_out(database& db, std::int64_t resident_id, bool opt_out) {
    return run_sql(db, "UPDATE residents SET sms_opt_out = ?2 WHERE id = ?1",
                   [&](statement& s) { s.bind(1, resident_id).bind(2, std::int64_t{opt_out}); });
}

result<void> set_sms_opt_out_for_phone(database& db, const std::string& phone, bool opt_out) {
    return run_sql(db, "UPDATE residents SET sms_opt_out = ?2 WHERE phone = ?1 AND phone <> ''",
                   [&](statement& s) { s.bind(1, phone).bind(2, std::int64_t{opt_out}); });
}

result<bool> inbound_seen(database& db, const std::string& provider, const std::string& message_id) {
    auto found = one<int>(db, "SELECT 1 FROM inbound_sms WHERE provider = ?1 AND message_id = ?2",
                          [&](statement& s) { s.bind(1, provider).bind(2, message_id); },
                          [](const statement&) { return 1; });
    if (!found)
        return {boost::system::in_place_error, found.error()};
    return found->has_value();
}

result<void> mark_inbound(database& db, const std::string& provider, const std::string& message_id, millis now) {
    return run_sql(db, "INSERT OR IGNORE INTO inbound_sms (provider, message_id, received_at) VALUES (?1, ?2, ?3)",
                   [&](statement& s) { s.bind(1, provider).bind(2, message_id).bind(3, now); });
}

result<int> forget_inbound_before(database& db, millis cutoff) {
    auto done =
        run_sql(db, "DELETE FROM inbound_sms WHERE received_at < ?1", [&](statement& s) { s.bind(1, cutoff); });
    if (!done)
        return done.error();
    return db.changes();
}

result<std::optional<staff_record>> staff_by_phone(database& db, const std::string& phone) {
    return one<staff_record>(
        db,
        "SELECT " + std::string(staff_columns) +
            " FROM staff WHERE phone = ?1 AND phone <> '' AND disabled_at IS NULL ORDER BY id LIMIT 1",
        [&](statement& s) { s.bind(1, phone); }, [](const statement& s) { return read_staff(s); });
}

} // namespace ask::store
