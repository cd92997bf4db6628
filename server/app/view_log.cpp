#include "server/app/view_log.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ask {

void view_log::note(std::int64_t staff_id, std::int64_t resident_id, protocol::millis now) {
    if (auto day = store::view_day(now); day != day_) {
        day_ = day;
        forget_noted();
    }
    const key pair{staff_id, resident_id};
    if (noted_today_.contains(pair))
        return;
    if (noted_today_.size() >= max_noted)
        forget_noted();
    noted_today_.insert(pair);
    waiting_.push_back({staff_id, resident_id, now});
    trim();
}

std::vector<store::resident_view> view_log::take(std::size_t most) {
    auto end = waiting_.begin() + static_cast<std::ptrdiff_t>(std::min(most, waiting_.size()));
    std::vector<store::resident_view> batch(waiting_.begin(), end);
    waiting_.erase(waiting_.begin(), end);
    return batch;
}

void view_log::give_back(std::vector<store::resident_view> batch) {
    waiting_.insert(waiting_.begin(), batch.begin(), batch.end());
    trim();
}

void view_log::forget_noted() {
    if (retired_.empty())
        retired_.swap(noted_today_);
    else
        noted_today_.clear();
}

void view_log::trim() {
    if (waiting_.size() <= max_waiting)
        return;
    auto dropped = waiting_.size() - max_waiting;
    if (lost_ == 0)
        spdlog::error(
            "views: {} records of staff shown a resident's card dropped: more than {} waited for the "
            "store (ask_views_lost_total counts every one; logged once)",
            dropped, max_waiting);
    for (auto it = waiting_.begin() + static_cast<std::ptrdiff_t>(max_waiting); it != waiting_.end(); ++it)
        if (store::view_day(it->at) == day_)
            noted_today_.erase({it->staff_id, it->resident_id});
    waiting_.resize(max_waiting);
    lost_ += dropped;
}

} // namespace ask
