// The root of askd's domain: owns the store thread, the alert hub and the metrics, and
// runs the periodic and upkeep loops. Everything here lives on one I/O thread (the io_context's
// single runner); only store::writer has a thread of its own, and password hashing
// runs on a small CPU pool so it never stalls the I/O thread.
#pragma once

#include "gateways/sms_sender.hpp"
#include "server/app/alert_hub.hpp"
#include "server/app/escalator.hpp"
#include "server/app/flood_guard.hpp"
#include "server/app/login_throttle.hpp"
#include "server/app/metrics.hpp"
#include "server/app/password_checks.hpp"
#include "server/app/press_guard.hpp"
#include "server/app/sign_in_watch.hpp"
#include "server/app/view_log.hpp"
#include "server/config.hpp"
#include "server/net.hpp"
#include "server/sms/resident_notifier.hpp"
#include "server/sms/retry_pauses.hpp"
#include "server/sms/waiting_parts.hpp"
#include "server/store/replies.hpp"
#include "server/store/staff_texts.hpp"
#include "server/store/writer.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace ask {

class application {
public:
    /// Opens and migrates the database, registers the configured offices and loads every
    /// open request into the hub. @throws std::runtime_error when the store cannot be opened.
    application(net::io_context& ioc, config cfg);
    ~application();

    /// Starts the periodic loop (re-notify and escalation) and the upkeep loop (long texts whose
    /// parts are due, the record of who was shown a resident's card, sign-ins revoked by an askd
    /// command, forgetting old records).
    void start();
    /// Stops the loops, finishes every queued commit and stops the store thread. Idempotent.
    void stop();

    const config& settings() const { return cfg_; }
    net::io_context& io() { return ioc_; }
    store::writer& store() { return *writer_; }
    alert_hub& hub() { return hub_; }
    ask::metrics& counters() { return metrics_; }
    login_throttle& logins() { return logins_; }
    ask::password_checks& passwords() { return passwords_; }
    /// The allowance of presses by resident token ([limits] presses_per_window).
    press_guard& presses() { return presses_; }
    ask::escalator& escalation() { return *escalator_; }
    /// The outbound SMS sender chosen in [sms] (the log sender unless a gateway is configured).
    gateways::sms_sender& sms() { return *sms_; }
    /// The waits before kept texts are tried again (a ladder's, an answer's), ended by stop().
    sms::retry_pauses& sms_pauses() { return sms_pauses_; }
    /// Parts of long inbound texts waiting for the rest, and the per-number flood limit.
    flood_guard& sms_flood() { return sms_flood_; }
    /// Staff replies by text being carried out now ("provider message-id"): a provider's retry of
    /// one arriving meanwhile (after a 503 not_confirmed) is not acted on a second time.
    std::unordered_set<std::string>& staff_texts_in_flight() { return staff_texts_in_flight_; }
    /// Long texts being delivered now (sms/text_parts.cpp: "provider sender part_ref"): a part of
    /// one arriving meanwhile is saved and left to the timer, never delivered with the same id.
    std::unordered_set<std::string>& long_texts_in_delivery() { return long_texts_in_delivery_; }
    /// Whether parts of long texts may wait in the store: the timer reads it only then.
    sms::waiting_parts& waiting_parts() { return waiting_parts_; }
    /// A staff member was sent a resident's card (app/view_log.hpp): on a dashboard (the hub tells this
    /// itself), in the answer to taking a request by text, or with a request's details or history over
    /// the API (actions::details_for_staff). Stored within a second by the upkeep loop.
    void card_shown(std::int64_t staff_id, std::int64_t resident_id, protocol::millis at);
    /// Who each live WebSocket is signed in as, for ending those an askd command takes the right from.
    sign_in_watch& sign_ins() { return sign_ins_; }
    /// Records of cards shown not yet stored.
    const view_log& views() const { return views_; }
    /// Passes of the upkeep loop completed since start (each has done all it had to, store jobs included).
    std::uint64_t upkeep_passes() const { return upkeep_passes_; }
    /// Checks of the live sign-ins completed since start (app/sign_in_watch.hpp says when one is due).
    std::uint64_t sign_in_checks() const { return sign_in_checks_; }

    /// The store id of the first configured office: where texts from unknown numbers go.
    std::int64_t default_office() const { return default_office_; }
    /// The office whose sms_number `to` is (as a provider gives it, normalised here); the default office
    /// for any other number or none.
    std::int64_t office_for_number(const std::string& to) const;
    /// The configuration of the office with this store id, or nullptr.
    const office_config* office_settings(std::int64_t office_id) const;
    /// Whether texts for this office go with Polish letters as plain ones: its sms_transliterate, else
    /// [sms] transliterate (also for texts of no office, 0).
    bool plain_letters(std::int64_t office_id) const;
    /// Whether the office is open by its calendar at `now`, and when it next opens.
    office_availability availability(std::int64_t office_id, protocol::millis now) const;
    bool stopping() const { return stopping_; }

