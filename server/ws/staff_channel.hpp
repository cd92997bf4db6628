// /ws/staff: a staff member's dashboard. On open: a snapshot of the office's open
// requests in queue order. Then: alert / alert_update pushes from the hub, and the
// staff member's duty, ack and resolve messages, each answered by ok or error.
#pragma once

#include "server/app/application.hpp"
#include "server/store/accounts.hpp"
#include "server/ws/connection.hpp"

namespace ask::ws {

class staff_channel final : public channel {
public:
    /// `staff`: who it signed in as, as the sign-in was looked up; `signed_in`: that sign-in as
    /// registered with app.sign_ins() while open (their id, count of ended sign-ins and session);
    /// `changes_seen`: app.sign_ins().changes_seen() and `duty_changes`: app.hub().duty_changes(), as read
    /// before that lookup.
    staff_channel(application& app, connection& conn, store::staff_record staff,
                  sign_in_watch::staff_sign_in signed_in, std::uint64_t changes_seen,
                  std::uint64_t duty_changes);

    net::awaitable<void> on_open() override;
    net::awaitable<void> on_message(const std::string& text) override;
    void on_close() noexcept override;

private:
    application& app_;
    connection& conn_;
    store::staff_record staff_;
    sign_in_watch::staff_sign_in signed_in_; ///< moved into app.sign_ins() on open
    std::uint64_t changes_seen_;
    std::uint64_t duty_changes_;
};

} // namespace ask::ws
