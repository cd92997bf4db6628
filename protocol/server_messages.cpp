#include "protocol/server_messages.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdio>
#include <ctime>

namespace ask::protocol {
namespace {

using boost::json::array;
using boost::json::object;
using boost::json::value;

value person(const std::optional<person_ref>& p) {
    if (!p)
        return nullptr;
    return object{{"id", p->id}, {"name", p->name}};
}

object alert_object(const alert_view& a) {
    array needs;
    for (const auto& n : a.resident.needs)
        needs.emplace_back(n);
    return object{
        {"id", a.id},
        {"priority", to_string(a.level)},
        {"channel", to_string(a.via)},
        {"state", to_string(a.state)},
        {"message", a.message},
        {"created_at", iso8601(a.created_at)},
        {"resident", object{{"id", a.resident.id},
                            {"name", a.resident.name},
                            {"phone", a.resident.phone},
                            {"address", a.resident.address},
                            {"needs", std::move(needs)},
                            {"unknown_sender", a.resident.unknown_sender}}},
        {"acknowledged_by", person(a.acknowledged_by)},
        {"notify_count", a.notify_count},
        {"repeat_count", a.repeat_count},
        {"latest_message", a.latest_message},
    };
}

void put_ref(object& o, std::string_view ref) {
    if (!ref.empty())
        o["ref"] = ref;
}

object parse_detail(std::string_view text) {
    boost::system::error_code ec;
    auto v = boost::json::parse(text, ec);
    if (ec || !v.is_object())
        return {};
    return std::move(v.as_object());
}

} // namespace

std::string iso8601(millis ms) {
    std::time_t seconds = static_cast<std::time_t>(ms / 1000);
    int rest = static_cast<int>(ms % 1000);
    if (rest < 0) {
        rest += 1000;
        --seconds;
    }
    std::tm tm{};
    gmtime_r(&seconds, &tm);
    char buf[64]; // ample for any year gmtime_r can produce
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                  tm.tm_hour, tm.tm_min, tm.tm_sec, rest);
    return buf;
}

std::string snapshot_json(std::span<const alert_view> alerts, const staff_identity& me) {
    array list;
    for (const auto& a : alerts)
        list.emplace_back(alert_object(a));
    return boost::json::serialize(object{
        {"type", "snapshot"},
        {"me", object{{"id", me.id}, {"name", me.name}, {"role", to_string(me.role)}, {"on_duty", me.on_duty}}},
        {"alerts", std::move(list)}});
}

std::string alert_json(const alert_view& a, bool renotified) {
    return boost::json::serialize(object{{"type", "alert"}, {"alert", alert_object(a)}, {"renotified", renotified}});
}

std::string alert_update_json(const alert_view& a) {
    return boost::json::serialize(object{{"type", "alert_update"}, {"alert", alert_object(a)}});
}

std::string duty_json(bool on_duty) {
    return boost::json::serialize(object{{"type", "duty"}, {"on_duty", on_duty}});
}

std::string ok_json(std::string_view ref, std::int64_t id) {
    object o{{"type", "ok"}};
    put_ref(o, ref);
    if (id != 0)
        o["id"] = id;
    return boost::json::serialize(o);
}

std::string error_json(std::string_view ref, std::string_view code, std::string_view message,
                       const std::optional<person_ref>& holder, std::optional<int> retry_after) {
    object o{{"type", "error"}};
    put_ref(o, ref);
    o["code"] = code;
    o["message"] = message;
    if (holder)
        o["holder"] = person(holder);
    if (retry_after)
        o["retry_after"] = *retry_after;
    return boost::json::serialize(o);
}

std::string accepted_json(std::string_view ref, std::int64_t id, request_state state, bool created, bool merged) {
    object o{{"type", "accepted"}};
    put_ref(o, ref);
    o["id"] = id;
    o["state"] = to_string(state);
    o["created"] = created;
    o["merged"] = merged;
    return boost::json::serialize(o);
}

bool calls_fail_for(const resident_card& r) {
    return std::find(r.needs.begin(), r.needs.end(), "deaf") != r.needs.end() ||
           std::find(r.needs.begin(), r.needs.end(), "speech") != r.needs.end();
}

std::string status_json(const status_view& s) {
    return boost::json::serialize(object{
        {"type", "status"},
        {"id", s.id},
        {"state", to_string(s.state)},
        {"priority", to_string(s.level)},
        {"by", s.by ? value(*s.by) : value(nullptr)},
        {"outcome", s.result ? value(to_string(*s.result)) : value(nullptr)},
        {"office_closed", s.office_closed},
        {"opens_at", s.opens_at ? value(iso8601(*s.opens_at)) : value(nullptr)},
        {"text", object{{"pl", resident_text(s, "pl")}, {"en", resident_text(s, "en")}}},
    });
}

namespace {

array event_log(std::span<const event_view> events) {
    array log;
    for (const auto& e : events) {
        object actor{{"kind", e.actor_kind}};
        if (e.actor) {
            actor["id"] = e.actor->id;
            actor["name"] = e.actor->name;
        }
        log.emplace_back(object{
            {"at", iso8601(e.at)}, {"kind", e.kind}, {"actor", std::move(actor)}, {"detail", parse_detail(e.detail_json)}});
    }
    return log;
}

} // namespace

std::string events_json(std::int64_t id, std::span<const event_view> events) {
    return boost::json::serialize(object{{"id", id}, {"events", event_log(events)}});
}

std::string request_detail_json(const alert_view& r, const std::optional<outcome>& result, std::string_view note,
                                std::span<const event_view> events) {
    auto log = event_log(events);
    return boost::json::serialize(object{
        {"id", r.id},
        {"state", to_string(r.state)},
        {"priority", to_string(r.level)},
        {"channel", to_string(r.via)},
        {"message", r.message},
        {"created_at", iso8601(r.created_at)},
        {"acknowledged_by", person(r.acknowledged_by)},
        {"repeat_count", r.repeat_count},
        {"latest_message", r.latest_message},
        {"outcome", result ? value(to_string(*result)) : value(nullptr)},
        {"note", note},
        {"events", std::move(log)},
    });
}

std::string request_created_json(const status_view& s, bool merged, int repeat_count) {
    return boost::json::serialize(object{
        {"id", s.id},
        {"state", to_string(s.state)},
        {"merged", merged},
        {"repeat_count", repeat_count},
        {"office_closed", s.office_closed},
        {"opens_at", s.opens_at ? value(iso8601(*s.opens_at)) : value(nullptr)},
        {"text", object{{"pl", resident_text(s, "pl")}, {"en", resident_text(s, "en")}}},
    });
}

std::string http_error_json(std::string_view code, std::string_view message) {
    return boost::json::serialize(object{{"error", object{{"code", code}, {"message", message}}}});
}

std::string login_json(std::string_view token, millis expires_at) {
    return boost::json::serialize(object{{"token", token}, {"expires_at", iso8601(expires_at)}});
}

} // namespace ask::protocol
