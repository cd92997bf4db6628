#include "server/store/error.hpp"

#include <sqlite3.h>

#include <string>

namespace ask::store {
namespace {

class store_error_category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "ask.store"; }
    std::string message(int code) const override {
        switch (static_cast<errc>(code)) {
        case errc::not_found:
            return "not found";
        case errc::conflict:
            return "not possible in the current state";
        case errc::unavailable:
            return "storage unavailable";
        case errc::constraint:
            return "already exists or violates a constraint";
        case errc::shutting_down:
            return "the store is shutting down";
        case errc::account_disabled:
            return "the staff member's account is disabled";
        case errc::not_holder:
            return "another staff member holds the request";
        }
        return "unknown store error";
    }
};

class sqlite_error_category final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "sqlite"; }
    std::string message(int code) const override { return sqlite3_errstr(code); }
};

const sqlite_error_category& sqlite_category() {
    static const sqlite_error_category instance;
    return instance;
}

} // namespace

const boost::system::error_category& store_category() {
    static const store_error_category instance;
    return instance;
}

boost::system::error_code make_error_code(errc e) { return {static_cast<int>(e), store_category()}; }

boost::system::error_code sqlite_error(int rc) { return {rc, sqlite_category()}; }

bool is_storage_failure(const boost::system::error_code& ec) {
    if (ec.category() == store_category())
        return ec == errc::unavailable || ec == errc::shutting_down;
    if (ec.category() == sqlite_category())
        return (ec.value() & 0xFF) != SQLITE_CONSTRAINT;
    return false;
}

} // namespace ask::store
