// Scenario 5 of tests/bench (issue 6): durable requests per second with group commit, against
// the raw SQLite insert loop at the same batch size, measured in one run on one file system.
//
// ASK: store::writer running real store::submit_request jobs (request + `created` event, WAL,
// synchronous=FULL), `clients` of them outstanding at once like concurrent presses; each job's
// completion is the moment ASK may answer "received". Peers: the C API inserting the same two
// rows per request, in transactions of the batch size the writer reached (jobs / commits), with
// the same pragmas:
//  - on ASK's schema (made by store::migrate: its constraints, indexes and foreign keys), the
//    peer performance.md names ("a raw prepared-INSERT loop on the same schema"), the goal's;
//  - on two bare tables without constraints or indexes, for context: what the schema costs.
// Prints one table row per peer as Markdown.
#include "server/store/accounts.hpp"
#include "server/store/database.hpp"
#include "server/store/migrations.hpp"
#include "server/store/requests.hpp"
#include "server/store/writer.hpp"

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <string>
#include <vector>

namespace {

using namespace ask;
using clock_type = std::chrono::steady_clock;

struct ask_result {
    double per_second = 0;
    double batch = 0;
};

// A fresh database file with ASK's schema, one office and `residents` residents; their ids.
std::vector<std::int64_t> make_ask_file(const std::filesystem::path& file, int residents, std::int64_t& office) {
    auto db = store::database::open(file.string()).value();
    store::migrate(db).value();
    office = store::upsert_office(db, "bench", "Bench", "Europe/Warsaw").value();
    std::vector<std::int64_t> ids;
    db.exec("BEGIN").value();
    for (int i = 0; i < residents; ++i) {
        store::resident_record r;
        r.office_id = office;
        r.name = "Resident " + std::to_string(i);
        ids.push_back(store::add_resident(db, r, "hash-" + std::to_string(i), 0).value());
    }
    db.exec("COMMIT").value();
    return ids;
}

ask_result run_ask(const std::filesystem::path& file, int requests, int clients) {
    std::int64_t office = 0;
    auto residents = make_ask_file(file, requests, office);
    auto db = store::database::open(file.string()).value();
    store::writer writer(std::move(db), store::writer::options{512});
    net::io_context ioc;
    int next = 0;
    int done = 0;
    std::function<void()> submit = [&] {
        if (next >= requests)
            return;
        store::new_request_record row;
        row.office_id = office;
        row.resident_id = residents[static_cast<std::size_t>(next)];
        row.client_request_id = "bench-" + std::to_string(next);
        row.level = protocol::priority::urgent;
        row.message = "Proszę o kontakt";
        ++next;
        writer.async_run<store::insert_result>(
            [row](store::database& d) { return store::submit_request(d, row, 1, [](const store::request_record&) { return false; }); },
            net::bind_executor(ioc, [&](store::result<store::insert_result> r) {
                if (!r)
                    throw std::runtime_error("a request failed: " + r.error().message());
                ++done;
                submit(); // closed loop: a finished press makes room for the next
            }));
    };
    auto start = clock_type::now();
    for (int i = 0; i < clients; ++i)
        submit();
    auto guard = net::make_work_guard(ioc);
    while (done < requests)
        ioc.run_one();
    double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    auto stats = writer.stats();
    writer.stop();
    return {requests / seconds, static_cast<double>(stats.jobs) / static_cast<double>(std::max<std::uint64_t>(stats.commits, 1))};
}

void must(int rc, sqlite3* db) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE)
        throw std::runtime_error(sqlite3_errmsg(db));
}

// The peer's loop: `requests` times the two inserts, `batch` of them per transaction.
double insert_loop(sqlite3* db, const char* insert_request, const char* insert_event,
                   const std::vector<std::int64_t>& residents, int requests, int batch) {
    sqlite3_stmt* req = nullptr;
    sqlite3_stmt* ev = nullptr;
    must(sqlite3_prepare_v2(db, insert_request, -1, &req, nullptr), db);
    must(sqlite3_prepare_v2(db, insert_event, -1, &ev, nullptr), db);
    auto start = clock_type::now();
    for (int i = 0; i < requests;) {
        must(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db);
        for (int j = 0; j < batch && i < requests; ++j, ++i) {
            auto key = "bench-" + std::to_string(i);
            auto resident = residents[static_cast<std::size_t>(i)];
            sqlite3_bind_int64(req, 1, resident);
            sqlite3_bind_text(req, 2, key.c_str(), -1, SQLITE_TRANSIENT);
            must(sqlite3_step(req), db);
            sqlite3_reset(req);
            sqlite3_bind_int64(ev, 1, sqlite3_last_insert_rowid(db));
            sqlite3_bind_int64(ev, 2, resident);
            must(sqlite3_step(ev), db);
            sqlite3_reset(ev);
        }
        must(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db);
    }
    double seconds = std::chrono::duration<double>(clock_type::now() - start).count();
    sqlite3_finalize(req);
    sqlite3_finalize(ev);
    return requests / seconds;
}

