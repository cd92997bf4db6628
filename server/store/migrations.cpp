#include "server/store/migrations.hpp"

#include "server/store/error.hpp"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>

namespace ask::store {
namespace {

// Each entry moves the schema up one version. Never edit a released entry: add a new one.
// Times are integer milliseconds since the epoch (UTC). Enums are their wire names.
constexpr std::array<std::string_view, 18> migrations{
    R"sql(
CREATE TABLE offices (
    id          INTEGER PRIMARY KEY,
    slug        TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    time_zone   TEXT NOT NULL
);

CREATE TABLE staff (
    id            INTEGER PRIMARY KEY,
    office_id     INTEGER NOT NULL REFERENCES offices(id),
    username      TEXT NOT NULL UNIQUE,
    display_name  TEXT NOT NULL,
    role          TEXT NOT NULL CHECK (role IN ('staff', 'coordinator', 'admin')),
    phone         TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,              -- argon2id string
    on_duty       INTEGER NOT NULL DEFAULT 0 CHECK (on_duty IN (0, 1)),
    created_at    INTEGER NOT NULL
);

-- Login sessions, keyed by the SHA-256 of the token; the token itself is never stored.
CREATE TABLE staff_sessions (
    token_hash  TEXT PRIMARY KEY,
    staff_id    INTEGER NOT NULL REFERENCES staff(id) ON DELETE CASCADE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL
);

CREATE TABLE residents (
    id          INTEGER PRIMARY KEY,
    office_id   INTEGER NOT NULL REFERENCES offices(id),
    name        TEXT NOT NULL,
    phone       TEXT NOT NULL DEFAULT '',     -- E.164, '' when none
    address     TEXT NOT NULL DEFAULT '',
    needs       TEXT NOT NULL DEFAULT '',     -- comma-separated, e.g. 'deaf,wheelchair'
    token_hash  TEXT NOT NULL UNIQUE,         -- SHA-256 of the access token
    created_at  INTEGER NOT NULL
);
CREATE INDEX residents_phone ON residents(phone) WHERE phone <> '';

CREATE TABLE requests (
    id                 INTEGER PRIMARY KEY,
    office_id          INTEGER NOT NULL REFERENCES offices(id),
    resident_id        INTEGER NOT NULL REFERENCES residents(id),
    client_request_id  TEXT,                  -- the client's idempotency key, NULL when none
    priority           TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
    channel            TEXT NOT NULL CHECK (channel IN ('web', 'button', 'sms')),
    message            TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL CHECK (state IN ('received', 'queued', 'notifying', 'acknowledged',
                                                      'resolved', 'cancelled')),
    created_at         INTEGER NOT NULL,
    notify_count       INTEGER NOT NULL DEFAULT 0,
    acked_by           INTEGER REFERENCES staff(id),
    acked_at           INTEGER,
    resolved_by        INTEGER REFERENCES staff(id),
    resolved_at        INTEGER,
    outcome            TEXT CHECK (outcome IS NULL OR outcome IN ('called_back', 'visit_scheduled', 'referred',
                                                                  'emergency_services', 'no_contact', 'other')),
    note               TEXT NOT NULL DEFAULT '',
    UNIQUE (resident_id, client_request_id)
);
-- The queue: open requests, urgent first, then oldest.
CREATE INDEX requests_open ON requests(office_id, priority DESC, created_at, id)
    WHERE state NOT IN ('resolved', 'cancelled');

-- Every step of every request, append-only: written in the same transaction as the change it records.
CREATE TABLE request_events (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind IN ('resident', 'staff', 'system')),
    actor_id    INTEGER,
    detail      TEXT NOT NULL DEFAULT '{}'    -- a JSON object
);
CREATE INDEX request_events_by_request ON request_events(request_id, id);
CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
    BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
    BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
)sql",
    // v2: the `contacted` state, repeated presses, and each request's place on its escalation
    // ladder (persisted so a restart resumes the ladder where it was). SQLite cannot alter a
    // CHECK constraint, so the table is rebuilt (https://sqlite.org/lang_altertable.html, "otherwise").
    R"sql(
CREATE TABLE requests_v2 (
    id                 INTEGER PRIMARY KEY,
    office_id          INTEGER NOT NULL REFERENCES offices(id),
    resident_id        INTEGER NOT NULL REFERENCES residents(id),
    client_request_id  TEXT,
    priority           TEXT NOT NULL CHECK (priority IN ('urgent', 'normal')),
    channel            TEXT NOT NULL CHECK (channel IN ('web', 'button', 'sms')),
    message            TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL CHECK (state IN ('received', 'queued', 'notifying', 'acknowledged',
                                                      'contacted', 'resolved', 'cancelled')),
    created_at         INTEGER NOT NULL,
    notify_count       INTEGER NOT NULL DEFAULT 0,
    acked_by           INTEGER REFERENCES staff(id),
    acked_at           INTEGER,
    contacted_by       INTEGER REFERENCES staff(id),
    contacted_at       INTEGER,
    resolved_by        INTEGER REFERENCES staff(id),
    resolved_at        INTEGER,
    outcome            TEXT CHECK (outcome IS NULL OR outcome IN ('called_back', 'visit_scheduled', 'referred',
                                                                  'emergency_services', 'no_contact', 'other')),
    note               TEXT NOT NULL DEFAULT '',
    repeat_count       INTEGER NOT NULL DEFAULT 0,   -- further presses merged into this open request
    ladder_started_at  INTEGER NOT NULL,             -- when the current escalation ladder began
    ladder_cycle       INTEGER NOT NULL DEFAULT 0,   -- which run of the ladder
    ladder_next_step   INTEGER NOT NULL DEFAULT 0,   -- next step to fire in that run
    ack_reminders      INTEGER NOT NULL DEFAULT 0,   -- ack-timeout follow-ups done (0, 1, 2)
    UNIQUE (resident_id, client_request_id)
);
INSERT INTO requests_v2 (id, office_id, resident_id, client_request_id, priority, channel, message, state,
                         created_at, notify_count, acked_by, acked_at, resolved_by, resolved_at, outcome, note,
                         ladder_started_at)
    SELECT id, office_id, resident_id, client_request_id, priority, channel, message, state,
           created_at, notify_count, acked_by, acked_at, resolved_by, resolved_at, outcome, note, created_at
    FROM requests;
DROP TABLE requests;
ALTER TABLE requests_v2 RENAME TO requests;
CREATE INDEX requests_open ON requests(office_id, priority DESC, created_at, id)
    WHERE state NOT IN ('resolved', 'cancelled');
CREATE INDEX requests_by_created ON requests(office_id, created_at);
)sql",
    // v3: SMS. A text from an unknown number still makes a request, on a placeholder resident flagged
    // unknown_sender; residents can opt out of texts (STOP); staff are found by their phone.
    R"sql(
