// Offices, staff, staff login sessions and residents: who may use ASK, and how they prove it.
// Secrets never reach this layer in clear: callers pass argon2id password hashes and
// SHA-256 token hashes. All functions run on the store thread (one connection).
#pragma once

#include "protocol/types.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ask::store {

using protocol::millis;

struct office_record {
    std::int64_t id = 0;
    std::string slug; ///< stable short name from config, e.g. "demo"
    std::string name;
    std::string time_zone;
};

struct staff_record {
    std::int64_t id = 0;
    std::int64_t office_id = 0;
    std::string username;
    std::string display_name;
    protocol::staff_role role = protocol::staff_role::staff;
    std::string phone; ///< "" when none
    bool on_duty = false;
    bool disabled = false; ///< has left the office (store/account_changes.hpp): no sign-in, no alerts
    std::int64_t sign_ins_ended = 0; ///< how many times every sign-in of the account was ended (ibid.)
};

struct resident_record {
    std::int64_t id = 0;
    std::int64_t office_id = 0;
    std::string name;
    std::string phone;
    std::string address;
    std::vector<std::string> needs;
    bool unknown_sender = false; ///< a placeholder for a number that wrote in without being registered
    bool sms_opt_out = false;    ///< sent STOP: no texts until START
    millis created_at = 0;       ///< when registered, or when their number first wrote in; set by the store
};

/// Creates the office or updates its name and time zone; returns its id.
result<std::int64_t> upsert_office(database&, const std::string& slug, const std::string& name,
                                   const std::string& time_zone);
result<std::optional<office_record>> find_office(database&, const std::string& slug);
result<std::vector<office_record>> list_offices(database&);

/// Adds a staff member. errc::constraint when the username is taken (usernames are global).
result<std::int64_t> add_staff(database&, const staff_record&, const std::string& password_hash, millis now);
/// The staff member and their password hash, or nullopt.
struct staff_credentials {
    staff_record staff;
    std::string password_hash;
};
/// Disabled accounts too (staff_record::disabled): the caller decides what a disabled one may do.
result<std::optional<staff_credentials>> find_staff_by_username(database&, const std::string& username);
result<void> set_staff_password(database&, std::int64_t staff_id, const std::string& password_hash);
result<std::optional<staff_record>> find_staff(database&, std::int64_t staff_id);
/// account_disabled for a disabled account (a dashboard of theirs not closed yet).
result<void> set_duty(database&, std::int64_t staff_id, bool on);
/// The office a staff member belongs to, nullopt for an unknown staff id, errc::account_disabled for a
/// disabled account: what a staff member does to a request is checked against it, so someone disabled
/// acts on nothing, also from a dashboard not closed yet (store/account_changes.hpp), and is told why.
result<std::optional<std::int64_t>> office_of_staff(database&, std::int64_t staff_id);
/// Everyone on the office's staff but disabled accounts, by id: who an escalation step can reach.
result<std::vector<staff_record>> staff_of_office(database&, std::int64_t office_id);
/// Every staff account, disabled ones too, by office and id; only `office_id`'s when it is not 0.
result<std::vector<staff_record>> all_staff(database&, std::int64_t office_id);

/// Login sessions, keyed by the SHA-256 of the session token.
result<void> create_session(database&, const std::string& token_hash, std::int64_t staff_id, millis now,
                            millis expires_at);
/// The staff member owning an unexpired session, or nullopt (also for a disabled account).
result<std::optional<staff_record>> staff_by_session(database&, const std::string& token_hash, millis now);
/// Ends one session (a sign-out): deletes it, leaving the account's other sessions as they are. Returns
/// the staff member it belonged to, or nullopt when no session has this hash (already ended, or never).
result<std::optional<std::int64_t>> delete_session(database&, const std::string& token_hash);
/// Removes expired sessions; returns how many.
result<int> delete_expired_sessions(database&, millis now);

/// Adds a resident with the hash of their access token. needs are stored comma-separated.
result<std::int64_t> add_resident(database&, const resident_record&, const std::string& token_hash, millis now);
result<void> set_resident_token(database&, std::int64_t resident_id, const std::string& token_hash);
result<std::optional<resident_record>> resident_by_token(database&, const std::string& token_hash);
result<std::optional<resident_record>> find_resident(database&, std::int64_t resident_id);
/// A resident with how many of their requests are open (neither resolved nor cancelled).
struct resident_listing {
    resident_record resident;
    int open_requests = 0;
};
/// Every resident, numbers that wrote in (unknown_sender) too, by office and id; only `office_id`'s
/// when it is not 0.
result<std::vector<resident_listing>> all_residents(database&, std::int64_t office_id);
/// The resident with this phone number (E.164, as stored), or nullopt. The oldest if several.
result<std::optional<resident_record>> resident_by_phone(database&, const std::string& phone);
/// Every resident with this phone number (E.164, as stored), oldest first.
result<std::vector<resident_record>> residents_by_phone(database&, const std::string& phone);
/// The resident a text from `phone` belongs to; an unknown number gets a placeholder resident in
/// `office_id` flagged unknown_sender (with an unusable token), so its emergency is not dropped.
result<resident_record> resident_for_sms(database&, std::int64_t office_id, const std::string& phone, millis now);
result<void> set_sms_opt_out(database&, std::int64_t resident_id, bool opt_out);
/// STOP or START from `phone`: every resident with that number (a household's shared phone, or the same
/// person registered at two offices), since whoever holds it asked.
result<void> set_sms_opt_out_for_phone(database&, const std::string& phone, bool opt_out);
/// Texts acted on before: true when (provider, message_id) was recorded by mark_inbound.
result<bool> inbound_seen(database&, const std::string& provider, const std::string& message_id);
result<void> mark_inbound(database&, const std::string& provider, const std::string& message_id, millis now);
/// A text that asks for an action (a staff reply), marked as seen in the same store job as the action,
/// so that the action and the mark are committed together or not at all: a copy of the text the
/// provider sends again finds it seen exactly when the action was carried out.
struct inbound_ref {
    std::string provider;
    std::string message_id;
};
/// `done`, with `text` marked as seen when there is one and `done` succeeded; a mark that fails fails
/// the whole job (its action is rolled back with it).
template <class T>
result<T> marking_seen(database& db, result<T> done, const std::optional<inbound_ref>& text, millis now) {
    if (done && text)
        if (auto marked = mark_inbound(db, text->provider, text->message_id, now); !marked)
            return marked.error();
    return done;
}
/// Forgets the texts recorded by mark_inbound before `cutoff`; returns how many.
result<int> forget_inbound_before(database&, millis cutoff);
/// The staff member with this phone (E.164), or nullopt; never a disabled account, whose texts are
/// taken as anyone's (store::disable_staff).
result<std::optional<staff_record>> staff_by_phone(database&, const std::string& phone);

} // namespace ask::store
