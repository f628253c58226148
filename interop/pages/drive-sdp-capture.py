#!/usr/bin/env python3
"""Capture SDP offers and answers from headless Chromium and Firefox ESR
over W3C WebDriver (chromedriver and geckodriver), for the fixtures in
core/tests/fixtures/sdp/. Driven by scripts/capture-sdp.

For every scenario of sdp-capture.html, each browser makes an offer; the
other browser answers it and the offering browser accepts the answer
(setRemoteDescription must succeed). Files, exactly as the browsers
returned them (CRLF):
  <offerer><ver>-<scenario>-offer.sdp
  <answerer><ver>-<scenario>-answer-to-<offerer><ver>.sdp

Standard library only. Usage:
  drive-sdp-capture.py --chromium http://127.0.0.1:9516 \
      --firefox http://127.0.0.1:4446 --page http://127.0.0.1:8766/sdp-capture.html \
      --profile DIR --out DIR [--scenarios data,av,av-simulcast,av-data]
"""
import argparse
import json
import os
import re
import subprocess
import sys
import urllib.request

CHROMIUM_ARGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
    "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
    "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--allow-loopback-in-peer-connection",
]

FIREFOX_PREFS = {
    "media.peerconnection.ice.obfuscate_host_addresses": False,
    "media.peerconnection.ice.loopback": True,
    "media.navigator.streams.fake": True,
    "media.navigator.permission.disabled": True,
}


def call(base, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(
        base + path, data=data, method=method,
        headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=120) as response:
        return json.loads(response.read())


class Browser:
    def __init__(self, name, version, webdriver, caps):
        self.name = f"{name}{version}"
        self.webdriver = webdriver
        self.session = call(webdriver, "POST", "/session", caps)["value"]["sessionId"]
        call(webdriver, "POST", f"/session/{self.session}/timeouts", {"script": 60_000})

    def open(self, page):
        call(self.webdriver, "POST", f"/session/{self.session}/url", {"url": page})

    def run(self, function, *args):
        script = ("const done = arguments[arguments.length - 1];"
                  f"window.{function}(...Array.from(arguments).slice(0, -1))"
                  ".then(done, e => done({error: String(e)}));")
        value = call(self.webdriver, "POST", f"/session/{self.session}/execute/async",
                     {"script": script, "args": list(args)})["value"]
        if isinstance(value, dict) and "error" in value:
            raise RuntimeError(f"{self.name} {function}: {value['error']}")
        return value

    def quit(self):
        try:
            self.run("zerortcCloseAll")
        finally:
            call(self.webdriver, "DELETE", f"/session/{self.session}")


def major_version(command):
    out = subprocess.run(command, capture_output=True, text=True).stdout
    match = re.search(r"(\d+)\.\d+", out)
    if not match:
        sys.exit(f"no version in {command}: {out!r}")
    return match.group(1)


def write(out, name, sdp):
    with open(os.path.join(out, name), "w", newline="") as f:
        f.write(sdp)
    print(f"    wrote {name} ({len(sdp.splitlines())} lines)", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--chromium", required=True, help="chromedriver URL")
    ap.add_argument("--firefox", required=True, help="geckodriver URL")
    ap.add_argument("--page", required=True)
    ap.add_argument("--profile", required=True, help="fresh Chromium user-data-dir")
    ap.add_argument("--out", required=True)
    ap.add_argument("--scenarios", default="data,av,av-simulcast,av-data")
    a = ap.parse_args()

    chromium = Browser("chromium", major_version(["chromium", "--version"]), a.chromium, {
        "capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": CHROMIUM_ARGS + ["--user-data-dir=" + a.profile],
            },
        }}})
    firefox = None
    try:
        firefox = Browser("firefox", major_version(["firefox-esr", "--version"]), a.firefox, {
            "capabilities": {"alwaysMatch": {
                "browserName": "firefox",
                "moz:firefoxOptions": {
                    "binary": "/usr/bin/firefox-esr",
                    "args": ["-headless"],
                    "prefs": FIREFOX_PREFS,
                },
            }}})
        for browser in (chromium, firefox):
            browser.open(a.page)
        for scenario in a.scenarios.split(","):
            for offerer, answerer in ((chromium, firefox), (firefox, chromium)):
                offer = offerer.run("zerortcOffer", scenario)
                write(a.out, f"{offerer.name}-{scenario}-offer.sdp", offer["sdp"])
                answer = answerer.run("zerortcAnswer", offer["sdp"])
                write(a.out, f"{answerer.name}-{scenario}-answer-to-{offerer.name}.sdp",
                      answer["sdp"])
                state = offerer.run("zerortcAccept", offer["id"], answer["sdp"])
                if state != "stable":
                    raise RuntimeError(f"{offerer.name} did not accept the answer: {state}")
    finally:
        for browser in (chromium, firefox):
            if browser is not None:
                browser.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
