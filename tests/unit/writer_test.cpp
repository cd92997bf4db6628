// The group-commit store thread: results only after the commit, many jobs per transaction,
// a failing job rolled back alone, a lost transaction failing its whole group, a group's results
// delivered in order by one handler per executor, the wait for company under load, clean stop; and
// many jobs submitted together (run_together).
#include "server/store/run_together.hpp"
#include "server/store/writer.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/held_store_thread.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace ask::store {
namespace {

class writer_test : public ::testing::Test {
protected:
    void SetUp() override {
        path = (dir.path() / "w.db").string();
        auto db = database::open(path).value();
        ASSERT_TRUE(db.exec("CREATE TABLE t (v INTEGER UNIQUE)"));
        w = std::make_unique<writer>(std::move(db), writer::options{512});
    }
    int rows() {
        auto db = database::open(path).value();
        auto s = db.prepare("SELECT count(*) FROM t").value();
        EXPECT_TRUE(s.step().value());
        return static_cast<int>(s.column_int(0));
    }
    static auto insert(int v) {
        return [v](database& db) -> result<int> {
            auto s = db.prepare("INSERT INTO t (v) VALUES (?1)");
            if (!s)
                return s.error();
            s->bind(1, std::int64_t{v});
            if (auto r = s->run(); !r)
                return r.error();
            return v;
        };
    }
    // Runs the io_context until `done` or a deadline.
    void run_until(const std::function<bool()>& done) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
        while (!done() && std::chrono::steady_clock::now() < deadline) {
            ioc.restart();
            ioc.run_for(std::chrono::milliseconds(10));
        }
        ASSERT_TRUE(done()) << "timed out";
    }

    test::temp_dir dir;
    std::string path;
    net::io_context ioc;
    std::unique_ptr<writer> w;
};

TEST_F(writer_test, a_result_arrives_only_after_its_commit) {
    int seen_by_another_reader = -1;
    bool done = false;
    w->async_run<int>(insert(1), net::bind_executor(ioc, [&](result<int> r) {
        EXPECT_TRUE(r);
        seen_by_another_reader = rows();
        done = true;
    }));
    run_until([&] { return done; });
    EXPECT_EQ(seen_by_another_reader, 1);
}

TEST_F(writer_test, jobs_waiting_together_share_one_commit_and_a_failure_stays_alone) {
    int completed = 0;
    int failures = 0;
    auto count = [&](result<int> r) {
        ++completed;
        failures += !r;
    };
    test::held_store_thread held(*w, ioc, count); // until everything else is queued behind it
    for (int i = 1; i <= 50; ++i)
        w->async_run<int>(insert(i), net::bind_executor(ioc, count));
    w->async_run<int>(insert(7), net::bind_executor(ioc, count)); // duplicate: this job alone fails
    held.release();
    run_until([&] { return completed == 52; });
    EXPECT_EQ(failures, 1);
    EXPECT_EQ(rows(), 50);
    auto stats = w->stats();
    EXPECT_EQ(stats.jobs, 52u);
    EXPECT_LE(stats.commits, 3u) << "51 jobs queued together should need one or two commits, not " << stats.commits;
}

// Contract 2's runs: a group's results reach their thread in submission order, one posted handler for
// each run of jobs on an equal executor, so that thread is woken once per run, not once per job. Job 6's
// handler runs on the same thread through another kind of executor: it makes a run of its own, and
// keeps its place between 5 and 7.
TEST_F(writer_test, a_groups_results_arrive_in_order_in_one_handler_per_run_of_one_executor) {
    std::vector<int> delivered;
    auto record = [&](result<int> r) { delivered.push_back(r.value()); };
    test::held_store_thread held(*w, ioc, [](result<int>) {});
    for (int i = 1; i <= 5; ++i)
        w->async_run<int>(insert(i), net::bind_executor(ioc, record));
    w->async_run<int>(insert(6), net::bind_executor(net::any_io_executor(ioc.get_executor()), record));
    for (int i = 7; i <= 9; ++i)
        w->async_run<int>(insert(i), net::bind_executor(ioc, record));
    held.release();
    auto wait = std::chrono::seconds(10);
    ASSERT_EQ(ioc.run_one_for(wait), 1u); // the held job's own group
    ASSERT_EQ(ioc.run_one_for(wait), 1u);
    EXPECT_EQ(delivered, (std::vector<int>{1, 2, 3, 4, 5}));
    ASSERT_EQ(ioc.run_one_for(wait), 1u);
    EXPECT_EQ(delivered, (std::vector<int>{1, 2, 3, 4, 5, 6}));
    ASSERT_EQ(ioc.run_one_for(wait), 1u);
    EXPECT_EQ(delivered, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9}));
    EXPECT_EQ(w->stats().commits, 2u) << "the nine jobs queued together should share one commit";
}

