#include "server/store/database.hpp"

#include "server/store/error.hpp"

#include <sqlite3.h>

#include <utility>

namespace ask::store {

statement::statement(statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), slot_(other.slot_), bind_rc_(other.bind_rc_) {}

statement& statement::operator=(statement&& other) noexcept {
    if (this != &other) {
        release();
        stmt_ = std::exchange(other.stmt_, nullptr);
        slot_ = other.slot_;
        bind_rc_ = other.bind_rc_;
    }
    return *this;
}

statement::~statement() { release(); }

void statement::release() noexcept {
    if (!stmt_)
        return;
    if (slot_) {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
        slot_->in_use = false;
    } else {
        sqlite3_finalize(stmt_);
    }
    stmt_ = nullptr;
}

statement& statement::bind(int index, std::int64_t value) {
    int rc = sqlite3_bind_int64(stmt_, index, value);
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK)
        bind_rc_ = rc;
    return *this;
}

statement& statement::bind(int index, std::string_view value) {
    int rc = sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK)
        bind_rc_ = rc;
    return *this;
}

statement& statement::bind(int index, std::nullopt_t) {
    int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK)
        bind_rc_ = rc;
    return *this;
}

statement& statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
}

statement& statement::bind(int index, const std::optional<std::string>& value) {
    return value ? bind(index, std::string_view(*value)) : bind(index, std::nullopt);
}

result<bool> statement::step() {
    if (bind_rc_ != SQLITE_OK)
        return result<bool>(boost::system::in_place_error, sqlite_error(bind_rc_));
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW)
        return true;
    if (rc == SQLITE_DONE)
        return false;
    return result<bool>(boost::system::in_place_error, sqlite_error(sqlite3_extended_errcode(sqlite3_db_handle(stmt_))));
}

result<void> statement::run() {
    for (;;) {
        auto r = step();
        if (!r)
            return r.error();
        if (!*r)
            return {};
    }
}

void statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_rc_ = SQLITE_OK;
}

std::int64_t statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

std::string statement::column_text(int index) const {
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, index));
    if (!text)
        return {};
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, index)));
}

std::optional<std::int64_t> statement::column_optional_int(int index) const {
    if (column_is_null(index))
        return std::nullopt;
    return column_int(index);
}

std::optional<std::string> statement::column_optional_text(int index) const {
    if (column_is_null(index))
        return std::nullopt;
    return column_text(index);
}

bool statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

result<database> database::open(const std::string& path, const open_options& options) {
    // Memory statistics take a process-wide mutex on every allocation SQLite makes, and ASK never
    // reads them. Only possible before SQLite initialises (the first open); later calls are refused
    // harmlessly.
    static const int statistics_off = sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    (void)statistics_off;
    sqlite3* handle = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (options.create ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
    database db(handle); // owns the handle even when opening failed
    if (rc != SQLITE_OK)
        return sqlite_error(rc);
    sqlite3_extended_result_codes(handle, 1);
    sqlite3_busy_timeout(handle, options.busy_timeout_ms);

    // WAL for concurrent readers and one sequential write per commit; FULL so that a
    // commit is on disk before anyone is told about it; foreign keys keep rows honest.
    auto mode = db.prepare("PRAGMA journal_mode=WAL");
    if (!mode)
        return mode.error();
    auto row = mode->step();
    if (!row)
        return row.error();
    if (!*row || mode->column_text(0) != "wal")
        return make_error_code(errc::unavailable);
    if (auto r = db.exec("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"); !r)
        return r.error();
    return db;
}

database::database(database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), cache_(std::move(other.cache_)) {}

database& database::operator=(database&& other) noexcept {
    if (this != &other) {
        close();
        db_ = std::exchange(other.db_, nullptr);
        cache_ = std::move(other.cache_);
    }
    return *this;
}

database::~database() { close(); }

void database::close() noexcept {
    if (cache_) {
        for (auto& [sql, cached] : cache_->entries)
            sqlite3_finalize(cached.stmt);
        cache_->entries.clear();
    }
    sqlite3_close_v2(db_);
    db_ = nullptr;
}

result<void> database::exec(std::string_view sql) {
    std::string text(sql);
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK)
        return sqlite_error(sqlite3_extended_errcode(db_));
    return {};
}

result<statement> database::prepare(std::string_view sql) {
    auto found = cache_->entries.find(sql);
    if (found != cache_->entries.end() && !found->second.in_use) {
        found->second.in_use = true;
        return statement(found->second.stmt, &found->second);
    }
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt);
        return sqlite_error(sqlite3_extended_errcode(db_));
    }
    if (found == cache_->entries.end() && cache_->entries.size() < statement_cache::max_entries) {
        auto made = cache_->entries.emplace(std::string(sql), statement_cache::entry{stmt, true});
        return statement(stmt, &made.first->second);
    }
    return statement(stmt, nullptr);
}

std::int64_t database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int database::changes() const { return sqlite3_changes(db_); }

std::string database::last_error_message() const { return sqlite3_errmsg(db_); }

} // namespace ask::store
