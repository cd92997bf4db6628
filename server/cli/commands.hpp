// askd's subcommands. Each returns the process exit code: 0 success, 1 runtime failure,
// 2 bad configuration or arguments (with a message naming the key or flag).
#pragma once

#include "server/config.hpp"

#include <optional>
#include <string>
#include <vector>

namespace ask::cli {

/// Where the config comes from and what the command line overrides.
struct config_source {
    std::string config_path; ///< "" for the built-in defaults
    std::string listen;      ///< "" keeps the config's
    std::string db_path;     ///< "" keeps the config's
};

/// Loads and overrides the config. @throws config_error.
config resolve(const config_source&);

/// `askd serve`: runs until SIGTERM/SIGINT, then shuts down gracefully (exit 0).
int serve(const config&);

/// `askd demo`: a ready demo office in `data_dir` (database, a staff member on duty and a
/// resident with fresh credentials printed to stdout), then serve.
int demo(const std::string& data_dir, const std::string& listen);

struct staff_options {
    std::string username;
    std::string name;
    std::string role = "staff";
    std::string phone;
    std::string office; ///< slug; "" for the config's first office
};
/// `askd staff add`: reads the password from stdin (first line, at least 10 characters).
int add_staff(const config&, const staff_options&);

/// `askd staff list [--office SLUG]`: every staff account, disabled ones too (account_lists.cpp says
/// the format). Read-only.
int list_staff(const config&, const std::string& office);

/// `askd staff disable --username U`: someone who has left (store::disable_staff). Warns when an escalation
/// ladder of the config names them. Exit 1 when there is no such account.
int disable_staff(const config&, const std::string& username);
/// `askd staff enable --username U`: undoes disable.
int enable_staff(const config&, const std::string& username);
/// `askd staff password --username U`: a new password from stdin; every session of the account ends.
int replace_staff_password(const config&, const std::string& username);

/// What `askd staff edit --username U` was given; only the options given change anything.
struct staff_edit_options {
    std::string username;
    std::optional<std::string> name;
    std::optional<std::string> phone; ///< "" removes the number
    std::optional<std::string> role;
};
/// `askd staff edit`: corrects a name or phone, or changes a role (store::edit_staff). A new role ends the
/// account's sign-ins, so their dashboards open again with it. Warns when another account has the phone.
/// Exit 1 when there is no such account, 2 when nothing to change was given or a value is wrong.
int edit_staff(const config&, const staff_edit_options&);

struct resident_options {
    std::string name;
    std::string phone;
    std::string address;
    std::vector<std::string> needs;
    std::string office;
};
/// `askd resident add`: prints the new resident's id, then their access token as the last line.
int add_resident(const config&, const resident_options&);

/// `askd resident list [--office SLUG]`: every resident with their id, numbers that texted in without
/// being registered too, and how many of their requests are open. Read-only.
int list_residents(const config&, const std::string& office);

/// `askd resident token --id N`: a new access token, printed last (a lost or shared link); the old one
/// stops working. Exit 1 when there is no such resident.
int new_resident_token(const config&, std::int64_t resident_id);
/// `askd resident remove --id N`: deletes the resident with their closed requests and what is recorded
/// about them (store::remove_resident). Exit 1, changing nothing, when there is no such resident or a
/// request of theirs is open.
int remove_resident(const config&, std::int64_t resident_id);

/// What `askd resident edit --id N` was given; only the options given change anything.
struct resident_edit_options {
    std::int64_t id = 0;
    std::optional<std::string> name;
    std::optional<std::string> phone; ///< "" removes the number
    std::optional<std::string> address;
    std::optional<std::string> needs; ///< comma-separated; "" for none
    std::optional<std::string> sms;   ///< "on" or "off"
};
/// `askd resident edit`: corrects a resident's details (store::edit_resident); naming a number that wrote
/// in registers it. A serving askd updates the cards of their open requests within seconds. Warns when
/// other residents have the phone, and when texts are switched on for someone who sent STOP. Exit 1 when
/// there is no such resident, 2 when nothing to change was given or a value is wrong.
int edit_resident(const config&, const resident_edit_options&);

struct export_options {
    std::int64_t id = 0; ///< the resident's id, or
    std::string phone;   ///< their phone number, when no one else has it
    bool staff_names =
        false; ///< name the staff shown the card (the office's own check, not the resident's copy)
};
/// `askd resident export`: everything kept about one resident, as one JSON document on stdout (RODO
/// art. 15 and 20: access, in a machine-readable form): their record, each request still kept with
/// its whole history (which names the staff who acted on it), and on which days staff were shown their
/// card (by role; by name only with staff_names: a resident's right of access covers when their data was
/// consulted, not which employee did, CJEU C-579/21). Opens the database only to read (an existing file at
/// this askd's schema), so it may run beside a serving askd. Exit 1 when nobody matches, or when several
/// residents share the phone (they are listed, to be exported one by one with --id).
int export_resident(const config&, const export_options&);

} // namespace ask::cli
