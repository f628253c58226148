#!/usr/bin/env bash
# Capture a real DTLS handshake between two headless Chromium peers (one page,
# a data channel) for test fixtures. Runs everything — page server,
# chromedriver, Chromium, tshark — inside a fresh loopback-only network
# namespace (needs root: unshare -n, tshark on lo).
#
# Usage: interop/pages/capture-dtls.sh OUT.pcapng [--no-pqc]
#   --no-pqc  Chromium without the X25519MLKEM768 key share (one-record hello)
set -euo pipefail
cd "$(dirname "$0")/../.."

out=$1
flag=${2:-}
http_port=8766
webdriver_port=9516

if [ "${ZERORTC_IN_NETNS:-}" != 1 ]; then
    mkdir -p "$(dirname "$out")"
    exec unshare -n env ZERORTC_IN_NETNS=1 "$0" "$(realpath -m "$out")" "$flag"
fi

ip link set lo up
work=$(mktemp -d /tmp/zerortc-dtls-capture.XXXXXX)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

python3 -m http.server "$http_port" --bind 127.0.0.1 --directory interop/pages \
    >"$work/http.log" 2>&1 &
pids+=($!)
chromedriver --port="$webdriver_port" >"$work/chromedriver.log" 2>&1 &
pids+=($!)
tshark -Q -i lo -w "$work/capture.pcapng" \
    -f "udp and not port $http_port and not port $webdriver_port" \
    >"$work/tshark.log" 2>&1 &
tshark_pid=$!
pids+=("$tshark_pid")

for _ in $(seq 100); do
    if curl -s -o /dev/null "http://127.0.0.1:$http_port/datachannel-call.html" &&
        curl -s -o /dev/null "http://127.0.0.1:$webdriver_port/status" &&
        [ -s "$work/capture.pcapng" ]; then
        break
    fi
    sleep 0.1
done

python3 interop/pages/drive-datachannel-call.py \
    --webdriver "http://127.0.0.1:$webdriver_port" \
    --page "http://127.0.0.1:$http_port/datachannel-call.html" \
    --profile "$work/profile" $flag >"$work/report.json"

sleep 0.5
kill -INT "$tshark_pid"
wait "$tshark_pid" || true
cat "$work/report.json" >&2
cp "$work/capture.pcapng" "$out"
echo "wrote $out ($(stat -c %s "$out") bytes)" >&2
