#!/usr/bin/env python3
"""aiortc as the remote peer of the interop matrix (interop/tests/browsers.rs).

Takes the same commands as pages/zerortc-peer.html, one JSON line
{"command": ..., "args": {...}} on stdin, answers one JSON line on stdout
({"__error": "..."} when it fails). Signaling goes over the test's HTTP
server like the page's (POST /signal/to-zerortc, long-poll GET
/signal/to-peer). Messages and checksums as in the page: message i of
`size` bytes is i as 10 digits, ':', then 'a' + (i + 7 j) mod 26.

Loopback only: aioice skips loopback addresses unless told otherwise, and
adds a public STUN server unless iceServers=[]. Logs go to stderr.
"""
import argparse
import asyncio
import json
import logging
import re
import sys
import time
import traceback
import urllib.request

import aioice.ice

aioice.ice.get_host_addresses = lambda use_ipv4=True, use_ipv6=True: ["127.0.0.1"]

import aiortc  # noqa: E402
from aiortc import (  # noqa: E402
    RTCConfiguration,
    RTCIceServer,
    RTCPeerConnection,
    RTCSessionDescription,
)
from aiortc.sdp import candidate_from_sdp  # noqa: E402

log = logging.getLogger("aiortc-peer")


def fnv(data):
    h = 0x811C9DC5
    for b in data:
        h ^= b
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h


def make_message(i, size):
    head = f"{i:010d}:".encode()
    body = bytes(97 + ((i + 7 * j) % 26) for j in range(11, size))
    return (head + body)[:size]


def check_message(data):
    if len(data) < 11 or data[10] != 58 or not data[:10].isdigit():
        return -1
    i = int(data[:10])
    if data != make_message(i, len(data)):
        return -1
    return i


def new_stats():
    return {"received": 0, "bytes": 0, "checksum": 0, "bad": 0, "outOfOrder": 0,
            "last": -1, "sent": 0, "sentChecksum": 0, "open": False, "closed": False,
            "state": "connecting"}


LOOPBACK = re.compile(r" (127\.0\.0\.1|::1) ")