ALTER TABLE residents ADD COLUMN unknown_sender INTEGER NOT NULL DEFAULT 0 CHECK (unknown_sender IN (0, 1));
ALTER TABLE residents ADD COLUMN sms_opt_out INTEGER NOT NULL DEFAULT 0 CHECK (sms_opt_out IN (0, 1));
CREATE INDEX staff_phone ON staff(phone) WHERE phone <> '';
-- Texts already acted on (staff replies, STOP/START), so a provider's retry changes nothing.
-- Residents' texts need no row here: their request_id is derived from the provider's message id.
CREATE TABLE inbound_sms (
    provider     TEXT NOT NULL,
    message_id   TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, message_id)
) WITHOUT ROWID;
-- Delivery reports find the request of a text by the id its gateway gave it.
CREATE INDEX request_events_sent_sms ON request_events(json_extract(detail, '$.provider_id'))
    WHERE kind = 'sms_sent';
)sql",
    // v4: the same constraints, written as OR chains. SQLite checks `x IN (list of 3 or more)` by
    // building a temporary b-tree of the list on every execution; the CHECKs on these two tables ran
    // on every press (four such lists, about 5 us each: a third of a press's time in the store).
    // Same rows allowed, same columns, indexes and triggers; the tables are rebuilt as in v2.
    R"sql(
