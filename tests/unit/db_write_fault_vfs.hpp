// Storage faults SQLite's own settings cannot make: writes to the main database file fail, or
// are slow, while the WAL still takes every commit at full speed. A checkpoint (which copies WAL
// frames into the database file) then fails over and over while transactions keep committing,
// as on a volume whose database file has gone bad but whose WAL has not; or it takes as long
// as the test needs to do something while it runs.
//
// While an instance lives it is SQLite's default VFS, wrapping the default it replaced, so
// every connection opened meanwhile goes through it; connections must be closed before it is
// destroyed. One instance at a time (a VFS is process-wide).
#pragma once

#include <chrono>

namespace ask::test {

class db_write_fault_vfs {
public:
    db_write_fault_vfs();
    ~db_write_fault_vfs();
    db_write_fault_vfs(const db_write_fault_vfs&) = delete;
    db_write_fault_vfs& operator=(const db_write_fault_vfs&) = delete;

    /// From now on, writes to main database files fail with SQLITE_IOERR_WRITE (true) or pass (false).
    void fail_database_writes(bool on);
    /// From now on, each write to a main database file first sleeps this long (0: no delay).
    void delay_database_writes(std::chrono::microseconds);
    /// Writes to main database files so far (refused ones included).
    int database_writes() const;
    /// Writes refused so far.
    int refused_writes() const;
};

} // namespace ask::test
