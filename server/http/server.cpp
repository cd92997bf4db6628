#include "server/http/server.hpp"

#include "protocol/version.hpp"
#include "server/app/actions.hpp"
#include "server/app/finish_within.hpp"
#include "server/app/spawn.hpp"
#include "server/auth/secrets.hpp"
#include "server/http/credentials.hpp"
#include "server/http/responses.hpp"
#include "server/http/routes.hpp"
#include "server/ws/connection.hpp"
#include "server/ws/resident_channel.hpp"
#include "server/ws/staff_channel.hpp"

#include <spdlog/spdlog.h>

namespace ask::web {
namespace {

// Removes the stream from the live set however the session ends.
struct stream_registration {
    std::unordered_set<beast::tcp_stream*>& set;
    beast::tcp_stream* stream;
    ~stream_registration() { set.erase(stream); }
};

// Each subprotocol the upgrade offers (Sec-WebSocket-Protocol, comma-separated, in one field or more),
// until `found` returns true; whether it did.
template <class Found> bool find_offered(const request& req, Found found) {
    auto [first, last] = req.equal_range(http::field::sec_websocket_protocol);
    for (auto field = first; field != last; ++field) {
        std::string_view list = field->value();
        while (!list.empty()) {
            auto comma = list.find(',');
            auto item = list.substr(0, comma);
            list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
            while (!item.empty() && item.front() == ' ')
                item.remove_prefix(1);
            while (!item.empty() && item.back() == ' ')
                item.remove_suffix(1);
            if (found(item))
                return true;
        }
    }
    return false;
}

bool offers_subprotocol(const request& req) {
    return find_offered(req, [](std::string_view item) { return item == protocol::subprotocol; });
}

// The resident page's token, offered as the subprotocol "ask.token.<token>" beside ask.v1 (never chosen:
// the answer names ask.v1 only). A browser cannot set Authorization on a WebSocket, and a token in the
// URL would be written to every proxy's access log. "" when none is offered.
std::string offered_token(const request& req) {
    constexpr std::string_view prefix = "ask.token.";
    std::string token;
    find_offered(req, [&](std::string_view item) {
        if (!item.starts_with(prefix))
            return false;
        token = item.substr(prefix.size());
        return true;
    });
    return token;
}

// Owns the request while handle() works on it: the work may outlast the session's wait for it.
net::awaitable<response> handle_owned(application& app, request req) { co_return co_await handle(app, req); }

template <class Record>
using authenticator = net::awaitable<action_result<Record>> (*)(application&, const std::string&);

// Owns the token while the sign-in may outlast the upgrade's wait for it (finish_within).
template <class Record>
net::awaitable<action_result<Record>> sign_in(application& app, std::string token, authenticator<Record> check) {
    co_return co_await check(app, token);
}

// A WebSocket sign-in, waited for at most the reply deadline: past it, not_confirmed.
template <class Record>
net::awaitable<action_result<Record>> sign_in_within(application& app, std::string token, authenticator<Record> check,
                                                     const char* what) {
    auto who = co_await finish_within(sign_in<Record>(app, std::move(token), check),
                                      app.settings().limits.reply_timeout, what);
    if (!who)
        co_return not_confirmed();
    co_return std::move(*who);
}

} // namespace

server::server(application& app) : app_(app), acceptor_(app.io()) {}

void server::listen() {
    const auto& cfg = app_.settings();
    tcp::endpoint endpoint{net::ip::make_address(cfg.listen_host), cfg.listen_port};
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
    spawn(app_.io(), accept_loop(), "accept loop");
}

tcp::endpoint server::local_endpoint() const { return acceptor_.local_endpoint(); }

void server::stop() {
    if (stopping_)
        return;
    stopping_ = true;
    error_code ignored;
    acceptor_.close(ignored);
    for (auto* stream : http_streams_)
        stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    for (const auto& ws : websockets_)
        ws->close_gracefully();
}

net::awaitable<void> server::accept_loop() {
    net::steady_timer pause(app_.io());
    while (!stopping_) {
        auto [ec, socket] = co_await acceptor_.async_accept(as_result);
        if (stopping_)
            break;
        if (ec) {
            // EMFILE and friends pass; a listener that stops accepting is an outage nobody sees.
            spdlog::error("accept: {}; retrying", ec.message());
            pause.expires_after(std::chrono::milliseconds(100));
            co_await pause.async_wait(as_result);
            continue;
        }
        if (live_ >= app_.settings().limits.max_connections) {
            spdlog::warn("accept: connection limit {} reached; refusing", app_.settings().limits.max_connections);
            socket.close(ec);
            continue;
        }
        // An alert is one small write: sent at once, not held back by Nagle's algorithm until
        // the peer acknowledges the one before.
        socket.set_option(tcp::no_delay(true), ec);
        spawn(app_.io(), session(std::move(socket)), "http session");
    }
}

net::awaitable<void> server::session(tcp::socket socket) {
    connection_slot slot(live_);
    const auto& limits = app_.settings().limits;
    beast::tcp_stream stream(std::move(socket));
    http_streams_.insert(&stream);
    stream_registration registration{http_streams_, &stream};
    beast::flat_buffer buffer;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits.http_header_bytes));
        parser.body_limit(limits.http_body_bytes);
        stream.expires_after(limits.http_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, as_result);
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::operation_aborted ||
            ec == net::error::connection_reset || ec == net::error::eof)
            break;
        if (ec) {
            bool too_large = ec == http::error::body_limit || ec == http::error::header_limit;
            auto res = too_large ? error_response(http::status::payload_too_large, "too_large",
                                                  "the request is larger than this server accepts")
                                 : error_response(http::status::bad_request, "bad_request",
                                                  "malformed HTTP request: " + ec.message());
            res.keep_alive(false);
            stream.expires_after(limits.http_timeout);
            co_await http::async_write(stream, res, as_result);
            break;
        }
        auto req = parser.release();
        if (websocket::is_upgrade(req)) {
            http_streams_.erase(&stream);
            spawn(app_.io(), upgrade(std::move(stream), std::move(req), std::move(slot)), "ws upgrade");
            co_return;
        }
        bool keep_alive = req.keep_alive() && !stopping_;
        auto res = co_await answer_within(std::move(req));
        res.keep_alive(keep_alive);
        stream.expires_after(limits.http_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, as_result);
        if (wec || !keep_alive)
            break;
    }
    error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