CREATE TABLE requests_v4 (
    id                 INTEGER PRIMARY KEY,
    office_id          INTEGER NOT NULL REFERENCES offices(id),
    resident_id        INTEGER NOT NULL REFERENCES residents(id),
    client_request_id  TEXT,
    priority           TEXT NOT NULL CHECK (priority = 'urgent' OR priority = 'normal'),
    channel            TEXT NOT NULL CHECK (channel = 'web' OR channel = 'button' OR channel = 'sms'),
    message            TEXT NOT NULL DEFAULT '',
    state              TEXT NOT NULL CHECK (state = 'received' OR state = 'queued' OR state = 'notifying'
                                            OR state = 'acknowledged' OR state = 'contacted'
                                            OR state = 'resolved' OR state = 'cancelled'),
    created_at         INTEGER NOT NULL,
    notify_count       INTEGER NOT NULL DEFAULT 0,
    acked_by           INTEGER REFERENCES staff(id),
    acked_at           INTEGER,
    contacted_by       INTEGER REFERENCES staff(id),
    contacted_at       INTEGER,
    resolved_by        INTEGER REFERENCES staff(id),
    resolved_at        INTEGER,
    outcome            TEXT CHECK (outcome IS NULL OR outcome = 'called_back' OR outcome = 'visit_scheduled'
                                   OR outcome = 'referred' OR outcome = 'emergency_services'
                                   OR outcome = 'no_contact' OR outcome = 'other'),
    note               TEXT NOT NULL DEFAULT '',
    repeat_count       INTEGER NOT NULL DEFAULT 0,
    ladder_started_at  INTEGER NOT NULL,
    ladder_cycle       INTEGER NOT NULL DEFAULT 0,
    ladder_next_step   INTEGER NOT NULL DEFAULT 0,
    ack_reminders      INTEGER NOT NULL DEFAULT 0,
    UNIQUE (resident_id, client_request_id)
);
INSERT INTO requests_v4
    SELECT id, office_id, resident_id, client_request_id, priority, channel, message, state, created_at,
           notify_count, acked_by, acked_at, contacted_by, contacted_at, resolved_by, resolved_at, outcome, note,
           repeat_count, ladder_started_at, ladder_cycle, ladder_next_step, ack_reminders
    FROM requests;
DROP TABLE requests;
ALTER TABLE requests_v4 RENAME TO requests;
CREATE INDEX requests_open ON requests(office_id, priority DESC, created_at, id)
    WHERE state NOT IN ('resolved', 'cancelled');
CREATE INDEX requests_by_created ON requests(office_id, created_at);

CREATE TABLE request_events_v4 (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    at          INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    actor_kind  TEXT NOT NULL CHECK (actor_kind = 'resident' OR actor_kind = 'staff'
                                     OR actor_kind = 'system'),
    actor_id    INTEGER,
    detail      TEXT NOT NULL DEFAULT '{}'
);
INSERT INTO request_events_v4
    SELECT id, request_id, at, kind, actor_kind, actor_id, detail FROM request_events;
DROP TABLE request_events;
ALTER TABLE request_events_v4 RENAME TO request_events;
CREATE INDEX request_events_by_request ON request_events(request_id, id);
CREATE TRIGGER request_events_no_update BEFORE UPDATE ON request_events
    BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
    BEGIN SELECT RAISE(ABORT, 'request_events is append-only'); END;
CREATE INDEX request_events_sent_sms ON request_events(json_extract(detail, '$.provider_id'))
    WHERE kind = 'sms_sent';
)sql",
    // v5: the parts of a long text, saved as each arrives (store/sms_parts.hpp). Before, they were held
    // in memory and acknowledged to the provider, so a restart lost them.
    R"sql(
