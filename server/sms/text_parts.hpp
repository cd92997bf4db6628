// Long texts that a provider delivers part by part (gateways/sms_parts.hpp). Each part is saved
// (store/sms_parts.hpp) before the provider is told it arrived; the part that completes its text
// hands the whole to receive_text. deliver_due_parts, from the application's timer, delivers the
// rest: texts whose missing parts stopped coming (what arrived, "(…)" where words are missing, so
// they still reach a person), the oldest when too many wait, and whole texts a stop interrupted.
#pragma once

#include "gateways/webhook.hpp"
#include "server/app/failure.hpp"
#include "server/net.hpp"

namespace ask {
class application;
class flood_guard;
} // namespace ask

namespace ask::sms {

/// For a part (gateways::is_part_of_longer). A value means it is saved, or was delivered before:
/// the provider may be answered 2xx. A part whose total disagrees with its group's is a text of its
/// own and gets receive_text's answer.
net::awaitable<action_result<void>> receive_part(application&, flood_guard&, gateways::inbound_sms part);

/// Delivers every waiting text that is due (store::part_groups_due), waiting at most
/// `[sms] parts_wait_seconds` for missing parts. Reads the store only while application::waiting_parts
/// says parts may wait there.
net::awaitable<void> deliver_due_parts(application&, flood_guard&);

} // namespace ask::sms
