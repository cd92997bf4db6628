// askd: the ASK server and its administration commands. Only wiring lives here.
#include "server/auth/secrets.hpp"
#include "server/cli/commands.hpp"
#include "server/logging.hpp"
#include "server/store/sql.hpp"

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <iostream>

namespace {

// Exit codes: 0 ok, 1 runtime failure, 2 bad configuration or usage.
constexpr int exit_runtime = 1;
constexpr int exit_usage = 2;

} // namespace

int main(int argc, char** argv) {
    using namespace ask;
    CLI::App app{"askd: ASK (Alarmowy System Komunikacji) server"};
    app.require_subcommand(1);

    cli::config_source src;
    auto add_config_flags = [&](CLI::App* cmd, bool with_listen) {
        cmd->add_option("--config", src.config_path, "TOML config file (see config/askd.example.toml)");
        cmd->add_option("--db", src.db_path, "SQLite database file (overrides store.path)");
        if (with_listen)
            cmd->add_option("--listen", src.listen, "HOST:PORT to listen on (overrides server.listen)");
    };

    auto* serve = app.add_subcommand("serve", "run the server until SIGTERM");
    add_config_flags(serve, true);

    std::string data_dir = "data";
    auto* demo = app.add_subcommand("demo", "run with a demo office, staff member and resident");
    demo->add_option("--data", data_dir, "folder for the demo database")->capture_default_str();
    demo->add_option("--listen", src.listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");

    cli::staff_options staff;
    auto* staff_cmd = app.add_subcommand("staff", "manage staff accounts")->require_subcommand(1);
    auto* staff_add = staff_cmd->add_subcommand("add", "add a staff member; the password is read from stdin");
    add_config_flags(staff_add, false);
    staff_add->add_option("--username", staff.username, "login name")->required();
    staff_add->add_option("--name", staff.name, "name shown to colleagues and residents")->required();
    staff_add->add_option("--role", staff.role, "staff, coordinator or admin")->capture_default_str();
    staff_add->add_option("--phone", staff.phone, "mobile number for SMS alerts, e.g. +48 600 100 200");
    staff_add->add_option("--office", staff.office, "office slug (default: the first configured)");

    std::string list_office;
    auto add_list = [&](CLI::App* parent, const char* what) {
        auto* cmd = parent->add_subcommand("list", what);
        add_config_flags(cmd, false);
        cmd->add_option("--office", list_office, "office slug (default: every office)");
        return cmd;
    };
    auto* staff_list = add_list(staff_cmd, "list staff accounts with their ids, disabled ones too");

    std::string staff_username;
    auto staff_change = [&](const char* name, const char* what) {
        auto* cmd = staff_cmd->add_subcommand(name, what);
        add_config_flags(cmd, false);
        cmd->add_option("--username", staff_username, "login name")->required();
        return cmd;
    };
    auto* staff_disable = staff_change(
        "disable", "someone who has left: no sign-in, no alerts, their dashboards close; the account stays");
    auto* staff_enable = staff_change("enable", "undo disable");
    auto* staff_password =
        staff_change("password", "set a new password, read from stdin; every session of the account ends");

    // An edit changes only what it is given: each option is read into a string, and given on only when
    // present (CLI::Option's bool), so that --phone "" (no number) differs from no --phone at all.
    auto given = [](const CLI::Option* option, const std::string& value) {
        return *option ? std::optional<std::string>(value) : std::nullopt;
    };
    std::string staff_new_name, staff_new_phone, staff_new_role;
    auto* staff_edit = staff_change("edit", "correct a name or phone, or change a role (which ends their "
                                            "sign-ins: dashboards open again with the new role)");
    auto* staff_name_opt =
        staff_edit->add_option("--name", staff_new_name, "name shown to colleagues and residents");
    auto* staff_phone_opt =
        staff_edit->add_option("--phone", staff_new_phone, "mobile number for SMS alerts; \"\" removes it");
    auto* staff_role_opt = staff_edit->add_option("--role", staff_new_role, "staff, coordinator or admin");

    cli::resident_options resident;
    std::string needs;
    auto* resident_cmd = app.add_subcommand("resident", "manage residents")->require_subcommand(1);
    auto* resident_add = resident_cmd->add_subcommand("add", "add a resident; prints their access token last");
    add_config_flags(resident_add, false);
    resident_add->add_option("--name", resident.name, "full name")->required();
    resident_add->add_option("--phone", resident.phone, "phone number");
    resident_add->add_option("--address", resident.address, "address for home visits");
    resident_add->add_option("--needs", needs, "comma-separated, e.g. deaf,blind,wheelchair");
    resident_add->add_option("--office", resident.office, "office slug (default: the first configured)");
    auto* resident_list = add_list(
        resident_cmd, "list residents with their ids, numbers that texted in too, and open requests");
    cli::export_options export_of;
    auto* resident_export = resident_cmd->add_subcommand(
        "export", "print everything kept about a resident as JSON (RODO: the right of access)");
    add_config_flags(resident_export, false);
    resident_export->add_option("--id", export_of.id, "the resident's id");
    resident_export->add_option("--phone", export_of.phone, "their phone number (when no one else has it)");
    resident_export->add_flag("--staff-names", export_of.staff_names,
                              "also name the staff shown the card (for the office's own checks, not the "
                              "resident's copy)");
    std::int64_t resident_id = 0;
    auto* resident_token = resident_cmd->add_subcommand(
        "token", "issue a new access token (a lost or shared link); the old one stops working");
    add_config_flags(resident_token, false);
    resident_token->add_option("--id", resident_id, "the resident's id")->required();
    auto* resident_remove = resident_cmd->add_subcommand(
        "remove", "delete a resident with their closed requests and records (RODO: the right to erasure)");
    add_config_flags(resident_remove, false);
    resident_remove->add_option("--id", resident_id, "the resident's id")->required();

    std::string new_name, new_phone, new_address, new_needs, new_sms;
    auto* resident_edit = resident_cmd->add_subcommand(
        "edit", "correct a resident's details; naming a number that texted in registers it");
    add_config_flags(resident_edit, false);
    resident_edit->add_option("--id", resident_id, "the resident's id")->required();
    auto* name_opt = resident_edit->add_option("--name", new_name, "full name");
    auto* phone_opt = resident_edit->add_option("--phone", new_phone, "phone number; \"\" removes it");
    auto* address_opt = resident_edit->add_option("--address", new_address, "address for home visits");
    auto* needs_opt = resident_edit->add_option("--needs", new_needs,
                                                "comma-separated, e.g. deaf,wheelchair; \"\" for none");
    auto* sms_opt = resident_edit->add_option("--sms", new_sms, "on or off: whether ASK texts them");

    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        int code = app.exit(e);
        return code == 0 ? 0 : exit_usage;
    }

    try {
        auth::initialise();
        if (*demo) {
            init_logging("info");
            return cli::demo(data_dir, src.listen);
        }
        config cfg = cli::resolve(src);
        if (*serve) {
            init_logging(cfg.log_level);
            return cli::serve(cfg);
        }
        init_logging("warn");
        if (*staff_add)
            return cli::add_staff(cfg, staff);
        if (*staff_list)
            return cli::list_staff(cfg, list_office);
        if (*staff_disable)
            return cli::disable_staff(cfg, staff_username);
        if (*staff_enable)
            return cli::enable_staff(cfg, staff_username);
        if (*staff_password)
            return cli::replace_staff_password(cfg, staff_username);
        if (*staff_edit)
            return cli::edit_staff(cfg, {staff_username, given(staff_name_opt, staff_new_name),
                                         given(staff_phone_opt, staff_new_phone),
                                         given(staff_role_opt, staff_new_role)});
        if (*resident_list)
            return cli::list_residents(cfg, list_office);
        if (*resident_export)
            return cli::export_resident(cfg, export_of);
        if (*resident_token)
            return cli::new_resident_token(cfg, resident_id);
        if (*resident_remove)
            return cli::remove_resident(cfg, resident_id);
        if (*resident_edit)
            return cli::edit_resident(cfg, {resident_id, given(name_opt, new_name),
                                            given(phone_opt, new_phone), given(address_opt, new_address),
                                            given(needs_opt, new_needs), given(sms_opt, new_sms)});
        resident.needs = store::split_needs(needs);
        return cli::add_resident(cfg, resident);
    } catch (const config_error& e) {
        std::cerr << "askd: configuration error: " << e.what() << "\n";
        return exit_usage;
    } catch (const std::exception& e) {
        std::cerr << "askd: " << e.what() << "\n";
        return exit_runtime;
    }
}
