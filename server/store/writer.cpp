#include "server/store/writer.hpp"

#include "server/store/sign_in_check.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iterator>
#include <string>
#include <utility>

namespace ask::store {
namespace {

bool read_only(const database& db) { return sqlite3_db_readonly(db.handle(), "main") == 1; }

constexpr auto outside_version_every = std::chrono::seconds(1); // contract 7

// A connection opened while its volume was read-only stays read-only for good (SQLite fell back
// to an O_RDONLY file and read-only shared memory), even once the volume is writable again: askd
// would refuse every write until restarted. So while it is read-only, each group first checks
// whether the file is writable now and, if so, replaces the connection with a fresh one (same
// file, same busy timeout). The old one is closed first: SQLite shares a file's WAL index between
// the connections of a process, and a new one opened beside the old would inherit its read-only
// shared memory.
void reopen_if_writable(database& db) {
    const char* name = sqlite3_db_filename(db.handle(), "main");
    if (!name || !*name || ::access(name, W_OK) != 0) // still EROFS (or gone): keep what we have
        return;
    std::string file = name;
    open_options opts;
    opts.create = false;
    if (auto stmt = db.prepare("PRAGMA busy_timeout"); stmt) {
        auto row = stmt->step();
        if (row && *row)
            opts.busy_timeout_ms = static_cast<int>(stmt->column_int(0));
    }
    { database closing = std::move(db); }
    for (int attempt = 0; attempt < 3; ++attempt) {
        if (auto fresh = database::open(file, opts)) {
            db = std::move(*fresh);
            if (read_only(db))
                return; // read-only again already: the next group tries again
            spdlog::info("store: the database is writable again (reopened)");
            return;
        }
    }
    // Without a connection nothing can be stored or refused honestly: stop, and let the
    // supervisor restart askd (every commit so far is on disk).
    spdlog::critical("store: cannot reopen {}; exiting", file);
    std::abort();
}

} // namespace

writer::writer(database db, options opts)
    : db_(std::move(db)), opts_(opts), company_(std::min(opts.max_batch, std::max<std::size_t>(opts.enough_company, 1))) {
    watch_wal();
    if (read_only(db_)) {
        storage_ok_ = false;
        spdlog::error("store: the database is read-only; writes are refused with 503 until it is writable");
    }
    thread_ = std::thread([this] { loop(); });
}

writer::~writer() { stop(); }

void writer::submit(std::unique_ptr<task_base> t, lane how) {
    t->how = how;
    bool wake = false;
    error_code refused; // why the job is not queued, when it is not
    {
        std::lock_guard lock(mutex_);
        // Contract 6. Logged when normal jobs start being refused and when they are taken again.
        bool over = queue_.size() >= opts_.max_queued;
        if (over != refusing_ && !stopping_) {
            if (over)
                spdlog::error("store: {} jobs wait already; refusing more with 503 until the store catches up",
                              queue_.size());
            else
                spdlog::info("store: the queue has room again");
            refusing_ = over;
        }
        bool full = how == lane::normal ? over : queue_.size() >= 2 * opts_.max_queued;
        if (stopping_) {
            refused = make_error_code(errc::shutting_down);
        } else if (full) {
            refused = make_error_code(errc::unavailable);
            ++counters_.refused;
        } else {
            queue_.push_back(std::move(t));
            if (how == lane::urgent) {
                ++urgent_queued_;
                // Contract 5. db_ is not replaced while a checkpoint runs (only inside run_group).
                if (checkpoint_interruptible_)
                    sqlite3_interrupt(db_.handle());
            }
            // What the store thread can be waiting for: a first job, or the end of its wait for
            // company. Other jobs need no wake-up (and cost the thread none): it will find them.
            wake = queue_.size() == 1 || queue_.size() == company_ || how == lane::urgent;
        }
    }
    // Notified after the unlock, so the store thread does not wake only to wait for the mutex.
    if (!t) {
        if (wake)
            wake_.notify_one();
    } else {
        t->fail(refused);
        std::vector<std::unique_ptr<task_base>> batch;
        batch.push_back(std::move(t));
        post(std::move(batch));
    }
}

void writer::stop() {
    {
        std::lock_guard lock(mutex_);
        if (stopping_ && !thread_.joinable())
            return;
        stopping_ = true;
        wake_.notify_one();
    }
    if (thread_.joinable())
        thread_.join();
}

writer::counters writer::stats() const {
    std::lock_guard lock(mutex_);
    auto now = counters_;
    now.queued = queue_.size();
    return now;
}

// Counts the WAL's frames after each commit (contract 5); also turns SQLite's automatic
// checkpoint off. Per connection: again after a reopen.
void writer::watch_wal() { sqlite3_wal_hook(db_.handle(), &writer::on_commit, this); }

int writer::on_commit(void* self, sqlite3*, const char*, int frames) {
    static_cast<writer*>(self)->wal_frames_ = frames;
    return SQLITE_OK;
}

// PASSIVE: copies what it can without waiting for anyone. Run between groups on the store
// thread's own connection, it copies every frame, and the next group starts the WAL afresh.
void writer::checkpoint() {
    int rc = sqlite3_wal_checkpoint_v2(db_.handle(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc == SQLITE_INTERRUPT)
        return; // an urgent job came (submit): the WAL is as it was, and is checkpointed again later
    wal_frames_ = 0;
    // Said once when checkpoints start failing (a full or read-only disk fails each retry) and
    // once when one works again.
    if (rc != SQLITE_OK && !checkpoint_failing_)
        spdlog::warn("store: checkpoint failed: {}; the WAL keeps every commit, retried after the next ones",
                     sqlite3_errstr(rc));
    else if (rc == SQLITE_OK && checkpoint_failing_)
        spdlog::info("store: checkpoints work again");
    checkpoint_failing_ = rc != SQLITE_OK;
}

void writer::loop() {
    const int backstop = 4 * opts_.checkpoint_pages;
    bool load_after_group = false; // the last thing this thread did was run a group, and jobs came meanwhile
    read_outside_version_when_due();
    for (;;) {
        std::deque<std::unique_ptr<task_base>> group;
        {
            std::unique_lock lock(mutex_);
            bool idle = queue_.empty();
            // Contract 3. The jobs it noted are still queued: only this thread takes jobs off the queue.
            bool under_load = std::exchange(load_after_group, false);
            if ((idle && wal_frames_ >= opts_.checkpoint_pages) || wal_frames_ >= backstop) {
                checkpoint_interruptible_ = wal_frames_ < backstop;
                lock.unlock();
                checkpoint();
                lock.lock();
                checkpoint_interruptible_ = false;
                continue;
            }
            while (!wake_.wait_for(lock, outside_version_every,
                                   [this] { return stopping_ || !queue_.empty(); })) {
                lock.unlock();
                read_outside_version_when_due();
                lock.lock();
            }
            if (queue_.empty())
                return; // stopping, and everything queued has been committed
            if (under_load && opts_.commit_wait.count() > 0)
                wake_.wait_for(lock, opts_.commit_wait, [this] {
                    return stopping_ || urgent_queued_ > 0 || queue_.size() >= company_;
                });
            while (!queue_.empty() && group.size() < opts_.max_batch) {
                if (queue_.front()->how == lane::urgent)
                    --urgent_queued_;
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
            counters_.running = group.size();
        }
        load_after_group = run_group(group);
        read_outside_version_when_due();
    }
}

void writer::read_outside_version_when_due() {
    auto now = std::chrono::steady_clock::now();
    if (now - outside_version_read_at_ < outside_version_every)
        return;
    outside_version_read_at_ = now;
    if (auto version = data_version(db_)) // a failed read keeps the last: a change is still seen later
        outside_version_.store(*version, std::memory_order_relaxed);
}

// The transaction and savepoint statements run for every group and job: prepared once (the
// database's statement cache), not parsed each time as sqlite3_exec would.
result<void> writer::run_cached(std::string_view sql) {
    auto stmt = db_.prepare(sql);
    if (!stmt)
        return stmt.error();
    return stmt->run();
}

// One transaction for the whole group; one SAVEPOINT per job so a failing job
// (a constraint, a state conflict) is undone alone and does not cost the others.
bool writer::run_group(std::deque<std::unique_ptr<task_base>>& group) {
    error_code commit_error;
    bool storage_failed = false; // a job's statement failed because of the storage, not its data
    if (read_only(db_)) {
        reopen_if_writable(db_);
        watch_wal();
    }
    auto changes_before = sqlite3_total_changes64(db_.handle());
    if (auto begun = run_cached("BEGIN IMMEDIATE"); !begun) {
        commit_error = begun.error();
    } else {
        for (auto& t : group) {
            // SQLite rolls the whole transaction back by itself on some errors (SQLITE_FULL,
            // SQLITE_IOERR…). Running further jobs would then autocommit them one by one
            // while the group is reported failed, so the group stops here and fails whole.
            if (sqlite3_get_autocommit(db_.handle()) != 0) {
                commit_error = make_error_code(errc::unavailable);
                break;
            }
            bool savepoint_ok = run_cached("SAVEPOINT job").has_value();
            bool ok = savepoint_ok && t->execute(db_);
            if (!savepoint_ok || (!ok && is_storage_failure(t->error())))
                storage_failed = true;
            // A RELEASE that fails leaves the savepoint open, and COMMIT releases it anyway.
            if (ok) {
                run_cached("RELEASE job");
            } else if (savepoint_ok) {
                if (!run_cached("ROLLBACK TO job")) {
                    // The failed job's changes could not be undone alone: committing the group would
                    // keep them, so the whole group fails instead.
                    commit_error = make_error_code(errc::unavailable);
                    break;
                }
                run_cached("RELEASE job");
            }
        }
        if (!commit_error && sqlite3_get_autocommit(db_.handle()) != 0)
            commit_error = make_error_code(errc::unavailable);
        if (commit_error) {
            run_cached("ROLLBACK");
        } else if (auto committed = run_cached("COMMIT"); !committed) {
            commit_error = committed.error();
            run_cached("ROLLBACK");
        }
    }
    if (commit_error)
        spdlog::error("store: group of {} jobs not committed: {}", group.size(), commit_error.message());
    if (commit_error || storage_failed) {
        if (storage_ok_.exchange(false))
            spdlog::error("store: storage unavailable; writes are refused with 503 until it works again");
    } else if (sqlite3_total_changes64(db_.handle()) > changes_before && !storage_ok_.exchange(true)) {
        spdlog::info("store: storage works again");
    }
    bool jobs_came = false;
    {
        // Counted before anyone hears back, so a caller that saw its result also sees it counted.
        std::lock_guard lock(mutex_);
        counters_.jobs += group.size();
        counters_.running = 0;
        if (!commit_error)
            ++counters_.commits;
        jobs_came = !queue_.empty(); // before anyone hears back: not a reply to this group (contract 3)
    }
    if (commit_error)
        for (auto& t : group)
            t->fail(make_error_code(errc::unavailable));
    complete(group);
    return jobs_came;
}

void writer::complete(std::deque<std::unique_ptr<task_base>>& group) {
    while (!group.empty()) {
        std::vector<std::unique_ptr<task_base>> batch;
        batch.push_back(std::move(group.front()));
        group.pop_front();
        while (!group.empty() && batch.front()->shares_executor(*group.front())) {
            batch.push_back(std::move(group.front()));
            group.pop_front();
        }
        post(std::move(batch));
    }
}

void writer::post(std::vector<std::unique_ptr<task_base>> batch) {
    auto* first = batch.front().get();
    first->post_deliveries(std::move(batch));
}

void writer::deliveries::operator()() {
    for (std::size_t i = 0; i < batch.size(); ++i) {
        try {
            batch[i]->deliver();
        } catch (...) {
            if (i + 1 < batch.size())
                post({std::make_move_iterator(batch.begin() + i + 1), std::make_move_iterator(batch.end())});
            throw;
        }
        batch[i].reset();
    }
}

} // namespace ask::store
