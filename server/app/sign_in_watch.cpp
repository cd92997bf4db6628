#include "server/app/sign_in_watch.hpp"

#include <unordered_set>

namespace ask {

void sign_in_watch::add(const void* key, sign_in who, std::function<void()> end,
                        std::uint64_t changes_seen_before_lookup) {
    live_.insert_or_assign(key, entry{std::move(who), std::move(end)});
    if (changes_seen_before_lookup != changes_seen_)
        check_owed_ = true;
}

void sign_in_watch::remove(const void* key) {
    live_.erase(key);
}

bool sign_in_watch::due(std::int64_t data_version) {
    bool changed = data_version_ ? *data_version_ != data_version : !live_.empty();
    data_version_ = data_version;
    if (!changed && !check_owed_)
        return false;
    check_owed_ = false;
    ++changes_seen_;
    return true;
}

std::vector<std::string> sign_in_watch::to_check(kind of) const {
    std::unordered_set<std::string> hashes;
    for (const auto& [key, e] : live_)
        if (e.who.of == of)
            hashes.insert(e.who.token_hash);
    return {hashes.begin(), hashes.end()};
}

std::size_t sign_in_watch::end_lapsed(kind of, const std::vector<std::string>& token_hashes) {
    if (token_hashes.empty())
        return 0;
    std::unordered_set<std::string> lapsed(token_hashes.begin(), token_hashes.end());
    // Ending a connection may unregister it: collect first, then end.
    std::vector<std::function<void()>> ends;
    for (const auto& [key, e] : live_)
        if (e.who.of == of && lapsed.contains(e.who.token_hash))
            ends.push_back(e.end);
    for (auto& end : ends)
        end();
    return ends.size();
}

} // namespace ask
