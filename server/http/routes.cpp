#include "server/http/routes.hpp"

#include "protocol/civil_time.hpp"
#include "protocol/server_messages.hpp"
#include "server/app/actions.hpp"
#include "server/app/stats.hpp"
#include "server/engine/office_hours.hpp"
#include "server/http/closed_requests.hpp"
#include "server/http/pages.hpp"
#include "server/http/staff_caller.hpp"
#include "server/http/webhooks.hpp"
#include "server/store/accounts.hpp"
#include "server/store/requests.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <optional>

namespace ask::web {
namespace {

constexpr std::string_view requests_prefix = "/api/v1/requests/";

response ok_json(http::status status, std::string body) { return make_response(status, std::move(body)); }

response method_not_allowed(std::string_view allow) {
    auto res = error_response(http::status::method_not_allowed, "method_not_allowed", "method not allowed here");
    res.set(http::field::allow, allow);
    return res;
}

response parse_failure(const protocol::problem& p) {
    return error_response(http::status::bad_request, protocol::wire_code(p.code), p.detail);
}

response details_response(const actions::request_details& d) {
    return ok_json(http::status::ok,
                   protocol::request_detail_json(d.request.view, d.request.outcome, d.request.note, d.events));
}

// Who is on duty and who has a dashboard open, for coordinators.
net::awaitable<response> duty_roster(application& app, const request& req) {
    auto staff = co_await staff_caller(app, req, false);
    if (!staff)
        co_return error_response(staff.error());
    if (staff->role == protocol::staff_role::staff)
        co_return error_response(http::status::forbidden, "forbidden", "the duty roster is for coordinators");
    auto load = [office = staff->office_id](store::database& db) { return store::staff_of_office(db, office); };
    auto people = co_await app.store().run<std::vector<store::staff_record>>(std::move(load),
                                                                             store::writer::lane::ongoing);
    if (!people)
        co_return error_response(from_store(people.error()));
    boost::json::array list;
    for (const auto& p : *people)
        list.emplace_back(boost::json::object{{"id", p.id},
                                              {"name", p.display_name},
                                              {"role", protocol::to_string(p.role)},
                                              {"on_duty", p.on_duty},
                                              {"connected", app.hub().connected(p.id)}});
    co_return ok_json(http::status::ok, boost::json::serialize(boost::json::object{{"staff", std::move(list)}}));
}

net::awaitable<response> duty(application& app, const request& req) {
    auto staff = co_await staff_caller(app, req, true);
    if (!staff)
        co_return error_response(staff.error());
    auto body = protocol::parse_duty(req.body());
    if (!body)
        co_return parse_failure(body.error());
    auto r = co_await actions::set_duty(app, *staff, body->on);
    if (!r)
        co_return error_response(r.error());
    co_return ok_json(http::status::ok, *r ? R"({"on_duty":true})" : R"({"on_duty":false})");
}

net::awaitable<response> request_events(application& app, const request& req, std::int64_t id) {
    auto staff = co_await staff_caller(app, req, false);
    if (!staff)
        co_return error_response(staff.error());
    auto d = co_await actions::details_for_staff(app, *staff, id);
    if (!d)
        co_return error_response(d.error());
    co_return ok_json(http::status::ok, protocol::events_json(id, d->events));
}

// The report period: ?from=YYYY-MM-DD&to=YYYY-MM-DD as office-local dates, `to` included;
// by default the 30 office-local days up to and including today. At most 366 days. The days
// are worked out here, in the office's zone, so a browser in another zone (or near midnight
// UTC) gets the office's "today".
struct report_period {
    protocol::millis from = 0; ///< UTC, inclusive: the first day's local midnight
    protocol::millis to = 0;   ///< UTC, exclusive: the midnight after the last day
    long long first_day = 0;   ///< office-local days since 1970-01-01
    long long last_day = 0;
};

std::optional<report_period> period_of(const application& app, const request& req, std::int64_t office_id) {
    const auto* office = app.office_settings(office_id);
    auto zone = load_time_zone(office ? office->time_zone : "UTC", "time_zone");
    report_period p;
    p.last_day = protocol::floor_div(zone.to_local(application::now()), protocol::ms_per_day);
    p.first_day = p.last_day - 29;
    auto from_text = query_param(req, "from");
    auto to_text = query_param(req, "to");
    if (!to_text.empty()) {
        auto day = engine::parse_date(to_text);
        if (!day)
            return std::nullopt;
        p.last_day = *day;
        p.first_day = p.last_day - 29;
    }
    if (!from_text.empty()) {
        auto day = engine::parse_date(from_text);
        if (!day)
            return std::nullopt;
        p.first_day = *day;
    }
    if (p.first_day > p.last_day || p.last_day - p.first_day >= 366)
        return std::nullopt;
    p.from = zone.to_utc(p.first_day * protocol::ms_per_day);
    p.to = zone.to_utc((p.last_day + 1) * protocol::ms_per_day);
    return p;
}

net::awaitable<response> stats(application& app, const request& req) {
    auto staff = co_await staff_caller(app, req, false);
    if (!staff)
        co_return error_response(staff.error());
    if (staff->role == protocol::staff_role::staff)
        co_return error_response(http::status::forbidden, "forbidden", "statistics are for coordinators");
    auto period = period_of(app, req, staff->office_id);
    if (!period)
        co_return error_response(http::status::bad_request, "bad_request",
                                 "from and to must be dates like 2026-11-01, from before to, at most 366 days apart");
    auto format = query_param(req, "format");
    if (!format.empty() && format != "json" && format != "csv")
        co_return error_response(http::status::bad_request, "bad_request", "format must be json or csv");
    auto load = [office = staff->office_id, p = *period](store::database& db) {
        return store::request_histories_created_between(db, office, p.from, p.to);
    };
    auto rows = co_await app.store().run<std::vector<store::request_history>>(std::move(load),
                                                                              store::writer::lane::ongoing);
    if (!rows)
        co_return error_response(from_store(rows.error()));
    auto open_at = [&app, office = staff->office_id](protocol::millis at) {
        return app.availability(office, at).open;
    };
    auto report = compute_stats(*rows, period->from, period->to, open_at);
    report.first_day = protocol::date_text(period->first_day);
    report.last_day = protocol::date_text(period->last_day);
    if (format == "csv") {
        auto res = make_response(http::status::ok, stats_csv(report), "text/csv; charset=utf-8");
        res.set(http::field::content_disposition, "attachment; filename=\"ask-stats.csv\"");
        co_return res;
    }
    co_return ok_json(http::status::ok, stats_json(report));
}

// The session cookie with this value and lifetime. Secure whenever askd is reached over TLS (behind a
// proxy: server.public_url is https). Setting and clearing it use the same attributes, or a browser
// would keep the one set as another cookie.
std::string session_cookie_header(const application& app, std::string_view token, long long max_age) {
    bool tls = app.settings().public_url.starts_with("https://");
    return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Strict{}", session_cookie, token,
                       max_age, tls ? "; Secure" : "");
}

// Sign-in sets the session cookie, so a foreign page must not be able to sign a browser in (as someone
// else: its dashboard would then reconnect as that account, in their office). A browser sends Origin with
// every POST; one from another Origin is refused, as for logout. Tools without a browser send none. And
// only JSON is read: an HTML form can post text/plain that parses as JSON, but never application/json.
net::awaitable<response> login(application& app, const request& req) {
    if (req.find(http::field::origin) != req.end() && !origin_allowed(req, app.settings()))
        co_return error_response(http::status::forbidden, "forbidden",
                                 "sign-in from this Origin is not allowed");
    if (!is_json_media_type(req[http::field::content_type]))
        co_return error_response(http::status::unsupported_media_type, "unsupported_media_type",
                                 "sign-in takes Content-Type: application/json");
    auto body = protocol::parse_login(req.body());
    if (!body)
        co_return parse_failure(body.error());
    auto s = co_await actions::login(app, *body);
    if (!s)
        co_return error_response(s.error());
    auto res = ok_json(http::status::ok, protocol::login_json(s->token, s->expires_at));
    auto max_age = std::chrono::duration_cast<std::chrono::seconds>(app.settings().session_ttl).count();
    res.set(http::field::set_cookie, session_cookie_header(app, s->token, max_age));
    co_return res;
}

// Ends the caller's session (bearer token, or the cookie from an allowed Origin, as staff_caller) and
// clears the cookie: 204, also when there was no session to end (signing out twice, or with none, leaves
// the caller signed out as asked). 403 for the cookie from another Origin: a foreign page must not sign
// staff out of a dashboard watching for alerts.
net::awaitable<response> logout(application& app, const request& req) {
    auto token = bearer_token(req);
    if (token.empty()) {
        token = cookie(req, session_cookie);
        if (!token.empty() && !origin_allowed(req, app.settings()))
            co_return error_response(http::status::forbidden, "forbidden",
                                     "this Origin may not use the session cookie");
    }
    auto ended = co_await actions::sign_out(app, token);
    if (!ended)
        co_return error_response(ended.error());
    auto res = make_response(http::status::no_content, "");
    res.erase(http::field::content_type);
    res.set(http::field::set_cookie, session_cookie_header(app, "", 0));
    co_return res;
}

net::awaitable<response> create_request(application& app, const request& req) {
    auto token = bearer_token(req);
    if (token.empty())
        co_return error_response(unauthorized());
    auto body = protocol::parse_new_request(req.body(), app.settings().limits.text);
    if (!body)
        co_return parse_failure(body.error());
    auto r = co_await actions::submit_request(app, token, *body);
    if (!r)
        co_return error_response(r.error());
    // Where the request stands as its resident would be told now (the hub has it after the commit).
    co_return ok_json(r->created ? http::status::created : http::status::ok,
                      protocol::request_created_json(app.hub().status_of(r->request), r->merged,
                                                     r->request.view.repeat_count));
}

// A request's details: for its resident (bearer token) or for staff of its office (bearer or cookie).
net::awaitable<response> show_request(application& app, const request& req, std::int64_t id) {
    auto token = bearer_token(req);
    if (!token.empty()) {
        auto resident = co_await actions::authenticate_resident(app, token);
        // Only a token no resident has is tried as a staff session: a store that could not answer (503)
        // is said as it is, not as a token nobody has (a resident's page would take 401 for its link ended).
        if (!resident && resident.error().code != "unauthorized")
            co_return error_response(resident.error());
        if (resident) {
            auto d = co_await actions::details_for_resident(app, *resident, id);
            if (!d)
                co_return error_response(d.error());
            // With the sentence its page shows, also for a request closed while the page was away.
            auto body = boost::json::parse(protocol::request_detail_json(d->request.view, d->request.outcome,
                                                                         d->request.note, d->events))
                            .as_object();
            auto status = app.hub().status_of(d->request);
            body["text"] = {{"pl", protocol::resident_text(status, "pl")},
                            {"en", protocol::resident_text(status, "en")}};
            co_return ok_json(http::status::ok, boost::json::serialize(body));
        }
    } else {
        token = cookie(req, session_cookie);
    }
    auto staff = co_await actions::authenticate_staff(app, token);
    if (!staff)
        co_return error_response(staff.error());
    auto d = co_await actions::details_for_staff(app, *staff, id);
    co_return d ? details_response(*d) : error_response(d.error());
}

net::awaitable<response> cancel_request(application& app, const request& req, std::int64_t id) {
    auto r = co_await actions::cancel_request(app, bearer_token(req), id);
    if (!r)
        co_return error_response(r.error());
    co_return ok_json(http::status::ok, protocol::status_json(app.hub().status_of(*r)));
}

net::awaitable<response> request_routes(application& app, const request& req, std::string_view rest) {
    bool cancel = rest.ends_with("/cancel");
    if (cancel)
        rest.remove_suffix(std::string_view("/cancel").size());
    bool events = !cancel && rest.ends_with("/events");
    if (events)
        rest.remove_suffix(std::string_view("/events").size());
    auto id = positive_integer(rest);
    if (!id)
        co_return error_response(http::status::not_found, "not_found", "no such resource");
    if (events) {
        if (req.method() != http::verb::get)
            co_return method_not_allowed("GET");
        co_return co_await request_events(app, req, *id);
    }
    if (cancel) {
        if (req.method() != http::verb::post)
            co_return method_not_allowed("POST");
        co_return co_await cancel_request(app, req, *id);
    }
    if (req.method() != http::verb::get)
        co_return method_not_allowed("GET");
    co_return co_await show_request(app, req, *id);
}

} // namespace

