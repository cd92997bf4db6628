#include "protocol/client_messages.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

#include <optional>

namespace ask::protocol {
namespace {

using boost::json::object;
using boost::json::value;

problem refuse(error code, std::string detail) { return {code, std::move(detail)}; }

// Counts Unicode code points of valid UTF-8 (Boost.JSON has already refused invalid UTF-8).
std::size_t code_points(std::string_view s) {
    std::size_t n = 0;
    for (unsigned char c : s)
        n += (c & 0xC0) != 0x80;
    return n;
}

bool is_key_char(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
}

parsed<object> parse_object(std::string_view text) {
    boost::system::error_code ec;
    value v = boost::json::parse(text, ec);
    if (ec)
        return refuse(error::malformed_json, "the message is not valid JSON (" + ec.message() + ")");
    if (!v.is_object())
        return refuse(error::not_an_object, "the message must be a JSON object");
    return std::move(v.as_object());
}

// Reads typed fields of one object; the first problem is kept and reported.
class reader {
public:
    explicit reader(const object& o) : o_(o) {}

    std::optional<problem> failed() const { return problem_; }

    std::string text(std::string_view name, bool required, std::size_t max_chars) {
        const value* v = field(name, required);
        if (!v)
            return {};
        if (!v->is_string()) {
            fail(error::wrong_type, "field '" + std::string(name) + "' must be a string");
            return {};
        }
        std::string s(v->as_string());
        if (code_points(s) > max_chars)
            fail(error::too_long, "field '" + std::string(name) + "' must be at most " + std::to_string(max_chars) +
                                      " characters");
        return s;
    }

    std::string non_empty_text(std::string_view name, std::size_t max_chars) {
        auto s = text(name, true, max_chars);
        if (!problem_ && s.empty())
            fail(error::bad_value, "field '" + std::string(name) + "' must not be empty");
        return s;
    }

    std::string key(std::string_view name, std::size_t max_chars) {
        auto s = text(name, false, max_chars);
        if (problem_ || !o_.contains(name))
            return s;
        bool ok = !s.empty();
        for (char c : s)
            ok = ok && is_key_char(c);
        if (!ok)
            fail(error::bad_value, "field '" + std::string(name) + "' must be 1-" + std::to_string(max_chars) +
                                       " characters of A-Z, a-z, 0-9, '.', '_', ':' and '-'");
        return s;
    }

    std::int64_t id(std::string_view name) {
        const value* v = field(name, true);
        if (!v)
            return 0;
        std::int64_t n = 0;
        if (v->is_int64())
            n = v->as_int64();
        else if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
            n = static_cast<std::int64_t>(v->as_uint64());
        if (n <= 0)
            fail(v->is_number() ? error::bad_value : error::wrong_type,
                 "field '" + std::string(name) + "' must be a positive integer");
        return n;
    }

    bool boolean(std::string_view name) {
        const value* v = field(name, true);
        if (!v)
            return false;
        if (!v->is_bool())
            fail(error::wrong_type, "field '" + std::string(name) + "' must be true or false");
        return v->is_bool() && v->as_bool();
    }

    /// A string field that must be one of an enum's wire names.
    template <class E>
    std::optional<E> choice(std::string_view name, bool required, std::optional<E> (*from)(std::string_view),
                            std::string_view allowed) {
        if (!required && !o_.contains(name))
            return std::nullopt;
        auto s = text(name, true, 64);
        if (problem_)
            return std::nullopt;
        auto e = from(s);
        if (!e)
            fail(error::bad_value, "field '" + std::string(name) + "' must be " + std::string(allowed));
        return e;
    }

    void fail(error code, std::string detail) {
        if (!problem_)
            problem_ = problem{code, std::move(detail)};
    }

private:
    const value* field(std::string_view name, bool required) {
        if (problem_)
            return nullptr;
        const value* v = o_.if_contains(name);
        if (!v && required)
            fail(error::missing_field, "field '" + std::string(name) + "' is required");
        return v;
    }

