// Read-only look into askd's SQLite file from the test, next to the running server (WAL lets a
// reader in while askd writes): what is really stored, independent of what the API says.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace ask::test {

class db_probe {
public:
    explicit db_probe(const std::string& path) {
        if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            ADD_FAILURE() << "cannot open " << path << ": " << sqlite3_errmsg(db_);
        sqlite3_busy_timeout(db_, 2000);
    }
    ~db_probe() { sqlite3_close(db_); }
    db_probe(const db_probe&) = delete;
    db_probe& operator=(const db_probe&) = delete;

    /// Every row of `sql` (text columns; NULL as ""), with `?1` bound to `arg` when given.
    std::vector<std::vector<std::string>> rows(const std::string& sql, const std::optional<std::string>& arg = {}) {
        std::vector<std::vector<std::string>> out;
        sqlite3_stmt* stmt = nullptr;
        if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
            return out;
        }
        if (arg)
            sqlite3_bind_text(stmt, 1, arg->c_str(), -1, SQLITE_TRANSIENT);
        int rc = 0;
        while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
            std::vector<std::string> row;
            for (int i = 0; i < sqlite3_column_count(stmt); ++i) {
                const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, i));
                row.emplace_back(text ? text : "");
            }
            out.push_back(std::move(row));
        }
        if (rc != SQLITE_DONE)
            ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db_);
        sqlite3_finalize(stmt);
        return out;
    }

    /// rows(sql) as soon as they equal `expected`, polled for up to `limit`; else as they are then (for the
    /// test's assertion to show). For what askd stores a moment after the test's last step.
    std::vector<std::vector<std::string>>
    rows_once(const std::string& sql, const std::vector<std::vector<std::string>>& expected,
              std::chrono::milliseconds limit = std::chrono::seconds(5)) {
        auto deadline = std::chrono::steady_clock::now() + limit;
        auto now = rows(sql);
        while (now != expected && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            now = rows(sql);
        }
        return now;
    }

    /// The ids of the requests a press with this idempotency key landed on: the request it created,
    /// or the one it was merged into ("repeated" event). Exactly one entry for a stored press.
    std::vector<std::int64_t> landed(const std::string& key) {
        std::vector<std::int64_t> ids;
        for (const auto& r : rows("SELECT id FROM requests WHERE client_request_id = ?1 "
                                  "UNION ALL SELECT request_id FROM request_events "
                                  "WHERE kind = 'repeated' AND json_extract(detail, '$.request_id') = ?1",
                                  key))
            ids.push_back(std::stoll(r[0]));
        return ids;
    }

private:
    sqlite3* db_ = nullptr;
};

/// Runs `sql` on askd's file from the test (a trigger that makes a write fail, rows aged as a test
/// needs them), waiting up to 5 s for askd's own writes.
inline void change_the_file(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    EXPECT_EQ(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db);
    sqlite3_close(db);
}

/// Another process's write lock on askd's file (BEGIN EXCLUSIVE) while it lives: askd's store thread waits
/// at its next group's BEGIN as it would on a disk that stopped answering, up to its busy timeout. Taken
/// with a wait of up to 5 s for askd's own writes; release() (or the destructor) rolls back.
class write_lock {
  public:
    explicit write_lock(const std::string& path) {
        EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK);
        sqlite3_busy_timeout(db_, 5000);
        held_ = sqlite3_exec(db_, "BEGIN EXCLUSIVE", nullptr, nullptr, nullptr) == SQLITE_OK;
        EXPECT_TRUE(held_) << sqlite3_errmsg(db_);
    }
    ~write_lock() { release(); }
    write_lock(const write_lock&) = delete;
    write_lock& operator=(const write_lock&) = delete;

    bool held() const { return held_; }
    void release() {
        if (held_)
            EXPECT_EQ(sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr), SQLITE_OK);
        held_ = false;
        if (db_)
            sqlite3_close(db_);
        db_ = nullptr;
    }

  private:
    sqlite3* db_ = nullptr;
    bool held_ = false;
};

} // namespace ask::test
