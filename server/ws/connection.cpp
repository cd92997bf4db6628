#include "server/ws/connection.hpp"

#include "protocol/client_messages.hpp"
#include "protocol/server_messages.hpp"
#include "protocol/version.hpp"
#include "server/app/failure.hpp"
#include "server/app/finish_within.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

namespace ask::ws {

ws_socket adopt_socket(beast::tcp_stream stream, net::io_context::executor_type ex) {
    tcp::socket plain = stream.release_socket();
    ws_socket adopted(ex);
    error_code ec;
    auto protocol = plain.local_endpoint(ec).protocol();
    if (ec)
        return adopted; // the peer is gone: closed, the handshake fails at once
    auto fd = plain.release(ec); // deregistered from the reactor; no operation is pending on it
    if (ec)
        return adopted; // `plain` still owns the descriptor and closes it
    if (adopted.assign(protocol, fd, ec); ec)
        ::close(fd);
    return adopted;
}

connection::connection(ws_stream ws, connection_limits limits) : ws_(std::move(ws)), limits_(limits) {}

net::awaitable<bool> connection::accept(ws_stream& ws, const http::request<http::string_body>& upgrade,
                                        const connection_limits& limits) {
    websocket::stream_base::timeout timeouts{};
    timeouts.handshake_timeout = std::chrono::seconds(10);
    timeouts.idle_timeout = limits.idle_timeout;
    timeouts.keep_alive_pings = true;
    ws.set_option(timeouts);
    // No limit in Beast: on_read enforces limits.message_bytes itself. Beast's own check fails
    // the connection at the frame header and, in 1.81, tears down with most of the message
    // unread, so the kernel answers it with a reset and the peer may never see code 1009.
    ws.read_message_max(0);
    ws.set_option(websocket::stream_base::decorator([](websocket::response_type& res) {
        res.set(http::field::server, "askd");
        res.set(http::field::sec_websocket_protocol, protocol::subprotocol);
    }));
    ws.text(true);
    auto [ec] = co_await ws.async_accept(upgrade, as_result);
    if (ec) {
        spdlog::debug("ws: handshake failed: {}", ec.message());
        co_return false;
    }
    co_return true;
}

void connection::start(std::function<void()> ended) {
    ended_callback_ = std::move(ended);
    then_read(channel_->on_open());
}

// Runs a step of the channel's (on_open, or one message) and, when it is done, the next read.
void connection::then_read(net::awaitable<void> step) {
    net::co_spawn(ws_.get_executor(), std::move(step), [self = shared_from_this()](std::exception_ptr e) {
        if (e)
            self->finish_by_exception(e);
        else
            self->read_next();
    });
}

void connection::read_next() {
    if (ended_) {
        finish();
        return;
    }
    // At most 256 bytes a read: an idle connection then holds a buffer that small rather than
    // the 1.5 KB Beast prepares for a whole read; a longer message takes a few reads
    // (read_message_max still bounds the whole message).
    ws_.async_read_some(read_buffer_, 256,
                        [self = shared_from_this()](error_code ec, std::size_t) { self->on_read(ec); });
}

void connection::on_read(error_code ec) {
    if (ec) {
        // closed: the peer's close (or ours, answered); operation_aborted: our close finished
        // while a read waited; timeouts mean a dead peer.
        if (ec != websocket::error::closed && ec != net::error::operation_aborted)
            spdlog::debug("ws: read ended: {}", ec.message());
        finish();
        return;
    }
    if (refusing_) {
        read_buffer_.consume(read_buffer_.size());
        read_next();
        return;
    }
    if (read_buffer_.size() > limits_.message_bytes) {
        refuse_oversized();
        return;
    }
    if (!ws_.is_message_done()) {
        read_next();
        return;
    }
    if (!ws_.got_text()) {
        read_buffer_.consume(read_buffer_.size());
        deliver(std::make_shared<const std::string>(
            R"({"type":"error","code":"bad_request","message":"only text messages are accepted"})"));
        read_next();
        return;
    }
    std::string text = beast::buffers_to_string(read_buffer_.data());
    read_buffer_.consume(read_buffer_.size());
    if (read_buffer_.capacity() > 256)
        read_buffer_.shrink_to_fit(); // what a message grew it to is not kept while idle
    if (handling_) {
        // The message before went past its reply deadline and is still being handled: this one
        // is refused unhandled, so that one peer's messages take effect in the order sent.
        deliver(share(protocol::error_json(protocol::message_ref(text), "busy",
                                           "the previous message is still waiting for the storage; this one was "
                                           "not carried out, send it again once that one is answered")));
        read_next();
        return;
    }
    // The channel handles one message at a time: the next read starts when it is done.
    then_read(handle(std::move(text)));
}

// Closes with 1009 (too big) after the write in progress, if any. Beast's close then reads and
// discards the rest of the message until the peer's close frame, so the peer gets ours
// instead of a reset; meanwhile a read stays outstanding (it ends with the close, and
// finish() follows) and what it brings is thrown away.
void connection::refuse_oversized() {
    spdlog::info("ws: a message over {} bytes; closing with 1009", limits_.message_bytes);
    refusing_ = true;
    read_buffer_.consume(read_buffer_.size());
    read_buffer_.shrink_to_fit();
    discard_queued();
    closing_ = true;
    close_code_ = websocket::close_code::too_big;
    write_next();
    read_next();
}

// Waits for the channel up to the reply deadline (finish_within): a stalled store must not keep
// the peer from hearing anything, nor stop this connection's reads, whose keep-alive pings tell a
// live peer from a dead one. The text is kept to answer with its ref if late.
net::awaitable<void> connection::handle(std::string text) {
    handling_ = true;
    auto done = co_await finish_within(handle_owned(shared_from_this(), text), limits_.reply_timeout, "ws message");
    if (!done) {
        auto late = not_confirmed();
        deliver(share(protocol::error_json(protocol::message_ref(text), late.code, late.message)));
    }
}

// Owns the message while the channel, which takes it by reference, handles it, and the
// connection while that may outlast the wait for it.
net::awaitable<void> connection::handle_owned(std::shared_ptr<connection> self, std::string text) {
    struct handled {
        connection& c;
        ~handled() { c.handling_ = false; } // however the handling ends
    } mark{*self};
    co_await self->channel_->on_message(text);
}

void connection::finish_by_exception(std::exception_ptr e) {
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& error) {
        spdlog::warn("ws: connection ended by an exception: {}", error.what());
    } catch (...) {
        spdlog::warn("ws: connection ended by an exception");
    }
    finish();
}

