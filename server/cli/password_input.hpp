// How the account commands take a staff password: the first line of stdin, so it never shows in
// the process list or the shell's history.
#pragma once

#include <string>

namespace ask::cli {

/// @throws config_error when it is shorter than the minimum.
std::string password_from_stdin();

} // namespace ask::cli
