// The in-memory view of every open request and of everyone listening, owned by the I/O
// thread (no locks: only the I/O thread calls in).
//
// The store is the truth. The hub changes only through apply(), which callers invoke
// with a request as it stands after a commit, in commit order; it then tells the
// office's dashboards and the resident. It never changes a request by itself: what it
// decides (who is reachable, what is due to ring again) it reports to the caller, which
// persists it and applies the result.
#pragma once

#include "server/app/subscriber.hpp"
#include "server/store/requests.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <unordered_map>
#include <vector>

namespace ask {

using protocol::millis;

/// A staff dashboard connection.
struct staff_seat {
    subscriber* sink;
    std::int64_t staff_id;
    std::int64_t office_id;
};

/// Whether an office is open by its calendar at a moment, and when it opens next.
struct office_availability {
    bool open = true;
    std::optional<millis> opens_at;       ///< UTC; absent when open or unknown
    std::optional<millis> opens_at_local; ///< the same instant on the office's wall clock
};

class alert_hub {
public:
    /// How a change reached the hub, which decides who is told and how.
    /// `clock` gives the current time; injected so tests can drive it.
    explicit alert_hub(std::function<millis()> clock) : clock_(std::move(clock)) {}

    enum class change {
        created,   ///< a new request: rings on duty dashboards
        updated,   ///< any later change: quiet update on dashboards
        renotified, ///< pushed again to on-duty staff: rings
        recorded    ///< bookkeeping only (e.g. a notify count): nobody is told
    };

    /// How the hub learns an office's calendar (default: always open). Set once at startup.
    void set_calendar(std::function<office_availability(std::int64_t office_id, millis now)> calendar) {
        calendar_ = std::move(calendar);
    }

    /// Called with every status a resident is told (a new request, a change of state), after the
    /// live connections were told; the SMS notifier listens here. Set once at startup.
    void set_status_listener(std::function<void(const store::request_record&, const protocol::status_view&)> f) {
        status_listener_ = std::move(f);
    }

    /// Called for every message with a resident's card (name, phone, address, needs) handed to a staff
    /// member's dashboard, with the moment of the change that sent it: the record of who was shown it
    /// (app/view_log.hpp). A connection that is closing or has fallen too far behind may drop it; the
    /// record counts it anyway, erring on the side of "shown". Set once at startup.
    void
    set_card_listener(std::function<void(std::int64_t staff_id, std::int64_t resident_id, millis at)> f) {
        card_listener_ = std::move(f);
    }

    /// What the resident is told about a request now, including the office-closed answer
    /// while nobody has taken it and nobody can be alerted (office closed or nobody on duty).
    protocol::status_view status_of(const store::request_record&) const;

    /// Tells the resident where the request stands now: their open pages, then the status listener.
    /// apply() does this for every change but a renotification.
    void report_status(const store::request_record&) const;

    /// Rings the dashboards of these staff members (on duty or not) with the request.
    void ring_staff(const std::vector<std::int64_t>& staff_ids, const store::request_record&) const;

    /// Replaces the open requests, e.g. from store::open_requests() at startup.
    void load(std::vector<store::request_record> open);

    /// Adopts the request as committed and publishes it. Closed requests leave the queue. A `recorded` one
    /// whose resident's card, or taker's or contacter's name, differs from the hub's copy (an askd command
    /// corrected them since) is told as an update.
    void apply(const store::request_record&, change);

    /// Brings the open requests' cards up to date with the people as the store has them now
    /// (store::people_of_open_requests, read after an askd command changed the file): each open request
    /// whose resident's details, or whose taker's or contacter's name, differ from these is updated
    /// quietly on its office's dashboards, and its resident told where it stands. People not given are
    /// left as they are. Returns how many requests changed.
    std::size_t refresh_people(const std::vector<protocol::resident_card>& residents,
                               const std::vector<protocol::person_ref>& staff);

    /// Counts set_duty() calls. Read before a dashboard's sign-in reads the person's duty from the
    /// store, it tells add_staff() whether that read is still the newest.
    std::uint64_t duty_changes() const { return duty_changes_; }
    /// A staff member's dashboard joins; returns whether they are on duty. `stored_duty` was read from
    /// the store after duty_changes() was `changes_before_read`: it counts unless set_duty() changed
    /// the person's duty since (its commit then came after that read, or may have). It counts even
    /// with another of their dashboards open: an `askd` command may have changed the duty in the store.
    bool add_staff(staff_seat, bool stored_duty, std::uint64_t changes_before_read);
    void remove_staff(subscriber*);
    void add_resident(subscriber*, std::int64_t resident_id);
    void remove_resident(subscriber*);

    /// Records a staff member's duty and tells every dashboard of theirs (protocol::duty_json). Going
    /// on duty rings every unacknowledged request of the office on that person's dashboards at once.
    void set_duty(std::int64_t staff_id, std::int64_t office_id, bool on);

