// Slows down password guessing: after `max_failures` failed logins for one username
// within `window`, further attempts for it are refused until the window has passed since
// the first of them. Kept in memory on the I/O thread (a restart forgets it, which only
// ever lets a legitimate user in sooner).
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

    /// True when an attempt for `username` may be checked now.
    bool allowed(const std::string& username, protocol::millis now) const;
    void failed(const std::string& username, protocol::millis now);
    void succeeded(const std::string& username);

private:
    struct record {
        int failures = 0;
        protocol::millis first = 0;
    };
    std::unordered_map<std::string, record> records_;
};

} // namespace ask