// Should a handler throw out of the io_context, the results after it in its run still arrive.
TEST_F(writer_test, a_handler_that_throws_loses_none_of_the_results_after_it) {
    std::vector<int> delivered;
    auto record = [&](result<int> r) {
        if (r.value() == 1)
            throw std::runtime_error("a handler failed");
        delivered.push_back(r.value());
    };
    test::held_store_thread held(*w, ioc, [](result<int>) {});
    for (int i = 1; i <= 3; ++i)
        w->async_run<int>(insert(i), net::bind_executor(ioc, record));
    held.release();
    auto wait = std::chrono::seconds(10);
    ASSERT_EQ(ioc.run_one_for(wait), 1u); // the held job's own group
    EXPECT_THROW(ioc.run_one_for(wait), std::runtime_error);
    EXPECT_TRUE(delivered.empty());
    ioc.restart();
    ASSERT_EQ(ioc.run_one_for(wait), 1u);
    EXPECT_EQ(delivered, (std::vector<int>{2, 3}));
    EXPECT_EQ(rows(), 3);
}

TEST_F(writer_test, a_transaction_lost_to_a_full_disk_fails_its_whole_group) {
    std::promise<void> release;
    auto gate = release.get_future().share();
    std::vector<bool> ok;
    auto record = [&](result<int> r) { ok.push_back(r.has_value()); };
    w->async_run<int>([gate](database& db) -> result<int> {
        gate.wait();
        // Room for nothing more: the next insert needing a page fails with SQLITE_FULL.
        auto pages = db.prepare("PRAGMA page_count").value();
        (void)pages.step();
        if (auto r = db.exec("PRAGMA max_page_count = " + std::to_string(pages.column_int(0))); !r)
            return r.error();
        return 0;
    }, net::bind_executor(ioc, record));
    for (int i = 0; i < 300; ++i)
        w->async_run<int>([i](database& db) -> result<int> {
            auto s = db.prepare("INSERT INTO t (v) VALUES (?1)").value();
            s.bind(1, std::int64_t{i * 1000 + 1});
            if (auto r = s.run(); !r)
                return r.error();
            auto pad = db.exec("CREATE TABLE IF NOT EXISTS pad (x); INSERT INTO pad VALUES (zeroblob(2000))");
            if (!pad)
                return pad.error();
            return i;
        }, net::bind_executor(ioc, record));
    release.set_value();
    run_until([&] { return ok.size() == 301; });
    auto failed = std::count(ok.begin(), ok.end(), false);
    EXPECT_GT(failed, 0) << "the disk never filled";
    // Whatever was reported as failed must not be in the database.
    EXPECT_EQ(rows(), static_cast<int>(std::count(ok.begin() + 1, ok.end(), true)));
}

// A failed job whose changes cannot be rolled back alone (here the job itself released the writer's
// savepoint, as an I/O error during ROLLBACK TO would leave them) fails its whole group: committing
// the others would commit its changes too, though it was reported failed.
TEST_F(writer_test, a_failed_job_that_cannot_be_undone_alone_fails_its_whole_group) {
    std::vector<bool> ok;
    auto record = [&](result<int> r) { ok.push_back(r.has_value()); };
    test::held_store_thread held(*w, ioc, [](result<int>) {});
    w->async_run<int>(insert(1), net::bind_executor(ioc, record));
    w->async_run<int>([](database& db) -> result<int> {
        if (auto r = db.exec("INSERT INTO t (v) VALUES (2); RELEASE job"); !r)
            return r.error();
        return make_error_code(errc::conflict);
    }, net::bind_executor(ioc, record));
    held.release();
    run_until([&] { return ok.size() == 2; });
    EXPECT_EQ(ok, (std::vector<bool>{false, false}));
    EXPECT_EQ(rows(), 0) << "the failed job's row was committed";
    w->async_run<int>(insert(3), net::bind_executor(ioc, record));
    run_until([&] { return ok.size() == 3; });
    EXPECT_TRUE(ok.back()) << "the next group commits as usual";
    EXPECT_EQ(rows(), 1);
}