CREATE TABLE inbound_parts (
    provider     TEXT NOT NULL,
    sender       TEXT NOT NULL,
    part_ref     TEXT NOT NULL,
    part_index   INTEGER NOT NULL CHECK (part_index >= 1),
    part_total   INTEGER NOT NULL CHECK (part_total >= part_index),
    message_id   TEXT NOT NULL,
    recipient    TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    PRIMARY KEY (provider, sender, part_ref, part_index)
) WITHOUT ROWID;
CREATE INDEX inbound_parts_by_age ON inbound_parts(received_at);
)sql",
    // v6: inbound_sms now also holds the message id of every part of a delivered long text (v3's
    // comment predates that), so it is pruned: rows older than the longest provider retry are
    // forgotten every hour (application::forget_old_records), found by this index.
    R"sql(
CREATE INDEX inbound_sms_by_age ON inbound_sms(received_at);
)sql",
    // v7: closed requests are deleted with their history once the office's retention period has passed
    // (RODO: storage limitation; store/retention.hpp). The history stays append-only while its request is
    // open: only the events of a closed request may be deleted (store::forget_closed_requests deletes them
    // all, then the request). Closed requests are found by age.
    R"sql(
DROP TRIGGER request_events_no_delete;
CREATE TRIGGER request_events_no_delete BEFORE DELETE ON request_events
    WHEN NOT EXISTS (SELECT 1 FROM requests WHERE id = OLD.request_id AND state IN ('resolved', 'cancelled'))
    BEGIN SELECT RAISE(ABORT, 'request_events is append-only while its request is open'); END;
CREATE INDEX requests_closed_by_age ON requests(coalesce(resolved_at, created_at), id)
    WHERE state IN ('resolved', 'cancelled');
)sql",
    // v8: who of the staff was shown a resident's card, a row per staff member, resident and UTC day
    // (store/resident_views.hpp). A placeholder resident deleted by retention takes their rows along;
    // staff are never deleted, so whose eyes a card reached is never lost with an account.
    R"sql(
CREATE TABLE resident_views (
    resident_id INTEGER NOT NULL REFERENCES residents(id) ON DELETE CASCADE,
    staff_id    INTEGER NOT NULL REFERENCES staff(id),
    day         INTEGER NOT NULL,
    first_at    INTEGER NOT NULL,
    PRIMARY KEY (resident_id, staff_id, day)
) WITHOUT ROWID;
CREATE INDEX resident_views_by_day ON resident_views(day);
)sql",
    // v9: a staff member who has left is disabled, not deleted: the histories of the requests they took
    // and the record of cards shown name them. Disabled, they cannot sign in and are not alerted by text
    // (store/account_changes.hpp). sessions_ended_at: every sign-in of the account from before it no
    // longer holds (disabled, or a new password), which a serving askd checked its live dashboards by
    // (replaced by a count in v10).
    R"sql(
ALTER TABLE staff ADD COLUMN disabled_at INTEGER;
ALTER TABLE staff ADD COLUMN sessions_ended_at INTEGER;
)sql",
    // v10: sign_ins_ended counts the times every sign-in of the account was ended (disabled, or a new
    // password); a serving askd notes it with each live dashboard's sign-in and ends the dashboard once it
    // has moved. It replaces v9's sessions_ended_at, a wall-clock time: after a clock stepped back, sign-ins
    // made after the change looked older than it and were ended too. Live dashboards do not outlast a
    // restart, so no count needs carrying over.
    R"sql(
ALTER TABLE staff ADD COLUMN sign_ins_ended INTEGER NOT NULL DEFAULT 0;
ALTER TABLE staff DROP COLUMN sessions_ended_at;
)sql",
    // v11: an acknowledged request's ack-timeout follow-ups count from ladder_started_at alone, which an
    // acknowledgement sets to its time and a later press to the press's (engine::decide); an
    // acknowledgement recorded before it was set so gets it now.
    R"sql(
