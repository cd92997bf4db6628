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
    resident_channel(application& app, connection& conn, store::resident_record resident);

    net::awaitable<void> on_open() override;
    net::awaitable<void> on_message(const std::string& text) override;
    void on_close() noexcept override;

private:
    application& app_;
    connection& conn_;
    store::resident_record resident_;
};

} // namespace ask::ws
