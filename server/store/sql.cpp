#include "server/store/sql.hpp"

namespace ask::store {

result<void> run_sql(database& db, std::string_view sql, const std::function<void(statement&)>& bind) {
    auto stmt = db.prepare(sql);
    if (!stmt)
        return stmt.error();
    bind(*stmt);
    return stmt->run();
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
