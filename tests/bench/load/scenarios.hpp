// The generator's scenarios. Each runs one trial against one server, prints a line describing
// it and appends its figure to the results file (--out); see run_bench.sh for the sequence.
#pragma once

#include "tests/bench/load/args.hpp"
#include "tests/bench/load/push_target.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

namespace ask::bench {

/// Scenario 1: signed Twilio webhooks at rising fixed rates until p99 ≥ --p99-ms or any non-2xx;
/// the figure is the highest rate that passed.
net::awaitable<void> run_ingest(net::io_context&, const args&);
/// Scenarios 2, 3, 6: alerts at a fixed rate to --dashboards measured dashboards, optionally with
/// --idle idle dashboards, --backlog background items first and --bg-rate background load.
net::awaitable<void> run_push(net::io_context&, const args&);
/// Scenario 4: --n idle connections; the figure is the server's VmRSS growth per connection.
net::awaitable<void> run_idle(net::io_context&, const args&);

/// Ends the process once a trial has recorded its figure, before anything is torn down: servers'
/// late answers may still be queued for connections and targets the trial's frame owns.
[[noreturn]] void finish();

/// Appends this trial's figure (see results.hpp) under --out, --scenario, --who and --side.
void record(const args&, const std::string& kind, double a, double b, double delivered);

/// The target named by --peer (ask, node, mqtt) with the options the arguments give.
std::unique_ptr<push_target> make_target(net::io_context&, const args&);

} // namespace ask::bench
