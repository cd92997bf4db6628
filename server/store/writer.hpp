// The store thread: the only thread that touches SQLite, committing queued jobs in groups.
//
// Contract (persist, then acknowledge):
//  1. Jobs run in submission order on one thread, each inside its own SAVEPOINT of a
//     shared BEGIN IMMEDIATE … COMMIT. A job that fails is rolled back alone; the
//     others in its group still commit. Should that rollback fail, the group fails as in 2.
//  2. A job's completion handler is invoked (on the handler's associated executor)
//     only after the COMMIT of its group has returned. If the COMMIT fails, every job
//     of the group completes with errc::unavailable and nothing of it is kept. The results of
//     the jobs that ran are posted in submission order; consecutive jobs of a group whose
//     handlers' executors are of one type and compare equal are delivered by one posted
//     handler (one wake-up of their thread per such run, not per job: in askd, per group of
//     coroutine jobs). A job refused at submit (contracts 4 and 6) completes at once, ahead
//     of jobs still queued. Should a handler throw, the results after it in its run are
//     posted again, behind whatever that executor was given meanwhile.
//  3. All jobs waiting when the thread wakes form one group (up to max_batch), so
//     one fsync covers many requests under load, and a lone job commits at once.
//     Under load (jobs arrived while the previous group ran: queued when its commit ended,
//     before any of its jobs heard back, so a caller that submits its next job on hearing
//     back from the last one is not load) the thread first waits up to
//     commit_wait for more, so each job pays a smaller share of a commit (its fsync, the WAL
//     pages the jobs share, the thread switches). The wait ends early once enough_company jobs
//     wait or an urgent job (lane::urgent) arrives: an urgent request never waits for company.
//     Urgency ends the wait; it does not reorder jobs (contract 1). Idle, nothing waits.
//  4. stop() refuses new jobs (errc::shutting_down), finishes the queued ones, and
//     joins the thread.
//  5. The WAL is checkpointed when no job waits, never inside a group: SQLite's automatic
//     checkpoint runs in the commit that takes the WAL past 1000 pages and makes that
//     commit, and the requests of its group, wait for the database file to be copied and
//     synced. Here it runs once the WAL holds checkpoint_pages and the queue is empty (a job
//     arriving meanwhile waits for it), or at four times that whatever waits, so a writer
//     that is never idle still folds its WAL back. An urgent job does not wait for an idle-time
//     checkpoint (milliseconds of copying pages): it interrupts it, and the checkpoint runs again
//     at the next idle moment. The four-times one is not interrupted: it would run again before
//     any group (the WAL is still past four times), so the urgent job would gain nothing.
//  6. At most max_queued jobs wait; one submitted beyond that completes at once with
//     errc::unavailable and never runs, so a stalled disk (or a flood faster than it) cannot
//     grow the queue without bound. An urgent or ongoing job is refused only past twice that:
//     a flood of new normal work does not shut out an urgent request, nor staff (their sign-in
//     and actions) and the alerting of requests already accepted.
//  7. About once a second, idle or not, the store thread reads SQLite's data_version, which moves when
//     another connection to the file commits (an askd command beside this askd), and publishes it
//     (outside_version). Read by the thread itself, between groups: not a job, so it takes no place
//     in the queue and no part in a group, and an idle askd still runs no job.
#pragma once

#include "server/net.hpp"
#include "server/store/database.hpp"
#include "server/store/error.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

namespace ask::store {

class writer {
public:
    struct options {
        std::size_t max_batch = 512; ///< most jobs in one transaction
        int checkpoint_pages = 1000; ///< WAL frames that make an idle writer checkpoint (contract 5)
        std::chrono::microseconds commit_wait{500}; ///< longest wait for company under load (contract 3); 0: none
        std::size_t enough_company = 16; ///< this many queued jobs (or max_batch) end the wait: a commit spread thin
        std::size_t max_queued = 20000;  ///< jobs waiting at most (contract 6)
    };

    /// How a job's group may wait for company (contract 3), and how full a queue takes it (contract 6).
    enum class lane {
        normal, ///< new work from outside (a press, a text): may wait up to commit_wait under load
        urgent, ///< its group commits as soon as the store thread takes it; the queue's reserve is open to it
        ongoing ///< work on what was already accepted, and staff's: waits as normal does; the reserve is open
                ///< to it. Also a resident's STOP or START, and a resident page's sign-in: new, but each is
                ///< one short job, and a flood must not keep a resident from opting out or from pressing
    };

    struct counters {
        std::uint64_t commits = 0; ///< transactions committed
        std::uint64_t jobs = 0;    ///< jobs run to completion (any result)
        std::uint64_t refused = 0; ///< jobs refused unrun for a full queue (contract 6)
        std::size_t queued = 0;    ///< jobs waiting now
        std::size_t running = 0;   ///< jobs of the group the store thread is running now
    };

    writer(database db, options opts);
    ~writer();
    writer(const writer&) = delete;
    writer& operator=(const writer&) = delete;

    /// Runs `job(database&) -> result<T>` on the store thread; completes with its result
    /// after the commit (see the contract above). Thread-safe.
    template <class T, class Job, class Token>
    auto async_run(Job job, Token&& token, lane how = lane::normal) {
        return net::async_initiate<Token, void(result<T>)>(
            [this, how](auto handler, Job j) {
                using handler_t = decltype(handler);
                submit(std::make_unique<task<T, Job, handler_t>>(std::move(j), std::move(handler)), how);
            },
            token, std::move(job));
    }

