// GET /api/v1/requests?state=closed: the caller's office's closed requests, the latest closed first, for the
// dashboard's "recently closed" list (a shift handed over, "what happened with Mrs Kowalska this morning?").
#pragma once

#include "server/app/application.hpp"
#include "server/http/credentials.hpp"
#include "server/http/responses.hpp"

namespace ask::web {

/// Closed requests shown at most in one answer, and by default.
inline constexpr std::int64_t closed_limit_max = 200;
inline constexpr std::int64_t closed_limit_default = 50;

/// Staff of the office only (bearer token or session cookie; 401 for anyone else, a resident's token
/// too). `state=closed` is required; `limit` 1..closed_limit_max; `before`, the id of the last request of
/// the page before, gives the next page. 400 with a message saying which for any other value. The
/// answer (protocol/README.md): `{"requests":[…],"more":bool}`, each with the resident's name only (none
/// of their card: no phone, address or needs), how it ended, the note, and who took and closed it. The
/// caller is recorded as shown each resident listed (application::card_shown).
net::awaitable<response> closed_requests(application&, const request&);

} // namespace ask::web
