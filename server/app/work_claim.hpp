// One copy of a piece of work at a time: a key held in a set of work in progress for as long as
// the claim lives (application::staff_texts_in_flight, application::long_texts_in_delivery). A
// claim that found its key held already holds nothing and releases nothing.
#pragma once

#include <string>
#include <unordered_set>

namespace ask {

class work_claim {
public:
    work_claim(std::unordered_set<std::string>& at_work, std::string key)
        : at_work_(at_work), key_(std::move(key)), held_(at_work_.insert(key_).second) {}
    ~work_claim() {
        if (held_)
            at_work_.erase(key_);
    }
    work_claim(const work_claim&) = delete;
    work_claim& operator=(const work_claim&) = delete;

    /// False when another claim holds the key: that work is under way.
    bool held() const { return held_; }

private:
    std::unordered_set<std::string>& at_work_;
    std::string key_;
    bool held_;
};

} // namespace ask
