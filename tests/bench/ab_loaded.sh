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
ASK_PORT=18100 PASSWORD="bench password 1234" TWILIO_TOKEN=bench-twilio-token RESIDENTS=40 BG=${BG:-2531}
# shellcheck source=tests/bench/askd_setup.sh
source "$(dirname "$0")/askd_setup.sh"
ulimit -n "$(ulimit -Hn)"
make_template "$NEW" "$WORK"
PID= ; N=0
start() { N=$((N+1)); local d=$WORK/a-$N; fresh_askd_dir "$WORK" "$d"
  taskset -c 1 "$1" serve --config "$d/askd.toml" >"$d/askd.log" 2>&1 & PID=$!
  for _ in $(seq 200); do (exec 3<>/dev/tcp/127.0.0.1/$ASK_PORT) 2>/dev/null && return 0; sleep 0.05; done; return 1; }
stop() { kill -TERM "$PID"; wait "$PID" || true; }
ARGS=(--peer ask --port $ASK_PORT --password "$PASSWORD" --residents "$WORK/residents.txt" --twilio-token "$TWILIO_TOKEN")
for t in $(seq "$TRIALS"); do
  for side in old new; do
    bin=$OLD; [ $side = new ] && bin=$NEW
    start "$bin"; taskset -c 0 "$LOAD" push "${ARGS[@]}" --scenario 2B --who "$side" --side ask --metric delivery --dashboards 10 --rate 50 --secs 5 --idle 1000 --bg-rate $BG --number-base $((N * 10000000)) --out "$RESULTS" | grep -o "last p50.*p99 [0-9.]*" ; stop
    start "$bin"; taskset -c 0 "$LOAD" push "${ARGS[@]}" --scenario 6 --who "$side" --side ask --urgent 1 --dashboards 10 --rate 20 --secs 5 --backlog 10000 --bg-rate $BG --number-base $((N * 10000000)) --out "$RESULTS" | grep -o "last p50.*p99 [0-9.]*"; stop
    echo "   ^ trial $t $side"
  done
done