UPDATE requests SET ladder_started_at = acked_at WHERE state = 'acknowledged' AND acked_at > ladder_started_at;
)sql",
    // v12: the parts of a long text delivered with parts missing, kept a while with the request it became
    // (store/sms_parts.hpp): a missing part that arrives later completes that request's message. Before,
    // it waited as a text of its own and then counted as the resident writing again, which raised the
    // request to urgent and rang it once more.
    R"sql(
CREATE TABLE incomplete_text_parts (
    provider     TEXT NOT NULL,
    sender       TEXT NOT NULL,
    part_ref     TEXT NOT NULL,
    part_index   INTEGER NOT NULL CHECK (part_index >= 1),
    part_total   INTEGER NOT NULL CHECK (part_total >= part_index),
    message_id   TEXT NOT NULL,
    recipient    TEXT NOT NULL DEFAULT '',
    text         TEXT NOT NULL,
    received_at  INTEGER NOT NULL,
    request_id   INTEGER NOT NULL,
    delivered_at INTEGER NOT NULL,
    PRIMARY KEY (provider, sender, part_ref, part_index)
) WITHOUT ROWID;
CREATE INDEX incomplete_text_parts_by_age ON incomplete_text_parts(delivered_at);
)sql",
    // v13: the texts to staff phones and after-hours phones an escalation decided, kept until the provider
    // has taken them (store/staff_texts.hpp). Before, askd stopping or dying between the decision's commit
    // and the provider's answer lost the text, as did a provider down through every attempt. They go with
    // their request (retention, a resident removed); AUTOINCREMENT: a text being sent as its row goes with
    // its request must not forget a newer text that reused the id.
    R"sql(
CREATE TABLE unsent_staff_texts (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    request_id INTEGER NOT NULL REFERENCES requests(id) ON DELETE CASCADE,
    staff_id   INTEGER,
    phone      TEXT NOT NULL,
    kind       TEXT NOT NULL CHECK (kind = 'step' OR kind = 'follow_up' OR kind = 'by_hand' OR kind = 'after_hours'),
    decided_in TEXT NOT NULL,
    held_by    INTEGER,
    situation  TEXT NOT NULL,
    decided_at INTEGER NOT NULL
);
CREATE INDEX unsent_staff_texts_by_request ON unsent_staff_texts(request_id);
)sql",
    // v14: askd's answers to texts from staff phones ("12a": taken, and whom to call) and to START, kept
    // until the provider has answered for them (store/replies.hpp). Before, askd stopping or dying after
    // the reply's action was committed, and so after the provider was told the text was received, lost
    // the answer. An answer about a request goes with it (retention, a resident removed), one to a member
    // with the account; staff_id NULL: to a number that sent START.
    R"sql(
CREATE TABLE unsent_replies (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    office_id  INTEGER NOT NULL,
    staff_id   INTEGER REFERENCES staff(id) ON DELETE CASCADE,
    phone      TEXT NOT NULL,
    request_id INTEGER REFERENCES requests(id) ON DELETE CASCADE,
    text       TEXT NOT NULL,
    decided_at INTEGER NOT NULL
);
CREATE INDEX unsent_replies_by_request ON unsent_replies(request_id);
)sql",
    // v15: the member an answer says has its request ("przyjęto…" with whom to call, "ma już X"), so that
    // one tried again once the request was given back, taken by another or closed is dropped rather than
    // sent (store/replies.hpp). NULL: an answer that says no such thing, or one kept before this version.
    R"sql(
ALTER TABLE unsent_replies ADD COLUMN taken_by INTEGER;
)sql",
    // v16: when a request closed (resolved, or cancelled by its resident), so the dashboard can list an
    // office's recently closed requests newest first (store::closed_requests) by an index, not by reading
    // every closed request's log. resolved_at stays a resolution's alone (statistics time it); a cancelled
    // request's time is its `cancelled` event's (its creation, were the event ever missing).
    R"sql(
