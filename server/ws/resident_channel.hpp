// /ws/resident: a resident's page or device. On open: a status for each of the
// resident's open requests (so a reload shows where they stand). Then: request and
// cancel messages, and a status push on every change to the resident's requests.
#pragma once

#include "server/app/application.hpp"
#include "server/store/accounts.hpp"
#include "server/ws/connection.hpp"

namespace ask::ws {

class resident_channel final : public channel {
public:
    /// `signed_in`: who it signed in as, registered with app.sign_ins() while open;
    /// `changes_seen`: app.sign_ins().changes_seen() as read before that sign-in was looked up.
    resident_channel(application& app, connection& conn, store::resident_record resident,
                     sign_in_watch::resident_sign_in signed_in, std::uint64_t changes_seen);

    net::awaitable<void> on_open() override;
    net::awaitable<void> on_message(const std::string& text) override;
    void on_close() noexcept override;

private:
    application& app_;
    connection& conn_;
    store::resident_record resident_;
    std::string token_hash_; ///< of the token it signed in with: its presses' allowance (press_guard)
    sign_in_watch::resident_sign_in signed_in_; ///< moved into app.sign_ins() on open
    std::uint64_t changes_seen_;
};

} // namespace ask::ws
