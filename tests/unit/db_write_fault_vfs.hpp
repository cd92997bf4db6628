// A storage fault SQLite's own settings cannot make: writes to the main database file fail
// while the WAL still takes every commit. A checkpoint (which copies WAL frames into the
// database file) then fails over and over while transactions keep committing, as on a volume
// whose database file has gone bad but whose WAL has not.
//
// While an instance lives it is SQLite's default VFS, wrapping the default it replaced, so
// every connection opened meanwhile goes through it; connections must be closed before it is
// destroyed. One instance at a time (a VFS is process-wide).
#pragma once

namespace ask::test {

class db_write_fault_vfs {
public:
    db_write_fault_vfs();
    ~db_write_fault_vfs();
    db_write_fault_vfs(const db_write_fault_vfs&) = delete;
    db_write_fault_vfs& operator=(const db_write_fault_vfs&) = delete;

    /// From now on, writes to main database files fail with SQLITE_IOERR_WRITE (true) or pass (false).
    void fail_database_writes(bool on);
    /// Writes refused so far.
    int refused_writes() const;
};

} // namespace ask::test
