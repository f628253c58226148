#!/usr/bin/env python3
"""Drive one headless Chromium peer connection (dtls-peer.html) for a test
that plays the other side. Line protocol on stdin/stdout (JSON, one per line):
  -> {"offer": SDP}            printed once the offer is ready
  <- {"answer": SDP}           read from stdin, set as remote description
  -> {"state": {...}}          printed every 200 ms (connection, ice,
                                dtlsState, tlsVersion, dtlsCipher, srtpCipher)
  <- {"quit": true}            ends the session
Standard library only.
"""
import argparse
import json
import select
import sys
import time
import urllib.request

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--allow-loopback-in-peer-connection",
]


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.loads(response.read())


def run_async(base, session, fn, *args):
    script = ("const done = arguments[arguments.length - 1];"
              f"window.{fn}(...Array.from(arguments).slice(0, -1))"
              ".then(done, e => done({error: String(e)}));")
    return call(base, "POST", f"/session/{session}/execute/async",
                {"script": script, "args": list(args)})["value"]


def say(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--webdriver", required=True)
    ap.add_argument("--page", required=True)
    ap.add_argument("--profile", required=True)
    a = ap.parse_args()
    caps = {"capabilities": {"alwaysMatch": {
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": "/usr/bin/chromium",
                               "args": CHROMIUM_ARGS + ["--user-data-dir=" + a.profile]},
    }}}
    session = call(a.webdriver, "POST", "/session", caps)["value"]["sessionId"]
    try:
        call(a.webdriver, "POST", f"/session/{session}/timeouts", {"script": 30_000})
        call(a.webdriver, "POST", f"/session/{session}/url", {"url": a.page})
        say({"offer": run_async(a.webdriver, session, "zerortcOffer")})
        answer = json.loads(sys.stdin.readline())["answer"]
        say({"set": run_async(a.webdriver, session, "zerortcAnswer", answer)})
        deadline = time.time() + 60
        while time.time() < deadline:
            ready, _, _ = select.select([sys.stdin], [], [], 0.2)
            if ready:
                line = sys.stdin.readline()
                if not line or json.loads(line).get("quit"):
                    break
            say({"state": run_async(a.webdriver, session, "zerortcState")})
    finally:
        try:
            call(a.webdriver, "DELETE", f"/session/{session}")
        except OSError as e:  # chromedriver may drop the connection as Chromium quits
            print(f"DELETE session: {e}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
