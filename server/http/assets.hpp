// The web pages askd serves (server/web/), embedded at build time by cmake/embed_assets.cmake.
#pragma once

#include <string_view>
#include <vector>

namespace ask::web {

struct asset {
    std::string_view path;  ///< e.g. "/resident.html"
    std::string_view bytes;
};

/// Every embedded file.
const std::vector<asset>& assets();

/// The asset at `path`, or nullptr.
const asset* find_asset(std::string_view path);

/// The Content-Type for a file name by its extension.
std::string_view content_type_of(std::string_view path);

} // namespace ask::web
