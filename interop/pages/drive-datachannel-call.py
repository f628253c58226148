#!/usr/bin/env python3
"""Drive headless Chromium over W3C WebDriver (chromedriver) through the
two-peer data channel of datachannel-call.html, with DTLS (no
--disable-webrtc-encryption), and print the page's report as JSON.

Standard library only. Usage:
  drive-datachannel-call.py --webdriver http://127.0.0.1:9515 \
      --page http://127.0.0.1:8765/datachannel-call.html --profile DIR \
      [--no-pqc]   # --disable-features=WebRtcPqcForDtls: one-record ClientHello
"""
import argparse
import json
import sys
import urllib.request

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--allow-loopback-in-peer-connection",
]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--webdriver", default="http://127.0.0.1:9515")
    ap.add_argument("--page", required=True)
    ap.add_argument("--profile", required=True, help="fresh Chromium user-data-dir")
    ap.add_argument("--ms", type=int, default=10000, help="give up after")
    ap.add_argument("--no-pqc", action="store_true")
    a = ap.parse_args()

    features = "WebRtcHideLocalIpsWithMdns"
    if a.no_pqc:
        features += ",WebRtcPqcForDtls"
    args = CHROMIUM_ARGS + ["--disable-features=" + features, "--user-data-dir=" + a.profile]
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": "/usr/bin/chromium", "args": args},
    }}}
    session = call(a.webdriver, "POST", "/session", caps)["value"]["sessionId"]
    try:
        call(a.webdriver, "POST", f"/session/{session}/timeouts", {"script": a.ms + 60_000})
        call(a.webdriver, "POST", f"/session/{session}/url", {"url": a.page})
        script = ("const done = arguments[arguments.length - 1];"
                  "window.zerortcDataChannel(arguments[0]).then(done, e => done({error: String(e)}));")
        report = call(a.webdriver, "POST", f"/session/{session}/execute/async",
                      {"script": script, "args": [{"ms": a.ms}]})["value"]
    finally:
        call(a.webdriver, "DELETE", f"/session/{session}")
    json.dump(report, sys.stdout, indent=1)
    print()
    return 1 if "error" in report else 0


if __name__ == "__main__":
    sys.exit(main())
