#include "server/cli/commands.hpp"

#include "server/app/open_store.hpp"
#include "server/auth/secrets.hpp"
#include "server/store/accounts.hpp"

#include <fmt/format.h>

#include <filesystem>
#include <iostream>

namespace ask::cli {
namespace {

constexpr std::string_view demo_username = "anna";
constexpr std::string_view demo_resident_phone = "+48600100200";

struct demo_credentials {
    std::string password;
    std::string resident_token;
};

// Creates the demo people on first run; on every run issues fresh credentials, because
// only their hashes are stored and the person starting the demo needs to see them.
demo_credentials prepare(const config& cfg) {
    auto db = open_store(cfg);
    auto office = office_id(db, cfg, "");
    auto now = wall_clock_ms();

    demo_credentials out{auth::new_demo_password(), auth::new_token()};
    auto hash = auth::hash_password(out.password);
    std::int64_t staff_id = 0;
    if (auto found = value_or_throw(store::find_staff_by_username(db, std::string(demo_username)), "find staff")) {
        staff_id = found->staff.id;
        value_or_throw(store::set_staff_password(db, staff_id, hash), "staff password");
    } else {
        store::staff_record anna;
        anna.office_id = office;
        anna.username = demo_username;
        anna.display_name = "Anna";
        anna.role = protocol::staff_role::coordinator;
        anna.phone = "+48600000001";
        staff_id = value_or_throw(store::add_staff(db, anna, hash, now), "add staff");
    }
    value_or_throw(store::set_duty(db, staff_id, true), "duty");

    auto token_hash = auth::token_hash(out.resident_token);
    if (auto jan = value_or_throw(store::resident_by_phone(db, std::string(demo_resident_phone)), "find resident")) {
        value_or_throw(store::set_resident_token(db, jan->id, token_hash), "resident token");
    } else {
        store::resident_record r;
        r.office_id = office;
        r.name = "Jan Nowak";
        r.phone = demo_resident_phone;
        r.address = "ul. Lipowa 5 m. 2, Przykładowo";
        r.needs = {"wheelchair", "hard_of_hearing"};
        value_or_throw(store::add_resident(db, r, token_hash, now), "add resident");
    }
    return out;
}

} // namespace

int demo(const std::string& data_dir, const std::string& listen) {
    config cfg;
    cfg.db_path = (std::filesystem::path(data_dir) / "ask-demo.db").string();
    cfg.accessibility = accessibility_config::demo();
    if (!listen.empty())
        set_listen(cfg, listen, "--listen");
    auto creds = prepare(cfg);
    auto base = fmt::format("http://{}:{}", cfg.listen_host, cfg.listen_port);
    std::cout << fmt::format(
        "\nASK demo: {office}\n"
        "  Staff dashboard   {base}/staff\n"
        "    login           {user} / {password}   (Anna, coordinator, on duty)\n"
        "  Resident's link   {base}/r#{token}   (Jan Nowak)\n"
        "  Database          {db}\n\n"
        "  A button device (or curl) asking for urgent contact as Jan:\n"
        "    curl -s -X POST {base}/api/v1/requests -H 'Authorization: Bearer {token}' \\\n"
        "         -d '{{\"priority\":\"urgent\",\"message\":\"Proszę o telefon\"}}'\n"
        "  Accessibility     {base}/dostepnosc   (demo contact data: set [accessibility] for a real office)\n"
        "  Health {base}/healthz   Metrics {base}/metrics   Protocol: protocol/README.md\n"
        "  Credentials are new on every start. Stop with Ctrl+C.\n\n",
        fmt::arg("office", cfg.offices.front().name), fmt::arg("db", cfg.db_path),
        fmt::arg("user", demo_username), fmt::arg("password", creds.password),
        fmt::arg("token", creds.resident_token), fmt::arg("base", base));
    std::cout.flush();
    return serve(cfg);
}

} // namespace ask::cli
