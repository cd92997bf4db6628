// Read-only look into askd's SQLite file from the test, next to the running server (WAL lets a
// reader in while askd writes): what is really stored, independent of what the API says.
#pragma once

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
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

} // namespace ask::test
