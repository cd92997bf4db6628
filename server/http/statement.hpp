// The accessibility statement at /dostepnosc (ustawa o dostępności cyfrowej, art. 10): the Polish text of
// server/web/dostepnosc.html with the office's part filled in from [accessibility] (config.hpp).
#pragma once

#include "server/config.hpp"

#include <string>

namespace ask::web {

/// The statement's HTML. Every configured value is HTML-escaped; one left empty reads "nie podano" (the
/// statement must say what it lacks rather than leave a gap), and an empty entity is the first office's
/// name. The pages' own address is [server] public_url, or "/" on this server.
std::string statement_html(const config&);

} // namespace ask::web
