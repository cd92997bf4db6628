#include "server/store/sql.hpp"

namespace ask::store {

result<void> run_sql(database& db, std::string_view sql, const std::function<void(statement&)>& bind) {
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    return stmt->run();
}

result<std::optional<std::int64_t>> office_of_staff(database& db, std::int64_t staff_id) {
    return one<std::int64_t>(
        db, "SELECT office_id FROM staff WHERE id = ?1 AND disabled_at IS NULL",
        [&](statement& s) { s.bind(1, staff_id); }, [](const statement& s) { return s.column_int(0); });
}

std::string join_needs(const std::vector<std::string>& needs) {
    std::string out;
    for (const auto& n : needs) {
        if (!out.empty())
            out += ',';
        out += n;
    }
    return out;
}

std::vector<std::string> split_needs(const std::string& text) {
    std::vector<std::string> out;
    std::string item;
    for (char c : text + ",") {
        if (c == ',') {
            if (!item.empty())
                out.push_back(item);
            item.clear();
        } else if (c != ' ') {
            item += c;
        }
    }
    return out;
}

} // namespace ask::store
