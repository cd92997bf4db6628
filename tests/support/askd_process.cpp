#include "tests/support/askd_process.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fcntl.h>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace ask::test {
namespace {

std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// fork/exec with stdin from a file and stdout/stderr to files; returns the child's pid.
pid_t spawn(const std::vector<std::string>& args, const std::string& in_path, const std::string& out_path,
            const std::string& err_path) {
    std::vector<char*> argv;
    std::string binary = ASKD_PATH;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_t pid = fork();
    if (pid == 0) {
        int in = open(in_path.c_str(), O_RDONLY);
        int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
        dup2(in, 0);
        dup2(out, 1);
        dup2(err, 2);
        execv(argv[0], argv.data());
        _exit(127);
    }
    return pid;
}

std::optional<int> wait_exit(pid_t pid, std::chrono::milliseconds limit) {
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
        int status = 0;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        if (std::chrono::steady_clock::now() > deadline)
            return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

std::vector<std::string> split(const std::string& line, char by) {
    std::vector<std::string> out;
    std::string::size_type start = 0;
    for (auto at = line.find(by); at != std::string::npos; at = line.find(by, start)) {
        out.push_back(line.substr(start, at - start));
        start = at + 1;
    }
    out.push_back(line.substr(start));
    return out;
}

} // namespace

std::vector<std::map<std::string, std::string>> listing_rows(const std::string& out) {
    std::vector<std::map<std::string, std::string>> rows;
    std::istringstream lines(out);
    std::string line;
    if (!std::getline(lines, line)) {
        ADD_FAILURE() << "no header line";
        return rows;
    }
    auto header = split(line, '\t');
    while (std::getline(lines, line)) {
        auto fields = split(line, '\t');
        if (fields.size() != header.size()) {
            ADD_FAILURE() << fields.size() << " fields, not " << header.size() << ": " << line;
            continue;
        }
        std::map<std::string, std::string> row;
        for (std::size_t i = 0; i < header.size(); ++i)
            row[header[i]] = fields[i];
        rows.push_back(std::move(row));
    }
    return rows;
}

command_result run_askd(const std::vector<std::string>& args, const std::string& input, std::chrono::seconds timeout) {
    temp_dir io;
    auto in = (io.path() / "in").string(), out = (io.path() / "out").string(), err = (io.path() / "err").string();
    std::ofstream(in) << input;
    pid_t pid = spawn(args, in, out, err);
    auto code = wait_exit(pid, timeout);
    if (!code) {
        kill(pid, SIGKILL);
        waitpid(pid, nullptr, 0);
        ADD_FAILURE() << "askd did not finish within " << timeout.count() << " s";
    }
    return {code.value_or(-1), read_file(out), read_file(err)};
}

askd_process::askd_process(std::string extra_toml, std::string store_toml)
    : extra_toml_(std::move(extra_toml)), store_toml_(std::move(store_toml)) {
    write_config();
}

void askd_process::write_config() const {
    std::ofstream cfg(config_path(), std::ios::trunc);
    cfg << "[server]\nlisten = \"127.0.0.1:0\"\n"
        << server_toml_ << "\n\n"
        << "[store]\npath = \"" << db_path() << "\"\n"
        << store_toml_ << "\n\n"
        << extra_toml_ << "\n";
}

void askd_process::set_server_toml(std::string server_toml) {
    server_toml_ = std::move(server_toml);
    write_config();
}

void askd_process::set_db_path(const std::string& path) {
    db_path_ = path;
    write_config();
}

void askd_process::set_extra_toml(std::string extra_toml) {
    extra_toml_ = std::move(extra_toml);
    write_config();
}

askd_process::~askd_process() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
}

std::string askd_process::log() const { return read_file(dir() / "askd.log"); }

void askd_process::start() {
    ASSERT_LT(pid_, 0) << "already running";
    auto log_path = dir() / "askd.log";
    auto before = read_file(log_path).size();
    std::ofstream(dir() / "empty");
    pid_ = spawn({"serve", "--config", config_path()}, (dir() / "empty").string(), (dir() / "stdout.log").string(),
                 log_path.string());
    ++starts_;
    static const std::regex listening(R"(listening on http://127\.0\.0\.1:(\d+))");
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        auto text = read_file(log_path).substr(before);
        std::smatch m;
        if (std::regex_search(text, m, listening)) {
            port_ = static_cast<std::uint16_t>(std::stoi(m[1].str()));
            return;
        }
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            FAIL() << "askd exited during startup:\n" << text;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "askd did not report its port within 15 s:\n" << log();
}

void askd_process::kill9() {
    ASSERT_GT(pid_, 0);
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
    pid_ = -1;
}

std::optional<int> askd_process::terminate(std::chrono::milliseconds limit) {
    if (pid_ <= 0)
        return std::nullopt;
    kill(pid_, SIGTERM);
    auto code = wait_exit(pid_, limit);
    if (code)
        pid_ = -1;
    return code;
}

std::int64_t askd_process::add_staff(const std::string& username, const std::string& name,
                                     const std::string& password, const std::string& role,
                                     const std::string& phone, const std::string& office) {
    std::vector<std::string> args{"staff", "add", "--config", config_path(), "--username", username, "--name", name,
                                  "--role", role};
    if (!phone.empty()) {
        args.push_back("--phone");
        args.push_back(phone);
    }
    if (!office.empty())
        args.insert(args.end(), {"--office", office});
    auto r = run_askd(args, password + "\n");
    EXPECT_EQ(r.exit_code, 0) << r.err;
    static const std::regex added(R"(staff (\d+) added)");
    std::smatch m;
    if (!std::regex_search(r.out, m, added)) {
        ADD_FAILURE() << "no staff id in: " << r.out;
        return 0;
    }
    return std::stoll(m[1].str());
}

std::string askd_process::add_resident(const std::string& name, const std::string& phone, const std::string& needs,
                                       const std::string& address, const std::string& office) {
    std::vector<std::string> args{"resident", "add", "--config", config_path(), "--name", name};
    if (!phone.empty())
        args.insert(args.end(), {"--phone", phone});
    if (!needs.empty())
        args.insert(args.end(), {"--needs", needs});
    if (!address.empty())
        args.insert(args.end(), {"--address", address});
    if (!office.empty())
        args.insert(args.end(), {"--office", office});
    auto r = run_askd(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    auto text = r.out;
    while (!text.empty() && text.back() == '\n')
        text.pop_back();
    return text.substr(text.rfind('\n') + 1);
}

} // namespace ask::test
