// SMS gateways calling us: /webhooks/sms/{twilio,smsapi,vonage,smsgate} (POST, and GET where the
// provider can use it). Each request is checked (signature, or SMSAPI's account name), parsed,
// joined with its other parts, and handed to sms::receive_text; the provider gets its expected
// 2xx answer only after the commit, 503 when storing failed (so it retries), 403 for a bad
// signature (logged, nothing stored) and 400 for a body it should never have sent.
#pragma once

#include "server/app/application.hpp"
#include "server/http/credentials.hpp"
#include "server/http/responses.hpp"

#include <string_view>

namespace ask::web {

/// `path` is what follows /webhooks/sms/: "<provider>" for texts (and SMSGate's every event),
/// "<provider>/status" for delivery reports, which join the history of the request they are about.
net::awaitable<response> sms_webhook(application&, const request&, std::string_view path);

} // namespace ask::web
