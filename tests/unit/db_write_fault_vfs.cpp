#include "tests/unit/db_write_fault_vfs.hpp"

#include <sqlite3.h>

#include <atomic>
#include <stdexcept>
#include <thread>

namespace ask::test {
namespace {

std::atomic<bool> failing{false};
std::atomic<int> refused{0};
std::atomic<long> delay_us{0};
std::atomic<int> written{0};
sqlite3_vfs* real = nullptr; // the default VFS this one wraps
sqlite3_vfs shim{};

// A file of this VFS: its own methods, then the real VFS's file (szOsFile bytes) right after.
struct shim_file {
    sqlite3_file base;
    bool main_db;
};

sqlite3_file* inner(sqlite3_file* f) { return reinterpret_cast<sqlite3_file*>(reinterpret_cast<shim_file*>(f) + 1); }

int x_close(sqlite3_file* f) { return inner(f)->pMethods->xClose(inner(f)); }
int x_read(sqlite3_file* f, void* buf, int n, sqlite3_int64 off) { return inner(f)->pMethods->xRead(inner(f), buf, n, off); }
int x_write(sqlite3_file* f, const void* buf, int n, sqlite3_int64 off) {
    if (reinterpret_cast<shim_file*>(f)->main_db)
        ++written;
    if (reinterpret_cast<shim_file*>(f)->main_db && failing.load()) {
        ++refused;
        return SQLITE_IOERR_WRITE;
    }
    if (reinterpret_cast<shim_file*>(f)->main_db && delay_us.load() > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(delay_us.load()));
    return inner(f)->pMethods->xWrite(inner(f), buf, n, off);
}
int x_truncate(sqlite3_file* f, sqlite3_int64 size) { return inner(f)->pMethods->xTruncate(inner(f), size); }
int x_sync(sqlite3_file* f, int flags) { return inner(f)->pMethods->xSync(inner(f), flags); }
int x_file_size(sqlite3_file* f, sqlite3_int64* size) { return inner(f)->pMethods->xFileSize(inner(f), size); }
int x_lock(sqlite3_file* f, int level) { return inner(f)->pMethods->xLock(inner(f), level); }
int x_unlock(sqlite3_file* f, int level) { return inner(f)->pMethods->xUnlock(inner(f), level); }
int x_check_reserved(sqlite3_file* f, int* out) { return inner(f)->pMethods->xCheckReservedLock(inner(f), out); }
int x_file_control(sqlite3_file* f, int op, void* arg) { return inner(f)->pMethods->xFileControl(inner(f), op, arg); }
int x_sector_size(sqlite3_file* f) { return inner(f)->pMethods->xSectorSize(inner(f)); }
int x_device(sqlite3_file* f) { return inner(f)->pMethods->xDeviceCharacteristics(inner(f)); }
int x_shm_map(sqlite3_file* f, int page, int size, int extend, void volatile** out) {
    return inner(f)->pMethods->xShmMap(inner(f), page, size, extend, out);
}
int x_shm_lock(sqlite3_file* f, int offset, int n, int flags) { return inner(f)->pMethods->xShmLock(inner(f), offset, n, flags); }
void x_shm_barrier(sqlite3_file* f) { inner(f)->pMethods->xShmBarrier(inner(f)); }
int x_shm_unmap(sqlite3_file* f, int del) { return inner(f)->pMethods->xShmUnmap(inner(f), del); }
int x_fetch(sqlite3_file* f, sqlite3_int64 off, int n, void** out) { return inner(f)->pMethods->xFetch(inner(f), off, n, out); }
int x_unfetch(sqlite3_file* f, sqlite3_int64 off, void* p) { return inner(f)->pMethods->xUnfetch(inner(f), off, p); }

// Version 3 (shared memory and memory-mapped I/O), as the unix VFS's files have: WAL needs the first.
const sqlite3_io_methods methods{3,          x_close,          x_read,         x_write,   x_truncate,      x_sync,
                                 x_file_size, x_lock,          x_unlock,       x_check_reserved, x_file_control,
                                 x_sector_size, x_device,      x_shm_map,      x_shm_lock, x_shm_barrier,  x_shm_unmap,
                                 x_fetch,     x_unfetch};

int x_open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
    auto* file = reinterpret_cast<shim_file*>(f);
    file->base.pMethods = nullptr; // SQLite calls no method of a file whose open failed
    file->main_db = (flags & SQLITE_OPEN_MAIN_DB) != 0;
    int rc = real->xOpen(real, name, inner(f), flags, out_flags);
    if (rc == SQLITE_OK)
        file->base.pMethods = &methods;
    return rc;
}

int x_delete(sqlite3_vfs*, const char* name, int sync) { return real->xDelete(real, name, sync); }
int x_access(sqlite3_vfs*, const char* name, int flags, int* out) { return real->xAccess(real, name, flags, out); }
int x_full_pathname(sqlite3_vfs*, const char* name, int n, char* out) { return real->xFullPathname(real, name, n, out); }
void* x_dl_open(sqlite3_vfs*, const char* name) { return real->xDlOpen(real, name); }
void x_dl_error(sqlite3_vfs*, int n, char* out) { real->xDlError(real, n, out); }
void (*x_dl_sym(sqlite3_vfs*, void* h, const char* sym))(void) { return real->xDlSym(real, h, sym); }
void x_dl_close(sqlite3_vfs*, void* h) { real->xDlClose(real, h); }
int x_randomness(sqlite3_vfs*, int n, char* out) { return real->xRandomness(real, n, out); }
int x_sleep(sqlite3_vfs*, int us) { return real->xSleep(real, us); }
int x_current_time(sqlite3_vfs*, double* out) { return real->xCurrentTime(real, out); }
int x_last_error(sqlite3_vfs*, int n, char* out) { return real->xGetLastError(real, n, out); }
int x_current_time_int64(sqlite3_vfs*, sqlite3_int64* out) { return real->xCurrentTimeInt64(real, out); }

} // namespace

db_write_fault_vfs::db_write_fault_vfs() {
    if (real)
        throw std::logic_error("db_write_fault_vfs: one at a time");
    real = sqlite3_vfs_find(nullptr);
    shim = sqlite3_vfs{2, static_cast<int>(sizeof(shim_file)) + real->szOsFile, real->mxPathname, nullptr,
                       "ask-db-write-fault", nullptr, x_open, x_delete, x_access, x_full_pathname, x_dl_open,
                       x_dl_error, x_dl_sym, x_dl_close, x_randomness, x_sleep, x_current_time, x_last_error,
                       x_current_time_int64, nullptr, nullptr, nullptr}; // version 2: no system-call overrides
    failing = false;
    refused = 0;
    delay_us = 0;
    written = 0;
    if (sqlite3_vfs_register(&shim, 1) != SQLITE_OK)
        throw std::runtime_error("db_write_fault_vfs: cannot register");
}

db_write_fault_vfs::~db_write_fault_vfs() {
    sqlite3_vfs_unregister(&shim);
    sqlite3_vfs_register(real, 1); // the default again, as before
    real = nullptr;
}

void db_write_fault_vfs::fail_database_writes(bool on) { failing = on; }

void db_write_fault_vfs::delay_database_writes(std::chrono::microseconds each) { delay_us = each.count(); }

int db_write_fault_vfs::database_writes() const { return written.load(); }

int db_write_fault_vfs::refused_writes() const { return refused.load(); }

} // namespace ask::test
