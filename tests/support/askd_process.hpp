// The real askd binary, run as a child process on an ephemeral loopback port with its
// own config and SQLite file in a temp dir. Its stderr goes to a log file the test can read.
#pragma once

#include "tests/support/temp_dir.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <sys/types.h>
#include <vector>

namespace ask::test {

/// The output and exit code of a finished askd command.
struct command_result {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `askd args…` to completion with `input` on stdin. Fails the test after `timeout`.
command_result run_askd(const std::vector<std::string>& args, const std::string& input = "",
                        std::chrono::seconds timeout = std::chrono::seconds(30));

/// The rows of a listing (askd staff list, askd resident list): one map per line after the header, from
/// the header's column names to the line's tab-separated fields. Fails the test (and skips the line)
/// when a line has more or fewer fields than the header.
std::vector<std::map<std::string, std::string>> listing_rows(const std::string& out);

class askd_process {
public:
    /// Writes `extra_toml` after a base config ([server] listen on 127.0.0.1:0, [store] path
    /// in the temp dir, renotify and other fast test settings) unless it overrides sections itself.
    /// `store_toml` adds keys to the [store] section (which the base config owns).
    explicit askd_process(std::string extra_toml = "", std::string store_toml = "");
    ~askd_process();

    /// Starts `askd serve` and waits (up to 15 s) until it logs its port.
    void start();
    /// SIGKILL, reap: the crash case.
    void kill9();
    /// SIGTERM; returns the exit code, or nullopt if it did not exit within `limit`.
    std::optional<int> terminate(std::chrono::milliseconds limit);
    bool running() const { return pid_ > 0; }
    /// The running server's process id (-1 when not running), e.g. to read /proc/<pid>/status.
    pid_t pid() const { return pid_; }

    std::uint16_t port() const { return port_; }
    const std::filesystem::path& dir() const { return dir_.path(); }
    std::string config_path() const { return (dir() / "askd.toml").string(); }
    std::string db_path() const { return db_path_.empty() ? (dir() / "ask.db").string() : db_path_; }
    /// Puts the database at `path` instead of the temp dir (e.g. on a small tmpfs the test mounts);
    /// rewrites the config, so call it before anything opens the database.
    void set_db_path(const std::string& path);
    /// Replaces `extra_toml` and rewrites the config: for the next start (a changed configuration).
    void set_extra_toml(std::string extra_toml);
    /// More keys of the [server] table (e.g. public_url), and rewrites the config: for the next start.
    void set_server_toml(std::string server_toml);
    std::string log() const;

    /// `askd staff add` against this config (in `office`, a slug; "": the first office); returns the staff
    /// id. Password is stdin.
    std::int64_t add_staff(const std::string& username, const std::string& name, const std::string& password,
                           const std::string& role = "staff", const std::string& phone = "",
                           const std::string& office = "");
    /// `askd resident add` (in `office`, a slug; "": the first office); returns the printed access token.
    std::string add_resident(const std::string& name, const std::string& phone = "",
                             const std::string& needs = "", const std::string& address = "",
                             const std::string& office = "");

private:
    void write_config() const;

    temp_dir dir_;
    std::string extra_toml_;
    std::string store_toml_;
    std::string server_toml_;
    std::string db_path_; ///< "" = ask.db in the temp dir
    pid_t pid_ = -1;
    std::uint16_t port_ = 0;
    int starts_ = 0;
};

} // namespace ask::test