    /// Wall-clock milliseconds since the epoch.
    static protocol::millis now();

private:
    /// Rings the due re-notifications and adds them to renotified_unrecorded_, then starts recording
    /// them (record_renotified) unless that is under way; the periodic loop calls it every second.
    void renotify_due();
    /// Takes renotified_unrecorded_ until it is empty: keeps each waiting request's queued/notifying
    /// honest and counts its pushes. A write the storage fails puts its request back and ends the pass
    /// (the next second's pass tries again, with the rings since added); one refused for the request's
    /// sake (closed) drops it.
    net::awaitable<void> record_renotified();
    net::awaitable<void> record_each_renotified();
    net::awaitable<void> periodic_loop();
    /// Runs `work`, a walk over the open requests, and clears `busy` (set by the caller) as it ends, beside
    /// the periodic loop: the loop's re-rings go on every second while a walk's slices and store jobs wait (a
    /// held lock keeps each job for busy_timeout), and the loop starts no second walk of a kind while one is
    /// under way.
    static net::awaitable<void> walk_beside(bool& busy, net::awaitable<void> work);
    net::awaitable<void> upkeep_loop();
    net::awaitable<void> forget_old_records();
    net::awaitable<void> forget_closed_requests();
    net::awaitable<void> forget_old_views(protocol::millis kept);
    net::awaitable<void> store_views();
    /// Ends the live connections whose sign-in an askd command beside this one has revoked
    /// (app/sign_in_watch.hpp), given the store's outside data_version. True when every live sign-in has
    /// been judged against that version; false when it is unknown yet or a check failed.
    net::awaitable<bool> check_sign_ins(std::optional<std::int64_t> version);
    /// Gives back to the queue the requests held by a disabled account (store::release_held_by_disabled):
    /// askd staff disable runs beside askd and cannot change its queue. Looked for at the first pass of
    /// the upkeep loop (a disable made while askd was down) and after each change made beside askd (a
    /// data_version other than the one last looked at), once the sign-ins were judged against it.
    net::awaitable<void> give_back_from_disabled(std::optional<std::int64_t> version);
    /// Brings the hub's cards up to date with the people as stored (alert_hub::refresh_people) after each
    /// change made beside askd (a data_version other than the one last read for it): a resident's
    /// details or a staff member's name corrected with askd resident edit or askd staff edit.
    net::awaitable<void> refresh_cards(std::optional<std::int64_t> version);
    /// At stop: what the view log still holds goes to the store thread, which commits it before it stops.
    void store_views_before_stop();

    struct office_entry {
        office_config settings;
        engine::office_calendar calendar;
    };

    net::io_context& ioc_;
    config cfg_;
    std::unique_ptr<store::writer> writer_;
    alert_hub hub_;
    ask::metrics metrics_;
    login_throttle logins_;
    net::thread_pool cpu_{1};
    ask::password_checks passwords_{ioc_, cpu_};
    std::unordered_map<std::int64_t, office_entry> offices_;
    std::int64_t default_office_ = 0;
    std::unordered_map<std::string, std::int64_t> office_by_number_; ///< sms_number -> office id
    std::unique_ptr<gateways::sms_sender> sms_;
    sms::retry_pauses sms_pauses_{ioc_};
    std::unique_ptr<ask::escalator> escalator_;
    std::unique_ptr<sms::resident_notifier> resident_sms_;
    /// Read as askd starts, used and cleared by start(): by open request whose resident is texted,
    /// what it was last texted and the text owed to it: resident_notifier::resume.
    std::map<std::int64_t, store::resident_texted> last_told_;
    /// The same for the requests resolved within resident_notifier::closing_text_owed_for, with the request.
    std::vector<std::pair<store::request_record, store::resident_texted>> last_told_closed_;
    /// Read as askd starts, handed over by start(): escalator::resume_texts.
    std::vector<store::unsent_staff_text> unsent_staff_texts_;
    /// Read as askd starts, handed over by start(): sms::resume_answers.
    std::vector<store::unsent_reply> unsent_replies_;
    flood_guard sms_flood_;
    press_guard presses_;
    std::unordered_set<std::string> staff_texts_in_flight_;
    std::unordered_set<std::string> long_texts_in_delivery_;
    sms::waiting_parts waiting_parts_;
    view_log views_;
    sign_in_watch sign_ins_;
    /// Re-notifications of one request not yet recorded.
    struct unrecorded_rings {
        int recipients = 0; ///< staff reachable at its last ring
        int times = 0;      ///< rings since the last record (several while the storage fails; 0: it was due
                            ///< with nobody reachable, which its resident must then be told)
    };
    /// By request id. A later ring replaces `recipients` and adds to `times`, so that the count of pushes
    /// is whole once the records are stored again.
    std::map<std::int64_t, unrecorded_rings> renotified_unrecorded_;
    bool recording_renotified_ = false; ///< a record_renotified() is under way
    bool escalating_ = false;           ///< an escalator tick is under way
    bool checking_nobody_ = false;      ///< a resident_notifier::check_nobody_on_duty() is under way
    bool renotify_failing_ = false;     ///< the last record failed (logged once until one works)
    bool views_failing_ = false; ///< the last try to store views failed (logged once until one works)
    std::uint64_t upkeep_passes_ = 0;
    std::uint64_t sign_in_checks_ = 0;
    std::optional<std::int64_t> gave_back_at_version_; ///< the outside data_version last looked at
    std::optional<std::int64_t> refreshed_at_version_; ///< the outside data_version the cards last matched
    net::steady_timer tick_;
    net::steady_timer upkeep_tick_;
    bool stopping_ = false;
};

} // namespace ask
