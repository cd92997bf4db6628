#!/usr/bin/env bash
# make bench, scenarios 1-4 and 6 (issue 6): starts each peer and askd alternately, one server at a
# time, pinned to cpu1 while the load generator (ask_load) runs on cpu0 when taskset and 2+ cores
# exist, and prints one table (scenario, peer figure, ASK figure, ratio, delivered). Each side's best
# trial of ROUNDS is taken. Results of every trial: $WORK/results.tsv; server logs in $WORK.
#   tests/bench/run_bench.sh BUILD_DIR
# Needs nginx, mosquitto, node + npm (make bench-deps); ports 18080, 18090, 18100, 18830, 19001 free.
set -euo pipefail

BUILD=$(cd "${1:-build}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PEERS=$ROOT/tests/bench/peers
LOAD=$BUILD/tests/bench/ask_load
ASKD=$BUILD/server/askd
ROUNDS=${ROUNDS:-2}
WORK=$(mktemp -d /tmp/ask-bench.XXXXXX)
RESULTS=$WORK/results.tsv
ASK_PORT=18100
PASSWORD="bench password 1234"
TWILIO_TOKEN=bench-twilio-token
RESIDENTS=40
# shellcheck source=tests/bench/askd_setup.sh
source "$ROOT/tests/bench/askd_setup.sh"

ulimit -n "$(ulimit -Hn)"
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
    SRV=(taskset -c 1); GEN=(taskset -c 0); PINNING="server cpu1, generator cpu0"
else
    SRV=(); GEN=(); PINNING="none (taskset or a second core missing)"
fi

SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT

wait_port() { # PORT: until something accepts there (10 s)
    for _ in $(seq 200); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.05
    done
    echo "nothing listens on port $1" >&2
    return 1
}

start_server() { # PORT LOG COMMAND…: one server at a time, pinned
    local port=$1 log=$2
    shift 2
    stop_server
    "${SRV[@]}" "$@" >"$log" 2>&1 &
    SERVER_PID=$!
    wait_port "$port"
}

start_nginx() { mkdir -p /tmp/ask-peer-nginx; start_server 18080 "$WORK/nginx.log" nginx -c "$PEERS/nginx-return200.conf"; }
start_mosquitto() { start_server 19001 "$WORK/mosquitto.log" mosquitto -c "$PEERS/mosquitto-ws.conf"; }
start_node() { start_server 18090 "$WORK/node.log" node "$BUILD/tests/bench/peers/peer_ws_push.js" 18090; }

ASK_TRIAL=0
start_askd() { # a fresh copy of the template database
    ASK_TRIAL=$((ASK_TRIAL + 1))
    local dir=$WORK/askd-$ASK_TRIAL
    fresh_askd_dir "$WORK" "$dir"
    start_server $ASK_PORT "$dir/askd.log" "$ASKD" serve --config "$dir/askd.toml"
}

ASK_ARGS=(--peer ask --port $ASK_PORT --password "$PASSWORD" --residents "$WORK/residents.txt" --twilio-token "$TWILIO_TOKEN")
FAILED=0
load() { # one trial; a failed one is reported, leaves its row empty and fails the run at the end
    "${GEN[@]}" "$LOAD" "$@" --out "$RESULTS" || { echo "!! trial failed"; FAILED=1; }
}
note() { echo "== $* (load average $(cut -d' ' -f1-3 /proc/loadavg))"; }

# The Node peer's one dependency, pinned, installed beside a copy of it in the build dir.
mkdir -p "$BUILD/tests/bench/peers"
cp "$PEERS/peer_ws_push.js" "$PEERS/package.json" "$PEERS/package-lock.json" "$BUILD/tests/bench/peers/"
if [ ! -d "$BUILD/tests/bench/peers/node_modules/ws" ]; then
    (cd "$BUILD/tests/bench/peers" && npm ci --no-audit --no-fund --silent >/dev/null)
fi

echo "ASK benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo);"\
     "$(uname -sr); pinning: $PINNING; ulimit -n $(ulimit -n); git $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "work dir: $WORK"
make_template "$ASKD" "$WORK"

S1="1. webhook ingest: max rate with p99 < 10 ms"
note "$S1"
for round in $(seq "$ROUNDS"); do
    start_nginx
    load ingest --port 18080 --scenario "$S1" --who "nginx return 202" --side peer --twilio-token "$TWILIO_TOKEN"
    start_askd
    load ingest --port $ASK_PORT --scenario "$S1" --who ASK --side ask --twilio-token "$TWILIO_TOKEN" \
        --number-base $((round * 10000000))
done
stop_server
# Background load for 2B and 6: half of ASK's best ingest rate (at least 100/s).
ASK_INGEST=$(awk -F'\t' -v s="$S1" '$1 == s && $3 == "ask" && $5 > m { m = $5 } END { print int(m) }' "$RESULTS")
BG_RATE=$(( ASK_INGEST / 2 > 100 ? ASK_INGEST / 2 : 100 ))

push_round() { # SCENARIO METRIC ARGS…: mosquitto, Node peer, askd, one trial each
    local scenario=$1 metric=$2
    shift 2
    start_mosquitto
    load push --peer mqtt --port 19001 --scenario "$scenario" --who "mosquitto (MQTT/WS)" --side peer --metric "$metric" "$@"
    start_node
    load push --peer node --port 18090 --scenario "$scenario" --who "Node ws peer" --side peer --metric "$metric" "$@"
    start_askd
    load push "${ASK_ARGS[@]}" --scenario "$scenario" --who ASK --side ask --metric "$metric" \
        --number-base $((ASK_TRIAL * 10000000)) "$@"
}

S2A="2. press to 10 dashboards, 50/s, light: p50 / p99"
S2B="2. same under $BG_RATE webhooks/s + 1000 idle dashboards: p50 / p99"
note "$S2A"
for round in $(seq "$ROUNDS"); do push_round "$S2A" delivery --dashboards 10 --rate 50 --secs 5; done
note "$S2B"
for round in $(seq "$ROUNDS"); do
    push_round "$S2B" delivery --dashboards 10 --rate 50 --secs 5 --idle 1000 --bg-rate $BG_RATE
done

# One alert at a time: at most 5000 deliveries/s (50 alerts/s, 5/s at 1000 dashboards), so each alert
# reaches every dashboard before the next leaves and the figure is latency, not a backlog.
for n in 1 10 100 1000; do
    rate=$(( 5000 / n < 50 ? 5000 / n : 50 ))
    S3="3. fan-out to $n dashboards, $rate/s: last dashboard p50 / p99"
    note "$S3"
    for round in $(seq "$ROUNDS"); do push_round "$S3" last --dashboards $n --rate $rate --secs 4; done
done

# 10000 by default: mosquitto accepts WebSocket connections at only a few hundred per second here,
# so the file limit (IDLE_N=19000) takes minutes; the figure per connection hardly changes with N.
IDLE_N=${IDLE_N:-10000}
S4="4. $IDLE_N idle connections: server VmRSS growth per connection"
note "$S4"
start_mosquitto
load idle --peer mqtt --port 19001 --n $IDLE_N --pid "$SERVER_PID" --scenario "$S4" --who "mosquitto (MQTT/WS)" --side peer
start_askd
load idle "${ASK_ARGS[@]}" --n $IDLE_N --pid "$SERVER_PID" --scenario "$S4" --who ASK --side ask

S6="6. urgent presses 20/s to 10 dashboards: p50 / p99, behind 10000 normal + $BG_RATE/s (peer: ASK unloaded)"
note "$S6"
for round in $(seq "$ROUNDS"); do
    start_askd
    load push "${ASK_ARGS[@]}" --scenario "$S6" --who "ASK, no backlog or load" --side peer --urgent 1 \
        --dashboards 10 --rate 20 --secs 5 --number-base $((ASK_TRIAL * 10000000))
    start_askd
    load push "${ASK_ARGS[@]}" --scenario "$S6" --who ASK --side ask --urgent 1 --dashboards 10 --rate 20 --secs 5 \
        --backlog 10000 --bg-rate $BG_RATE --number-base $((ASK_TRIAL * 10000000))
done
stop_server

echo
echo "Each side's best of $ROUNDS trials (latency: lowest p99; rate: highest; memory: lowest); figures in ms unless noted."
"$LOAD" table "$RESULTS"
exit $FAILED
