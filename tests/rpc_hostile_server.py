#!/usr/bin/env python3
"""Hostile SunRPC servers over TCP and UDP for tests/rpc-hostile.sh.  Each
answers the RPC call of Nmap's RPCCheck probe (xid 0x72fe1d13, TCP or UDP)
as an RPC service does, PROG_UNAVAIL, so that version detection names the
port rpcbind and the grinder goes to work on it; every other call gets
the port's hostile answer.  Over TCP:

    huge     a record mark of 2 GB, then zeros until the client leaves
    endless  empty fragments, none the last, until the client leaves
    xid      PROG_MISMATCH 2-4, for an xid no call had
    garbage  a well-framed reply of random words

Anything that is no call (another probe) is answered by closing.  Over UDP
(each reply one datagram; anything that is no call is ignored):

    udp-flood    200 datagrams of PROG_MISMATCH 2-4 for xids no call had
    udp-huge     a datagram of 60000 bytes: a PROG_MISMATCH reply, then zeros
    udp-xid      PROG_MISMATCH 2-4, for an xid no call had
    udp-garbage  a reply of random words

    rpc_hostile_server.py LIFETIME_SECONDS

Listens on free ports of 127.0.0.1, prints "MODE PORT" for each, then
"ready", and exits after LIFETIME_SECONDS."""
import os
import socket
import struct
import sys
import threading

RPCCHECK_XID = 0x72FE1D13
IO_TIMEOUT = 10
CHUNK = 65536


def read_exact(sock, n):
    data = b""
    while len(data) < n:
        part = sock.recv(n - len(data))
        if not part:
            return None
        data += part
    return data


def message(xid, words):
    return struct.pack(">II", xid, 1) + b"".join(struct.pack(">I", w) for w in words)


def reply(xid, words):
    body = message(xid, words)
    return struct.pack(">I", 0x80000000 | len(body)) + body


def flood(sock, unit):
    """Sends unit again and again until the client closes."""
    data = unit * (CHUNK // len(unit))
    while True:
        sock.sendall(data)


def serve(mode, sock):
    sock.settimeout(IO_TIMEOUT)
    try:
        while True:
            mark = read_exact(sock, 4)
            if mark is None:
                return
            (m,) = struct.unpack(">I", mark)
            if not m & 0x80000000 or m & 0x7FFFFFFF > 1024:
                return  # no RPC call: another probe
            call = read_exact(sock, m & 0x7FFFFFFF)
            if call is None or len(call) < 4:
                return
            (xid,) = struct.unpack(">I", call[:4])
            if xid == RPCCHECK_XID:
                sock.sendall(reply(xid, [0, 0, 0, 1]))  # accepted, PROG_UNAVAIL
            elif mode == "huge":
                sock.sendall(struct.pack(">I", 0x7FFFFFFF))
                flood(sock, b"\0")
            elif mode == "endless":
                flood(sock, struct.pack(">I", 0))
            elif mode == "xid":
                sock.sendall(reply(xid ^ 0x5A5A5A5A, [0, 0, 0, 2, 2, 4]))
            else:
                words = struct.unpack(">6I", os.urandom(24))
                sock.sendall(reply(xid, list(words)))
    except OSError:
        pass
    finally:
        sock.close()


def listen(mode):
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", 0))
    srv.listen(64)
    print(mode, srv.getsockname()[1], flush=True)

    def accept_loop():
        while True:
            conn, _ = srv.accept()
            threading.Thread(target=serve, args=(mode, conn), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()


UDP_FLOOD = 200
UDP_HUGE = 60000


def udp_answers(mode, xid):
    """The datagrams that answer a call of xid."""
    mismatch = [0, 0, 0, 2, 2, 4]
    if xid == RPCCHECK_XID:
        return [message(xid, [0, 0, 0, 1])]  # accepted, PROG_UNAVAIL
    if mode == "udp-flood":
        return [message(xid ^ 0x5A5A5A5A ^ i, mismatch) for i in range(UDP_FLOOD)]
    if mode == "udp-huge":
        m = message(xid, mismatch)
        return [m + b"\0" * (UDP_HUGE - len(m))]
    if mode == "udp-xid":
        return [message(xid ^ 0x5A5A5A5A, mismatch)]
    return [message(xid, list(struct.unpack(">6I", os.urandom(24))))]


def serve_udp(mode):
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    print(mode, sock.getsockname()[1], flush=True)

    def loop():
        while True:
            call, peer = sock.recvfrom(65536)
            # A call: xid, CALL (0), RPC version 2, and the rest of a header.
            if len(call) < 40 or struct.unpack(">II", call[4:12]) != (0, 2):
                continue
            (xid,) = struct.unpack(">I", call[:4])
            for d in udp_answers(mode, xid):
                try:
                    sock.sendto(d, peer)
                except OSError:
                    break  # the client's socket is gone (ICMP) or full

    threading.Thread(target=loop, daemon=True).start()


def main():
    lifetime = float(sys.argv[1])
    for mode in ("huge", "endless", "xid", "garbage"):
        listen(mode)
    for mode in ("udp-flood", "udp-huge", "udp-xid", "udp-garbage"):
        serve_udp(mode)
    print("ready", flush=True)
    threading.Event().wait(lifetime)


if __name__ == "__main__":
    main()
