// ask_load: the load generator for make bench (tests/bench/run_bench.sh drives it).
//   ask_load ingest|push|idle --option value …   one trial; appends its figure to --out
//   ask_load table RESULTS_TSV                    the Markdown table of every trial so far
// A trial ends the process itself once its figure is recorded (finish()); exit code 1 and a
// message when it could not run.
#include "tests/bench/load/results.hpp"
#include "tests/bench/load/scenarios.hpp"

#include <boost/asio/co_spawn.hpp>
#include <fmt/format.h>

#include <unistd.h>

int main(int argc, char** argv) {
    using namespace ask::bench;
    if (argc < 2) {
        fmt::print(stderr, "usage: ask_load ingest|push|idle --option value … | ask_load table FILE\n");
        return 2;
    }
    const std::string command = argv[1];
    int code = 0;
    try {
        if (command == "table") {
            fmt::print("{}", results_table(argc > 2 ? argv[2] : "results.tsv"));
            return 0;
        }
        const args a(argc, argv, 2);
        net::io_context ioc(1);
        auto scenario = command == "ingest" ? run_ingest(ioc, a)
                        : command == "push" ? run_push(ioc, a)
                        : command == "idle" ? run_idle(ioc, a)
                                            : throw std::runtime_error("unknown command " + command);
        net::co_spawn(ioc, std::move(scenario), [&](std::exception_ptr e) {
            // Reached only when a trial failed: one that ran ends the process in finish().
            if (e) {
                try {
                    std::rethrow_exception(e);
                } catch (const std::exception& x) {
                    fmt::print(stderr, "ask_load {}: {}\n", command, x.what());
                }
            }
            code = 1;
            ioc.stop();
        });
        ioc.run();
    } catch (const std::exception& e) {
        fmt::print(stderr, "ask_load {}: {}\n", command, e.what());
        code = 1;
    }
    std::fflush(stdout);
    std::fflush(stderr);
    _exit(code); // connections and pools are never torn down one by one; the process ends them
}