// The read side has ended (or the connection was dropped, ended_ set): unregister, close the
// socket (which ends a write still outstanding) and tell the owner, once.
void connection::finish() {
    if (finished_)
        return;
    finished_ = true;
    ended_ = true;
    discard_queued();
    channel_->on_close();
    error_code ignored;
    ws_.next_layer().close(ignored);
    if (auto ended = std::exchange(ended_callback_, nullptr))
        ended();
}

// Called whenever something may have become writable; the completion of each write calls it again.
void connection::write_next() {
    if (writing_ || ended_)
        return;
    if (!outbox_.empty()) {
        writing_ = true;
        if (outbox_.front().about.card)
            unlist_front_card();
        ws_.async_write(net::buffer(*outbox_.front().text), [self = shared_from_this()](error_code ec, std::size_t) {
            self->writing_ = false;
            self->outbox_.pop_front();
            if (ec) {
                // The read then fails too, and finish() unregisters the connection.
                error_code ignored;
                self->ws_.next_layer().close(ignored);
                return;
            }
            self->write_next();
        });
        return;
    }
    if (closing_ && !close_sent_) {
        writing_ = close_sent_ = true;
        // The peer's answer ends the read, and finish() follows.
        ws_.async_close(close_code_, [self = shared_from_this()](error_code) {
            self->writing_ = false;
        });
    }
}

void connection::deliver(shared_text message, topic about) {
    if (ended_ || closing_)
        return;
    if (about.card && about.request_id != 0 && writing_) {
        queue_card(std::move(message), about);
        return;
    }
    if (counted() >= limits_.outbox_messages) {
        drop("outbox full: the peer is not reading");
        return;
    }
    outbox_.insert(place_for(about), queued{std::move(message), about});
    write_next();
}

