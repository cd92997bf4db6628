// The cards of open requests after an askd command beside this one changed a resident's details or a
// staff member's name (askd resident edit, askd staff edit; application.hpp): the hub's copies were read
// when each request last changed, so they are read again and the ones that differ are updated on the
// dashboards.
#include "server/app/application.hpp"

#include "server/store/account_edits.hpp"
#include "server/store/error.hpp"

#include <spdlog/spdlog.h>

namespace ask {

net::awaitable<void> application::refresh_cards(std::optional<std::int64_t> version) {
    if (!version || version == refreshed_at_version_)
        co_return;
    auto read = [](store::database& db) { return store::people_of_open_requests(db); };
    auto people =
        co_await writer_->run<store::open_request_people>(std::move(read), store::writer::lane::ongoing);
    if (!people) { // the version stays unnoted: read again at the next pass
        spdlog::warn(
            "cards: not compared with the store after a change beside askd, tried again in a second: {}",
            people.error().message());
        co_return;
    }
    refreshed_at_version_ = version;
    if (auto changed = hub_.refresh_people(people->residents, people->staff); changed > 0)
        spdlog::info("cards: {} open requests updated on the dashboards after a change to the people on them",
                     changed);
}

} // namespace ask
