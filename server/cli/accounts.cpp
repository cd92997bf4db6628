#include "server/cli/commands.hpp"
#include "server/cli/password_input.hpp"
#include "server/cli/phone_input.hpp"

#include "protocol/civil_time.hpp"
#include "protocol/server_messages.hpp"
#include "server/app/open_store.hpp"
#include "server/auth/secrets.hpp"
#include "server/store/accounts.hpp"
#include "server/store/error.hpp"
#include "server/store/requests.hpp"
#include "server/store/resident_views.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <iostream>

namespace ask::cli {
namespace {

constexpr std::size_t min_password_chars = 10;

} // namespace

std::string password_from_stdin() {
    std::string password;
    std::getline(std::cin, password);
    if (password.size() < min_password_chars)
        throw config_error(fmt::format("password (stdin): must be at least {} characters", min_password_chars));
    return password;
}

int add_staff(const config& cfg, const staff_options& o) {
    auto role = protocol::staff_role_from_string(o.role);
    if (!role)
        throw config_error("--role: must be staff, coordinator or admin");
    auto password = password_from_stdin();

    auto db = open_store(cfg);
    store::staff_record s;
    s.office_id = office_id(db, cfg, o.office);
    s.username = o.username;
    s.display_name = o.name;
    s.role = *role;
    s.phone = phone_from_option(o.phone);
    auto hash = auth::hash_password(password);
    // The number checked and the account added together: a text arriving between them cannot make the
    // number a resident's first.
    value_or_throw(db.exec("BEGIN IMMEDIATE"), "cannot write database " + cfg.db_path);
    refuse_a_resident_phone(db, s.phone);
    auto id = store::add_staff(db, s, hash, wall_clock_ms());
    if (!id && id.error() == store::errc::constraint)
        throw config_error(fmt::format("--username: '{}' is already taken", o.username));
    auto added = value_or_throw(std::move(id), "cannot add staff");
    value_or_throw(db.exec("COMMIT"), "cannot write database " + cfg.db_path);
    std::cout << "staff " << added << " added: " << o.username << "\n";
    return 0;
}

int add_resident(const config& cfg, const resident_options& o) {
    auto db = open_store(cfg);
    store::resident_record r;
    r.office_id = office_id(db, cfg, o.office);
    r.name = o.name;
    r.phone = phone_from_option(o.phone);
    r.address = o.address;
    r.needs = o.needs;
    auto token = auth::new_token();
    value_or_throw(db.exec("BEGIN IMMEDIATE"), "cannot write database " + cfg.db_path);
    refuse_a_staff_phone(db, r.phone);
    auto id = value_or_throw(store::add_resident(db, r, auth::token_hash(token), wall_clock_ms()), "cannot add resident");
    value_or_throw(db.exec("COMMIT"), "cannot write database " + cfg.db_path);
    std::cout << "resident " << id << " added: " << o.name << "\n"
              << "access token (shown once; the page link is /r#TOKEN):\n"
              << token << "\n";
    return 0;
}

namespace {

// One resident's record, with each of their requests as GET /api/v1/requests/{id} gives it, and the days
// their card was shown to staff.
boost::json::object exported(store::database& db, const store::resident_record& r,
                             const std::vector<store::office_record>& offices, bool staff_names) {
    boost::json::array requests;
    for (const auto& q : value_or_throw(store::requests_of_resident(db, r.id), "cannot read requests")) {
        auto events = value_or_throw(store::request_events(db, q.view.id), "cannot read a request's history");
        requests.push_back(
            boost::json::parse(protocol::request_detail_json(q.view, q.outcome, q.note, events)));
    }
    // On which days staff were shown the card, and the first moment of each (RODO art. 15: when the data
    // was consulted). Which employee, only for the office's own checks (export_options::staff_names).
    boost::json::array shown;
    for (const auto& v :
         value_or_throw(store::views_of_resident(db, r.id), "cannot read who was shown the card")) {
        boost::json::object view{{"day_utc", protocol::date_text(v.day)},
                                 {"first_at", protocol::iso8601(v.first_at)},
                                 {"role", protocol::to_string(v.staff_role)}};
        if (staff_names) {
            view["staff_id"] = v.staff_id;
            view["username"] = v.staff_username;
            view["name"] = v.staff_name;
        }
        shown.push_back(std::move(view));
    }
    std::string office;
    for (const auto& o : offices)
        if (o.id == r.office_id)
            office = o.slug;
    return {{"id", r.id},
            {"office", office},
            {"name", r.name},
            {"phone", r.phone},
            {"address", r.address},
            {"needs", boost::json::array(r.needs.begin(), r.needs.end())},
            {"unknown_sender", r.unknown_sender},
            {"sms_opt_out", r.sms_opt_out},
            {"created_at", protocol::iso8601(r.created_at)},
            {"requests", std::move(requests)},
            {"card_shown_to_staff", std::move(shown)}};
}

// How long what the export shows is kept (RODO art. 15(1)(d)), in words (Polish first) and as the
// setting, null while the office has not chosen a period (store/retention.hpp says what is deleted).
boost::json::object retention(const config& cfg) {
    const auto days = cfg.keep_closed_days;
    const std::string kept_pl =
        "Dane osoby zarejestrowanej przez urząd (imię, telefon, adres, potrzeby) nie są "
        "usuwane automatycznie: urząd usuwa je na wniosek tej osoby albo gdy przestaje ona korzystać z "
        "usługi, razem z jej zamkniętymi zgłoszeniami.";
    const std::string kept_en =
        "The record of a resident the office registered (name, phone, address, needs) is "
        "not deleted automatically: the office deletes it when the resident asks, or when they no longer "
        "use the service, together with their closed requests.";
    if (days == 0)
        return {
            {"closed_requests_kept_days", nullptr},
            {"pl", "Urząd nie ustalił jeszcze, jak długo przechowuje zamknięte zgłoszenia; do tego czasu nic "
                   "nie jest usuwane. " +
                       kept_pl},
            {"en", "The office has not yet set how long closed requests are kept; until it does, nothing is "
                   "deleted. " +
                       kept_en}};
    return {
        {"closed_requests_kept_days", days},
        {"pl",
         fmt::format("Zamknięte zgłoszenia i ich historia są usuwane w ciągu godziny po upływie {} {} od "
                     "zamknięcia (zgłoszenie anulowane: od jego utworzenia). Numer, z którego przyszedł "
                     "SMS, a którego urząd nie zarejestrował, jest usuwany razem z ostatnim zgłoszeniem z "
                     "tego numeru, chyba że wysłano z niego STOP: wtedy zostaje, żeby urząd nie wysyłał "
                     "na niego SMS-ów. Zapis dni, w których dane osoby pokazano pracownikom urzędu, jest "
                     "usuwany w ciągu godziny po upływie {} {} od końca takiego dnia (UTC). ",
                     days, days == 1 ? "dnia" : "dni", days, days == 1 ? "dnia" : "dni") +
             kept_pl},
        {"en",
         fmt::format("Closed requests and their history are deleted {} {} after they close (a cancelled "
                     "one: after it was made), within the following hour. A number that texted in without "
                     "being registered by the office is deleted with the last request from it, unless "
                     "STOP was sent from it: then it stays, so that the office does not text it. The record "
                     "of the days on which the resident's details were shown to staff is deleted within the "
                     "hour once {} {} have passed since the end of such a day (UTC). ",
                     days, days == 1 ? "day" : "days", days, days == 1 ? "day" : "days") +
             kept_en}};
}

} // namespace

int export_resident(const config& cfg, const export_options& o) {
    if ((o.id == 0) == o.phone.empty())
        throw config_error("give either --id or --phone");
    auto db = open_store_to_read(cfg);
    // One read transaction: a batch of retention deleting meanwhile cannot leave half a history in it.
    value_or_throw(db.exec("BEGIN"), "cannot read database " + cfg.db_path);
    std::vector<store::resident_record> who;
    if (o.id != 0) {
        if (auto found = value_or_throw(store::find_resident(db, o.id), "cannot read residents"))
            who.push_back(std::move(*found));
    } else {
        who = value_or_throw(store::residents_by_phone(db, phone_from_option(o.phone)),
                             "cannot read residents");
    }
    if (who.empty()) {
        std::cerr << "askd: no resident "
                  << (o.id != 0 ? "with id " + std::to_string(o.id) : "with that phone") << "\n";
        return 1;
    }
    // A shared phone (a household, a care home) must not hand one person another's health details.
    if (who.size() > 1) {
        std::cerr << "askd: " << who.size() << " residents have that phone; export one of them with --id:\n";
        for (const auto& r : who)
            std::cerr << "  --id " << r.id << "  " << r.name << "\n";
        return 1;
    }
    auto offices = value_or_throw(store::list_offices(db), "cannot read offices");
    boost::json::object document{{"exported_at", protocol::iso8601(wall_clock_ms())},
                                 {"retention", retention(cfg)},
                                 {"resident", exported(db, who.front(), offices, o.staff_names)}};
    value_or_throw(db.exec("COMMIT"), "cannot read database " + cfg.db_path);
    std::cout << boost::json::serialize(document) << "\n";
    return 0;
}

} // namespace ask::cli
