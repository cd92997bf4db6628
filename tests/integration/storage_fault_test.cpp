// Real storage faults (issue 6): askd's database on a small tmpfs the test mounts. Disk full:
// a filler file takes the last free page, presses get 503 storage_unavailable, nobody is told
// "received" or alerted, and once the filler is gone presses succeed again without a restart,
// with everything accepted before still there, once. Read-only: see the test below.
// Needs root (CAP_SYS_ADMIN) for mount(2); skipped with the reason otherwise.
#include "tests/integration/db_probe.hpp"
#include "tests/integration/office_fixture.hpp"

#include <cerrno>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <map>
#include <sys/mount.h>
#include <thread>
#include <unistd.h>

namespace ask::test {
namespace {

class storage_fault : public office_fixture {
protected:
    // The presses that fill the disk are load, not residents pressing: the press allowance
    // ([limits] presses_per_window) is lifted so that every press until the disk is full is stored.
    storage_fault()
        : office_fixture("[alerts]\nrenotify_seconds = 60\n[limits]\npresses_per_window = 1000000\n",
                         "busy_timeout_ms = 200") {
        volume_ = askd.dir() / "volume";
        std::filesystem::create_directories(volume_);
        if (geteuid() != 0) {
            skip_ = "not root: mounting the test's tmpfs needs CAP_SYS_ADMIN";
            return;
        }
        if (::mount("tmpfs", volume_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=16m,mode=0700") != 0) {
            skip_ = std::string("mount -t tmpfs failed: ") + std::strerror(errno);
            return;
        }
        mounted_ = true;
        askd.set_db_path((volume_ / "ask.db").string());
    }
    ~storage_fault() override { unmount(); }

    void SetUp() override {
        if (!skip_.empty())
            GTEST_SKIP() << skip_;
        office_fixture::SetUp();
    }
    void TearDown() override { unmount(); }

    // askd first (its open files keep the mount busy), then the tmpfs, even after a failed assertion.
    void unmount() {
        if (askd.running())
            askd.kill9();
        if (!mounted_)
            return;
        ::mount(nullptr, volume_.c_str(), nullptr, MS_REMOUNT, "size=16m"); // back to read-write if a test left it ro
        if (::umount2(volume_.c_str(), 0) != 0)
            ::umount2(volume_.c_str(), MNT_DETACH);
        mounted_ = false;
    }

    /// Writes a filler file until the tmpfs has no byte left; true when it ended on ENOSPC.
    bool fill() {
        int fd = ::open((volume_ / "filler").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (fd < 0)
            return false;
        std::vector<char> chunk(1 << 16, 'x');
        int last_errno = 0;
        for (std::size_t size : {std::size_t(1) << 16, std::size_t(4096), std::size_t(1)}) {
            for (;;) {
                auto n = ::write(fd, chunk.data(), size);
                if (n <= 0) {
                    last_errno = errno;
                    break;
                }
            }
        }
        ::close(fd);
        return last_errno == ENOSPC;
    }
    void unfill() { std::filesystem::remove(volume_ / "filler"); }

    /// Takes every message already sent, so a later quiet_for() sees only what comes after.
    static void drain(ws_client& ws) {
        while (ws.next(100ms)) {
        }
    }

    std::filesystem::path volume_;
    bool mounted_ = false;
    std::string skip_;
};

TEST_F(storage_fault, disk_full_gives_503_claims_nothing_and_recovers_without_a_restart) {
    auto anna = dashboard("anna");
    auto page = resident_socket(maria);
    std::map<std::string, std::int64_t> accepted; // key -> id, every 200/201 reply
    for (int i = 0; i < 3; ++i) {
        auto key = "before-" + std::to_string(i);
        auto r = press(i % 2 ? jan : maria, "normal", "Przed awarią", key);
        ASSERT_TRUE(r.status == 201 || r.status == 200) << r.body;
        accepted[key] = id_of(r.json());
    }

    ASSERT_TRUE(fill()) << "the filler did not run the tmpfs out of space";
    // Pages SQLite already owns (WAL frames, shared memory) still take writes; the first press that
    // needs a new page fails. Every press before it that succeeded must be kept.
    http_reply refused;
    std::string refused_key;
    for (int i = 0; i < 3000; ++i) {
        auto key = "filling-" + std::to_string(i);
        auto r = press(i % 2 ? jan : maria, "normal", std::string(400, 'w'), key);
        if (r.status == 201 || r.status == 200) {
            accepted[key] = id_of(r.json());
            continue;
        }
        refused = r;
        refused_key = key;
        break;
    }
    ASSERT_EQ(refused.status, 503) << "with the disk full: " << refused.body;
    EXPECT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable");

    // While full: every way in is refused the same way, nobody is alerted or told "received".
    drain(*anna);
    drain(*page);
    auto again = press(maria, "urgent", "Podczas awarii", "during-full");
    EXPECT_EQ(again.status, 503) << again.body;
    EXPECT_EQ(str(again.json().at("error").as_object().at("code")), "storage_unavailable");
    page->send(boost::json::object{{"type", "request"}, {"priority", "urgent"}, {"ref", "ws-during-full"}});
    auto ws_refused = page->next_of("error", 2s);
    ASSERT_TRUE(ws_refused);
    EXPECT_EQ(str(ws_refused->at("code")), "storage_unavailable");
    EXPECT_TRUE(anna->quiet_for("alert", 500ms)) << "staff were alerted about a press that was not stored";
    EXPECT_TRUE(page->quiet_for("status", 100ms)) << "the resident was told something was received";
    EXPECT_TRUE(page->quiet_for("accepted", 100ms)) << "the resident page was told its request was accepted";
    EXPECT_EQ(::kill(askd.pid(), 0), 0) << "askd died on a full disk";
    auto health = http_get(port(), "/healthz");
    EXPECT_EQ(health.status, 200) << "askd must stay alive and answer";
    EXPECT_EQ(health.body, R"({"status":"degraded","storage":"unavailable"})") << "healthz must not say ok";

    // Space is back: the same askd takes presses again.
    unfill();
    auto after = press(maria, "urgent", "Po awarii", "after-full");
    ASSERT_TRUE(after.status == 201 || after.status == 200) << "no recovery once space was freed: " << after.body;
    accepted["after-full"] = id_of(after.json());
    EXPECT_TRUE(anna->next_of("alert", 2s, [&](const auto& m) {
        return m.at("alert").as_object().at("id").as_int64() == id_of(after.json());
    }));
    EXPECT_EQ(http_get(port(), "/healthz").body, R"({"status":"ok"})");

    // Everything accepted is stored once; what was refused is not.
    db_probe db(askd.db_path());
    for (const auto& [key, id] : accepted) {
        auto landed = db.landed(key);
        ASSERT_EQ(landed.size(), 1u) << key;
        EXPECT_EQ(landed[0], id) << key;
    }
    EXPECT_TRUE(db.landed(refused_key).empty()) << "a press answered 503 was stored";
    EXPECT_TRUE(db.landed("during-full").empty()) << "a press answered 503 was stored";
}

// A filesystem cannot be remounted read-only while a process holds a file on it open for
// writing (the kernel answers EBUSY), and askd keeps its database open for as long as it runs;
// so a volume turns read-only under askd only through a crash and restart (or the kernel's own
// emergency remount). That is the case tested: askd killed, the volume remounted read-only, askd
// started on it; then the volume made writable and askd started again.
TEST_F(storage_fault, read_only_volume_refuses_writes_honestly_and_recovers_once_writable) {
    auto anna = dashboard("anna");
    auto first = press(jan, "urgent", "Przed", "before-ro");
    ASSERT_EQ(first.status, 201) << first.body;
    anna->send(boost::json::object{{"type", "ack"}, {"id", id_of(first.json())}});
    ASSERT_TRUE(anna->next_of("ok", 2s));
    auto waiting = press(maria, "normal", "Czeka", "waiting-ro");
    ASSERT_EQ(waiting.status, 201) << waiting.body;

    if (::mount(nullptr, volume_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, "size=16m") == 0) {
        // Some kernel let it happen under the running server: it must refuse writes the same way.
        auto r = press(maria, "urgent", "", "live-ro");
        EXPECT_EQ(r.status, 503) << r.body;
        ASSERT_EQ(::mount(nullptr, volume_.c_str(), nullptr, MS_REMOUNT, "size=16m"), 0) << std::strerror(errno);
    } else {
        EXPECT_EQ(errno, EBUSY) << std::strerror(errno);
    }

    anna.reset();
    askd.kill9();
    ASSERT_EQ(::mount(nullptr, volume_.c_str(), nullptr, MS_REMOUNT | MS_RDONLY, "size=16m"), 0)
        << "remount read-only: " << std::strerror(errno);
    askd.start();
    ASSERT_FALSE(HasFatalFailure()) << "askd must start on a read-only volume and answer:\n" << askd.log();
    auto health = http_get(port(), "/healthz");
    EXPECT_EQ(health.status, 200);
    EXPECT_EQ(health.body, R"({"status":"degraded","storage":"unavailable"})");
    auto refused = press(maria, "urgent", "", "during-ro");
    EXPECT_EQ(refused.status, 503) << refused.body;
    EXPECT_EQ(str(refused.json().at("error").as_object().at("code")), "storage_unavailable");

    // Writable again: askd recovers by itself and everything from before is there.
    ASSERT_EQ(::mount(nullptr, volume_.c_str(), nullptr, MS_REMOUNT, "size=16m"), 0) << std::strerror(errno);
    auto accepted = press(maria, "urgent", "", "after-ro");
    ASSERT_TRUE(accepted.status == 200 || accepted.status == 201) << accepted.body << "\n" << askd.log();
    EXPECT_EQ(http_get(port(), "/healthz").body, R"({"status":"ok"})");
    auto bob = dashboard("bob");
    const auto& queue = last_snapshot.at("alerts").as_array();
    ASSERT_EQ(queue.size(), 2u) << boost::json::serialize(last_snapshot);
    db_probe db(askd.db_path());
    EXPECT_EQ(db.landed("before-ro"), std::vector<std::int64_t>{id_of(first.json())});
    EXPECT_EQ(db.landed("waiting-ro"), std::vector<std::int64_t>{id_of(waiting.json())});
    EXPECT_TRUE(db.landed("during-ro").empty());
}

} // namespace
} // namespace ask::test