    /// True while the staff member has at least one dashboard connected.
    bool connected(std::int64_t staff_id) const;
    /// Everyone with at least one dashboard connected, on duty or not.
    std::set<std::int64_t> connected_staff() const;
    /// On-duty staff with at least one live dashboard in the office: who an alert reaches.
    /// Kept up to date as dashboards come and go and duty changes: O(1) per press and status.
    int reachable_staff(std::int64_t office_id) const;
    /// reachable_staff() of every office with anyone reachable (absent: nobody).
    const std::map<std::int64_t, int>& reachable_by_office() const { return reachable_; }

    /// Open requests of the office in queue order (urgent first, then oldest).
    std::vector<protocol::alert_view> queue(std::int64_t office_id) const;
    /// The resident's open requests, oldest first.
    std::vector<const store::request_record*> open_for_resident(std::int64_t resident_id) const;
    const store::request_record* find(std::int64_t request_id) const;
    /// Every open request's id, in queue order.
    std::vector<std::int64_t> open_ids() const;
    /// A request's place in the queue order: urgent first, then oldest.
    using queue_key = std::tuple<int, millis, std::int64_t>; // rank, created_at, id
    /// Up to `n` open requests in queue order, after `from` (from the first without it): a walk over
    /// every open request in slices, each starting after the last key of the one before, so that
    /// neither a copy of 100,000 ids nor the walk holds the I/O thread up for long. A request raised to
    /// urgent between two slices (the only move in the order: store::submit_request) is passed by.
    std::vector<queue_key> open_after(const std::optional<queue_key>& from, std::size_t n) const;
    /// The last open request's key (none open: nullopt): where a walk over the queue as it is now ends.
    std::optional<queue_key> last_in_queue() const;

    /// Unacknowledged open requests whose last push is at least `interval` old at `now`, in
    /// queue order; marks them as pushed now, so each is reported once per interval. Costs
    /// what is due, not what is open: the periodic loop calls it every second on the I/O
    /// thread, where a walk of every open request (10,000 behind a backlog) held up presses
    /// by milliseconds. A push after `now` (the wall clock was stepped back) counts as pushed now.
    std::vector<std::int64_t> take_due(millis now, millis interval);

    std::size_t open_count() const { return open_.size(); }
    std::size_t staff_connections() const { return staff_.size(); }
    std::size_t resident_connections() const { return residents_.size(); }

    /// Sends a message to one resident's connections (e.g. a status on connect is sent directly instead).
    void tell_resident(std::int64_t resident_id, const shared_text&) const;

  private:
    static queue_key key_of(const store::request_record&);

    /// Enters or leaves by_last_push_ (only requests awaiting acknowledgement are in it).
    void schedule(const store::request_record&);
    void unschedule(const store::request_record&);
    /// The change to every open dashboard of the request's office (not for change::recorded).
    void publish_to_office(const store::request_record&, change) const;
    /// The topic of a card of `r` (`rings`: the dashboard rings for it): an urgent request's messages go
    /// ahead of normal ones queued for a dashboard, and a newer card may replace a queued one
    /// (subscriber::deliver).
    static topic topic_of(const store::request_record&, bool rings);
    /// What one change sends with a request's card: computed once, not per dashboard.
    struct card_message {
        const store::request_record& request;
        shared_text text;
        topic about;
        millis at;
    };
    /// Sends a message with the request's card to one dashboard, and tells the card listener.
    void send_card(const staff_seat&, const card_message&) const;
    bool on_duty(std::int64_t staff_id) const;
    /// On duty with a dashboard connected.
    bool reachable(std::int64_t staff_id) const;
    /// After a change to one staff member's seats or duty: moves the office's count if their
    /// reachability changed from `was`.
    void recount(std::int64_t staff_id, std::int64_t office_id, bool was);

    std::function<millis()> clock_;
    std::function<office_availability(std::int64_t, millis)> calendar_;
    std::function<void(const store::request_record&, const protocol::status_view&)> status_listener_;
    std::function<void(std::int64_t, std::int64_t, millis)> card_listener_;
    std::unordered_map<std::int64_t, store::request_record> open_;
    std::set<queue_key> order_;
    std::unordered_map<std::int64_t, std::optional<millis>> last_push_; ///< nullopt: never pushed by this process
    /// Every open request awaiting acknowledgement, by its last push (never pushed: first).
    std::set<std::pair<millis, std::int64_t>> by_last_push_;
    std::vector<staff_seat> staff_;
    std::unordered_map<std::int64_t, bool> duty_;
    std::uint64_t duty_changes_ = 0;
    /// staff id -> duty_changes_ as of its last set_duty
    std::unordered_map<std::int64_t, std::uint64_t> duty_changed_at_;
    std::unordered_map<std::int64_t, int> seats_; ///< staff id -> dashboards connected (absent: none)
    std::map<std::int64_t, int> reachable_;       ///< office id -> reachable staff (absent: none)
    std::multimap<std::int64_t, subscriber*> residents_;
};

} // namespace ask
