// Reading TOML values for config.cpp and config_sms.cpp: each reader names the key it fails on
// ("limits.http_body_bytes: must be between 1024 and 10485760") and throws config_error.
// Internal to the config loader.
#pragma once

#include "server/config.hpp"

#include <toml++/toml.h>

#include <cstdint>
#include <fmt/format.h>
#include <initializer_list>
#include <string>
#include <string_view>

namespace ask::config_toml {

[[noreturn]] void fail(std::string_view key, std::string_view problem);

// Reads an optional integer key within [lo, hi]; absent keys keep the default.
template <class T>
void read_int(const toml::table& table, std::string_view section, std::string_view name, T& out, std::int64_t lo,
              std::int64_t hi) {
    const auto* node = table.get(name);
    if (!node)
        return;
    std::string key = fmt::format("{}.{}", section, name);
    auto value = node->value<std::int64_t>();
    if (!node->is_integer() || !value)
        fail(key, "must be an integer");
    if (*value < lo || *value > hi)
        fail(key, fmt::format("must be between {} and {}", lo, hi));
    out = static_cast<T>(*value);
}

void read_seconds(const toml::table& table, std::string_view section, std::string_view name,
                  std::chrono::seconds& out, std::int64_t lo, std::int64_t hi);
void read_string(const toml::table& table, std::string_view section, std::string_view name, std::string& out,
                 bool allow_empty = false);
/// An optional phone number, normalised (E.164); "" when absent or empty.
std::string read_phone(const toml::table& table, std::string_view section, std::string_view name);
/// An optional true/false key; absent keys keep the default.
void read_bool(const toml::table& table, std::string_view section, std::string_view name, bool& out);
/// The named sub-table, or nullptr when absent; anything else is an error.
const toml::table* section(const toml::table& root, std::string_view name);
/// Catches misspelt keys, which would otherwise silently keep a default.
void reject_unknown(const toml::table& table, std::string_view where, std::initializer_list<std::string_view> known);

/// [sms] and [gateways.*] (config_sms.cpp).
void read_sms_gateways(const toml::table& root, config& cfg);
/// [accessibility] (config_accessibility.cpp).
void read_accessibility(const toml::table& root, config& cfg);

} // namespace ask::config_toml
