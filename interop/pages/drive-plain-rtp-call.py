#!/usr/bin/env python3
"""Drive headless Chromium over W3C WebDriver (chromedriver) through the
two-peer plain-RTP call of plain-rtp-call.html, and print the page's report
(offer/answer SDPs, inbound/outbound RTP stats) as JSON on stdout.

Standard library only. Usage:
  drive-plain-rtp-call.py --webdriver http://127.0.0.1:9515 \
      --page http://127.0.0.1:8765/plain-rtp-call.html --ms 6000 --profile DIR
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
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--allow-loopback-in-peer-connection",
    # Plain RTP/AVPF: no DTLS, no SRTP, no data channel.
    "--disable-webrtc-encryption",
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
    ap.add_argument("--ms", type=int, default=6000, help="call duration")
    ap.add_argument("--width", type=int, default=320)
    ap.add_argument("--height", type=int, default=240)
    ap.add_argument("--fps", type=int, default=15)
    ap.add_argument("--max-bitrate", type=int, default=300_000)
    a = ap.parse_args()

    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": CHROMIUM_ARGS + ["--user-data-dir=" + a.profile],
        },
    }}}
    session = call(a.webdriver, "POST", "/session", caps)["value"]["sessionId"]
    try:
        call(a.webdriver, "POST", f"/session/{session}/timeouts",
             {"script": a.ms + 60_000})
        call(a.webdriver, "POST", f"/session/{session}/url", {"url": a.page})
        script = ("const done = arguments[arguments.length - 1];"
                  "window.zerortcCall(arguments[0]).then(done, e => done({error: String(e)}));")
        opts = {"ms": a.ms, "width": a.width, "height": a.height, "fps": a.fps,
                "maxBitrate": a.max_bitrate}
        report = call(a.webdriver, "POST", f"/session/{session}/execute/async",
                      {"script": script, "args": [opts]})["value"]
    finally:
        call(a.webdriver, "DELETE", f"/session/{session}")
    json.dump(report, sys.stdout, indent=1)
    print()
    return 1 if "error" in report else 0


if __name__ == "__main__":
    sys.exit(main())
