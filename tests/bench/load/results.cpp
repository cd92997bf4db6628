#include "tests/bench/load/results.hpp"

#include <fmt/format.h>

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace ask::bench {
namespace {

bool better(const result_row& x, const result_row& y) { // is trial x better than trial y?
    if (x.delivered != y.delivered)
        return x.delivered > y.delivered;
    if (x.kind == "rate")
        return x.a > y.a;
    if (x.kind == "mem")
        return x.a < y.a;
    return x.b < y.b;
}

std::string figure(const result_row& r) {
    if (r.kind == "rate")
        return r.a > 0 ? fmt::format("{:.0f}/s (p99 {:.2f} ms)", r.a, r.b / 1000.0) : std::string("no rate passed");
    if (r.kind == "mem")
        return fmt::format("{:.1f} KB/conn ({:.0f} conns)", r.a / 1024.0, r.b);
    return fmt::format("{:.2f} / {:.2f} ms", r.a / 1000.0, r.b / 1000.0);
}

std::string ratio(const result_row& peer, const result_row& ask) {
    auto div = [](double x, double y) { return y > 0 ? fmt::format("{:.3g}×", x / y) : std::string("–"); };
    if (peer.kind == "lat")
        return div(ask.a, peer.a) + " / " + div(ask.b, peer.b);
    return div(ask.a, peer.a);
}

} // namespace

void append_result(const std::string& path, const result_row& r) {
    std::ofstream out(path, std::ios::app);
    out << r.scenario << '\t' << r.who << '\t' << r.side << '\t' << r.kind << '\t' << r.a << '\t' << r.b << '\t'
        << r.delivered << '\n';
    if (!out)
        throw std::runtime_error("cannot append to " + path);
}

std::string results_table(const std::string& path) {
    std::ifstream in(path);
    std::vector<std::string> order;
    std::map<std::string, std::vector<result_row>> by_scenario;
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream fields(line);
        result_row r;
        std::string a, b, d;
        std::getline(fields, r.scenario, '\t');
        std::getline(fields, r.who, '\t');
        std::getline(fields, r.side, '\t');
        std::getline(fields, r.kind, '\t');
        std::getline(fields, a, '\t');
        std::getline(fields, b, '\t');
        std::getline(fields, d, '\t');
        if (d.empty())
            continue;
        r.a = std::stod(a);
        r.b = std::stod(b);
        r.delivered = std::stod(d);
        if (!by_scenario.count(r.scenario))
            order.push_back(r.scenario);
        by_scenario[r.scenario].push_back(r);
    }
    std::string table = "| scenario | peer | peer figure | ASK figure | ratio (ASK/peer) | delivered peer / ASK |\n"
                        "|---|---|---|---|---|---|\n";
    for (const auto& scenario : order) {
        const auto& rows = by_scenario[scenario];
        const result_row* ask = nullptr;
        std::map<std::string, const result_row*> peers;
        std::vector<std::string> peer_order;
        for (const auto& r : rows) {
            if (r.side == "ask") {
                if (!ask || better(r, *ask))
                    ask = &r;
            } else {
                if (!peers.count(r.who))
                    peer_order.push_back(r.who);
                auto& best = peers[r.who];
                if (!best || better(r, *best))
                    best = &r;
            }
        }
        for (const auto& who : peer_order) {
            const auto* peer = peers[who];
            table += fmt::format("| {} | {} | {} | {} | {} | {:.1f}% / {} |\n", scenario, who, figure(*peer),
                                 ask ? figure(*ask) : "–", ask ? ratio(*peer, *ask) : "–", peer->delivered,
                                 ask ? fmt::format("{:.1f}%", ask->delivered) : "–");
        }
    }
    return table;
}

} // namespace ask::bench
