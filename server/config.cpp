#include "server/config.hpp"

#include "server/config_toml.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <set>

namespace ask {
namespace {

using namespace config_toml;

void read_server(const toml::table& root, config& cfg) {
    const auto* t = section(root, "server");
    if (!t)
        return;
    reject_unknown(*t, "server", {"listen", "allowed_origins", "public_url"});
    read_string(*t, "server", "public_url", cfg.public_url, true);
    while (cfg.public_url.ends_with('/'))
        cfg.public_url.pop_back();
    if (!cfg.public_url.empty() && !(cfg.public_url.starts_with("https://") || cfg.public_url.starts_with("http://")))
        fail("server.public_url", "must be a URL like \"https://ask.gmina.example.pl\"");
    if (const auto* node = t->get("listen")) {
        if (!node->is_string())
            fail("server.listen", "must be a string like \"127.0.0.1:8080\"");
        set_listen(cfg, *node->value<std::string>(), "server.listen");
    }
    if (const auto* node = t->get("allowed_origins")) {
        const auto* arr = node->as_array();
        if (!arr)
            fail("server.allowed_origins", "must be an array of strings");
        cfg.allowed_origins.clear();
        for (const auto& item : *arr) {
            auto s = item.value<std::string>();
            if (!item.is_string() || !s || !(s->starts_with("http://") || s->starts_with("https://")))
                fail("server.allowed_origins", "every entry must be an origin like \"https://ask.example.pl\"");
            cfg.allowed_origins.push_back(*s);
        }
    }
}

void read_store(const toml::table& root, config& cfg) {
    const auto* t = section(root, "store");
    if (!t)
        return;
    reject_unknown(*t, "store",
                   {"path", "busy_timeout_ms", "group_commit_max", "group_commit_wait_us", "queue_max"});
    read_string(*t, "store", "path", cfg.db_path);
    read_int(*t, "store", "busy_timeout_ms", cfg.busy_timeout_ms, 0, 60000);
    read_int(*t, "store", "group_commit_max", cfg.group_commit_max, 1, 100000);
    read_int(*t, "store", "group_commit_wait_us", cfg.group_commit_wait_us, 0, 10000);
    read_int(*t, "store", "queue_max", cfg.store_queue_max, 1, 1000000);
}

// Every message the character limits allow must fit in what the connection reads, or a resident's
// message of allowed length (a staff note) would close the WebSocket with 1009, or get 413 over HTTP,
// instead of being stored. A character takes at most 6 bytes in JSON as the pages write it (a control
// character written \u001f; a letter is 1-4 bytes of UTF-8), and the rest of a message (type, ids, ref)
// under 1 KiB. A client that escapes characters beyond the BMP as surrogate pairs (\ud83d\ude00, 12 bytes:
// Python's json.dumps by default) may still go over with a message of such characters.
void check_messages_fit(const limits_config& l) {
    constexpr std::size_t bytes_per_char = 6;
    constexpr std::size_t envelope = 1024;
    const auto longest = std::max(l.text.message_chars, l.text.note_chars);
    if (const auto needed = longest * bytes_per_char + envelope; l.ws_message_bytes < needed)
        fail(
            "limits.ws_message_bytes",
            fmt::format("must be at least {} to hold a message of {} characters (message_chars, note_chars): "
                        "raise it, or lower those",
                        needed, longest));
    if (const auto needed = l.text.message_chars * bytes_per_char + envelope; l.http_body_bytes < needed)
        fail("limits.http_body_bytes",
             fmt::format(
                 "must be at least {} to hold a press with a message of {} characters (message_chars): "
                 "raise it, or lower that",
                 needed, l.text.message_chars));
}

void read_limits(const toml::table& root, config& cfg) {
    const auto* t = section(root, "limits");
    if (!t)
        return;
    reject_unknown(*t, "limits",
                   {"http_body_bytes", "http_header_bytes", "http_timeout_seconds", "reply_timeout_seconds",
                    "ws_message_bytes", "ws_idle_timeout_seconds", "ws_outbox_messages", "max_connections",
                    "message_chars", "note_chars", "presses_per_window", "press_window_seconds"});
    auto& l = cfg.limits;
    read_int(*t, "limits", "http_body_bytes", l.http_body_bytes, 1024, 10 * 1024 * 1024);
    read_int(*t, "limits", "http_header_bytes", l.http_header_bytes, 1024, 64 * 1024);
    read_seconds(*t, "limits", "http_timeout_seconds", l.http_timeout, 1, 300);
    read_seconds(*t, "limits", "reply_timeout_seconds", l.reply_timeout, 1, 300);
    read_int(*t, "limits", "ws_message_bytes", l.ws_message_bytes, 1024, 1024 * 1024);
    read_seconds(*t, "limits", "ws_idle_timeout_seconds", l.ws_idle_timeout, 2, 3600);
    read_int(*t, "limits", "ws_outbox_messages", l.ws_outbox_messages, 8, 100000);
    read_int(*t, "limits", "max_connections", l.max_connections, 1, 1000000);
    read_int(*t, "limits", "message_chars", l.text.message_chars, 0, 5000);
    read_int(*t, "limits", "note_chars", l.text.note_chars, 0, 20000);
    read_int(*t, "limits", "presses_per_window", l.presses_per_window, 1, 1000000);
    read_seconds(*t, "limits", "press_window_seconds", l.press_window, 1, 86400);
    check_messages_fit(l);
}

void read_alerts_auth_privacy_log(const toml::table& root, config& cfg) {
    if (const auto* t = section(root, "alerts")) {
        reject_unknown(*t, "alerts", {"renotify_seconds", "reconnect_grace_seconds"});
        read_seconds(*t, "alerts", "renotify_seconds", cfg.renotify, 1, 3600);
        read_seconds(*t, "alerts", "reconnect_grace_seconds", cfg.reconnect_grace, 1, 3600);
    }
    if (const auto* t = section(root, "auth")) {
        reject_unknown(*t, "auth", {"session_hours"});
        std::int64_t hours = cfg.session_ttl.count();
        read_int(*t, "auth", "session_hours", hours, 1, 24 * 30);
        cfg.session_ttl = std::chrono::hours(hours);
    }
    if (const auto* t = section(root, "privacy")) {
        reject_unknown(*t, "privacy", {"keep_closed_days"});
        read_int(*t, "privacy", "keep_closed_days", cfg.keep_closed_days, 0, 36500);
    }
    if (const auto* t = section(root, "log")) {
        reject_unknown(*t, "log", {"level"});
        read_string(*t, "log", "level", cfg.log_level);
        static const std::set<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
        if (!levels.contains(cfg.log_level))
            fail("log.level", "must be one of trace, debug, info, warn, error, critical, off");
    }
}

// [offices.hours] mon … sun = "07:30-15:30" (absent days are closed once the table exists),
// and holidays = ["2026-12-25", …].
void read_hours(const toml::table& office, const std::string& where, engine::weekly_hours& out) {
    static constexpr std::array<std::string_view, 7> days{"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
    if (const auto* node = office.get("hours")) {
        const auto* t = node->as_table();
        if (!t)
            fail(where + ".hours", "must be a table of days: mon = \"07:30-15:30\", …");
        reject_unknown(*t, where + ".hours", {"mon", "tue", "wed", "thu", "fri", "sat", "sun"});
        for (std::size_t d = 0; d < days.size(); ++d) {
            std::string text;
            read_string(*t, where + ".hours", days[d], text, true);
            std::string why;
            auto ranges = engine::parse_day_hours(text, &why);
            if (!ranges)
                fail(fmt::format("{}.hours.{}", where, days[d]), why);
            out.by_weekday[d] = std::move(*ranges);
        }
    }
    if (const auto* node = office.get("holidays")) {
        const auto* arr = node->as_array();
        if (!arr)
            fail(where + ".holidays", "must be an array of dates like \"2026-12-25\"");
        for (const auto& item : *arr) {
            auto text = item.value<std::string>();
            auto day = text ? engine::parse_date(*text) : std::nullopt;
            if (!day)
                fail(where + ".holidays", "every entry must be a date like \"2026-12-25\"");
            out.holidays.insert(*day);
        }
    }
}

// [escalation.urgent] / [escalation.normal]: ack_timeout_seconds, repeat, repeat_after_seconds and
// steps = [{ after_seconds, who, how, staff }].
void read_ladder(const toml::table& t, const std::string& where, engine::ladder_policy& ladder) {
    reject_unknown(t, where, {"ack_timeout_seconds", "repeat", "repeat_after_seconds", "steps"});
    std::int64_t seconds = ladder.ack_timeout / 1000;
    read_int(t, where, "ack_timeout_seconds", seconds, 0, 7 * 86400);
    ladder.ack_timeout = seconds * 1000;
    read_int(t, where, "repeat", ladder.repeat, 0, 10);
    seconds = ladder.repeat_after / 1000;
    read_int(t, where, "repeat_after_seconds", seconds, 1, 86400);
    ladder.repeat_after = seconds * 1000;
    const auto* node = t.get("steps");
    if (!node)
        return;
    const auto* arr = node->as_array();
    if (!arr)
        fail(where + ".steps", "must be an array of tables: { after_seconds = 60, who = \"on_duty\", how = [\"sms\"] }");
    ladder.steps.clear();
    for (std::size_t i = 0; i < arr->size(); ++i) {
        std::string at = fmt::format("{}.steps[{}]", where, i);
        const auto* step_table = (*arr)[i].as_table();
        if (!step_table)
            fail(at, "must be a table");
        reject_unknown(*step_table, at, {"after_seconds", "who", "how", "staff"});
        engine::escalation_step step;
        std::int64_t after = -1;
        read_int(*step_table, at, "after_seconds", after, 0, 7 * 86400);
        if (after < 0)
            fail(at + ".after_seconds", "is required");
        step.after = after * 1000;
        if (!ladder.steps.empty() && step.after < ladder.steps.back().after)
            fail(at + ".after_seconds", "steps must be in order of after_seconds");
        std::string who;
        read_string(*step_table, at, "who", who);
        if (who == "on_duty")
            step.who = engine::audience::on_duty;
        else if (who == "coordinators")
            step.who = engine::audience::coordinators;
        else if (who == "all_staff")
            step.who = engine::audience::all_staff;
        else if (who == "named")
            step.who = engine::audience::named;
        else
            fail(at + ".who", "must be on_duty, coordinators, all_staff or named");
        if (const auto* staff = step_table->get("staff")) {
            const auto* names = staff->as_array();
            if (!names)
                fail(at + ".staff", "must be an array of usernames");
            for (const auto& n : *names) {
                auto name = n.value<std::string>();
                if (!name || name->empty())
                    fail(at + ".staff", "must be an array of usernames");
                step.usernames.push_back(*name);
            }
        }
        if ((step.who == engine::audience::named) != !step.usernames.empty())
            fail(at + ".staff", "is required with who = \"named\" and only then");
        const auto* how = step_table->get("how");
        const auto* channels = how ? how->as_array() : nullptr;
        if (!channels || channels->empty())
            fail(at + ".how", "must be a non-empty array of \"dashboard\" and/or \"sms\"");
        for (const auto& c : *channels) {
            auto name = c.value<std::string>();
            if (name == "dashboard")
                step.dashboard = true;
            else if (name == "sms")
                step.sms = true;
            else
                fail(at + ".how", "entries must be \"dashboard\" or \"sms\"");
        }
        ladder.steps.push_back(std::move(step));
    }
}

void read_escalation(const toml::table& root, config& cfg) {
    if (const auto* t = section(root, "escalation")) {
        reject_unknown(*t, "escalation", {"urgent", "normal"});
        if (const auto* urgent = section(*t, "urgent"))
            read_ladder(*urgent, "escalation.urgent", cfg.escalation.urgent);
        if (const auto* normal = section(*t, "normal"))
            read_ladder(*normal, "escalation.normal", cfg.escalation.normal);
    }
}


bool valid_slug(std::string_view s) {
    if (s.empty() || s.size() > 32)
        return false;
    for (char c : s)
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return false;
    return true;
}

void read_offices(const toml::table& root, config& cfg) {
    const auto* node = root.get("offices");
    if (!node)
        return;
    const auto* arr = node->as_array();
    if (!arr || arr->empty())
        fail("offices", "must be a non-empty array of tables ([[offices]])");
    cfg.offices.clear();
    std::set<std::string> seen;
    std::set<std::string> numbers; // the offices' sms_number: each routes to one office
    for (std::size_t i = 0; i < arr->size(); ++i) {
        std::string where = fmt::format("offices[{}]", i);
        const auto* t = (*arr)[i].as_table();
        if (!t)
            fail(where, "must be a table");
        reject_unknown(*t, where,
                       {"slug", "name", "time_zone", "hours", "holidays", "after_hours_phone", "sms_number",
                        "sms_transliterate"});
        office_config office;
        read_string(*t, where, "slug", office.slug);
        read_string(*t, where, "name", office.name);
        read_string(*t, where, "time_zone", office.time_zone);
        auto zone = load_time_zone(office.time_zone, where + ".time_zone");
        read_hours(*t, where, office.hours);
        // A calendar that never opens has no opening for a request to wait for: its residents could
        // only ever be told "closed", with no time, and its after-hours phone would never be texted.
        auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
        if (!engine::office_calendar(zone, office.hours).next_opening(now))
            fail(where + ".hours",
                 "with these hours and holidays the office does not open in the next year: give "
                 "the hours of at least one day (or leave [hours] out: open all the time)");
        office.after_hours_phone = read_phone(*t, where, "after_hours_phone");
        office.sms_number = read_phone(*t, where, "sms_number");
        if (!office.sms_number.empty() && !numbers.insert(office.sms_number).second)
            fail(where + ".sms_number", "is another office's number too");
        if (t->contains("sms_transliterate")) {
            bool plain = false;
            read_bool(*t, where, "sms_transliterate", plain);
            office.sms_transliterate = plain;
        }
        if (!valid_slug(office.slug))
            fail(where + ".slug", "must be 1-32 characters of a-z, 0-9 and '-'");
        if (!seen.insert(office.slug).second)
            fail(where + ".slug", "is used by another office");
        cfg.offices.push_back(office);
    }
}

} // namespace

engine::time_zone load_time_zone(const std::string& name, const std::string& key) {
    std::string why;
    if (auto tz = engine::time_zone::load(name, &why))
        return *tz;
    // The EU rule, so the default office works even on a machine without tzdata.
    if (name == "Europe/Warsaw")
        return *engine::time_zone::from_posix("CET-1CEST,M3.5.0,M10.5.0/3");
    fail(key, why);
}

void set_listen(config& cfg, const std::string& value, const std::string& key) {
    auto colon = value.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == value.size())
        fail(key, "must be HOST:PORT, e.g. \"127.0.0.1:8080\" or \"[::1]:8080\"");
    std::string host = value.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    unsigned port = 0;
    auto digits = std::string_view(value).substr(colon + 1);
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || end != digits.data() + digits.size() || port > 65535)
        fail(key, "port must be a number from 0 to 65535 (0 picks a free port)");
    cfg.listen_host = host;
    cfg.listen_port = static_cast<std::uint16_t>(port);
}

config load_config(const std::string& path) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& where = e.source().begin;
        throw config_error(fmt::format("{}:{}:{}: {}", path, where.line, where.column, e.description()));
    }
    reject_unknown(root, "",
                   {"server", "store", "limits", "alerts", "auth", "privacy", "log", "offices", "escalation",
                    "sms", "gateways", "accessibility"});
    config cfg;
    read_server(root, cfg);
    read_store(root, cfg);
    read_limits(root, cfg);
    read_alerts_auth_privacy_log(root, cfg);
    read_offices(root, cfg);
    read_escalation(root, cfg);
    read_sms_gateways(root, cfg);
    read_accessibility(root, cfg);
    return cfg;
}

} // namespace ask
