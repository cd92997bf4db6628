#!/usr/bin/env bash
# An A/B of the loaded scenarios of make bench (2B: a press to 10 dashboards under background webhooks and
# 1,000 idle dashboards; 6: urgent presses behind 10,000 normal alerts and background webhooks) between two
# askd binaries, alternating trial by trial, each from a copy of one template database, askd on cpu1 and
# ask_load on cpu0 as in run_bench.sh. Prints each trial's last-dashboard p50 / p99. Used to tell a change
# from the machine's hour (RESULTS.md). BG is the background rate (texts/s); the two binaries must share a
# schema version (the template is made by NEW).
#   tests/bench/ab_loaded.sh OLD_ASKD NEW_ASKD [TRIALS] [BUILD_DIR]     e.g. BG=2531
set -euo pipefail
OLD=$1 NEW=$2 TRIALS=${3:-4}
BUILD=$(cd "${4:-build}" && pwd)
LOAD=$BUILD/tests/bench/ask_load
WORK=$(mktemp -d /tmp/ask-ab.XXXXXX)
RESULTS=$WORK/results.tsv
PORT=18100 PASSWORD="bench password 1234" TOKEN=bench-twilio-token BG=${BG:-2531}
ulimit -n "$(ulimit -Hn)"
config() { cat >"$1/askd.toml" <<TOML
[server]
listen = "127.0.0.1:$PORT"
[store]
path = "$1/ask.db"
[limits]
max_connections = 30000
ws_outbox_messages = 16384
presses_per_window = 1000000
[alerts]
renotify_seconds = 600
[sms]
sender = "log"
[gateways.twilio]
enabled = true
account_sid = "AC1"
auth_token = "$TOKEN"
from = "+48732100200"
[[offices]]
slug = "main"
name = "Urząd Gminy Benchmark"
time_zone = "Europe/Warsaw"
[[offices]]
slug = "idle"
name = "Urząd bez ruchu"
time_zone = "Europe/Warsaw"
TOML
}
mkdir -p "$WORK/template"; config "$WORK/template"
echo "$PASSWORD" | "$NEW" staff add --config "$WORK/template/askd.toml" --username duty --name Dyżurna --office main >/dev/null
echo "$PASSWORD" | "$NEW" staff add --config "$WORK/template/askd.toml" --username idle --name Bezczynny --office idle >/dev/null
for i in $(seq 40); do "$NEW" resident add --config "$WORK/template/askd.toml" --name "M $i" --phone "+48 600 $(printf %06d "$i")" --office main | tail -1; done >"$WORK/residents.txt"
PID= ; N=0
start() { N=$((N+1)); local d=$WORK/a-$N; mkdir -p "$d"; config "$d"; cp "$WORK/template/ask.db" "$d/ask.db"
  taskset -c 1 "$1" serve --config "$d/askd.toml" >"$d/askd.log" 2>&1 & PID=$!
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$PORT) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
stop() { kill -TERM "$PID"; wait "$PID" || true; }
ARGS=(--peer ask --port $PORT --password "$PASSWORD" --residents "$WORK/residents.txt" --twilio-token "$TOKEN")
for t in $(seq "$TRIALS"); do
  for side in old new; do
    bin=$OLD; [ $side = new ] && bin=$NEW
    start "$bin"; taskset -c 0 "$LOAD" push "${ARGS[@]}" --scenario 2B --who "$side" --side ask --metric delivery --dashboards 10 --rate 50 --secs 5 --idle 1000 --bg-rate $BG --number-base $((N * 10000000)) --out "$RESULTS" | grep -o "last p50.*p99 [0-9.]*" ; stop
    start "$bin"; taskset -c 0 "$LOAD" push "${ARGS[@]}" --scenario 6 --who "$side" --side ask --urgent 1 --dashboards 10 --rate 20 --secs 5 --backlog 10000 --bg-rate $BG --number-base $((N * 10000000)) --out "$RESULTS" | grep -o "last p50.*p99 [0-9.]*"; stop
    echo "   ^ trial $t $side"
  done
done