class Peer:
    def __init__(self, server):
        self.server = server
        self.pc = None
        self.session = -1
        self.opts = {}
        self.channels = {}
        self.errors = []
        self.events = []
        self.background = None

    # ---- HTTP signaling ----
    def _post_sync(self, message):
        req = urllib.request.Request(self.server + "/signal/to-zerortc",
                                     data=json.dumps(message).encode(), method="POST")
        urllib.request.urlopen(req, timeout=10).read()

    async def post(self, message):
        message["session"] = self.session
        await asyncio.get_running_loop().run_in_executor(None, self._post_sync, message)

    def _poll_sync(self, session):
        with urllib.request.urlopen(f"{self.server}/signal/to-peer?session={session}",
                                    timeout=10) as r:
            return json.loads(r.read())

    async def poll_loop(self, session):
        loop = asyncio.get_running_loop()
        while self.session == session:
            try:
                messages = await loop.run_in_executor(None, self._poll_sync, session)
            except Exception:
                await asyncio.sleep(0.1)
                continue
            for m in messages:
                if self.session != session:
                    return
                try:
                    await self.on_signal(m)
                except Exception as e:
                    self.errors.append(f"signal {m.get('type')}: {e!r}")
                    log.exception("signal")

    def outgoing(self, sdp):
        lines = [l for l in sdp.split("\r\n")
                 if not l.startswith("a=candidate:") or LOOPBACK.search(l)]
        sdp = "\r\n".join(lines)
        if self.opts.get("mungeFingerprint"):
            sdp = re.sub(r"(a=fingerprint:\S+ )([0-9A-F])",
                         lambda m: m.group(1) + ("1" if m.group(2) == "0" else "0"), sdp)
        return sdp

    async def send_description(self):
        d = self.pc.localDescription
        sdp = self.outgoing(d.sdp)
        self.events.append({"type": d.type, "sdp": sdp})
        await self.post({"type": d.type, "sdp": sdp})

    async def on_signal(self, m):
        pc = self.pc
        if m["type"] == "offer":
            self.events.append({"type": "remote-offer", "sdp": m["sdp"]})
            await pc.setRemoteDescription(RTCSessionDescription(m["sdp"], "offer"))
            await pc.setLocalDescription(await pc.createAnswer())
            await self.send_description()
        elif m["type"] == "answer":
            self.events.append({"type": "remote-answer", "sdp": m["sdp"]})
            await pc.setRemoteDescription(RTCSessionDescription(m["sdp"], "answer"))
        elif m["type"] == "candidate":
            text = m.get("candidate") or ""
            if not text:
                return
            c = candidate_from_sdp(text.split(":", 1)[1])
            c.sdpMid = m.get("sdpMid")
            c.sdpMLineIndex = m.get("sdpMLineIndex")
            await pc.addIceCandidate(c)

    # ---- channels ----
    def attach(self, dc):
        entry = self.channels.get(dc.label) or {"dc": dc, "stats": new_stats()}
        entry["dc"] = dc
        self.channels[dc.label] = entry
        s = entry["stats"]

        def on_open():
            s["open"] = True
            s["state"] = "open"

        @dc.on("open")
        def _open():
            on_open()

        @dc.on("close")
        def _close():
            s["closed"] = True
            s["state"] = "closed"

        @dc.on("message")
        def _message(data):
            raw = data.encode() if isinstance(data, str) else bytes(data)
            s["received"] += 1
            s["bytes"] += len(raw)
            i = check_message(raw)
            if i < 0:
                s["bad"] += 1
                return
            s["checksum"] = (s["checksum"] + fnv(raw)) & 0xFFFFFFFF
            if i <= s["last"]:
                s["outOfOrder"] += 1
            s["last"] = max(s["last"], i)

        if dc.readyState == "open":
            on_open()
        return entry

    def states(self):
        pc = self.pc
        chans = {}
        for label, e in self.channels.items():
            dc = e["dc"]
            chans[label] = dict(e["stats"], id=dc.id, readyState=dc.readyState,
                                bufferedAmount=dc.bufferedAmount, ordered=dc.ordered,
                                maxRetransmits=dc.maxRetransmits,
                                maxPacketLifeTime=dc.maxPacketLifeTime,
                                protocol=dc.protocol, negotiated=dc.negotiated)
        sctp = pc.sctp if pc else None
        return {
            "connectionState": pc.connectionState if pc else "none",
            "iceConnectionState": pc.iceConnectionState if pc else "none",
            "signalingState": pc.signalingState if pc else "none",
            "dtlsState": sctp.transport.state if sctp else None,
            "sctpMaxMessageSize": getattr(sctp, "_remote_max_message_size", None) if sctp else None,
            "channels": chans,
            "errors": self.errors,
        }

    async def wait_until(self, predicate, timeout_ms, what):
        deadline = time.monotonic() + timeout_ms / 1000
        while not predicate():
            if time.monotonic() > deadline:
                raise TimeoutError(f"timeout: {what}")
            await asyncio.sleep(0.01)

    async def pump(self, entry, a):
        dc = entry["dc"]
        s = entry["stats"]
        limit = a.get("highWater") or (1 << 20)
        start = a.get("start", 0)
        for i in range(start, start + a["count"]):
            data = make_message(i, a["size"])
            while dc.bufferedAmount > limit:
                await asyncio.sleep(0.002)
            if dc.readyState != "open":
                raise RuntimeError(f"channel {dc.label} is {dc.readyState}")
            dc.send(data if a.get("binary") else data.decode())
            s["sent"] += 1
            s["sentChecksum"] = (s["sentChecksum"] + fnv(data)) & 0xFFFFFFFF
            if i % 64 == 63:
                await asyncio.sleep(0)

    # ---- commands ----
    async def cmd_version(self, a):
        return {"aiortc": aiortc.__version__}

    async def cmd_start(self, a):
        if self.pc:
            await self.pc.close()
        self.session = a["session"]
        self.opts = a
        self.channels = {}
        self.errors = []
        self.events = []
        servers = [RTCIceServer(urls=s["urls"]) for s in a.get("iceServers") or []]
        pc = RTCPeerConnection(RTCConfiguration(iceServers=servers))
        self.pc = pc

        @pc.on("datachannel")
        def _dc(dc):
            self.attach(dc)

        @pc.on("connectionstatechange")
        def _state():
            log.info("connectionState %s", pc.connectionState)

        asyncio.ensure_future(self.poll_loop(self.session))
        return {}

    async def cmd_createChannel(self, a):
        kw = {k: a[k] for k in ("ordered", "maxRetransmits", "maxPacketLifeTime", "negotiated",
                                "id", "protocol") if a.get(k) is not None}
        dc = self.pc.createDataChannel(a["label"], **kw)
        self.attach(dc)
        return {"id": dc.id}

    async def cmd_addTransceiver(self, a):
        self.pc.addTransceiver(a["kind"], direction=a["direction"])
        return {}

    async def cmd_offer(self, a):
        if a.get("iceRestart"):
            raise RuntimeError("aiortc has no ICE restart")
        await self.pc.setLocalDescription(await self.pc.createOffer())
        await self.send_description()
        return {"sdp": self.pc.localDescription.sdp}

    async def cmd_waitConnected(self, a):
        want = a.get("state", "connected")
        await self.wait_until(lambda: self.pc.connectionState in (want, "failed"),
                              a.get("timeoutMs", 10000), f"connectionState {want}")
        return self.states()

    async def cmd_waitStable(self, a):
        await self.wait_until(lambda: self.pc.signalingState == "stable"
                              and self.pc.remoteDescription is not None,
                              a.get("timeoutMs", 10000), "stable")
        return self.states()

    def _stat(self, label, key):
        e = self.channels.get(label)
        return e["stats"][key] if e else None

    async def cmd_waitOpen(self, a):
        await self.wait_until(lambda: all(self._stat(l, "open") for l in a["labels"]),
                              a.get("timeoutMs", 10000), f"open {a['labels']}")
        return self.states()

    async def cmd_waitClosed(self, a):
        await self.wait_until(lambda: all(self._stat(l, "closed") for l in a["labels"]),
                              a.get("timeoutMs", 10000), f"closed {a['labels']}")
        return self.states()

    async def cmd_waitReceived(self, a):
        await self.wait_until(lambda: (self._stat(a["label"], "received") or 0) >= a["count"],
                              a.get("timeoutMs", 10000),
                              f"{a['count']} messages on {a['label']}")
        return self.states()

    async def cmd_send(self, a):
        await self.pump(self.channels[a["label"]], a)
        return self.states()

    async def cmd_sendInBackground(self, a):
        entry = self.channels[a["label"]]
        bg = {"stop": False}
        self.background = bg

        async def run():
            i = 0
            while not bg["stop"] and entry["dc"].readyState == "open":
                await self.pump(entry, {"count": 1, "size": a["size"],
                                        "binary": a.get("binary"), "start": i})
                i += 1
                await asyncio.sleep(a.get("intervalMs", 5) / 1000)

        asyncio.ensure_future(run())
        return {}

    async def cmd_stopSending(self, a):
        if self.background:
            self.background["stop"] = True
        await asyncio.sleep(0.05)
        return self.states()

    async def cmd_trySend(self, a):
        try:
            self.channels[a["label"]]["dc"].send(make_message(0, a["size"]))
            return {"threw": None}
        except Exception as e:
            return {"threw": repr(e)}

    async def cmd_blast(self, a):
        entry = self.channels[a["label"]]
        t0 = time.monotonic()
        count = -(-a["totalBytes"] // a["size"])
        await self.pump(entry, {"count": count, "size": a["size"], "binary": True,
                                "highWater": a.get("highWater", 4 << 20)})
        await self.wait_until(lambda: entry["dc"].bufferedAmount == 0, 60000, "drained")
        return {"ms": (time.monotonic() - t0) * 1000}

    async def cmd_close(self, a):
        self.channels[a["label"]]["dc"].close()
        return self.states()

    async def cmd_states(self, a):
        return self.states()

    async def cmd_selectedPair(self, a):
        try:
            conn = self.pc.sctp.transport.transport._connection
            pair = conn._nominated.get(1)
            lc, rc = pair.local_candidate, pair.remote_candidate
            return {"local": {"address": lc.host, "port": lc.port, "type": lc.type},
                    "remote": {"address": rc.host, "port": rc.port, "type": rc.type}}
        except Exception as e:
            return {"error": repr(e)}

    async def cmd_descriptions(self, a):
        pc = self.pc
        return {"events": self.events,
                "local": pc.localDescription.sdp if pc and pc.localDescription else None,
                "remote": pc.remoteDescription.sdp if pc and pc.remoteDescription else None}

    async def cmd_log(self, a):
        return []

    async def cmd_stop(self, a):
        if self.pc:
            await self.pc.close()
        self.pc = None
        self.session = -1
        return {}


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--server", required=True)
    args = ap.parse_args()
    logging.basicConfig(level=logging.INFO, stream=sys.stderr,
                        format="%(asctime)s %(name)s %(levelname)s %(message)s")
    peer = Peer(args.server)
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        try:
            request = json.loads(line)
            f = getattr(peer, "cmd_" + request["command"], None)
            if f is None:
                raise RuntimeError(f"unknown command {request['command']}")
            result = await f(request.get("args") or {})
        except Exception as e:
            log.error("%s", traceback.format_exc())
            result = {"__error": f"{type(e).__name__}: {e}"}
        sys.stdout.write(json.dumps(result) + "\n")
        sys.stdout.flush()
    if peer.pc:
        await peer.pc.close()


if __name__ == "__main__":
    asyncio.run(main())
