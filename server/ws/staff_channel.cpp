#include "server/ws/staff_channel.hpp"

#include "protocol/server_messages.hpp"
#include "server/app/actions.hpp"

#include <spdlog/spdlog.h>

namespace ask::ws {

staff_channel::staff_channel(application& app, connection& conn, store::staff_record staff,
                             sign_in_watch::staff_sign_in signed_in, std::uint64_t changes_seen,
                             std::uint64_t duty_changes)
    : app_(app), conn_(conn), staff_(std::move(staff)), signed_in_(std::move(signed_in)),
      changes_seen_(changes_seen), duty_changes_(duty_changes) {}

net::awaitable<void> staff_channel::on_open() {
    // Off the hub at once: not counted as reachable while the closing handshake runs.
    auto end = [this] {
        conn_.close_signed_out();
        app_.hub().remove_staff(&conn_);
    };
    // Signed out during the handshake: closed before it joins the hub or is sent anyone's details.
    if (!app_.sign_ins().add(&conn_, std::move(signed_in_), end, changes_seen_)) {
        conn_.close_signed_out();
        spdlog::info("ws: staff {} refused: the session was signed out during the handshake", staff_.id);
        co_return;
    }
    // The duty lives in the hub from here on (set_duty tells every dashboard of the person).
    bool on_duty = app_.hub().add_staff({&conn_, staff_.id, staff_.office_id}, staff_.on_duty, duty_changes_);
    auto alerts = app_.hub().queue(staff_.office_id);
    protocol::staff_identity me{staff_.id, staff_.display_name, staff_.role, on_duty};
    conn_.deliver(share(protocol::snapshot_json(alerts, me)));
    const auto sent_at = application::now();
    for (const auto& alert : alerts)
        app_.card_shown(staff_.id, alert.resident.id, sent_at);
    spdlog::info("ws: staff {} connected ({} open alerts)", staff_.id, alerts.size());
    co_return;
}

void staff_channel::on_close() noexcept {
    app_.sign_ins().remove(&conn_);
    app_.hub().remove_staff(&conn_);
    spdlog::info("ws: staff {} disconnected", staff_.id);
}

net::awaitable<void> staff_channel::on_message(const std::string& text) {
    auto parsed = protocol::parse_staff_message(text, app_.settings().limits.text);
    if (!parsed) {
        const auto& p = parsed.error();
        // With the message's ref when it has a readable one, so the page knows which action was refused.
        conn_.deliver(
            share(protocol::error_json(protocol::message_ref(text), protocol::wire_code(p.code), p.detail)));
        co_return;
    }
    std::string ref = parsed->ref;
    auto reply_failure = [&](const failure& f) {
        conn_.deliver(share(protocol::error_json(ref, f.code, f.message, f.holder)));
    };
    // Each action is awaited before the next message is handled, so one dashboard's actions apply in
    // order (past the reply deadline the next is read but refused as busy: connection::on_read).
    auto& msg = parsed->message;
    if (auto* duty = std::get_if<protocol::duty_message>(&msg)) {
        auto r = co_await actions::set_duty(app_, staff_, duty->on);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, 0)));
    } else if (auto* ack = std::get_if<protocol::ack_message>(&msg)) {
        auto r = co_await actions::acknowledge(app_, staff_, ack->id);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, ack->id)));
    } else if (auto* resolve = std::get_if<protocol::resolve_message>(&msg)) {
        auto r = co_await actions::resolve(app_, staff_, *resolve);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, resolve->id)));
    } else if (auto* contacted = std::get_if<protocol::contacted_message>(&msg)) {
        auto r = co_await actions::mark_contacted(app_, staff_, *contacted);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, contacted->id)));
    } else if (auto* release = std::get_if<protocol::release_message>(&msg)) {
        auto r = co_await actions::release(app_, staff_, release->id);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, release->id)));
    } else if (auto* escalate = std::get_if<protocol::escalate_message>(&msg)) {
        auto r = co_await app_.escalation().escalate_by_hand(staff_, escalate->id);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, escalate->id)));
    } else if (auto* note = std::get_if<protocol::note_message>(&msg)) {
        auto r = co_await actions::add_note(app_, staff_, *note);
        if (!r)
            co_return reply_failure(r.error());
        conn_.deliver(share(protocol::ok_json(ref, note->id)));
    } else if (std::holds_alternative<protocol::ping_message>(msg)) {
        conn_.deliver(share(protocol::ok_json(ref, 0)));
    }
}

} // namespace ask::ws
