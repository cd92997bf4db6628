// Small helpers shared by the store's query files (accounts.cpp, requests.cpp). Internal to store/.
#pragma once

#include "server/store/database.hpp"

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ask::store {

/// Prepares `sql`, lets `bind` set its parameters, and runs it to completion (no rows expected).
result<void> run_sql(database&, std::string_view sql, const std::function<void(statement&)>& bind);

/// Prepares `sql`, binds, and reads the first row with `read`; nullopt when there is none.
template <class T, class Bind, class Read>
result<std::optional<T>> one(database& db, const std::string& sql, Bind bind, Read read) {
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    auto row = stmt->step();
    if (!row)
        return row.error();
    if (!*row)
        return std::optional<T>{};
    return std::optional<T>{read(*stmt)};
}

/// Prepares `sql`, binds, and reads every row with `read`.
template <class T, class Bind, class Read>
result<std::vector<T>> all(database& db, const std::string& sql, Bind bind, Read read) {
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    std::vector<T> out;
    for (;;) {
        auto row = stmt->step();
        if (!row)
            return row.error();
        if (!*row)
            return out;
        out.push_back(read(*stmt));
    }
}

inline void no_parameters(statement&) {}

/// Needs are stored as one comma-separated column: "deaf,wheelchair".
std::string join_needs(const std::vector<std::string>& needs);
/// Splits on commas, dropping spaces and empty items (also for needs typed on the command line).
std::vector<std::string> split_needs(const std::string& text);

} // namespace ask::store
