// A thin RAII wrapper over one sqlite3 connection and its prepared statements.
// Reports failures as error codes (store/error.hpp), never throws, except open()
// which returns a result. Not thread-safe: one connection is owned by one thread.
#pragma once

#include <boost/system/result.hpp>

#include <memory>
#include <unordered_map>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace ask::store {

using boost::system::error_code;

/// Prepared statements kept for reuse, keyed by their SQL: preparing costs more than running the
/// small statements the store issues, so each is prepared once per connection. Bounded. An entry
/// stays put once made (a statement points at it), so handing one out costs one lookup by the SQL
/// text, no copy of it.
struct statement_cache {
    static constexpr std::size_t max_entries = 128;
    struct entry {
        sqlite3_stmt* stmt = nullptr;
        bool in_use = false; ///< handed out; the same SQL meanwhile gets an uncached statement
    };
    struct text_hash {
        using is_transparent = void;
        std::size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
    };
    std::unordered_map<std::string, entry, text_hash, std::equal_to<>> entries;
};
template <class T>
using result = boost::system::result<T>;

/// A prepared statement. Bind indexes are 1-based, column indexes 0-based (as in SQLite).
class statement {
public:
    statement() = default;
    statement(statement&&) noexcept;
    statement& operator=(statement&&) noexcept;
    statement(const statement&) = delete;
    statement& operator=(const statement&) = delete;
    ~statement();

    statement& bind(int index, std::int64_t value);
    statement& bind(int index, std::string_view value); ///< copied (SQLITE_TRANSIENT)
    statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    statement& bind(int index, std::nullopt_t);         ///< NULL
    statement& bind(int index, const std::optional<std::int64_t>& value);
    statement& bind(int index, const std::optional<std::string>& value);

    /// Runs one step: true when a row is ready, false when done; an error code on failure
    /// (including any failed bind before it).
    result<bool> step();
    /// Steps to completion, expecting no rows.
    result<void> run();
    /// Resets for reuse and clears bindings.
    void reset();

    std::int64_t column_int(int index) const;
    std::string column_text(int index) const; ///< "" for NULL
    std::optional<std::int64_t> column_optional_int(int index) const;
    std::optional<std::string> column_optional_text(int index) const;
    bool column_is_null(int index) const;

private:
    friend class database;
    statement(sqlite3_stmt* stmt, statement_cache::entry* slot) : stmt_(stmt), slot_(slot) {}
    void release() noexcept; ///< back to its cache entry (reset), or finalized when it has none
    sqlite3_stmt* stmt_ = nullptr;
    statement_cache::entry* slot_ = nullptr; ///< the cache entry it returns to; outlived by its database
    int bind_rc_ = 0; // first failing bind, reported by step()
};

/// Connection options; every wait has a deadline.
struct open_options {
    int busy_timeout_ms = 5000; ///< how long a write waits for a lock held by another process
    bool create = true;         ///< create the file if missing
};

class database {
public:
    /// Opens (or creates) the file and applies the durability settings every connection needs:
    /// journal_mode=WAL, synchronous=FULL, foreign_keys=ON, busy_timeout.
    static result<database> open(const std::string& path, const open_options& = {});

    database(database&&) noexcept;
    database& operator=(database&&) noexcept;
    database(const database&) = delete;
    database& operator=(const database&) = delete;
    ~database();

    result<void> exec(std::string_view sql);          ///< one or more statements, no rows
    /// Exactly one statement; reused from the cache when this SQL ran before. A statement must
    /// not outlive its database (they are always locals of a store function).
    result<statement> prepare(std::string_view sql);
    std::int64_t last_insert_rowid() const;
    int changes() const;                              ///< rows changed by the last statement
    std::string last_error_message() const;           ///< sqlite3_errmsg, for logs
    sqlite3* handle() const { return db_; }

private:
    explicit database(sqlite3* db) : db_(db), cache_(std::make_unique<statement_cache>()) {}
    void close() noexcept;
    sqlite3* db_ = nullptr;
    std::unique_ptr<statement_cache> cache_; ///< on the heap: statements keep its address across moves
};

} // namespace ask::store