sqlite3* open_raw(const std::filesystem::path& file) {
    sqlite3* db = nullptr;
    must(sqlite3_open(file.string().c_str(), &db), db);
    must(sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;", nullptr,
                      nullptr, nullptr),
         db);
    return db;
}

// The raw loop on ASK's own schema, residents in place (the foreign keys hold).
double run_raw_on_ask_schema(const std::filesystem::path& file, int requests, int batch) {
    std::int64_t office = 0;
    auto residents = make_ask_file(file, requests, office);
    sqlite3* db = open_raw(file);
    auto insert_request = fmt::format(
        "INSERT INTO requests (office_id, resident_id, client_request_id, priority, channel, message, state,"
        " created_at, ladder_started_at) VALUES ({}, ?1, ?2, 'urgent', 'web', 'Proszę o kontakt', 'queued', 1, 1)",
        office);
    double rate = insert_loop(db, insert_request.c_str(),
                              "INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id, detail)"
                              " VALUES (?1, 1, 'created', 'resident', ?2, '{\"priority\":\"urgent\"}')",
                              residents, requests, batch);
    sqlite3_close(db);
    return rate;
}

// The raw loop on two bare tables: no constraints, no indexes.
double run_raw_bare(const std::filesystem::path& file, int requests, int batch) {
    sqlite3* db = open_raw(file);
    must(sqlite3_exec(db,
                      "CREATE TABLE requests (id INTEGER PRIMARY KEY, resident_id INTEGER, client_request_id TEXT,"
                      " priority TEXT, channel TEXT, message TEXT, state TEXT, created_at INTEGER);"
                      "CREATE TABLE request_events (id INTEGER PRIMARY KEY, request_id INTEGER, at INTEGER, kind TEXT,"
                      " actor_kind TEXT, actor_id INTEGER, detail TEXT);",
                      nullptr, nullptr, nullptr),
         db);
    std::vector<std::int64_t> residents(static_cast<std::size_t>(requests));
    std::iota(residents.begin(), residents.end(), 1);
    double rate = insert_loop(db,
                              "INSERT INTO requests (resident_id, client_request_id, priority, channel, message, state,"
                              " created_at) VALUES (?1, ?2, 'urgent', 'web', 'Proszę o kontakt', 'queued', 1)",
                              "INSERT INTO request_events (request_id, at, kind, actor_kind, actor_id, detail)"
                              " VALUES (?1, 1, 'created', 'resident', ?2, '{\"priority\":\"urgent\"}')",
                              residents, requests, batch);
    sqlite3_close(db);
    return rate;
}

} // namespace

int main(int argc, char** argv) {
    int requests = argc > 1 ? std::atoi(argv[1]) : 20000;
    int clients = argc > 2 ? std::atoi(argv[2]) : 64;
    auto dir = std::filesystem::temp_directory_path() / ("ask-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    // Alternate: ASK, peers, ASK, peers, so drift on a shared machine hits all three.
    double ask_best = 0;
    double schema_best = 0;
    double bare_best = 0;
    double batch = 0;
    for (int round = 0; round < 2; ++round) {
        auto a = run_ask(dir / fmt::format("ask-{}.db", round), requests, clients);
        ask_best = std::max(ask_best, a.per_second);
        batch = a.batch;
        int peer_batch = std::max(1, static_cast<int>(a.batch + 0.5));
        schema_best = std::max(schema_best, run_raw_on_ask_schema(dir / fmt::format("schema-{}.db", round),
                                                                  requests, peer_batch));
        bare_best = std::max(bare_best, run_raw_bare(dir / fmt::format("bare-{}.db", round), requests, peer_batch));
    }
    std::filesystem::remove_all(dir);
    std::cout << "| scenario | peer | ASK | ratio | delivered |\n|---|---|---|---|---|\n";
    auto row = [&](const char* peer, double peer_rate) {
        std::cout << fmt::format("| 5. durable requests/s, {} presses, {} outstanding (batch {:.1f}) | {} "
                                 "{:.0f}/s | {:.0f}/s | {:.2f}× | 100% |\n",
                                 requests, clients, batch, peer, peer_rate, ask_best, ask_best / peer_rate);
    };
    row("raw SQLite loop, ASK's schema", schema_best);
    row("raw SQLite loop, bare tables", bare_best);
    return 0;
}