    const object& o_;
    std::optional<problem> problem_;
};

struct typed {
    object fields;
    std::string type;
};

// A message: a JSON object with a string "type".
parsed<typed> parse_typed(std::string_view text) {
    auto o = parse_object(text);
    if (!o)
        return o.error();
    const value* t = o->if_contains("type");
    if (!t || !t->is_string())
        return refuse(error::missing_type, "field 'type' is required and must be a string");
    std::string type(t->as_string());
    return typed{std::move(*o), std::move(type)};
}

new_request read_new_request(reader& r, const text_limits& limits) {
    new_request req;
    req.level = r.choice<priority>("priority", true, priority_from_string, "\"urgent\" or \"normal\"")
                    .value_or(priority::normal);
    req.message = r.text("message", false, limits.message_chars);
    req.request_id = r.key("request_id", request_id_max_chars);
    auto via = r.choice<channel>("channel", false, channel_from_string, "\"web\" or \"button\"");
    if (via == channel::sms)
        r.fail(error::bad_value, "field 'channel' must be \"web\" or \"button\"");
    req.via = via.value_or(channel::web);
    return req;
}

template <class Message>
parsed<envelope<Message>> finish(reader& r, Message m) {
    std::string ref = r.key("ref", ref_max_chars);
    if (auto p = r.failed())
        return *p;
    return envelope<Message>{std::move(ref), std::move(m)};
}

} // namespace

std::string message_ref(std::string_view text) {
    auto o = parse_object(text);
    if (!o)
        return {};
    reader r(*o);
    auto ref = r.key("ref", ref_max_chars);
    return r.failed() ? std::string() : ref;
}

parsed<envelope<staff_message>> parse_staff_message(std::string_view text, const text_limits& limits) {
    auto m = parse_typed(text);
    if (!m)
        return m.error();
    const auto& type = m->type;
    reader r(m->fields);
    if (type == "duty")
        return finish<staff_message>(r, duty_message{r.boolean("on")});
    if (type == "ack")
        return finish<staff_message>(r, ack_message{r.id("id")});
    if (type == "resolve") {
        resolve_message msg{};
        msg.id = r.id("id");
        msg.result = r.choice<outcome>("outcome", true, outcome_from_string,
                                     "one of called_back, visit_scheduled, referred, emergency_services, "
                                     "no_contact, other")
                       .value_or(outcome::other);
        msg.note = r.text("note", false, limits.note_chars);
        return finish<staff_message>(r, std::move(msg));
    }
    if (type == "contacted") {
        contacted_message msg{};
        msg.id = r.id("id");
        msg.note = r.text("note", false, limits.note_chars);
        return finish<staff_message>(r, std::move(msg));
    }
    if (type == "release")
        return finish<staff_message>(r, release_message{r.id("id")});
    if (type == "escalate")
        return finish<staff_message>(r, escalate_message{r.id("id")});
    if (type == "note") {
        note_message msg{};
        msg.id = r.id("id");
        msg.text = r.non_empty_text("text", limits.note_chars);
        return finish<staff_message>(r, std::move(msg));
    }
    if (type == "ping")
        return finish<staff_message>(r, ping_message{});
    return refuse(error::unknown_type,
                  "unknown message type '" + type +
                      "' (expected duty, ack, contacted, resolve, release, escalate, note or ping)");
}

parsed<envelope<resident_message>> parse_resident_message(std::string_view text, const text_limits& limits) {
    auto m = parse_typed(text);
    if (!m)
        return m.error();
    const auto& type = m->type;
    reader r(m->fields);
    if (type == "request")
        return finish<resident_message>(r, read_new_request(r, limits));
    if (type == "cancel")
        return finish<resident_message>(r, cancel_message{r.id("id")});
    if (type == "ping")
        return finish<resident_message>(r, ping_message{});
    return refuse(error::unknown_type,
                  "unknown message type '" + type + "' (expected request, cancel or ping)");
}

parsed<new_request> parse_new_request(std::string_view body, const text_limits& limits) {
    auto o = parse_object(body);
    if (!o)
        return o.error();
    reader r(*o);
    auto req = read_new_request(r, limits);
    if (auto p = r.failed())
        return *p;
    return req;
}

parsed<login_body> parse_login(std::string_view body) {
    auto o = parse_object(body);
    if (!o)
        return o.error();
    reader r(*o);
    login_body login;
    login.username = r.non_empty_text("username", username_max_chars);
    login.password = r.non_empty_text("password", password_max_chars);
    if (auto p = r.failed())
        return *p;
    return login;
}

parsed<duty_message> parse_duty(std::string_view body) {
    auto o = parse_object(body);
    if (!o)
        return o.error();
    reader r(*o);
    duty_message duty{r.boolean("on")};
    if (auto p = r.failed())
        return *p;
    return duty;
}

} // namespace ask::protocol
