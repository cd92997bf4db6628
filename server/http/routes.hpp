// The plain HTTP API (protocol/README.md): health, metrics, login and requests.
// WebSocket upgrades are handled by http/server.cpp before a request gets here.
#pragma once

#include "server/app/application.hpp"
#include "server/http/credentials.hpp"
#include "server/http/responses.hpp"

namespace ask::web {

/// Answers one request. Never throws for bad input: every refusal is a 4xx with an error body.
net::awaitable<response> handle(application&, const request&);

} // namespace ask::web
