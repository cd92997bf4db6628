#include "server/store/sign_in_check.hpp"

#include "server/store/sql.hpp"

#include <optional>

namespace ask::store {
namespace {

// Those of `hashes` for which `sql` (a hash bound as ?1, and `now` as ?2 when given) finds no row.
result<std::vector<std::string>> without_a_row(database& db, const std::string& sql,
                                               const std::vector<std::string>& hashes,
                                               std::optional<protocol::millis> now = std::nullopt) {
    std::vector<std::string> lapsed;
    for (const auto& hash : hashes) {
        auto bind = [&](statement& s) {
            s.bind(1, hash);
            if (now)
                s.bind(2, *now);
        };
        auto found = one<int>(db, sql, bind, [](const statement&) { return 1; });
        if (!found)
            return found.error();
        if (!*found)
            lapsed.push_back(hash);
    }
    return lapsed;
}

} // namespace

result<std::int64_t> data_version(database& db) {
    auto version = one<std::int64_t>(db, "PRAGMA data_version", no_parameters,
                                     [](const statement& s) { return s.column_int(0); });
    if (!version)
        return version.error();
    return version->value_or(0);
}

result<std::vector<std::string>> lapsed_sessions(database& db, const std::vector<std::string>& token_hashes,
                                                 protocol::millis now) {
    return without_a_row(db,
                         "SELECT 1 FROM staff_sessions AS t JOIN staff AS s ON s.id = t.staff_id "
                         "WHERE t.token_hash = ?1 AND t.expires_at > ?2 AND s.disabled_at IS NULL",
                         token_hashes, now);
}

result<std::vector<std::string>> lapsed_resident_tokens(database& db,
                                                        const std::vector<std::string>& token_hashes) {
    return without_a_row(db, "SELECT 1 FROM residents WHERE token_hash = ?1", token_hashes);
}

} // namespace ask::store
