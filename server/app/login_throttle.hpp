// Slows down password guessing: after `max_failures` failed logins for one username
// within `window`, further attempts for it are refused until the window has passed since
// the first of them. A password check under way counts as a failure until it ends, so guesses
// sent all at once get no more checks between them than guesses sent one after another. Kept in
// memory on the I/O thread (a restart forgets it, which only ever lets a legitimate user in sooner).
#pragma once

#include "protocol/types.hpp"

#include <string>
#include <unordered_map>

namespace ask {

class login_throttle {
public:
    static constexpr int max_failures = 5;
    static constexpr protocol::millis window = 15 * 60 * 1000;
    static constexpr std::size_t max_tracked = 100000; ///< bound on memory under a spray of usernames

    /// Whether a password check for `username` may start now; if so it is counted as under way until
    /// failed(), succeeded() or abandoned() ends it. A check never ended (an exception) stops counting
    /// when the window has passed.
    bool begin(const std::string& username, protocol::millis now);
    /// The check found the password wrong (or the user unknown).
    void failed(const std::string& username, protocol::millis now);
    /// The check found the password right: the failures are forgotten.
    void succeeded(const std::string& username);
    /// The check could not be made (the store failed): neither a failure nor a success.
    void abandoned(const std::string& username);
    /// Whole seconds until begin() for `username` may be let in again once it was refused at `now`: the
    /// end of the window that began with its first failure or check (1 to the window's seconds). Checks
    /// under way may end sooner and free their places; this is when room is certain.
    int retry_after_seconds(const std::string& username, protocol::millis now) const;

  private:
    struct record {
        int failures = 0;
        int checking = 0;           ///< checks begun and not yet ended
        protocol::millis first = 0; ///< the first failure or check of the window
    };
    /// Ends one check under way for `username`; the record goes once nothing is left in it.
    void end_check(const std::string& username, bool forget_failures);
    std::unordered_map<std::string, record> records_;
};

} // namespace ask
