// Contract 5 of store::writer when the checkpoint itself fails: the database file refuses
// writes while the WAL still takes commits (db_write_fault_vfs). Commits must go on and
// succeed, the WAL must keep every one of them, the failure must be logged once and not
// per retry, and once the file takes writes again the next checkpoint must fold the WAL
// back and say so, once.
#include "server/store/writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/db_write_fault_vfs.hpp"
#include "tests/unit/held_store_thread.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <thread>

namespace ask::store {
namespace {

auto one_page(database& db) -> result<int> { // one commit of one row of about a page
    if (auto r = db.exec("INSERT INTO pad VALUES (zeroblob(3000))"); !r)
        return r.error();
    return 0;
}

bool eventually(const std::function<bool()>& done) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (!done() && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return done();
}

class writer_checkpoint_fault : public ::testing::Test {
protected:
    void SetUp() override {
        spdlog::default_logger()->sinks().push_back(log);
        path = (dir.path() / "w.db").string();
        auto db = database::open(path).value();
        ASSERT_TRUE(db.exec("CREATE TABLE pad (x)"));
    }
    void TearDown() override {
        if (w)
            w->stop();
        w.reset();
        auto& sinks = spdlog::default_logger()->sinks();
        sinks.erase(std::remove(sinks.begin(), sinks.end(), log), sinks.end());
    }
    // Lines logged so far that contain `text`.
    long logged(std::string_view text) const {
        auto lines = log->last_formatted();
        return std::count_if(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != l.npos; });
    }
    // One job, committed before the next is sent, so the writer is idle (and checkpoints) in between.
    bool commit_one() {
        bool ok = false, done = false;
        w->async_run<int>(one_page, net::bind_executor(ioc, [&](result<int> r) {
            ok = r.has_value();
            done = true;
        }));
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!done && std::chrono::steady_clock::now() < deadline) {
            ioc.restart();
            ioc.run_for(std::chrono::milliseconds(10));
        }
        return ok;
    }
    int rows() {
        auto db = database::open(path).value();
        auto s = db.prepare("SELECT count(*) FROM pad").value();
        EXPECT_TRUE(s.step().value());
        return static_cast<int>(s.column_int(0));
    }

    test::db_write_fault_vfs vfs; // before any connection, and destroyed after all of them
    test::temp_dir dir;
    std::string path;
    std::shared_ptr<spdlog::sinks::ringbuffer_sink_mt> log = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(256);
    net::io_context ioc;
    std::unique_ptr<writer> w;
};

TEST_F(writer_checkpoint_fault, commits_go_on_the_failure_is_logged_once_and_the_wal_folds_back_once_it_clears) {
    w = std::make_unique<writer>(database::open(path).value(), writer::options{512, 10}); // checkpoint from 10 frames
    auto db_size = std::filesystem::file_size(path);

    vfs.fail_database_writes(true);
    for (int i = 0; i < 30; ++i) // two or three frames each: a checkpoint tried after nearly every one
        ASSERT_TRUE(commit_one()) << "commit " << i << " failed while only the checkpoint can";
    ASSERT_TRUE(eventually([&] { return vfs.refused_writes() >= 5; })) << "the checkpoint was not retried";
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    EXPECT_EQ(logged("checkpoint failed"), 1) << "logged per retry, or not at all";
    EXPECT_EQ(logged("checkpoints work again"), 0);
    EXPECT_EQ(std::filesystem::file_size(path), db_size) << "a checkpoint copied pages although writes fail";
    EXPECT_GE(std::filesystem::file_size(path + "-wal"), 60u * 4096u) << "the WAL does not hold every commit";

    vfs.fail_database_writes(false);
    ASSERT_TRUE(commit_one());
    EXPECT_TRUE(eventually([&] { return logged("checkpoints work again") == 1; })) << "recovery not said";
    EXPECT_TRUE(eventually([&] { return std::filesystem::file_size(path) >= db_size + 30 * 4096; }))
        << "the WAL was not folded back into the database file";
    EXPECT_EQ(logged("checkpoint failed"), 1);

    w->stop();
    w.reset();
    EXPECT_EQ(rows(), 31) << "a commit made while checkpoints failed is missing";
}

