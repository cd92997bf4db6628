#include "server/app/press_guard.hpp"

#include "server/store/requests.hpp"

#include <algorithm>

namespace ask {

bool press_guard::room::allows(store::press_effect effect) const {
    switch (effect) {
    case store::press_effect::retry:
        return true;
    case store::press_effect::repeat:
        return repeat;
    case store::press_effect::create:
        return new_request;
    }
    return false;
}

press_guard::room press_guard::reserve(const std::string& key, protocol::millis now) {
    room r;
    r.repeat = presses_.reserve(key, now);
    r.new_request = new_requests_.reserve(key, now);
    return r;
}

void press_guard::settle(const std::string& key, protocol::millis now, const room& held,
                         const store::insert_result* stored) {
    bool created = stored && stored->created;
    if (held.repeat)
        presses_.settle(key, now, created || (stored && stored->merged));
    if (held.new_request)
        new_requests_.settle(key, now, created);
}

int press_guard::retry_after_seconds(const std::string& key, store::press_effect effect,
                                     protocol::millis now) const {
    // A repeat needs room among the presses, a new request among the new requests only (room::allows).
    const auto& guard = effect == store::press_effect::create ? new_requests_ : presses_;
    // Within a window even when the wall clock stepped back past stored presses.
    protocol::millis wait = std::min(guard.room_at(key, now) - now, guard.window());
    return static_cast<int>(std::max<protocol::millis>(1, (wait + 999) / 1000));
}

} // namespace ask
