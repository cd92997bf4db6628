// Texts residents who need SMS at each step of their request: received (with its number),
// taken (who will contact them), resolved; the office-closed answer with 112 arrives as the
// "received" text, or later, when the office closes on a waiting request (and then "we are alerting
// the staff" as it opens) or on one taken and not yet contacted (and then who will contact them), or when
// nobody has been on duty for a while (and then "we are alerting the staff" as someone is back:
// check_nobody_on_duty). Who needs SMS: whoever wrote by SMS or pressed a physical button (it shows nothing),
// and residents whose needs say a call will not work (deaf, speech). Residents who sent STOP get nothing
// (recorded, below).
//
// Each text is recorded as a `resident_sms` event before it is handed to the sender, so the
// request's history shows what was sent; one a resident who sent STOP (or has no number) is not sent is
// recorded too, marked `not_sent`, and counts as told. A resident is texted when what they were last told
// stops being true: a new stage, or the request taken by someone else (or given back by whoever took it). A
// request's texts go out one at a time, in order: a text waits until the one before it was accepted or given
// up (a provider's retries take seconds), and of several waiting only the latest is sent, so the last text a
// resident gets is where the request stands now. A text whose record could not be written (the store failed)
// is tried again, after 1, 2, 4 … 60 seconds and then every minute, until it is recorded: a resident is never
// left believing an earlier stage because the store was down for a while. A recorded text no provider took
// (down, timing out; not a permanent refusal) is tried again after 5, 10, 20, 40 s and then every minute for
// an hour (retry_pauses::after), not recorded again; askd stopping meanwhile does not lose it: its failed
// tries are recorded (recording_sender), so resume() does not take it for told. A newer text for its request
// (its closing too) ends either wait and goes instead, and a cancellation drops it. A record refused for good
// (the request is gone, a constraint) is not tried again: the text is given up, and that is logged as an
// error. A text about an open request, or the closing text of one resolved in the last hour, that askd
// stopping or dying kept from being recorded or sent goes out as askd starts again (resume()).
#pragma once

#include "gateways/text_key.hpp"
#include "protocol/server_messages.hpp"
#include "server/net.hpp"
#include "server/store/requests.hpp"

#include <cstdint>
#include <map>
#include <optional>
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

    /// Every second (application's periodic loop): a resident told staff are being alerted whose
    /// request has waited with nobody on duty (nobody reachable: off duty, or no dashboard open) for
    /// `lasting` ([alerts] reconnect_grace_seconds) is texted so, with 112. Not at once: a dashboard that
    /// reconnects, every dashboard after a restart, a shift handing over, take seconds, and a text for
    /// each would tell every waiting resident "nobody", then "alerting". The first person reachable
    /// again is texted as news (on_status). Walks the open requests texted as it begins, in slices between
    /// which the I/O thread's other work runs; one walk at a time (application's periodic loop).
    net::awaitable<void> check_nobody_on_duty(protocol::millis now, protocol::millis lasting);

    /// As askd starts, for an open request: texts its resident where it stands when the last text
    /// recorded for it that may have reached them (`texted.told`: store::last_resident_text) told
    /// something else. askd stopped or died after the commit of a change and before its text was
    /// recorded, or while a recorded text waited to be tried again, and nothing else would tell the
    /// resident: the provider's retry of their own text finds the request already made. A text that tells
    /// what the one owed (`texted.owed_told`, every try failed) told goes under that one's key. The same
    /// for a request resolved within closing_text_owed_for: its resident hears how it ended.
    void resume(const store::request_record&, const protocol::status_view&,
                const store::resident_texted& texted);

    /// How long a recorded text every provider failed at is tried again: past it, what it says is old news
    /// (the resident has likely called, or been called) and a late text would only confuse, maybe at night.
    static constexpr protocol::millis unsent_kept_for = 3'600'000;
    /// How long after a request was resolved askd, starting, still texts its resident how it ended if
    /// that text may not have reached them: as long as a running askd keeps trying it, so a text given up
    /// is not sent later.
    static constexpr protocol::millis closing_text_owed_for = unsent_kept_for;

    /// Ends the waits of texts to be tried again, for the application's stop (after it set stopping()).
    void stop();

    /// The text for a stage ("received", "taken", "contacted", "resolved"), Polish.
    static std::string text_for(const store::request_record&, const protocol::status_view&);

private:
    struct text {
        std::int64_t resident_id = 0;
        std::int64_t office_id = 0;
        std::string stage; ///< "received", "nobody_on_duty", "taken", "contacted", "resolved"
        std::string news;  ///< what it tells, as a key ("r", "r:closed", "t:Anna"…)
        std::string body;
        int send_tries = 0;             ///< tries every provider failed at (it is recorded from the first)
        protocol::millis first_try = 0; ///< when the first of them failed
        std::string key = gateways::new_text_key(); ///< the same at each of its tries (text_key.hpp)
    };
    /// on_status; a text that tells what the text owed from before told (`owed`: resume) goes under its key.
    void status_changed(const store::request_record&, const protocol::status_view&,
                        const store::resident_texted* owed);
    /// check_nobody_on_duty for one request, whose resident was last told `told`.
    void check_nobody_for(std::int64_t id, std::string& told, protocol::millis now, protocol::millis lasting);
    /// Puts `next` as the request's text to send, replacing one waiting, and starts sending.
    void send_later(std::int64_t request_id, text next);
    /// Sends the request's waiting text, then the one that came meanwhile, until none waits.
    net::awaitable<void> send_in_turn(std::int64_t request_id);

    application& app_;
    /// Per request with a text going out: the next one to send after it (only the latest is kept),
    /// and the wait before a text whose record failed is tried again.
    struct turn {
        explicit turn(net::io_context& io) : pause(io) {}
        std::optional<text> next;
        bool next_is_new = false; ///< `next` came from on_status (not a failed one put back)
        bool cancelled = false;   ///< the request was cancelled: nothing more goes out about it
        net::steady_timer pause;
    };
    /// Per request with a text going out.
    std::map<std::int64_t, turn> outgoing_;
    std::map<std::int64_t, std::string> told_; ///< open request id -> what its resident was last texted ("r", "t:Anna")
    /// Requests whose resident was told staff are alerted, waiting with nobody on duty since (wall clock):
    /// since check_nobody_on_duty first saw it so.
    std::map<std::int64_t, protocol::millis> nobody_since_;
};

/// True when this resident should be texted about this request.
bool wants_sms(const store::request_record&);

} // namespace ask::sms
