/** One WebSocket connection, staff dashboard or resident page.

    Reads are a chain of completion handlers on the I/O thread: each read's completion hands
    a finished text message to the channel (a coroutine, since the channel may go to the
    store) and starts the next read only once the channel is done with it, so messages are
    handled one at a time and in order. Up to the reply deadline: a message still being
    handled then (a stalled store) is answered not_confirmed and the next read starts, while
    its handling goes on to its end (finish_within); until it ends, further messages are
    refused unhandled (busy), so one peer's messages still take effect in order. Writes likewise: deliver()
   queues a message and, when no write is running, starts one whose completion starts the next. At most one
   read and one write are outstanding, as websocket::stream requires.

    An idle connection costs what it must and little more (issue 6, scenario 4): one pending
    read (no coroutine frame waits on it), a read buffer of at most 256 bytes, an outbox that
    allocates nothing while empty; the HTTP session that upgraded it has ended.

    The outbox is in order but for urgent messages (subscriber::deliver): one is placed by a
    walk back over the queued messages it may overtake, so it costs what it overtakes.

    The outbox is bounded: a peer that stops reading is disconnected when the limit is
    reached, never allowed to grow memory; its alerts then stay with those who read. A request has
    at most two cards waiting (the newest, and an older one that rings ahead of it when the newest does
    not; a newer card replaces them where they stand, subscriber::deliver), outside outbox_messages and
    within max_waiting_cards: a burst of rings, one per waiting request (every
    one due again together after a restart, or as someone goes on duty), is not a peer that stopped
    reading, and would otherwise drop every dashboard of an office with more requests waiting than
    outbox_messages at each ring.
    Keep-alive pings and the idle timeout notice a half-open connection. A message over
    message_bytes closes the connection with code 1009 (too big) and is never held whole.
*/
#pragma once

#include "server/app/subscriber.hpp"
#include "server/net.hpp"

#include <chrono>
#include <cstddef>
#include <exception>
#include <functional>
#include <list>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace ask::ws {

/// The socket under a WebSocket, on the io_context's own executor type rather than the
/// type-erased any_io_executor, and without beast::tcp_stream's timeout layer (the WebSocket
/// keeps its own timeouts): every message to every dashboard goes through this stack, and
/// each layer's per-operation bookkeeping was a measured part of a fan-out's cost.
using ws_socket = net::basic_stream_socket<tcp, net::io_context::executor_type>;
using ws_stream = websocket::stream<ws_socket>;

/// The upgraded HTTP stream's socket as a ws_socket on `ex` (same descriptor, same connection).
ws_socket adopt_socket(beast::tcp_stream stream, net::io_context::executor_type ex);

/// What a connection talks to: the staff or resident channel.
class channel {
public:
    virtual ~channel() = default;
    /// After the handshake, before the first read: register and send the opening messages.
    virtual net::awaitable<void> on_open() = 0;
    /// One text message; replies go through connection::deliver().
    virtual net::awaitable<void> on_message(const std::string& text) = 0;
    /// The connection is gone (any reason): unregister. Not a coroutine; must not throw.
    virtual void on_close() noexcept = 0;
};

struct connection_limits {
    std::size_t message_bytes;
    std::size_t outbox_messages;
    std::chrono::seconds idle_timeout;
    std::chrono::seconds reply_timeout; ///< a message not handled by then is answered not_confirmed
};

/// Cards of this many requests waiting to be sent to one peer: past it, the peer is dropped (its snapshot
/// brings the whole queue as it reconnects).
constexpr std::size_t max_waiting_cards = 50000;

/// The close code of close_signed_out (4000-4999: the application's own, RFC 6455 7.4.2).
constexpr std::uint16_t signed_out_close_code = 4001;

class connection : public subscriber, public std::enable_shared_from_this<connection> {
public:
    connection(ws_stream ws, connection_limits limits);

    /// The channel this connection talks to (built with a reference to it); before start().
    void attach(std::unique_ptr<channel> c) { channel_ = std::move(c); }

    /// Runs the connection (the handshake has completed): the channel's on_open, then reads
    /// until the connection closes, for any reason. Then the channel's on_close, then `ended`,
    /// once, on the I/O thread. The connection keeps itself alive meanwhile.
    void start(std::function<void()> ended);

    void deliver(shared_text message, topic about = {}) override;

    /// Asks the peer to close (going away): sent after what is already queued. For shutdown.
    void close_gracefully();

    /// The sign-in of this connection no longer holds (app/sign_in_watch.hpp): what is queued is
    /// dropped, what the peer sends is no longer acted on, and the connection closes with
    /// signed_out_close_code, which tells the page to sign in again (or that its link no longer
    /// works) instead of reconnecting.
    void close_signed_out();

    /// Accepts the upgrade with the ask.v1 subprotocol and this connection's limits.
    /// Returns false (and has answered with an error) when the handshake failed.
    static net::awaitable<bool> accept(ws_stream& ws, const http::request<http::string_body>& upgrade,
                                       const connection_limits& limits);

private:
    void then_read(net::awaitable<void> step);
    void read_next();
    void on_read(error_code ec);
    net::awaitable<void> handle(std::string text);
    static net::awaitable<void> handle_owned(std::shared_ptr<connection> self, std::string text);
    void finish();
    void finish_by_exception(std::exception_ptr e);
    void write_next();
    struct queued {
        shared_text text;
        topic about;
    };
    /// Where a message goes, walking back from `from` (the end) over what it may pass.
    std::list<queued>::iterator place_for(const topic&, std::list<queued>::iterator from);
    std::list<queued>::iterator place_for(const topic& about) { return place_for(about, outbox_.end()); }
    void queue_card(shared_text message, const topic& about);
    void replace_card(std::list<queued>::iterator& card, queued newer);
    void unlist_front_card();
    /// Other messages than the cards in waiting_cards_ (outbox_messages is their limit).
    std::size_t counted() const { return outbox_.size() - listed_cards_; }
    void discard_queued();
    void drop(const char* why);
    void refuse_oversized();

    ws_stream ws_;
    connection_limits limits_;
    beast::flat_buffer read_buffer_; ///< the message being read, in pieces of at most 256 bytes
    std::list<queued> outbox_;       ///< the front is being written while writing_
    /// A request's cards waiting in outbox_ (not being written): its newest, and ahead of it an older one
    /// that rings when the newest does not (a card that does not ring never takes the place of one that
    /// does).
    struct waiting_card {
        std::list<queued>::iterator newest;
        std::optional<std::list<queued>::iterator> ringing;
    };
    std::map<std::int64_t, waiting_card> waiting_cards_; ///< by request id
    std::size_t listed_cards_ = 0;                       ///< outbox_ entries in waiting_cards_
    std::unique_ptr<channel> channel_;
    std::function<void()> ended_callback_;
    bool writing_ = false;    ///< a write (or the closing handshake) is outstanding
    bool handling_ = false;   ///< the channel is handling a message (also past its reply deadline)
    bool closing_ = false;    ///< close once the outbox is empty (shutdown, a message too big, signed out)
    bool close_sent_ = false;
    websocket::close_code close_code_ = websocket::close_code::going_away; ///< or too_big, or signed out
    bool refusing_ = false; ///< closing for a cause of ours (too big, signed out): what arrives is discarded
    bool ended_ = false;      ///< dropped, or the read side has ended: nothing more is sent
    bool finished_ = false;   ///< finish() has run
};

} // namespace ask::ws
