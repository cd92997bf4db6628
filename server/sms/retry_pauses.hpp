// The waits between the tries of texts askd keeps until a provider takes them (a ladder's text to staff,
// an answer to a staff member's reply), all ended together as askd stops. I/O thread only.
//
// Contract:
//  - A try is one send through every attempt and the failover (gateways::sms_sender). After the n-th
//    failed try the text waits after(n): 5, 10, 20, 40 s, then every minute.
//  - wait() returns true once the pause has passed, false when stop() ended it; after stop() it returns
//    false at once. The text stays kept, and askd sends it as it next starts.
//  - A waiting coroutine never resumes once the owner is gone: askd runs its io_context until no work is
//    left, or exits without returning.
#pragma once

#include "server/net.hpp"

#include <chrono>
#include <list>

namespace ask::sms {

class retry_pauses {
  public:
    explicit retry_pauses(net::io_context& io) : io_(io) {}

    static std::chrono::seconds after(int failed_tries);

    net::awaitable<bool> wait(int failed_tries);

    void stop();

  private:
    net::io_context& io_;
    std::list<net::steady_timer> waiting_;
    bool stopped_ = false;
};

} // namespace ask::sms
