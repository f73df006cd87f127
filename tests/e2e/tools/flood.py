#!/usr/bin/env python3
"""Floods a WireGuard port with untrusted datagrams, for the memory and robustness tests.

    flood.py KIND HOST PORT SECONDS [--pub BASE64] [--sources ADDR,...] [--ports N] [--rate PPS]

KIND is one of
  initiations  handshake initiations with a valid mac1 for --pub (what a responder must process
               up to the cookie check), random everything else, so each one is new
  garbage      random bytes of random type and length up to 1500
  oversized    65,507-byte datagrams (the largest over IPv4), some typed as initiation or data
  mixed        all three in turn
The datagrams are sent from every address of --sources (each must be assigned to a local
interface) and from --ports source ports per address, round robin, for SECONDS seconds, at most
--rate datagrams per second (0: as fast as one core sends). Prints the number sent.
"""
import argparse
import base64
import hashlib
import os
import socket
import sys
import time

LABEL_MAC1 = b"mac1----"


def initiation(mac1_key):
    body = bytearray(b"\x01\x00\x00\x00" + os.urandom(112))
    mac1 = hashlib.blake2s(bytes(body), key=mac1_key, digest_size=16).digest()
    return bytes(body) + mac1 + bytes(16)


def garbage(i):
    n = 1 + (i * 7919) % 1500
    return bytes([1 + i % 4]) + os.urandom(n - 1) if i % 3 else os.urandom(n)


def oversized(i):
    head = [b"\x01\x00\x00\x00", b"\x04\x00\x00\x00", os.urandom(4)][i % 3]
    return head + os.urandom(65507 - 4)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("kind", choices=["initiations", "garbage", "oversized", "mixed"])
    ap.add_argument("host")
    ap.add_argument("port", type=int)
    ap.add_argument("seconds", type=float)
    ap.add_argument("--pub", help="the responder's public key (base64), for mac1")
    ap.add_argument("--sources", default="", help="comma-separated local source addresses")
    ap.add_argument("--ports", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0)
    a = ap.parse_args()
    family = socket.AF_INET6 if ":" in a.host else socket.AF_INET
    mac1_key = None
    if a.kind in ("initiations", "mixed"):
        if not a.pub:
            sys.exit("flood.py: --pub is needed for initiations")
        mac1_key = hashlib.blake2s(LABEL_MAC1 + base64.b64decode(a.pub)).digest()
    socks = []
    for src in [s for s in a.sources.split(",") if s] or [""]:
        for _ in range(a.ports):
            s = socket.socket(family, socket.SOCK_DGRAM)
            s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 1 << 20)
            s.bind((src, 0))
            s.setblocking(False)
            socks.append(s)
    dest = (a.host, a.port)
    # A pool of oversized datagrams: making 64 KiB of random bytes each time would be the bottleneck.
    big = [oversized(i) for i in range(6)] if a.kind in ("oversized", "mixed") else []
    end = time.monotonic() + a.seconds
    sent = 0
    i = 0
    start = time.monotonic()
    while True:
        if (i & 255) == 0:
            now = time.monotonic()
            if now >= end:
                break
            if a.rate > 0 and sent > a.rate * (now - start):
                time.sleep(min(0.01, end - now))
                continue
        kind = a.kind if a.kind != "mixed" else ("initiations", "garbage", "oversized")[i % 3]
        if kind == "initiations":
            d = initiation(mac1_key)
        elif kind == "garbage":
            d = garbage(i)
        else:
            d = big[i % len(big)]
        try:
            socks[i % len(socks)].sendto(d, dest)
            sent += 1
        except (BlockingIOError, ConnectionRefusedError, OSError):
            pass
        i += 1
    print(sent)


if __name__ == "__main__":
    main()