net::awaitable<response> handle(application& app, const request& req) {
    auto path = path_of(req);
    auto method = req.method();
    if (path == "/healthz") {
        if (method != http::verb::get)
            co_return method_not_allowed("GET");
        // Liveness stays 200 (askd is up and answering, with 503s if need be; restarting it would not
        // bring a full or read-only disk back), but the body does not say "ok" while writes fail.
        if (!app.store().storage_ok())
            co_return ok_json(http::status::ok, R"({"status":"degraded","storage":"unavailable"})");
        co_return ok_json(http::status::ok, R"({"status":"ok"})");
    }
    if (path == "/metrics") {
        if (method != http::verb::get)
            co_return method_not_allowed("GET");
        const auto& hub = app.hub();
        auto stored = app.store().stats();
        co_return make_response(
            http::status::ok,
            app.counters().render({hub.open_count(), hub.staff_connections(), hub.resident_connections(),
                                   app.store().storage_ok(), stored.commits, stored.jobs, stored.refused,
                                   stored.queued, stored.running, app.views().waiting(), app.views().lost(),
                                   app.upkeep_passes(), app.sign_in_checks()}),
            "text/plain; version=0.0.4; charset=utf-8");
    }
    if (path == "/api/v1/login") {
        if (method != http::verb::post)
            co_return method_not_allowed("POST");
        co_return co_await login(app, req);
    }
    if (path == "/api/v1/logout") {
        if (method != http::verb::post)
            co_return method_not_allowed("POST");
        co_return co_await logout(app, req);
    }
    if (path == "/api/v1/requests") {
        if (method == http::verb::get)
            co_return co_await closed_requests(app, req);
        if (method != http::verb::post)
            co_return method_not_allowed("GET, POST");
        co_return co_await create_request(app, req);
    }
    if (path == "/api/v1/duty") {
        if (method == http::verb::get)
            co_return co_await duty_roster(app, req);
        if (method != http::verb::post)
            co_return method_not_allowed("GET, POST");
        co_return co_await duty(app, req);
    }
    if (path == "/api/v1/stats") {
        if (method != http::verb::get)
            co_return method_not_allowed("GET");
        co_return co_await stats(app, req);
    }
    if (path.starts_with("/webhooks/sms/"))
        co_return co_await sms_webhook(app, req, std::string_view(path).substr(std::string_view("/webhooks/sms/").size()));
    if (path.starts_with(requests_prefix))
        co_return co_await request_routes(app, req, std::string_view(path).substr(requests_prefix.size()));
    if (method == http::verb::get) {
        if (auto res = page(path, app.settings()))
            co_return std::move(*res);
    }
    co_return error_response(http::status::not_found, "not_found", "no such resource");
}

} // namespace ask::web
