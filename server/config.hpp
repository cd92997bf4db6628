// askd's configuration: defaults that run safely as they are, overridden by a TOML file.
// Every key is documented in config/askd.example.toml. Loading validates every value
// and fails with a message that names the key and the problem.
#pragma once

#include "protocol/client_messages.hpp"
#include "server/engine/escalation_policy.hpp"
#include "server/engine/office_hours.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ask {

struct office_config {
    std::string slug = "demo";
    std::string name = "Urząd Gminy Przykładowo";
    std::string time_zone = "Europe/Warsaw";
    engine::weekly_hours hours = engine::weekly_hours::always(); ///< open every hour unless configured
    std::string after_hours_phone; ///< E.164; texted about requests waiting while closed; "" = none
    /// E.164; the office's own SMS number: a text from a number no resident or member has, sent to it,
    /// makes a request of this office (otherwise of the first office). "" = none.
    std::string sms_number;
    /// Texts about this office's requests and to its staff with Polish letters as plain ones (GSM-7, 160
    /// characters a part, instead of UCS-2, 70): the office's choice; unset = [sms] transliterate.
    std::optional<bool> sms_transliterate;
};

struct limits_config {
    std::size_t http_body_bytes = 16 * 1024;
    std::size_t http_header_bytes = 8 * 1024;
    std::chrono::seconds http_timeout{30};        ///< to read one whole request, and to write a response
    std::chrono::seconds reply_timeout{10};       ///< longest wait for an answer (the store); then 503, work goes on
    std::size_t ws_message_bytes = 16 * 1024;
    std::chrono::seconds ws_idle_timeout{20};     ///< a silent dashboard is pinged, then dropped after this
    std::size_t ws_outbox_messages = 256;         ///< a reader this far behind is disconnected
    std::size_t max_connections = 10000;
    protocol::text_limits text;
    /// A resident's presses (web page, button device) stored per window; past it a press is answered 429
    /// too_many_presses and not stored (app/press_guard.hpp). Five a minute: the first makes the request,
    /// the next raise it to urgent and ring every on-duty dashboard again, and a person pressing as fast
    /// as the page lets them (a 5-second undo before each send) gets most of theirs through; past a
    /// handful a minute another ring tells staff nothing new, while a stuck button or a script is held
    /// to five commits a minute instead of hundreds a second. New requests have the same allowance
    /// of their own, so a press after the request was closed is never refused for the repeats before it.
    int presses_per_window = 5;
    std::chrono::seconds press_window{60};
};

/// A secret and, during a rotation, the one it replaces: both are accepted on webhooks.
using secrets = std::vector<std::string>;

/// One SMS provider ([gateways.<name>]). Which fields a provider needs is checked at load time.
struct gateway_config {
    bool enabled = false;
    std::string base_url;          ///< API root, e.g. "https://api.twilio.com" (regional endpoints, tests)
    std::string from;              ///< the sender number or name used when sending
    std::string account_sid;       ///< twilio
    secrets auth_token;            ///< twilio: API password and webhook signing key
    std::string token;             ///< smsapi: OAuth token for sending
    std::string username;          ///< smsapi: the account name its webhooks carry; smsgate: API user
    std::string password;          ///< smsgate: API password
    std::string api_key;           ///< vonage
    std::string api_secret;        ///< vonage
    secrets signature_secret;      ///< vonage: webhook `sig` secret
    std::string signature_method = "md5hash"; ///< vonage: md5hash, md5, sha1, sha256 or sha512
    secrets signing_key;           ///< smsgate: webhook X-Signature key
    /// smsapi: the key its callback URLs carry (`?key=…`), SMSAPI signing nothing; none: callbacks refused
    secrets webhook_key;
};

inline gateway_config gateway_at(std::string base_url) {
    gateway_config g;
    g.base_url = std::move(base_url);
    return g;
}

struct gateways_config {
    gateway_config twilio = gateway_at("https://api.twilio.com");
    gateway_config smsapi = gateway_at("https://api.smsapi.pl");
    gateway_config vonage = gateway_at("https://rest.nexmo.com");
    gateway_config smsgate = gateway_at("https://api.sms-gate.app/3rdparty/v1");
    const gateway_config* find(std::string_view name) const;
};