// A card that must wait (a write is under way): one that rings takes the place of its request's cards
// waiting; one that does not takes the place of one that does not ring, and waits behind one that does.
void connection::queue_card(shared_text message, const topic& about) {
    auto found = waiting_cards_.find(about.request_id);
    if (found == waiting_cards_.end()) {
        if (waiting_cards_.size() >= max_waiting_cards) {
            drop("cards of too many requests waiting: the peer is not reading");
            return;
        }
        waiting_cards_.emplace(about.request_id, waiting_card{outbox_.insert(
                                                     place_for(about), queued{std::move(message), about})});
        ++listed_cards_;
        return;
    }
    auto& waiting = found->second;
    if (about.rings && waiting.ringing) { // one card in place of both, where the first waits
        outbox_.erase(waiting.newest);
        waiting.newest = *waiting.ringing;
        waiting.ringing.reset();
        --listed_cards_;
    }
    if (!about.rings && waiting.newest->about.rings) {
        waiting.ringing = waiting.newest;
        waiting.newest = outbox_.insert(place_for(about), queued{std::move(message), about});
        ++listed_cards_;
        return;
    }
    replace_card(waiting.newest, queued{std::move(message), about});
}

// In place, or, for a card that makes its request urgent, further ahead where it may pass normal ones
// (place_for): never further back than the card it replaces.
void connection::replace_card(std::list<queued>::iterator& card, queued newer) {
    if (newer.about.urgent && !card->about.urgent && place_for(newer.about) == std::next(card)) {
        // Nothing after it stops an urgent card: what was ahead of it may not either.
        auto after = outbox_.erase(card);
        auto about = newer.about;
        card = outbox_.insert(place_for(about, after), std::move(newer));
        return;
    }
    *card = std::move(newer);
}

// The front is being written: it no longer waits.
void connection::unlist_front_card() {
    auto found = waiting_cards_.find(outbox_.front().about.request_id);
    if (found == waiting_cards_.end())
        return;
    auto& waiting = found->second;
    if (waiting.ringing == outbox_.begin()) {
        waiting.ringing.reset();
        --listed_cards_;
    } else if (waiting.newest == outbox_.begin()) { // then no older one waits: it would be ahead
        waiting_cards_.erase(found);
        --listed_cards_;
    }
}

// subscriber::deliver's exception: from the back, an urgent message about a request passes
// queued messages about other normal requests and passable ones, and stops behind the message being
// written.
std::list<connection::queued>::iterator connection::place_for(const topic& about,
                                                              std::list<queued>::iterator at) {
    if (!about.urgent || about.request_id == 0)
        return at;
    auto first_movable = writing_ && !outbox_.empty() ? std::next(outbox_.begin()) : outbox_.begin();
    while (at != first_movable) {
        const auto& ahead = std::prev(at)->about;
        if (ahead.urgent || (ahead.request_id == 0 && !ahead.passable) ||
            ahead.request_id == about.request_id)
            break;
        --at;
    }
    return at;
}

// Like refuse_oversized, but the read that is outstanding (if any) stays as it is.
void connection::close_signed_out() {
    if (ended_ || close_sent_)
        return;
    refusing_ = true;
    discard_queued();
    closing_ = true;
    close_code_ = static_cast<websocket::close_code>(signed_out_close_code);
    write_next();
}

void connection::close_gracefully() {
    closing_ = true;
    write_next();
}

// Keeps the message being written: its buffer must outlive the write.
void connection::discard_queued() {
    if (outbox_.empty())
        return;
    outbox_.erase(writing_ ? std::next(outbox_.begin()) : outbox_.begin(), outbox_.end());
    waiting_cards_.clear();
    listed_cards_ = 0;
}

// Closing the socket ends the read with an error (or, between reads, the next one is not
// started); finish() then unregisters the channel.
void connection::drop(const char* why) {
    ended_ = true;
    discard_queued();
    spdlog::warn("ws: dropping connection: {}", why);
    error_code ignored;
    ws_.next_layer().close(ignored);
}

} // namespace ask::ws
