# askd's side of the loaded benchmarks, sourced by run_bench.sh and ab_loaded.sh so that both measure the
# same server: its config and the template database every askd trial starts from a copy of.
# The caller sets ASK_PORT, PASSWORD, TWILIO_TOKEN and RESIDENTS.
#
# The config: the main office (SMS lands there; its staff "duty" is on duty on the measured dashboards)
# and an office with no traffic for idle dashboards (staff "idle").
# ws_outbox_messages: scenario 6's backlog rings each of 10 dashboards 10,000 times in 4 s; kept from
# before a request's card waited only once outside this limit (ws/connection.hpp), so that the loaded
# scenarios run as they were measured.
# presses_per_window: 40 residents press and cancel thousands of times a second, far past the press
# allowance a real resident has; lifted, so that every press is measured.
write_config() { # DIR
    cat >"$1/askd.toml" <<TOML
[server]
listen = "127.0.0.1:$ASK_PORT"
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
auth_token = "$TWILIO_TOKEN"
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

# Staff and residents once, with the askd binary $1, in DIR/template/ask.db; the residents' ids and
# tokens (one line each, as `askd resident add` prints them) in DIR/residents.txt.
make_template() { # ASKD DIR
    local askd=$1 dir=$2/template
    mkdir -p "$dir"
    write_config "$dir"
    echo "$PASSWORD" | "$askd" staff add --config "$dir/askd.toml" --username duty --name Dyżurna --office main >/dev/null
    echo "$PASSWORD" | "$askd" staff add --config "$dir/askd.toml" --username idle --name Bezczynny --office idle >/dev/null
    for i in $(seq "$RESIDENTS"); do
        "$askd" resident add --config "$dir/askd.toml" --name "Mieszkaniec $i" --phone "+48 600 $(printf %06d "$i")" \
            --office main | tail -1
    done >"$2/residents.txt"
}

# A fresh directory DIR with the config and a copy of the template database made by make_template in WORK.
fresh_askd_dir() { # WORK DIR
    mkdir -p "$2"
    write_config "$2"
    cp "$1/template/ask.db" "$2/ask.db"
}
