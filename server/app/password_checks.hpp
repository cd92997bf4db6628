// Password checks (argon2id: ~0.1 s of CPU and 64 MiB each) run one at a time on the CPU pool, in two
// lanes, so that a flood of sign-ins with made-up usernames never keeps a member of staff from signing in
// (a new shift that cannot sign in receives no alert).
//
// Contract:
//  - A check for a username that exists goes before every check for one that does not. The first are
//    few: login_throttle lets each username have at most five failures (checks under way included) in
//    its window. The second are checked against a dummy hash, so timing does not tell who exists.
//  - At most `max_unknown_waiting` checks for unknown usernames wait at once. Past that, an attempt is
//    answered "wrong" after as long as the last check took, without one: the same answer, in about the
//    same time, and no CPU or memory for the flood.
//  - The price: during a flood, a wrong password for an existing username is answered sooner than one
//    for a made-up name waiting behind others, so timing can tell who exists. Guesses at a name found
//    so are still five per window (login_throttle); letting a flood keep a shift out is worse.
//  - A check is never abandoned once begun: each verify() returns the real answer, or false for one
//    answered past the bound (its username is unknown, so it is false anyway).
//  - I/O thread only; the hashing itself runs on `cpu`.
#pragma once

#include "server/net.hpp"

#include <chrono>
#include <cstddef>
#include <deque>
#include <string>

namespace ask {

class password_checks {
  public:
    static constexpr std::size_t max_unknown_waiting = 8;

    password_checks(net::io_context& io, net::thread_pool& cpu) : io_(io), cpu_(cpu) {}

    /// Whether `password` matches `hash`. `known`: the username exists (the hash is its own, not the
    /// dummy one).
    net::awaitable<bool> verify(std::string password, std::string hash, bool known);

  private:
    /// Hands the CPU to the next waiting check (a known username's first), or marks it free.
    void next_turn();

    net::io_context& io_;
    net::thread_pool& cpu_;
    bool busy_ = false; ///< a check runs, or was handed its turn and is about to
    /// Waiting checks, each woken by cancelling its timer (never expires by itself).
    std::deque<net::steady_timer*> known_;
    std::deque<net::steady_timer*> unknown_;
    std::chrono::steady_clock::duration last_took_ = std::chrono::milliseconds(100);
};

} // namespace ask