// The work goes on to its end (finish_within), so a request committed late still alerts staff, and
// a retry with the same request_id finds it rather than making another. During a stall every
// request may come here: one log line per 10 s at most says how many (ask_http_not_confirmed_total
// counts each). Nothing is built for the log on the way: this is every request's path.
net::awaitable<response> server::answer_within(request req) {
    const auto limit = app_.settings().limits.reply_timeout;
    auto done = co_await finish_within(handle_owned(app_, std::move(req)), limit, "http request");
    if (done)
        co_return std::move(*done);
    app_.counters().answered_not_confirmed();
    ++late_answers_;
    auto now = std::chrono::steady_clock::now();
    if (now - late_logged_at_ >= std::chrono::seconds(10)) {
        spdlog::warn("http: {} request(s) since the last such line not answered within {} s: answered "
                     "not_confirmed; the work goes on",
                     late_answers_, limit.count());
        late_answers_ = 0;
        late_logged_at_ = now;
    }
    co_return error_response(not_confirmed());
}

// Authenticates before the handshake, so a bad token gets a plain 401 (a failed or stalled store
// a 503) and no socket.
net::awaitable<void> server::upgrade(beast::tcp_stream stream, http::request<http::string_body> req,
                                     connection_slot slot) {
    const auto& cfg = app_.settings();
    auto refuse = [&](http::status status, std::string_view code, std::string_view message) -> net::awaitable<void> {
        auto res = error_response(status, code, message);
        res.keep_alive(false);
        stream.expires_after(cfg.limits.http_timeout);
        co_await http::async_write(stream, res, as_result);
    };
    auto path = path_of(req);
    bool staff = path == "/ws/staff";
    if (!staff && path != "/ws/resident")
        co_return co_await refuse(http::status::not_found, "not_found", "no WebSocket endpoint here");
    if (!offers_subprotocol(req))
        co_return co_await refuse(http::status::bad_request, "bad_request",
                                  "the WebSocket subprotocol ask.v1 is required");

    std::function<std::unique_ptr<ws::channel>(ws::connection&)> make_channel;
    if (staff) {
        auto token = bearer_token(req);
        if (token.empty()) {
            token = cookie(req, session_cookie);
            // A cookie rides along on cross-site requests: only our own pages may use it.
            if (!token.empty() && !origin_allowed(req, cfg))
                co_return co_await refuse(http::status::forbidden, "forbidden", "origin not allowed");
        }
        auto session_hash = auth::token_hash(token);
        auto changes_seen = app_.sign_ins().changes_seen();
        auto sign_outs_seen = app_.sign_ins().sign_outs();
        auto duty_changes = app_.hub().duty_changes();
        auto who = co_await sign_in_within<store::staff_record>(app_, std::move(token), &actions::authenticate_staff,
                                                                "ws staff sign-in");
        if (!who) { // 401; 503 when the store failed or did not answer in time
            auto why = who.error();
            co_return co_await refuse(static_cast<http::status>(http_status(why)), why.code, why.message);
        }
        sign_in_watch::staff_sign_in signed_in{who->id, who->sign_ins_ended, std::move(session_hash),
                                               sign_outs_seen};
        make_channel = [this, s = *who, signed_in = std::move(signed_in), changes_seen,
                        duty_changes](ws::connection& c) {
            return std::make_unique<ws::staff_channel>(app_, c, s, signed_in, changes_seen, duty_changes);
        };
    } else {
        auto token = bearer_token(req);
        if (token.empty())
            token = offered_token(req);
        if (token.empty()) {
            // A page loaded before the token moved out of the URL (5c71018) still sends it there, and may
            // stay open for days on a resident's tablet: refusing it would leave them unable to ask for help
            // until someone reloads it. Read, and said in the log (without the token), so it can be reloaded.
            token = query_param(req, "token");
            if (!token.empty())
                spdlog::info(
                    "ws: a resident page sent its token in the URL, as before 2026-12-06; reload it");
        }
        sign_in_watch::resident_sign_in signed_in{auth::token_hash(token)};
        auto changes_seen = app_.sign_ins().changes_seen();
        auto who = co_await sign_in_within<store::resident_record>(
            app_, std::move(token), &actions::sign_in_resident_page, "ws resident sign-in");
        if (!who) {
            auto why = who.error();
            co_return co_await refuse(static_cast<http::status>(http_status(why)), why.code, why.message);
        }
        make_channel = [this, r = *who, signed_in = std::move(signed_in), changes_seen](ws::connection& c) {
            return std::make_unique<ws::resident_channel>(app_, c, r, signed_in, changes_seen);
        };
    }
    if (stopping_)
        co_return;

    ws::connection_limits limits{cfg.limits.ws_message_bytes, cfg.limits.ws_outbox_messages,
                                 cfg.limits.ws_idle_timeout, cfg.limits.reply_timeout};
    ws::ws_stream ws(ws::adopt_socket(std::move(stream), app_.io().get_executor()));
    if (!co_await ws::connection::accept(ws, req, limits))
        co_return;
    auto conn = std::make_shared<ws::connection>(std::move(ws), limits);
    conn->attach(make_channel(*conn));
    websockets_.insert(conn);
    if (stopping_) // stop() came during the handshake, after it closed the connections it knew
        conn->close_gracefully();
    // The slot is held until the connection ends (shared: std::function must be copyable).
    conn->start([this, weak = std::weak_ptr<ws::connection>(conn),
                 held = std::make_shared<connection_slot>(std::move(slot))] {
        if (auto ended = weak.lock())
            websockets_.erase(ended);
    });
}

} // namespace ask::web
