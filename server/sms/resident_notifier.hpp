// Texts residents who need SMS at each step of their request: received (with its number),
// taken (who will contact them), resolved; the office-closed answer with 112 arrives as the
// "received" text. Who needs SMS: whoever wrote by SMS, and residents whose needs say a call
// will not work (deaf, speech). Residents who sent STOP get nothing.
//
// Each text is recorded as a `resident_sms` event before it is handed to the sender, so the
// request's history shows what was sent. A resident is texted when what they were last told stops
// being true: a new stage, or the request taken by someone else (or given back by whoever took it).
#pragma once

#include "protocol/server_messages.hpp"
#include "server/store/requests.hpp"

#include <cstdint>
#include <map>
#include <string>

namespace ask {
class application;
}

namespace ask::sms {

class resident_notifier {
public:
    explicit resident_notifier(application& app) : app_(app) {}

    /// The alert hub's status listener: decides, and sends in the background.
    void on_status(const store::request_record&, const protocol::status_view&);

    /// The text for a stage ("received", "taken", "contacted", "resolved"), Polish.
    static std::string text_for(const store::request_record&, const protocol::status_view&);

private:
    application& app_;
    std::map<std::int64_t, std::string> told_; ///< open request id -> what its resident was last texted ("r", "t:Anna")
};

/// True when this resident should be texted about this request.
bool wants_sms(const store::request_record&);

} // namespace ask::sms
