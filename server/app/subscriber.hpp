// Something that receives pushed messages: one live WebSocket connection.
#pragma once

#include <memory>
#include <string>

namespace ask {

/// One serialised message, shared by every connection it is sent to.
using shared_text = std::shared_ptr<const std::string>;

inline shared_text share(std::string text) { return std::make_shared<const std::string>(std::move(text)); }

class subscriber {
public:
    /// Queues one message for sending. Never blocks; a subscriber that cannot keep up
    /// disconnects itself rather than growing without bound. I/O thread only.
    virtual void deliver(shared_text message) = 0;

protected:
    ~subscriber() = default;
};

} // namespace ask
