// Whether the store may hold parts of long texts waiting for the rest (sms/text_parts.hpp), so that
// the timer reads the store only when it might find some, not every second of an idle office: each
// read is a store job, a transaction, and a place in the store's queue. I/O thread only.
//
// Contract: may_be_waiting() is true from the start (parts may have been saved before a restart),
// after every part_arriving(), and until a read that began after the last arrival found none waiting.
// A part is announced before its save is submitted, so a read submitted earlier cannot clear it.
#pragma once

#include <cstdint>

namespace ask::sms {

class waiting_parts {
  public:
    /// A part of a long text is about to be saved, or parts delivered could not be forgotten.
    void part_arriving() { ++arrivals_; }
    bool may_be_waiting() const { return cleared_as_of_ != arrivals_; }
    /// Taken before a read of the store, and given back to none_waiting() if that read found none.
    std::uint64_t arrivals() const { return arrivals_; }
    /// The read begun at `arrivals_before_read` found no part waiting and none left undelivered.
    void none_waiting(std::uint64_t arrivals_before_read) { cleared_as_of_ = arrivals_before_read; }

  private:
    std::uint64_t arrivals_ = 1; // one "arrival" for whatever a previous run left in the store
    std::uint64_t cleared_as_of_ = 0;
};

} // namespace ask::sms