// Contract 5's exception: an urgent job interrupts an idle-time checkpoint, a normal one waits
// for it. Each write to the database file takes 20 ms here, so copying 40-odd pages takes most
// of a second.
class writer_slow_checkpoint : public writer_checkpoint_fault {
protected:
    using clock = std::chrono::steady_clock;

    // `pages` one-page jobs committed as one group: a first job holds the store thread until all
    // of them are queued behind it (else the thread could commit and checkpoint some of them
    // before the rest arrive). Returns once the checkpoint that follows is copying pages.
    void commit_in_one_group_and_start_a_checkpoint(writer::options opts, int pages) {
        w = std::make_unique<writer>(database::open(path).value(), opts);
        vfs.delay_database_writes(std::chrono::milliseconds(20));
        test::held_store_thread held(*w, ioc, count());
        for (int i = 0; i < pages; ++i)
            w->async_run<int>(one_page, net::bind_executor(ioc, count()));
        auto before = vfs.database_writes(); // creating the file wrote to it; no checkpoint has run since
        held.release();
        ASSERT_TRUE(eventually([&] { return vfs.database_writes() > before; })) << "no checkpoint started";
    }
    // 40 pages, then the idle writer's checkpoint (20 to 79 frames) copies them.
    void start_a_long_checkpoint() { commit_in_one_group_and_start_a_checkpoint(writer::options{512, 20}, 40); }
    // How long one job on `how` takes to be committed, sent now.
    clock::duration commit_time(writer::lane how) {
        auto sent = clock::now();
        auto mine = std::make_shared<bool>(false); // outlives this call if the job does
        w->async_run<int>(one_page, net::bind_executor(ioc, [this, mine](result<int> r) {
            *mine = r.has_value();
            committed += *mine;
        }), how);
        run_until([&] { return *mine; });
        EXPECT_TRUE(*mine) << "not committed";
        return clock::now() - sent;
    }
    // Completion handlers count into the fixture, which outlives any handler the io_context runs.
    std::function<void(result<int>)> count() {
        return [this](result<int> r) { committed += r.has_value(); };
    }
    void run_until(const std::function<bool()>& done) {
        auto deadline = clock::now() + std::chrono::seconds(10);
        while (!done() && clock::now() < deadline) {
            ioc.restart();
            ioc.run_for(std::chrono::milliseconds(5));
        }
    }

    int committed = 0;
};

TEST_F(writer_slow_checkpoint, an_urgent_job_interrupts_it_and_it_runs_again_later) {
    start_a_long_checkpoint();
    auto db_size = std::filesystem::file_size(path);
    EXPECT_LT(commit_time(writer::lane::urgent), std::chrono::milliseconds(400))
        << "the urgent job waited for the checkpoint";
    EXPECT_TRUE(eventually([&] { return std::filesystem::file_size(path) >= db_size + 40 * 4096; }))
        << "the interrupted checkpoint did not run again";
    EXPECT_EQ(logged("checkpoint failed"), 0) << "an interruption is not a failure";
}

TEST_F(writer_slow_checkpoint, an_urgent_job_still_waits_for_the_one_at_four_times_the_pages) {
    // Groups of at most 45 jobs and the four-times checkpoint from 40 frames: 46 pages queued make
    // a group of 45 whose commit leaves one job waiting, so the writer is not idle and the
    // checkpoint that follows is the four-times one.
    commit_in_one_group_and_start_a_checkpoint(writer::options{45, 10}, 46);
    EXPECT_GT(commit_time(writer::lane::urgent), std::chrono::milliseconds(400));
    run_until([&] { return committed == 48; });
    EXPECT_EQ(committed, 48);
}

TEST_F(writer_slow_checkpoint, a_normal_job_waits_for_it) {
    start_a_long_checkpoint();
    EXPECT_GT(commit_time(writer::lane::normal), std::chrono::milliseconds(400));
}

} // namespace
} // namespace ask::store
