#include "server/store/writer.hpp"

#include <spdlog/spdlog.h>
#include <sqlite3.h>

namespace ask::store {

writer::writer(database db, options opts) : db_(std::move(db)), opts_(opts) {
    thread_ = std::thread([this] { loop(); });
}

writer::~writer() { stop(); }

void writer::submit(std::unique_ptr<task_base> t) {
    {
        std::lock_guard lock(mutex_);
        if (!stopping_) {
            queue_.push_back(std::move(t));
            wake_.notify_one();
            return;
        }
    }
    t->complete(make_error_code(errc::shutting_down));
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
    return counters_;
}

void writer::loop() {
    for (;;) {
        std::deque<std::unique_ptr<task_base>> group;
        {
            std::unique_lock lock(mutex_);
            wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
            if (queue_.empty())
                return; // stopping, and everything queued has been committed
            while (!queue_.empty() && group.size() < opts_.max_batch) {
                group.push_back(std::move(queue_.front()));
                queue_.pop_front();
            }
        }
        run_group(group);
    }
}

// The savepoint statements run once per job: prepared once (database's statement cache), not parsed each time.
bool writer::run_cached(std::string_view sql) {
    auto stmt = db_.prepare(sql);
    return stmt && stmt->run().has_value();
}

// One transaction for the whole group; one SAVEPOINT per job so a failing job
// (a constraint, a state conflict) is undone alone and does not cost the others.
void writer::run_group(std::deque<std::unique_ptr<task_base>>& group) {
    error_code commit_error;
    if (auto begun = db_.exec("BEGIN IMMEDIATE"); !begun) {
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
            bool savepoint_ok = run_cached("SAVEPOINT job");
            bool ok = savepoint_ok && t->execute(db_);
            if (ok) {
                run_cached("RELEASE job");
            } else if (savepoint_ok) {
                run_cached("ROLLBACK TO job");
                run_cached("RELEASE job");
            }
        }
        if (!commit_error && sqlite3_get_autocommit(db_.handle()) != 0)
            commit_error = make_error_code(errc::unavailable);
        if (commit_error) {
            db_.exec("ROLLBACK");
        } else if (auto committed = db_.exec("COMMIT"); !committed) {
            commit_error = committed.error();
            db_.exec("ROLLBACK");
        }
    }
    if (commit_error)
        spdlog::error("store: group of {} jobs not committed: {}", group.size(), commit_error.message());
    {
        // Counted before anyone hears back, so a caller that saw its result also sees it counted.
        std::lock_guard lock(mutex_);
        counters_.jobs += group.size();
        if (!commit_error)
            ++counters_.commits;
    }
    for (auto& t : group)
        t->complete(commit_error ? make_error_code(errc::unavailable) : error_code{});
}

} // namespace ask::store
