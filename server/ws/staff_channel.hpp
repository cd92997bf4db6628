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
    /// `staff`: who it signed in as, as the sign-in was looked up (its id and count of ended sign-ins are
    /// registered with app.sign_ins() while open); `changes_seen`: app.sign_ins().changes_seen() and
    /// `duty_changes`: app.hub().duty_changes(), as read before that lookup.
    staff_channel(application& app, connection& conn, store::staff_record staff, std::uint64_t changes_seen,
                  std::uint64_t duty_changes);

    net::awaitable<void> on_open() override;
    net::awaitable<void> on_message(const std::string& text) override;
    void on_close() noexcept override;

private:
    application& app_;
    connection& conn_;
    store::staff_record staff_;
    std::uint64_t changes_seen_;
    std::uint64_t duty_changes_;
};

} // namespace ask::ws