struct sms_config {
    std::string sender = "log";   ///< "log" or an enabled provider: who carries outbound texts
    std::string failover;         ///< a second enabled provider, tried when the first fails; "" = none
    bool transliterate = false;   ///< Polish letters as plain ones, for offices that do not set sms_transliterate
    int max_attempts = 4;         ///< per provider, with exponential backoff, on network errors, 5xx and 429
    std::chrono::seconds send_timeout{10};         ///< one HTTP exchange with a provider, its lookup included
    int inbound_per_window = 10;                   ///< texts from one number stored per window; more are dropped
    std::chrono::seconds inbound_window{600};
    std::chrono::seconds signature_window{300};    ///< accepted clock skew of signed webhook timestamps
    std::chrono::seconds parts_wait{600};          ///< a long text's missing parts are awaited this long
};

/// [accessibility]: who publishes ASK's pages and whom to contact, for the accessibility statement at
/// /dostepnosc (ustawa o dostępności cyfrowej, art. 10; http/statement.hpp). Each field may be left
/// empty: the statement then says it was not given and `askd serve` warns of it; `askd demo` uses demo().
/// Dates are "YYYY-MM-DD", as the statement shows them.
struct accessibility_config {
    std::string entity;         ///< the public body publishing the pages; "" = the first office's name
    std::string contact_person; ///< who answers about accessibility (e.g. the koordynator dostępności)
    std::string email;
    std::string phone;                ///< E.164
    std::string office_statement_url; ///< the office's own statement (its building, sign language…)
    std::string published;            ///< when the office published the ASK pages
    std::string updated;              ///< their last significant update; not before `published`
    std::string prepared;             ///< when the statement was prepared (self-assessment)
    /// Made-up contact data and dates for `askd demo`, so its statement reads as a real one would.
    static accessibility_config demo();
    /// The keys left empty that the statement needs (entity aside: it has the office's name), for
    /// `askd serve` to warn of.
    std::vector<std::string_view> missing() const;
    /// True when `prepared` is before the year of the last 31 March already over on `today` (days since
    /// 1970; on 31 March itself, the year before's): the act (art. 10) wants the statement updated by
    /// 31 March every year, so from 1 April a statement last prepared or reviewed in an earlier year is
    /// overdue. False with no date (missing() names it).
    bool review_overdue(long long today) const;
};

struct config {
    std::string listen_host = "127.0.0.1";
    std::uint16_t listen_port = 8080;
    std::vector<std::string> allowed_origins;     ///< beyond the server's own origin, for cookie sessions
    std::string public_url;                       ///< the external URL providers call and sign, e.g. behind a proxy
    std::string db_path = "data/ask.db";
    int busy_timeout_ms = 5000;
    std::size_t group_commit_max = 512;
    int group_commit_wait_us = 500;               ///< under load, a group's longest wait for more writes
    std::size_t store_queue_max = 20000;          ///< store jobs waiting at most; beyond, 503 (urgent: twice)
    limits_config limits;
    std::chrono::seconds renotify{30};
    /// How long dashboards get to come back (a restart, a network blip, a shift handing over) before
    /// nobody reachable counts: residents told by SMS that staff are being alerted are texted otherwise
    /// (resident_notifier::check_nobody_on_duty), and ladder steps are judged reaching nobody only once
    /// askd has run this long (escalator's pass_on_from_unreached).
    std::chrono::seconds reconnect_grace{60};
    std::chrono::hours session_ttl{12};
    int keep_closed_days = 0; ///< closed requests and their history are deleted this long after (0: kept)
    std::string log_level = "info";
    std::vector<office_config> offices{office_config{}};
    engine::escalation_policy escalation = engine::escalation_policy::defaults();
    sms_config sms;
    gateways_config gateways;
    accessibility_config accessibility;
};

/// A configuration problem; what() names the key, e.g. "limits.http_body_bytes: must be between 1024 and 10485760".
class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// Reads and validates a TOML file over the defaults. @throws config_error.
config load_config(const std::string& path);

/// The office's time zone: the system's zoneinfo, or for Europe/Warsaw the built-in EU rule
/// when tzdata is missing. @throws config_error naming `key` for an unknown zone.
engine::time_zone load_time_zone(const std::string& name, const std::string& key);

/// Parses "host:port" or "[v6]:port" into the config. @throws config_error naming `key`.
void set_listen(config&, const std::string& value, const std::string& key);

} // namespace ask
