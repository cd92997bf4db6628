// The key that makes a text's tries one text to a provider that can tell a repeat.
//
// A provider may take a text and answer too late (after send_timeout_seconds) or never (the connection
// drops after the request went out). askd cannot tell that from a text not taken, so it tries again, and
// without a key each try is a new text: a resident or a member would get the same text at every try. SMSGate
// (an `id` per message, 409 for one it has) and SMSAPI (`idx` with `check_idx=1`, error 53 for one it has)
// refuse a repeat of a text they took; askd then takes the refusal as the earlier try's success. Twilio and
// Vonage have no such key: a late answer from them can still mean a text arrives twice. SMSGate's cloud knows
// ids per phone and picks a phone when none is named (askd names none): with several phones on one account a
// repeat may go out from another. Each provider remembers ids for a time of its own.
#pragma once

#include "gateways/sms_sender.hpp"

#include <string>

namespace ask::gateways {

/// A new key for one text: 32 lowercase hex digits from 16 random bytes, unique to it for good (a key kept
/// in a database restored from a backup must not match a text sent after the backup).
std::string new_text_key();

/// The id under which a provider knows `m`: 32 lowercase hex digits of SHA-256 over its key and its number,
/// so that a text tried again at a member's new number is a new text there. "" when `m` has no key.
std::string repeat_id(const sms_message& m);

} // namespace ask::gateways