ALTER TABLE requests ADD COLUMN closed_at INTEGER;
UPDATE requests SET closed_at = coalesce(resolved_at, created_at) WHERE state = 'resolved';
UPDATE requests SET closed_at = coalesce((SELECT max(e.at) FROM request_events AS e
                                          WHERE e.request_id = requests.id AND e.kind = 'cancelled'), created_at)
    WHERE state = 'cancelled';
CREATE INDEX requests_closed_recently ON requests(office_id, closed_at, id) WHERE state IN ('resolved', 'cancelled');
)sql",
    // v17: the words of the resident's latest press again that had any (a second text, "Nadal czekam" on the
    // page), so the dashboard's card shows them beside the first message: "Upadłam, nie mogę wstać" must not
    // wait in the history until someone opens it. Filled in from the `repeated` events already kept.
    R"sql(
ALTER TABLE requests ADD COLUMN latest_message TEXT NOT NULL DEFAULT '';
UPDATE requests SET latest_message = coalesce((SELECT json_extract(e.detail, '$.message') FROM request_events AS e
                                               WHERE e.request_id = requests.id AND e.kind = 'repeated'
                                               AND json_extract(e.detail, '$.message') <> ''
                                               ORDER BY e.id DESC LIMIT 1), '')
    WHERE repeat_count > 0;
)sql",
    // v18: each kept text's key (gateways/text_key.hpp), the same at every try and after a restart, so that a
    // provider that took it at a try whose answer was lost refuses the next as a repeat instead of sending it
    // again. The texts kept before get one each now.
    R"sql(
ALTER TABLE unsent_staff_texts ADD COLUMN send_key TEXT NOT NULL DEFAULT '';
UPDATE unsent_staff_texts SET send_key = lower(hex(randomblob(16)));
ALTER TABLE unsent_replies ADD COLUMN send_key TEXT NOT NULL DEFAULT '';
UPDATE unsent_replies SET send_key = lower(hex(randomblob(16)));
)sql"};

// 1 when any row breaks a foreign key, else 0.
result<int> foreign_key_violations(database& db) {
    auto stmt = db.prepare("PRAGMA foreign_key_check");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return *row ? 1 : 0;
}

} // namespace

int schema_version() { return static_cast<int>(migrations.size()); }

result<int> user_version(database& db) {
    auto stmt = db.prepare("PRAGMA user_version");
    if (!stmt)
        return stmt.error();
    auto row = stmt->step();
    if (!row)
        return row.error();
    return static_cast<int>(stmt->column_int(0));
}

result<void> migrate(database& db, int target) {
    auto current = user_version(db);
    if (!current)
        return current.error();
    if (*current > schema_version())
        return make_error_code(errc::conflict);
    if (*current >= target)
        return {};
    // Rebuilding a table needs foreign keys off (they cannot change inside a transaction);
    // foreign_key_check then proves the rebuilt schema still holds before each commit.
    if (auto r = db.exec("PRAGMA foreign_keys=OFF"); !r)
        return r.error();
    for (int version = *current; version < std::min(target, schema_version()); ++version) {
        std::string sql = "BEGIN IMMEDIATE;\n" + std::string(migrations[static_cast<std::size_t>(version)]) +
                          "\nPRAGMA user_version = " + std::to_string(version + 1) + ";";
        auto applied = db.exec(sql);
        auto broken = applied ? foreign_key_violations(db) : result<int>(0);
        if (!applied || !broken || *broken) {
            db.exec("ROLLBACK");
            db.exec("PRAGMA foreign_keys=ON");
            if (!applied)
                return applied.error();
            return broken ? make_error_code(errc::constraint) : broken.error();
        }
        if (auto r = db.exec("COMMIT"); !r) {
            db.exec("ROLLBACK");
            db.exec("PRAGMA foreign_keys=ON");
            return r.error();
        }
    }
    return db.exec("PRAGMA foreign_keys=ON");
}

} // namespace ask::store
