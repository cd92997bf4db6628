// Something that receives pushed messages: one live WebSocket connection.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace ask {

/// One serialised message, shared by every connection it is sent to.
using shared_text = std::shared_ptr<const std::string>;

inline shared_text share(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

/// What a pushed message is about, which decides its place in a subscriber's queue.
struct topic {
    std::int64_t request_id = 0; ///< 0: no one request (a snapshot, a reply, a duty change)
    bool urgent = false;         ///< about a request that is urgent as the message is sent
    /// About no one request, with no order to keep against alerts (a duty change): an urgent message may
    /// pass it. Otherwise nothing passes a message about no request.
    bool passable = false;
    /// The whole card of request_id as it stands: a newer card of the same request says all it says, so
    /// a subscriber that has fallen behind may send the newer one instead (subscriber::deliver).
    bool card = false;
    /// A card the dashboard rings for (a waiting request, or a reminder): a card that does not ring never
    /// takes its place.
    bool rings = false;
};

class subscriber {
public:
    /// Queues one message for sending. Never blocks; a subscriber that cannot keep up
    /// disconnects itself rather than growing without bound. I/O thread only.
    ///
    /// Messages leave in the order given, with one exception, so that an urgent alert reaches a
    /// dashboard that has fallen behind before the normal ones queued there: a message about an
    /// urgent request goes ahead of queued messages about other, normal requests. It never goes
    /// ahead of a message about the same request, another urgent one, or one about no request
    /// (unless that one is passable), so each request's messages, and everything on either side of
    /// a snapshot, keep their order.
    ///
    /// A card still queued may be replaced where it stands by a newer card of the same request that
    /// rings, or that replaces one that does not ring: a dashboard behind gets each request's newest
    /// state once, and a burst of cards (every waiting request rung again together) is not taken for a
    /// peer that stopped reading.
    virtual void deliver(shared_text message, topic about = {}) = 0;

protected:
    ~subscriber() = default;
};

} // namespace ask
