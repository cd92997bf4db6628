#include "server/app/sign_in_watch.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace ask {

bool sign_in_watch::add(const void* key, sign_in who, std::function<void()> end,
                        std::uint64_t changes_seen_before_lookup) {
    if (const auto* staff = std::get_if<staff_sign_in>(&who); staff && signed_out_since_lookup(*staff))
        return false;
    live_.insert_or_assign(key, entry{std::move(who), std::move(end)});
    if (changes_seen_before_lookup != changes_seen_)
        check_owed_ = true;
    return true;
}

bool sign_in_watch::signed_out_since_lookup(const staff_sign_in& staff) const {
    if (staff.sign_outs_seen >= sign_outs_)
        return false;
    auto oldest_kept = sign_outs_ - signed_out_.size();
    if (staff.sign_outs_seen < oldest_kept)
        return true;
    auto since = signed_out_.begin() + static_cast<std::ptrdiff_t>(staff.sign_outs_seen - oldest_kept);
    return std::find(since, signed_out_.end(), staff.session_hash) != signed_out_.end();
}

std::size_t sign_in_watch::end_session(const std::string& session_hash, bool stored) {
    if (stored) {
        ++sign_outs_;
        signed_out_.push_back(session_hash);
        if (signed_out_.size() > kept_sign_outs)
            signed_out_.pop_front();
    }
    return end_where([&](const sign_in& who) {
        const auto* staff = std::get_if<staff_sign_in>(&who);
        return staff && staff->session_hash == session_hash;
    });
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

std::vector<std::int64_t> sign_in_watch::staff_to_check() const {
    std::unordered_set<std::int64_t> ids;
    for (const auto& [key, e] : live_)
        if (const auto* staff = std::get_if<staff_sign_in>(&e.who))
            ids.insert(staff->staff_id);
    return {ids.begin(), ids.end()};
}

std::vector<std::string> sign_in_watch::resident_tokens_to_check() const {
    std::unordered_set<std::string> hashes;
    for (const auto& [key, e] : live_)
        if (const auto* resident = std::get_if<resident_sign_in>(&e.who))
            hashes.insert(resident->token_hash);
    return {hashes.begin(), hashes.end()};
}

std::size_t sign_in_watch::end_lapsed_staff(const std::vector<std::int64_t>& checked,
                                            const std::vector<store::staff_access>& access) {
    std::unordered_set<std::int64_t> judged(checked.begin(), checked.end());
    std::unordered_map<std::int64_t, store::staff_access> by_id;
    for (const auto& a : access)
        by_id.emplace(a.staff_id, a);
    return end_where([&](const sign_in& who) {
        const auto* staff = std::get_if<staff_sign_in>(&who);
        if (!staff || !judged.contains(staff->staff_id))
            return false;
        auto a = by_id.find(staff->staff_id);
        return a == by_id.end() || a->second.disabled || a->second.sign_ins_ended != staff->sign_ins_ended;
    });
}

std::size_t sign_in_watch::end_lapsed_residents(const std::vector<std::string>& token_hashes) {
    if (token_hashes.empty())
        return 0;
    std::unordered_set<std::string> lapsed(token_hashes.begin(), token_hashes.end());
    return end_where([&](const sign_in& who) {
        const auto* resident = std::get_if<resident_sign_in>(&who);
        return resident && lapsed.contains(resident->token_hash);
    });
}

std::size_t sign_in_watch::end_where(const std::function<bool(const sign_in&)>& lapsed) {
    std::vector<std::function<void()>> ends;
    for (const auto& [key, e] : live_)
        if (lapsed(e.who))
            ends.push_back(e.end);
    for (auto& end : ends)
        end();
    return ends.size();
}

} // namespace ask
