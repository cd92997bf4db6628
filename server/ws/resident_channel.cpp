#include "server/ws/resident_channel.hpp"

#include "protocol/server_messages.hpp"
#include "server/app/actions.hpp"

#include <spdlog/spdlog.h>

namespace ask::ws {
resident_channel::resident_channel(application& app, connection& conn, store::resident_record resident,
                                   sign_in_watch::resident_sign_in signed_in, std::uint64_t changes_seen)
    : app_(app), conn_(conn), resident_(std::move(resident)), token_hash_(signed_in.token_hash),
      signed_in_(std::move(signed_in)), changes_seen_(changes_seen) {}

net::awaitable<void> resident_channel::on_open() {
    auto end = [this] {
        conn_.close_signed_out();
        app_.hub().remove_resident(&conn_);
    };
    app_.sign_ins().add(&conn_, std::move(signed_in_), end, changes_seen_);
    app_.hub().add_resident(&conn_, resident_.id);
    for (const auto* r : app_.hub().open_for_resident(resident_.id))
        conn_.deliver(share(protocol::status_json(app_.hub().status_of(*r))));
    co_return;
}

void resident_channel::on_close() noexcept {
    app_.sign_ins().remove(&conn_);
    app_.hub().remove_resident(&conn_);
}

net::awaitable<void> resident_channel::on_message(const std::string& text) {
    auto parsed = protocol::parse_resident_message(text, app_.settings().limits.text);
    if (!parsed) {
        const auto& p = parsed.error();
        // With the message's ref when it has a readable one, so the page knows which action was refused.
        conn_.deliver(
            share(protocol::error_json(protocol::message_ref(text), protocol::wire_code(p.code), p.detail)));
        co_return;
    }
    std::string ref = parsed->ref;
    auto& msg = parsed->message;
    if (auto* req = std::get_if<protocol::new_request>(&msg)) {
        auto r = co_await actions::submit_request(app_, resident_, token_hash_, *req);
        if (!r) {
            const auto& f = r.error();
            co_return conn_.deliver(
                share(protocol::error_json(ref, f.code, f.message, std::nullopt, f.retry_after_seconds)));
        }
        // The hub has already pushed the status of a new request; `accepted` answers this message.
        conn_.deliver(share(protocol::accepted_json(ref, r->request.view.id, r->request.view.state, r->created,
                                                                  r->merged)));
    } else if (auto* cancel = std::get_if<protocol::cancel_message>(&msg)) {
        auto r = co_await actions::cancel_request(app_, resident_, cancel->id);
        if (!r) {
            const auto& f = r.error();
            co_return conn_.deliver(share(protocol::error_json(ref, f.code, f.message)));
        }
        conn_.deliver(share(protocol::ok_json(ref, cancel->id)));
    } else if (std::holds_alternative<protocol::ping_message>(msg)) {
        conn_.deliver(share(protocol::ok_json(ref, 0)));
    }
}

} // namespace ask::ws
