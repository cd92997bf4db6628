#include "server/store/sign_in_check.hpp"

#include "server/store/sql.hpp"

namespace ask::store {

result<std::int64_t> data_version(database& db) {
    auto version = one<std::int64_t>(db, "PRAGMA data_version", no_parameters,
                                     [](const statement& s) { return s.column_int(0); });
    if (!version)
        return version.error();
    return version->value_or(0);
}

result<std::vector<staff_access>> staff_access_of(database& db, const std::vector<std::int64_t>& staff_ids) {
    std::vector<staff_access> out;
    for (auto id : staff_ids) {
        auto found = one<staff_access>(
            db, "SELECT disabled_at IS NOT NULL, sign_ins_ended FROM staff WHERE id = ?1",
            [&](statement& s) { s.bind(1, id); },
            [&](const statement& s) {
                return staff_access{id, s.column_int(0) != 0, s.column_int(1)};
            });
        if (!found)
            return found.error();
        if (*found)
            out.push_back(**found);
    }
    return out;
}

result<std::vector<std::string>> lapsed_resident_tokens(database& db,
                                                        const std::vector<std::string>& token_hashes) {
    std::vector<std::string> lapsed;
    for (const auto& hash : token_hashes) {
        auto found = one<int>(
            db, "SELECT 1 FROM residents WHERE token_hash = ?1", [&](statement& s) { s.bind(1, hash); },
            [](const statement&) { return 1; });
        if (!found)
            return found.error();
        if (!*found)
            lapsed.push_back(hash);
    }
    return lapsed;
}

} // namespace ask::store