    /// Awaitable form of async_run.
    ///
    /// Pass a named job (`auto job = [...](database& db) {...}; co_await run<T>(std::move(job));`),
    /// never a lambda written inside the co_await expression: g++ 12 copies such a temporary
    /// bitwise into the parameter and then destroys both, a double free (caught by ASan here).
    template <class T, class Job>
    net::awaitable<result<T>> run(Job job, lane how = lane::normal) {
        return async_run<T>(std::move(job), use_awaitable, how);
    }

    void stop();
    counters stats() const;

    /// False from a write the storage refused (disk full, read-only, I/O error, locked: the
    /// group's COMMIT or a job's statement failed that way) until a later group writes and
    /// commits. For /healthz, so askd does not call itself "ok" while every write gets a 503.
    /// Groups that only read change nothing: a read can succeed on a full or read-only disk.
    bool storage_ok() const { return storage_ok_.load(std::memory_order_relaxed); }
    /// The last data_version read (contract 7), or nullopt before the first read. Only compared for
    /// change; a reopened connection counts anew, which looks like a change.
    std::optional<std::int64_t> outside_version() const {
        auto v = outside_version_.load(std::memory_order_relaxed);
        return v == no_version ? std::nullopt : std::optional<std::int64_t>(v);
    }

private:
    result<void> run_cached(std::string_view sql);
    struct task_base {
        virtual ~task_base() = default;
        virtual bool execute(database&) = 0;   ///< runs the job; false when it failed
        virtual void fail(error_code why) = 0; ///< its result becomes `why` (refused; not committed)
        virtual void deliver() = 0; ///< calls the handler with the result; on the handler's executor
        virtual error_code error() const = 0; ///< why execute() failed
        /// Whether `other` completes on an executor equal to this task's (contract 2's batches).
        virtual bool shares_executor(const task_base& other) const = 0;
        /// Posts one handler to this task's executor that delivers `batch` (this task first) in order.
        /// Every task in `batch` shares this task's executor (shares_executor).
        virtual void post_deliveries(std::vector<std::unique_ptr<task_base>> batch) = 0;
        lane how = lane::normal; ///< set by submit()
    };

    /// A run of a group's results that complete on one executor, delivered in submission order by one
    /// posted handler: that executor's thread is woken once per run, not once per job, and each task (its
    /// job and handler) is destroyed there (in askd, on the I/O thread). Should a handler throw, the rest
    /// are posted again, as a run of their own, before the exception leaves: none is lost.
    struct deliveries {
        std::vector<std::unique_ptr<task_base>> batch;
        void operator()();
    };

    /// The part of a task that depends only on the executor it completes on.
    template <class Executor> struct task_on : task_base {
        explicit task_on(const Executor& ex) : work(net::make_work_guard(ex)) {}
        bool shares_executor(const task_base& other) const override {
            auto* same_kind = dynamic_cast<const task_on*>(&other);
            return same_kind && same_kind->work.get_executor() == work.get_executor();
        }
        void post_deliveries(std::vector<std::unique_ptr<task_base>> batch) override {
            net::post(work.get_executor(), deliveries{std::move(batch)});
        }
        net::executor_work_guard<Executor> work;
    };

    template <class T, class Job, class Handler>
    struct task final : task_on<net::associated_executor_t<Handler>> {
        task(Job j, Handler h)
            : task_on<net::associated_executor_t<Handler>>(net::get_associated_executor(h)),
              job(std::move(j)), handler(std::move(h)) {}
        bool execute(database& db) override {
            outcome = job(db);
            return outcome.has_value();
        }
        error_code error() const override { return outcome ? error_code{} : outcome.error(); }
        void fail(error_code why) override {
            outcome = result<T>(boost::system::in_place_error, why); // also for T = bool
        }
        void deliver() override {
            std::move(handler)(std::move(outcome));
            this->work.reset();
        }
        Job job;
        Handler handler;
        result<T> outcome{errc::unavailable};
    };

    /// Delivers a group's results: consecutive tasks sharing an executor in one batch each.
    static void complete(std::deque<std::unique_ptr<task_base>>& group);
    /// Posts a non-empty batch of tasks sharing an executor (deliveries).
    static void post(std::vector<std::unique_ptr<task_base>> batch);
    void submit(std::unique_ptr<task_base>, lane);
    void loop();
    void checkpoint();
    /// Contract 7: reads data_version when a second has passed since the last read (store thread).
    void read_outside_version_when_due();
    void watch_wal();
    static int on_commit(void* self, struct sqlite3*, const char* schema, int frames);
    /// Returns whether jobs were queued when the group's commit ended (contract 3's "under load").
    bool run_group(std::deque<std::unique_ptr<task_base>>& group);

    database db_;
    options opts_;
    mutable std::mutex mutex_;
    std::condition_variable wake_;
    std::deque<std::unique_ptr<task_base>> queue_;
    std::size_t urgent_queued_ = 0; ///< urgent jobs in queue_
    bool refusing_ = false;         ///< max_queued jobs waited at the last submit: normal jobs refused (logged once)
    bool checkpoint_interruptible_ = false; ///< the store thread is in an idle-time checkpoint (contract 5)
    std::size_t company_;           ///< queued jobs that end a wait for company
    bool stopping_ = false;
    counters counters_;
    std::atomic<bool> storage_ok_{true};
    static constexpr std::int64_t no_version = std::numeric_limits<std::int64_t>::min();
    std::atomic<std::int64_t> outside_version_{no_version};
    std::chrono::steady_clock::time_point outside_version_read_at_{}; ///< store thread only
    int wal_frames_ = 0; ///< frames in the WAL after the last commit (store thread only)
    bool checkpoint_failing_ = false; ///< the last checkpoint failed (store thread only)
    std::thread thread_;
};

} // namespace ask::store
