#include "server/http/assets.hpp"

#include <algorithm>

namespace ask::web {

const asset* find_asset(std::string_view path) {
    const auto& all = assets();
    auto it = std::find_if(all.begin(), all.end(), [&](const asset& a) { return a.path == path; });
    return it == all.end() ? nullptr : &*it;
}

std::string_view content_type_of(std::string_view path) {
    if (path.ends_with(".html"))
        return "text/html; charset=utf-8";
    if (path.ends_with(".css"))
        return "text/css; charset=utf-8";
    if (path.ends_with(".js"))
        return "text/javascript; charset=utf-8";
    if (path.ends_with(".svg"))
        return "image/svg+xml";
    return "application/octet-stream";
}

} // namespace ask::web
