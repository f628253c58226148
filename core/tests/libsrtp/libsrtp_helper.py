#!/usr/bin/env python3
"""Protect/unprotect packets with libsrtp (through pylibsrtp) for the
cross-check in core/tests/srtp_libsrtp.rs.

Usage: libsrtp_helper.py PROFILE MASTER_KEY_AND_SALT_HEX

PROFILE is one of AES128_CM_SHA1_80, AES128_CM_SHA1_32, AEAD_AES_128_GCM,
AEAD_AES_256_GCM. Reads one operation per line on stdin:

    protect HEX | protect_rtcp HEX | unprotect HEX | unprotect_rtcp HEX

and answers one line per operation on stdout: "ok HEX" or "err MESSAGE".
Protection uses one outbound session and unprotection one inbound session,
both keyed with the same master key and salt (replay window 1024, repeated
transmission allowed), so a sequence of operations behaves like one sender
and one receiver.
"""

import sys

import pylibsrtp

PROFILES = {
    "AES128_CM_SHA1_80": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_80,
    "AES128_CM_SHA1_32": pylibsrtp.Policy.SRTP_PROFILE_AES128_CM_SHA1_32,
    "AEAD_AES_128_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_128_GCM,
    "AEAD_AES_256_GCM": pylibsrtp.Policy.SRTP_PROFILE_AEAD_AES_256_GCM,
}


def session(profile: int, key: bytes, ssrc_type: int) -> pylibsrtp.Session:
    policy = pylibsrtp.Policy(key=key, ssrc_type=ssrc_type, srtp_profile=profile)
    policy.window_size = 1024
    policy.allow_repeat_tx = True
    return pylibsrtp.Session(policy=policy)


def main() -> int:
    profile = PROFILES[sys.argv[1]]
    key = bytes.fromhex(sys.argv[2])
    tx = session(profile, key, pylibsrtp.Policy.SSRC_ANY_OUTBOUND)
    rx = session(profile, key, pylibsrtp.Policy.SSRC_ANY_INBOUND)
    ops = {
        "protect": tx.protect,
        "protect_rtcp": tx.protect_rtcp,
        "unprotect": rx.unprotect,
        "unprotect_rtcp": rx.unprotect_rtcp,
    }
    for line in sys.stdin:
        line = line.strip()
        if not line:
            continue
        op, _, data = line.partition(" ")
        try:
            out = ops[op](bytes.fromhex(data))
            print("ok " + out.hex(), flush=True)
        except pylibsrtp.Error as error:
            print("err " + str(error).replace("\n", " "), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
