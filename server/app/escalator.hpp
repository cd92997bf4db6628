// Applies the escalation engine (engine/escalation.hpp) to open requests: the one thin
// periodic duty on top of a pure decide(). For each decision it first commits the ladder's
// new position and one event per step (who was alerted, how), then rings dashboards and
// hands texts to the SMS sender, so a restart never repeats a step already carried out and
// never loses one that was not. A text is kept with the decision until the provider has taken it
// (store/staff_texts.hpp): one every attempt failed at is tried again while it is true, and one
// askd's stop or crash cut off goes out as it starts again. While an office is closed, each request
// waiting in it (pressed then, or still waiting as it closed) has its ladder moved to the opening:
// once per closure, and again if a press restarts its ladder or it is given back. The first move for
// an opening records, in the same commit, the text to the office's after-hours phone (again after each
// press since: the resident still needs help, and says so), and its resident is then told the request waits
// for the opening (with 112); as the office opens, the residents still waiting there are told where their
// requests stand. Lives on the I/O thread.
#pragma once

#include "gateways/sms_sender.hpp"
#include "server/app/failure.hpp"
#include "server/app/staff_text.hpp"
#include "server/engine/escalation.hpp"
#include "server/net.hpp"
#include "server/store/accounts.hpp"
#include "server/store/requests.hpp"
#include "server/store/staff_texts.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ask {

class application;

/// What the engine needs to know of a stored request; `closed_until` while its office is closed.
engine::escalation_input escalation_input_of(const store::request_record&,
                                             std::optional<protocol::millis> closed_until);

class escalator {
  public:
    escalator(application& app, gateways::sms_sender& sms) : app_(app), sms_(sms) {}

    /// Carries out every decision due now over all open requests.
    net::awaitable<void> tick();

    /// A member of staff brings the next ladder step forward (or repeats the last), calling others than
    /// themselves and the request's holder. A step that would call no one of them is passed over for
    /// the next, then for an earlier one (its history says so); when no step would, nothing changes
    /// and the answer is the failure "nobody_to_call". `reply`: the staff text asking for it, marked as seen
    /// in the same commit (store::marking_seen), also with that failure.
    net::awaitable<action_result<store::request_record>>
    escalate_by_hand(const store::staff_record&, std::int64_t id,
                     std::optional<store::inbound_ref> reply = {});

    /// A press again (the resident still needs help) on request `r`, taken and not yet contacted: while its
    /// office is closed, nobody is on duty to be rung and the ack-timeout follow-ups wait for the opening
    /// after their first overdue alert, so the office's after-hours phone, if it has one, is texted (as of
    /// a waiting request pressed then). In the background. A store that fails to record the text (full,
    /// read-only, stalled past its queue) is tried again after 5, 10, 20, 40 s and then every minute
    /// (sms::retry_pauses) until it does, the office opens (its ladder goes on from there), or askd stops.
    void pressed_again(const store::request_record& r);

    /// What a job on the store thread decided and recorded; carried out on the I/O thread.
    struct outcome {
        store::request_record request;
        std::vector<std::int64_t> ring;            ///< staff whose dashboards ring
        std::vector<store::unsent_staff_text> sms; ///< texts to send (about `request`), kept until sent
        bool waits_for_opening = false;            ///< the ladder was moved to the office's opening
        bool nobody_to_call = false; ///< by hand: no step left would reach anyone else; nothing recorded
    };

    /// As askd starts: sends again the texts kept from before it stopped (store::unsent_staff_texts) that
    /// are still true (staff_text_still_true) and forgets the others.
    void resume_texts(std::vector<store::unsent_staff_text> kept);

  private:
    /// Carries out a recorded decision on the hub (the request as committed, its rings) and sends its
    /// texts. Call as its job's result arrives, before any later commit is applied (alert_hub::apply).
    void deliver(const outcome&);
    /// pressed_again's store job, tried again as it says, and its outcome.
    net::awaitable<void> text_after_hours(std::int64_t id, protocol::millis opens_at, std::string phone);
    /// When this askd began: for its first reconnect_grace_seconds the dashboards of before a restart
    /// may not be back, and no step is judged reaching nobody.
    std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
    /// Sends a kept text about `r`, then forgets it once the provider took it or refused it for good (the
    /// request's history records each try). A try that failed through every attempt is made again after
    /// 5, 10, 20, 40 s and then every minute, for as long as the text is true; the stop leaves it kept.
    net::awaitable<void> send_kept(store::request_record r, store::unsent_staff_text text);
    net::awaitable<void> forget_kept(std::int64_t text_id);
    /// Before a member's text is tried again: their number, and whether they can still be texted, as the
    /// store has them now (store::unsent_staff_text_now). A store that cannot say leaves `text` as it was.
    net::awaitable<void> read_member_again(store::unsent_staff_text& text);
    /// Where a kept text about `r` goes now, or nullopt once it is no longer true (staff_text_still_true,
    /// or an office with no after-hours phone any more).
    std::optional<std::string> phone_for(const store::unsent_staff_text&, const store::request_record& r);
    /// A kept text's request and member (0: the after-hours phone): of several kept texts to one recipient
    /// about one request only the newest is sent, so an outage's texts do not all arrive as it ends.
    static std::pair<std::int64_t, std::int64_t> recipient_of(const store::unsent_staff_text&);
    void keep_newest(const store::unsent_staff_text&);
    bool is_newest(const store::unsent_staff_text&) const;

    application& app_;
    gateways::sms_sender& sms_;
    /// By office: whether it was open when a tick last looked (at an open request of it). A change
    /// to open tells the residents waiting there, who were told it was closed.
    std::map<std::int64_t, bool> office_open_;
    /// By recipient_of: the id of the newest kept text being sent or tried again.
    std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> newest_;
};

} // namespace ask
