#include "server/http/closed_requests.hpp"

#include "protocol/server_messages.hpp"
#include "server/http/staff_caller.hpp"
#include "server/store/error.hpp"
#include "server/store/requests.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <fmt/format.h>

#include <optional>

namespace ask::web {
namespace {

using boost::json::object;
using boost::json::value;

const std::string bad_before = "before must be the id of a closed request of your office";

value person(const std::optional<protocol::person_ref>& who) {
    return who ? value(object{{"id", who->id}, {"name", who->name}}) : value(nullptr);
}

// Who closed it: the staff member who resolved it, or the resident who cancelled it.
object closer(const store::closed_request& c) {
    const auto& r = c.record;
    if (r.view.state == protocol::request_state::cancelled)
        return {{"kind", "resident"}, {"id", r.view.resident.id}, {"name", r.view.resident.name}};
    if (c.resolved_by)
        return {{"kind", "staff"}, {"id", c.resolved_by->id}, {"name", c.resolved_by->name}};
    return {{"kind", "system"}};
}

object item(const store::closed_request& c) {
    const auto& r = c.record;
    return {
        {"id", r.view.id},
        {"resident", object{{"id", r.view.resident.id}, {"name", r.view.resident.name}}},
        {"channel", protocol::to_string(r.view.via)},
        {"priority", protocol::to_string(r.view.level)},
        {"state", protocol::to_string(r.view.state)},
        {"outcome", r.outcome ? value(protocol::to_string(*r.outcome)) : value(nullptr)},
        {"note", r.note},
        {"created_at", protocol::iso8601(r.view.created_at)},
        {"closed_at", protocol::iso8601(c.closed_at)},
        {"taken_by", person(r.view.acknowledged_by)},
        {"closed_by", closer(c)},
    };
}

} // namespace

net::awaitable<response> closed_requests(application& app, const request& req) {
    auto staff = co_await staff_caller(app, req, false);
    if (!staff)
        co_return error_response(staff.error());
    if (query_param(req, "state") != "closed")
        co_return error_response(http::status::bad_request, "bad_request",
                                 "state=closed is required: open requests come over /ws/staff");
    auto limit = closed_limit_default;
    if (auto text = query_param(req, "limit"); !text.empty()) {
        auto n = positive_integer(text);
        if (!n || *n > closed_limit_max)
            co_return error_response(
                http::status::bad_request, "bad_request",
                fmt::format("limit must be a whole number from 1 to {}", closed_limit_max));
        limit = *n;
    }
    std::optional<std::int64_t> before;
    if (auto text = query_param(req, "before"); !text.empty()) {
        before = positive_integer(text);
        if (!before)
            co_return error_response(http::status::bad_request, "bad_request", bad_before);
    }
    // One more than asked for tells whether there is a next page.
    auto load = [office = staff->office_id, before, limit](store::database& db) {
        return store::closed_requests(db, office, before, static_cast<int>(limit + 1));
    };
    auto rows = co_await app.store().run<std::vector<store::closed_request>>(std::move(load),
                                                                             store::writer::lane::ongoing);
    if (!rows && rows.error() == store::errc::not_found)
        co_return error_response(http::status::bad_request, "bad_request", bad_before);
    if (!rows)
        co_return error_response(from_store(rows.error()));
    bool more = rows->size() > static_cast<std::size_t>(limit);
    if (more)
        rows->pop_back();
    // A name with how the request ended and the staff's note (which may say more about the person) is
    // part of the resident's data: the caller is recorded as shown each resident listed.
    const auto now = application::now();
    boost::json::array list;
    for (const auto& c : *rows) {
        app.card_shown(staff->id, c.record.view.resident.id, now);
        list.emplace_back(item(c));
    }
    co_return make_response(http::status::ok,
                            boost::json::serialize(object{{"requests", std::move(list)}, {"more", more}}));
}

} // namespace ask::web