// Contract 5. The database file grows only when a checkpoint copies pages into it, and the WAL
// file only when frames are appended past its end, so their sizes show what ran.
namespace {
auto one_page(database& db) -> result<int> { // one commit of one row of about a page
    if (auto r = db.exec("CREATE TABLE IF NOT EXISTS pad (x); INSERT INTO pad VALUES (zeroblob(3000))"); !r)
        return r.error();
    return 0;
}
} // namespace

TEST_F(writer_test, an_idle_writer_checkpoints_once_the_wal_holds_enough_pages) {
    w->stop();
    w = std::make_unique<writer>(database::open(path).value(), writer::options{512, 100});
    auto before = std::filesystem::file_size(path);
    int done = 0;
    auto commit_one = [&] {
        int target = done + 1;
        w->async_run<int>(one_page, net::bind_executor(ioc, [&](result<int> r) { done += r.has_value(); }));
        run_until([&] { return done == target; });
    };
    for (int i = 0; i < 10; ++i) // about 30 frames
        commit_one();
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    EXPECT_EQ(std::filesystem::file_size(path), before) << "checkpointed below 100 frames";
    for (int i = 0; i < 60; ++i)
        commit_one();
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (std::filesystem::file_size(path) < before + 40 * 4096 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_GE(std::filesystem::file_size(path), before + 40 * 4096) << "no checkpoint after some 200 frames";
}

TEST_F(writer_test, a_writer_that_is_never_idle_still_folds_its_wal_back) {
    w->stop();
    w = std::make_unique<writer>(database::open(path).value(), writer::options{1, 25}); // a commit per job
    int done = 0;
    auto count = [&](result<int> r) { done += r.has_value(); };
    test::held_store_thread held(*w, ioc, count);
    for (int i = 0; i < 300; ++i) // queued behind the held job: the queue is never empty until the last
        w->async_run<int>(one_page, net::bind_executor(ioc, count));
    held.release();
    run_until([&] { return done == 301; });
    // 300 commits of two or three frames each: about 3 MB of WAL if nothing folded it back.
    EXPECT_LT(std::filesystem::file_size(path + "-wal"), 1024u * 1024u);
}

// Contract 6: a stalled store thread (held here) lets at most max_queued jobs wait. The ones
// past it are refused at once and never run; an urgent one still gets in up to twice the bound;
// once the thread moves on, everything that was queued commits and new jobs are taken again.
// Contract 7: a commit by another connection (an askd command) is seen by the idle store thread within
// about a second, without a job; the writer's own commits do not move it.
TEST_F(writer_test, an_idle_writer_sees_another_connections_commit_without_a_job) {
    auto first = [&] { return w->outside_version().has_value(); };
    run_until(first);
    auto before = *w->outside_version();
    bool done = false;
    w->async_run<int>(insert(1), [&](result<int> r) { done = r.has_value(); });
    run_until([&] { return done; });
    std::this_thread::sleep_for(std::chrono::milliseconds(1200));
    EXPECT_EQ(*w->outside_version(), before) << "moved by the writer's own commit";

    auto other = database::open(path).value();
    ASSERT_TRUE(other.exec("INSERT INTO t (v) VALUES (2)"));
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (*w->outside_version() == before && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_NE(*w->outside_version(), before) << "another connection's commit not seen while idle";
    EXPECT_EQ(w->stats().jobs, 1u) << "the version was read by a job";
}

TEST_F(writer_test, a_full_queue_refuses_more_at_once_and_takes_work_again_once_drained) {
    w->stop();
    writer::options opts;
    opts.max_queued = 2;
    w = std::make_unique<writer>(database::open(path).value(), opts);
    std::map<int, error_code> results;
    auto note = [&](int v) {
        return net::bind_executor(ioc, [&results, v](result<int> r) { results[v] = r ? error_code{} : r.error(); });
    };
    test::held_store_thread held(*w, ioc, [](result<int>) {});
    w->async_run<int>(insert(1), note(1));
    w->async_run<int>(insert(2), note(2));
    w->async_run<int>(insert(3), note(3)); // a third normal job: over the bound
    w->async_run<int>(insert(4), note(4), writer::lane::urgent);  // the reserve takes urgent work
    w->async_run<int>(insert(5), note(5), writer::lane::ongoing); // and ongoing work: four wait, twice the bound
    w->async_run<int>(insert(6), note(6), writer::lane::ongoing);
    w->async_run<int>(insert(7), note(7), writer::lane::urgent);
    run_until([&] { return results.size() == 3; });
    for (int v : {3, 6, 7}) {
        EXPECT_EQ(results.count(v), 1u) << v;
        EXPECT_EQ(results[v], make_error_code(errc::unavailable)) << v;
    }
    held.release();
    run_until([&] { return results.size() == 7; });
    for (int v : {1, 2, 4, 5})
        EXPECT_FALSE(results[v]) << v;
    bool done = false;
    w->async_run<int>(insert(8), net::bind_executor(ioc, [&](result<int> r) { done = r.has_value(); }));
    run_until([&] { return done; });
    EXPECT_EQ(rows(), 5) << "rows 1, 2, 4, 5 and 8, and none of the refused ones";
}

// Contract 3: the wait for company under load. Each test holds the thread in a first group
// (`hold`) and queues a job behind it, which is what "under load" means.
class commit_wait_test : public writer_test {
protected:
    using clock = std::chrono::steady_clock;

    // The jobs write into this fixture's members, which go before the base's writer does: a job a
    // failed test left queued must run while they still exist.
    void TearDown() override {
        if (held_)
            held_->release(); // idempotent; a held thread would never stop
        w->stop();
    }

    void start(std::chrono::milliseconds wait, std::size_t enough = 16) {
        w->stop();
        writer::options opts;
        opts.commit_wait = wait;
        opts.enough_company = enough;
        w = std::make_unique<writer>(database::open(path).value(), opts);
    }
    // Holds the thread in a job until release(); returns once the thread has taken it.
    void hold() { held_.emplace(*w, ioc, count()); }
    void release() { held_->release(); }
    // Job 1 queued under load and waiting for company, with a wait long enough (20 s) that only
    // something else can end it.
    void job_1_waiting_for_company(std::size_t enough = 16) {
        start(std::chrono::milliseconds(20'000), enough);
        hold();
        submit(1);
        release();
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    // A job that notes when it ran, in what order.
    auto noting(int v) {
        return [this, v](database& db) -> result<int> {
            ran_at[v] = clock::now();
            order.push_back(v);
            return insert(v)(db);
        };
    }
    void submit(int v, writer::lane how = writer::lane::normal) {
        w->async_run<int>(noting(v), net::bind_executor(ioc, count()), how);
    }
    std::function<void(result<int>)> count() {
        return [this](result<int> r) { completed += r.has_value(); };
    }

    std::optional<test::held_store_thread> held_;
    std::map<int, clock::time_point> ran_at; // written on the store thread before the commit, read after
    std::vector<int> order;
    int completed = 0;
};

TEST_F(commit_wait_test, under_load_a_group_waits_for_company_and_commits_with_it) {
    start(std::chrono::milliseconds(1000));
    hold();
    submit(1); // arrives while the first group runs
    release();
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto second_sent = clock::now();
    submit(2);
    run_until([&] { return completed == 3; });
    EXPECT_GE(ran_at[1], second_sent) << "job 1 did not wait for company";
    EXPECT_EQ(w->stats().commits, 2u) << "jobs 1 and 2 should share a commit";
    EXPECT_EQ(rows(), 2);
}

TEST_F(commit_wait_test, an_idle_writer_commits_a_lone_job_at_once) {
    start(std::chrono::milliseconds(20'000));
    auto began = clock::now();
    submit(1);
    run_until([&] { return completed == 1; });
    submit(2); // the thread was idle again: no wait either
    run_until([&] { return completed == 2; });
    EXPECT_LT(clock::now() - began, std::chrono::seconds(5));
    EXPECT_EQ(w->stats().commits, 2u);
}

// One caller at a time, each sending its next job as soon as it hears back from the last (a loop
// that awaits each write): the next job can reach the queue before the store thread is back from
// the group it just committed, and must not count as load. 500 in a row with a wait of 20 s: any
// one of them taken for load would take 20 s.
TEST_F(commit_wait_test, a_job_sent_on_hearing_back_from_the_last_is_not_load) {
    start(std::chrono::milliseconds(20'000));
    constexpr int jobs = 500;
    std::function<void(result<int>)> next = [&](result<int> r) {
        completed += r.has_value();
        if (completed < jobs)
            w->async_run<int>(insert(completed + 1), net::bind_executor(ioc, next));
    };
    auto began = clock::now();
    w->async_run<int>(insert(1), net::bind_executor(ioc, next));
    std::thread io([&] { // the caller on a thread of its own, as askd's I/O thread is
        auto guard = net::make_work_guard(ioc);
        while (completed < jobs && clock::now() - began < std::chrono::seconds(15))
            ioc.run_for(std::chrono::milliseconds(10));
    });
    io.join();
    EXPECT_EQ(completed, jobs);
    EXPECT_LT(clock::now() - began, std::chrono::seconds(10)) << "a job sent on hearing back waited for company";
}

TEST_F(commit_wait_test, an_urgent_job_ends_the_wait_without_jumping_the_queue) {
    job_1_waiting_for_company();
    auto began = clock::now();
    submit(2, writer::lane::urgent);
    run_until([&] { return completed == 3; });
    EXPECT_LT(clock::now() - began, std::chrono::seconds(5));
    EXPECT_EQ(order, (std::vector<int>{1, 2}));
    EXPECT_EQ(w->stats().commits, 2u);
}

TEST_F(commit_wait_test, enough_company_ends_the_wait) {
    job_1_waiting_for_company(4);
    auto began = clock::now();
    for (int v = 2; v <= 4; ++v)
        submit(v);
    run_until([&] { return completed == 5; });
    EXPECT_LT(clock::now() - began, std::chrono::seconds(5));
    EXPECT_EQ(w->stats().commits, 2u);
}

TEST_F(commit_wait_test, stop_ends_the_wait_and_commits_what_waited) {
    job_1_waiting_for_company();
    auto began = clock::now();
    w->stop();
    EXPECT_LT(clock::now() - began, std::chrono::seconds(5));
    run_until([&] { return completed == 2; });
    EXPECT_EQ(rows(), 1);
}

TEST_F(writer_test, stop_finishes_queued_jobs_and_refuses_new_ones) {
    int completed = 0;
    for (int i = 0; i < 20; ++i)
        w->async_run<int>(insert(i), net::bind_executor(ioc, [&](result<int> r) { completed += r.has_value(); }));
    w->stop();
    std::optional<error_code> late;
    w->async_run<int>(insert(100), net::bind_executor(ioc, [&](result<int> r) { late = r.error(); }));
    run_until([&] { return completed == 20 && late.has_value(); });
    EXPECT_EQ(*late, errc::shutting_down);
    EXPECT_EQ(rows(), 20);
}

// store::run_together: each result is handed over inside its own job's completion handler, in the commit's
// order, before a job committed after it is heard of (here, another coroutine's job in the same group);
// the call returns once every result is in.
TEST_F(writer_test, run_together_hands_each_result_over_in_commit_order_and_returns_once_all_are_in) {
    std::vector<std::string> heard;
    test::held_store_thread held(*w, ioc, [](result<int>) {});
    auto together = [&]() -> net::awaitable<void> {
        std::vector<decltype(insert(0))> jobs{insert(1), insert(2),
                                              insert(1)}; // the third fails: a duplicate
        co_await run_together<int>(*w, std::move(jobs), writer::lane::normal,
                                   [&](std::size_t i, result<int> r) {
                                       heard.push_back(std::to_string(i) + (r ? " ok" : " failed"));
                                   });
        heard.push_back("all in");
    };
    auto later = [&]() -> net::awaitable<void> {
        auto job = insert(3);
        auto r = co_await w->run<int>(std::move(job));
        heard.push_back(r ? "later ok" : "later failed");
    };
    net::co_spawn(ioc, together(), net::detached);
    net::co_spawn(ioc, later(), net::detached);
    ioc.poll(); // both submit, in this order, behind the held job
    ASSERT_TRUE(heard.empty());
    held.release();
    run_until([&] { return heard.size() == 5; });
    EXPECT_EQ(heard, (std::vector<std::string>{"0 ok", "1 ok", "2 failed", "later ok", "all in"}));
    EXPECT_EQ(rows(), 3);
    EXPECT_EQ(w->stats().commits, 2u) << "the four jobs queued together should share one commit";
}

} // namespace
} // namespace ask::store
