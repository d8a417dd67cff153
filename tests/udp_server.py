#!/usr/bin/env python3
"""UDP peers for tests/udp.sh, on ADDR (127.0.0.1 or ::1):

    udp_server.py [--lifetime S] ADDR KIND=PORT...

  dns        answers a version.bind CHAOS TXT query as BIND 9.18 does (with
             the query's id and RD bit), NOTIMP to any other datagram
  silent     reads every datagram and never answers
  otherport  answers every datagram, but from another port of its own
             (a connected socket must not take that for the port's answer)
  flood      answers every datagram with 200 datagrams
  big        answers every datagram with one datagram of 20000 bytes

Prints "ready" when every socket is bound, then serves until killed or
for --lifetime seconds (default 300).
"""
import select
import socket
import struct
import sys
import time

VERSION = b"9.18.49-1~deb12u3-Debian"


def dns_answer(query):
    """BIND's answer to version.bind, NOTIMP to anything else."""
    if len(query) < 12:
        return None
    qid, flags = struct.unpack(">HH", query[:4])
    question = b"\x07version\x04bind\x00\x00\x10\x00\x03"
    if query[12:12 + len(question)] == question and (flags >> 11) & 0xF == 0:
        head = struct.pack(">HBBHHHH", qid, 0x84 | (flags >> 8 & 1), 0, 1, 1, 0, 0)
        txt = bytes([len(VERSION)]) + VERSION
        rr = b"\xc0\x0c\x00\x10\x00\x03\x00\x00\x00\x00" + struct.pack(">H", len(txt)) + txt
        return head + question + rr
    # QR, the query's opcode, rcode NOTIMP, no records.
    return struct.pack(">HBBHHHH", qid, 0x80 | (flags >> 8 & 0x78), 4, 0, 0, 0, 0)


def main():
    args = sys.argv[1:]
    lifetime = 300.0
    if args[:1] == ["--lifetime"]:
        lifetime = float(args[1])
        args = args[2:]
    addr, specs = args[0], args[1:]
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    socks = {}
    for spec in specs:
        kind, port = spec.split("=")
        s = socket.socket(family, socket.SOCK_DGRAM)
        s.bind((addr, int(port)))
        socks[s] = kind
    other = socket.socket(family, socket.SOCK_DGRAM)
    other.bind((addr, 0))
    print("ready", flush=True)
    end = time.monotonic() + lifetime
    while time.monotonic() < end:
        ready, _, _ = select.select(list(socks), [], [], 0.5)
        for s in ready:
            data, peer = s.recvfrom(65536)
            kind = socks[s]
            if kind == "dns":
                answer = dns_answer(data)
                if answer:
                    s.sendto(answer, peer)
            elif kind == "otherport":
                other.sendto(b"answer from elsewhere", peer)
            elif kind == "flood":
                for i in range(200):
                    s.sendto(b"flood %d" % i, peer)
            elif kind == "big":
                s.sendto(b"B" * 20000, peer)


if __name__ == "__main__":
    main()
