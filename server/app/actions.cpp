#include "server/app/actions.hpp"

#include "server/app/for_resident.hpp"
#include "server/auth/secrets.hpp"

#include <spdlog/spdlog.h>

namespace ask::actions {
namespace {

using protocol::millis;

template <class T>
action_result<T> found_or_unauthorized(store::result<std::optional<T>> r) {
    if (!r)
        return from_store(r.error());
    if (!*r)
        return unauthorized();
    return std::move(**r);
}

net::awaitable<action_result<request_details>> details(application& app, std::int64_t id,
                                                       const std::function<bool(const store::request_record&)>& visible) {
    auto load = [id](store::database& db) -> store::result<request_details> {
        auto found = store::find_request(db, id);
        if (!found)
            return found.error();
        if (!*found)
            return store::errc::not_found;
        auto events = store::request_events(db, id);
        if (!events)
            return events.error();
        return request_details{std::move(**found), std::move(*events)};
    };
    auto r = co_await app.store().run<request_details>(std::move(load), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    if (!visible(r->request))
        co_return not_found();
    co_return std::move(*r);
}

net::awaitable<action_result<store::resident_record>>
resident_of_token(application& app, const std::string& token, store::writer::lane how) {
    if (token.empty())
        co_return unauthorized();
    auto hash = auth::token_hash(token);
    auto lookup = [hash](store::database& db) { return store::resident_by_token(db, hash); };
    co_return found_or_unauthorized(
        co_await app.store().run<std::optional<store::resident_record>>(std::move(lookup), how));
}

} // namespace

net::awaitable<action_result<store::resident_record>> authenticate_resident(application& app,
                                                                            const std::string& token) {
    co_return co_await resident_of_token(app, token, store::writer::lane::normal);
}

net::awaitable<action_result<store::resident_record>> sign_in_resident_page(application& app,
                                                                            const std::string& token) {
    co_return co_await resident_of_token(app, token, store::writer::lane::ongoing);
}

net::awaitable<action_result<store::staff_record>> authenticate_staff(application& app, const std::string& token) {
    if (token.empty())
        co_return unauthorized();
    auto hash = auth::token_hash(token);
    auto lookup = [hash](store::database& db) { return store::staff_by_session(db, hash, application::now()); };
    co_return found_or_unauthorized(co_await app.store().run<std::optional<store::staff_record>>(
        std::move(lookup), store::writer::lane::ongoing));
}

net::awaitable<action_result<session>> login(application& app, const protocol::login_body& body) {
    // Every path below ends the check it begins (failed, succeeded or abandoned).
    if (auto now = application::now(); !app.logins().begin(body.username, now))
        co_return failure{"too_many_attempts", "too many failed logins; try again in 15 minutes",
                          std::nullopt, app.logins().retry_after_seconds(body.username, now)};
    auto lookup = [username = body.username](store::database& db) { return store::find_staff_by_username(db, username); };
    auto found = co_await app.store().run<std::optional<store::staff_credentials>>(
        std::move(lookup), store::writer::lane::ongoing);
    if (!found) {
        app.logins().abandoned(body.username);
        co_return from_store(found.error());
    }
    // An unknown user is checked against a dummy hash too, so timing does not reveal who exists; known
    // users' checks go first (password_checks).
    static const std::string dummy_hash = auth::hash_password("not a real password");
    const std::string& hash = *found ? (*found)->password_hash : dummy_hash;
    bool ok = co_await app.passwords().verify(body.password, hash, found->has_value());
    if (!ok || !*found) {
        app.logins().failed(body.username, application::now());
        // Not the name itself: people type their password into the username field.
        spdlog::warn("login: failed for a username of {} characters", body.username.size());
        co_return failure{"unauthorized", "wrong username or password", std::nullopt};
    }
    app.logins().succeeded(body.username);
    // Only after the password: the account's state is not told to someone who does not know it.
    if ((*found)->staff.disabled) {
        spdlog::warn("login: refused for staff {}: the account is disabled", (*found)->staff.id);
        co_return failure{"account_disabled",
                          "this account is disabled (konto jest wyłączone); ask the office's administrator",
                          std::nullopt};
    }

    session s{auth::new_token(), 0, (*found)->staff};
    auto now = application::now();
    s.expires_at = now + std::chrono::duration_cast<std::chrono::milliseconds>(app.settings().session_ttl).count();
    // Only if the account is as it was looked up: a new password or a disable committed (askd staff
    // password | disable, which count sign_ins_ended up) during the check must not leave a session made
    // with the old one. The hash is compared too, for a password set any other way.
    auto open_session = [hash = auth::token_hash(s.token), id = s.staff.id, now, exp = s.expires_at,
                         username = body.username, checked = (*found)->password_hash,
                         ended = (*found)->staff.sign_ins_ended](store::database& db) -> store::result<bool> {
        auto current = store::find_staff_by_username(db, username);
        using boost::system::in_place_error; // result<bool>: an error code alone would read as a bool
        if (!current)
            return {in_place_error, current.error()};
        if (!*current || (*current)->staff.sign_ins_ended != ended || (*current)->password_hash != checked ||
            (*current)->staff.disabled)
            return false;
        if (auto made = store::create_session(db, hash, id, now, exp); !made)
            return {in_place_error, made.error()};
        return true;
    };
    auto stored = co_await app.store().run<bool>(std::move(open_session), store::writer::lane::ongoing);
    if (!stored)
        co_return from_store(stored.error());
    if (!*stored) {
        spdlog::warn("login: refused for staff {}: the account changed during the password check",
                     s.staff.id);
        co_return failure{"unauthorized", "wrong username or password", std::nullopt};
    }
    spdlog::info("login: staff {} ({})", s.staff.id, s.staff.username);
    co_return s;
}

namespace {

// After a cancel's commit: the dashboards drop it.
void announce_cancel(application& app, const store::request_record& r) {
    app.hub().apply(r, alert_hub::change::updated);
    spdlog::info("request {}: cancelled by resident {}", r.view.id, r.view.resident.id);
}

} // namespace

net::awaitable<action_result<store::request_record>> cancel_request(application& app,
                                                                    const store::resident_record& resident,
                                                                    std::int64_t id) {
    auto withdraw = [id, rid = resident.id](store::database& db) { return store::cancel(db, id, rid, application::now()); };
    auto r =
        co_await app.store().run<store::request_record>(std::move(withdraw), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    announce_cancel(app, *r);
    co_return std::move(*r);
}

net::awaitable<action_result<store::request_record>> cancel_request(application& app, const std::string& token,
                                                                    std::int64_t id) {
    if (token.empty())
        co_return unauthorized();
    using outcome = std::optional<store::request_record>; // nullopt: no resident has this token
    auto withdraw = [id, hash = auth::token_hash(token)](store::database& db) {
        return for_resident<store::request_record>(db, hash, [&](const store::resident_record& resident) {
            return store::cancel(db, id, resident.id, application::now());
        });
    };
    auto r = co_await app.store().run<outcome>(std::move(withdraw), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    if (!*r)
        co_return unauthorized();
    announce_cancel(app, **r);
    co_return std::move(**r);
}

namespace {

failure taken_by_someone_else(const store::request_record& r) {
    failure f{"already_acknowledged", "someone else has already taken this request", r.view.acknowledged_by};
    if (f.holder)
        f.message = f.holder->name + " has already taken this request";
    return f;
}

// A change to request `id` the store refused with `ec`; when another member holds it (not_holder), the
// refusal names them, as the hub has it.
failure refusal(application& app, std::int64_t id, const boost::system::error_code& ec) {
    auto f = from_store(ec);
    if (ec == store::errc::not_holder)
        if (const auto* current = app.hub().find(id))
            f.holder = current->view.acknowledged_by;
    return f;
}

} // namespace

net::awaitable<action_result<store::request_record>> acknowledge(application& app,
                                                                 const store::staff_record& staff,
                                                                 std::int64_t id,
                                                                 std::optional<store::inbound_ref> reply) {
    auto take = [id, sid = staff.id, reply = std::move(reply)](store::database& db) {
        auto now = application::now();
        return store::marking_seen(db, store::acknowledge(db, id, sid, now), reply, now);
    };
    auto r = co_await app.store().run<store::ack_result>(std::move(take), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    if (!r->acknowledged)
        co_return taken_by_someone_else(r->request);
    const auto& req = r->request;
    if (req.acknowledged_at)
        app.counters().acknowledged_after(*req.acknowledged_at - req.view.created_at);
    app.hub().apply(req, alert_hub::change::updated);
    spdlog::info("request {}: acknowledged by staff {}", id, staff.id);
    co_return std::move(r->request);
}

net::awaitable<action_result<store::request_record>> resolve(application& app,
                                                             const store::staff_record& staff,
                                                             const protocol::resolve_message& msg,
                                                             std::optional<store::inbound_ref> reply) {
    auto close = [msg, sid = staff.id, reply = std::move(reply)](store::database& db) {
        auto now = application::now();
        return store::marking_seen(db, store::resolve(db, msg.id, sid, msg.result, msg.note, now), reply,
                                   now);
    };
    auto r = co_await app.store().run<store::request_record>(std::move(close), store::writer::lane::ongoing);
    if (!r) {
        if (r.error() == store::errc::conflict)
            co_return failure{"not_acknowledged", "acknowledge the request before resolving it", std::nullopt};
        co_return refusal(app, msg.id, r.error());
    }
    app.hub().apply(*r, alert_hub::change::updated);
    spdlog::info("request {}: resolved by staff {} as {}", msg.id, staff.id, protocol::to_string(msg.result));
    co_return std::move(*r);
}

net::awaitable<action_result<store::request_record>>
take_and_resolve(application& app, const store::staff_record& staff, const protocol::resolve_message& msg,
                 std::optional<store::inbound_ref> reply) {
    // Both in one job: the hub, and so the resident, sees only the closed request.
    struct outcome {
        store::request_record request;
        bool closed = false;   ///< false: someone else has it (request as it is)
        bool took_now = false; ///< this job took it (counted once as an acknowledgement)
    };
    auto take_and_close = [msg, sid = staff.id,
                           reply = std::move(reply)](store::database& db) -> store::result<outcome> {
        auto now = application::now();
        auto taken = store::acknowledge(db, msg.id, sid, now);
        if (!taken)
            return taken.error();
        const auto& holder = taken->request.view.acknowledged_by;
        // Taken by this member already (the hub had not caught up): closed all the same.
        if (!taken->acknowledged && !(holder && holder->id == sid))
            return outcome{std::move(taken->request), false, false};
        auto closed =
            store::marking_seen(db, store::resolve(db, msg.id, sid, msg.result, msg.note, now), reply, now);
        if (!closed)
            return closed.error();
        return outcome{std::move(*closed), true, taken->acknowledged};
    };
    auto r = co_await app.store().run<outcome>(std::move(take_and_close), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    if (!r->closed)
        co_return taken_by_someone_else(r->request);
    const auto& req = r->request;
    if (r->took_now && req.acknowledged_at)
        app.counters().acknowledged_after(*req.acknowledged_at - req.view.created_at);
    app.hub().apply(req, alert_hub::change::updated);
    spdlog::info("request {}: taken and resolved by staff {} as {}", msg.id, staff.id,
                 protocol::to_string(msg.result));
    co_return std::move(r->request);
}

net::awaitable<action_result<store::request_record>> mark_contacted(application& app, const store::staff_record& staff,
                                                                    const protocol::contacted_message& msg) {
    auto record = [msg, sid = staff.id](store::database& db) {
        return store::mark_contacted(db, msg.id, sid, msg.note, application::now());
    };
    auto r = co_await app.store().run<store::request_record>(std::move(record), store::writer::lane::ongoing);
    if (!r) {
        if (r.error() == store::errc::conflict) {
            // Marked already (the holder's other dashboard, or a coordinator at the same moment): said as it
            // is, not as a request nobody has taken.
            if (const auto* now = app.hub().find(msg.id);
                now && now->view.state == protocol::request_state::contacted)
                co_return failure{"already_contacted", "the resident's contact is already recorded",
                                  std::nullopt};
            co_return failure{"not_acknowledged", "only an acknowledged request can be marked as contacted", std::nullopt};
        }
        co_return refusal(app, msg.id, r.error());
    }
    app.hub().apply(*r, alert_hub::change::updated);
    spdlog::info("request {}: resident contacted by staff {}", msg.id, staff.id);
    co_return std::move(*r);
}

net::awaitable<action_result<store::request_record>>
release(application& app, const store::staff_record& staff, std::int64_t id) {
    bool notifying = app.hub().reachable_staff(staff.office_id) > 0;
    auto give_back = [id, sid = staff.id, notifying](store::database& db) {
        return store::release(db, id, sid, notifying, application::now());
    };
    auto r =
        co_await app.store().run<store::request_record>(std::move(give_back), store::writer::lane::ongoing);
    if (!r) {
        if (r.error() == store::errc::conflict)
            co_return failure{"not_acknowledged", "nobody has taken this request", std::nullopt};
        co_return refusal(app, id, r.error());
    }
    // Waiting again: it rings on every on-duty dashboard, and the resident is told.
    app.hub().apply(*r, alert_hub::change::created);
    spdlog::info("request {}: released by staff {}", id, staff.id);
    co_return std::move(*r);
}

net::awaitable<action_result<store::request_record>> add_note(application& app, const store::staff_record& staff,
                                                              const protocol::note_message& msg) {
    auto write = [msg, sid = staff.id](store::database& db) {
        return store::add_note(db, msg.id, sid, msg.text, application::now());
    };
    auto r = co_await app.store().run<store::request_record>(std::move(write), store::writer::lane::ongoing);
    if (!r)
        co_return from_store(r.error());
    co_return std::move(*r);
}

net::awaitable<action_result<bool>> set_duty(application& app, const store::staff_record& staff, bool on) {
    auto record_duty = [id = staff.id, on](store::database& db) { return store::set_duty(db, id, on); };
    auto stored = co_await app.store().run<void>(std::move(record_duty), store::writer::lane::ongoing);
    if (!stored)
        co_return from_store(stored.error());
    app.hub().set_duty(staff.id, staff.office_id, on);
    spdlog::info("duty: staff {} is {} duty", staff.id, on ? "on" : "off");
    // The residents are told at once where their requests now stand: waiting for anyone, with someone
    // now; or being alerted, with the last person reachable gone off duty (not left to the next
    // re-notification, up to renotify_seconds later, meanwhile believing staff are alerted). A dashboard
    // that only disconnects is left to that re-notification. Residents told by SMS are texted that
    // nobody is on duty once it has lasted a while (check_nobody_on_duty): a shift
    // handing over must not text every resident "nobody", then "alerting".
    const auto from = on ? protocol::request_state::queued : protocol::request_state::notifying;
    for (const auto& view : app.hub().queue(staff.office_id)) {
        if (view.state != from)
            continue;
        int reachable = app.hub().reachable_staff(staff.office_id);
        if ((reachable > 0) != on)
            break; // duty changed again meanwhile: that change tells them
        auto announce = [id = view.id, on, reachable](store::database& db) {
            return store::set_notifying(db, id, on, reachable, application::now());
        };
        auto moved = co_await app.store().run<store::request_record>(std::move(announce),
                                                                     store::writer::lane::ongoing);
        if (moved)
            app.hub().apply(*moved, alert_hub::change::updated);
    }
    co_return on;
}

net::awaitable<action_result<request_details>> details_for_resident(application& app,
                                                                    const store::resident_record& resident,
                                                                    std::int64_t id) {
    const std::function<bool(const store::request_record&)> own = [rid = resident.id](const store::request_record& r) {
        return r.view.resident.id == rid;
    };
    co_return co_await details(app, id, own);
}

net::awaitable<action_result<request_details>> details_for_staff(application& app, const store::staff_record& staff,
                                                                 std::int64_t id) {
    const std::function<bool(const store::request_record&)> office = [oid = staff.office_id](const store::request_record& r) {
        return r.office_id == oid;
    };
    auto d = co_await details(app, id, office);
    if (d)
        app.card_shown(staff.id, d->request.view.resident.id, application::now());
    co_return d;
}

} // namespace ask::actions

