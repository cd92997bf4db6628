#include "server/config_toml.hpp"

#include "gateways/phone_number.hpp"

namespace ask::config_toml {

[[noreturn]] void fail(std::string_view key, std::string_view problem) {
    throw config_error(fmt::format("{}: {}", key, problem));
}

void read_seconds(const toml::table& table, std::string_view section, std::string_view name,
                  std::chrono::seconds& out, std::int64_t lo, std::int64_t hi) {
    std::int64_t count = out.count();
    read_int(table, section, name, count, lo, hi);
    out = std::chrono::seconds(count);
}

void read_string(const toml::table& table, std::string_view section, std::string_view name, std::string& out,
                 bool allow_empty) {
    const auto* node = table.get(name);
    if (!node)
        return;
    std::string key = fmt::format("{}.{}", section, name);
    if (!node->is_string())
        fail(key, "must be a string");
    out = *node->value<std::string>();
    if (!allow_empty && out.empty())
        fail(key, "must not be empty");
}

std::string read_phone(const toml::table& table, std::string_view section, std::string_view name) {
    std::string text;
    read_string(table, section, name, text, true);
    if (text.empty())
        return text;
    auto normal = gateways::normalise_phone(text);
    if (!normal)
        fail(fmt::format("{}.{}", section, name), "must be a phone number like \"+48 600 100 200\"");
    return *normal;
}

void read_bool(const toml::table& table, std::string_view section, std::string_view name, bool& out) {
    const auto* node = table.get(name);
    if (!node)
        return;
    if (!node->is_boolean())
        fail(fmt::format("{}.{}", section, name), "must be true or false");
    out = *node->value<bool>();
}

const toml::table* section(const toml::table& root, std::string_view name) {
    const auto* node = root.get(name);
    if (!node)
        return nullptr;
    if (!node->is_table())
        fail(name, "must be a table ([" + std::string(name) + "])");
    return node->as_table();
}

void reject_unknown(const toml::table& table, std::string_view where, std::initializer_list<std::string_view> known) {
    for (const auto& [k, v] : table) {
        bool found = false;
        for (auto name : known)
            found = found || k.str() == name;
        if (!found)
            fail(where.empty() ? std::string(k.str()) : fmt::format("{}.{}", where, k.str()), "unknown key");
    }
}

} // namespace ask::config_toml
