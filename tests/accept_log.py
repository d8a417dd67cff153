#!/usr/bin/env python3
"""A listener that records every connection it accepts, for tests/exclude.sh
and tests/resume.sh.

Usage: accept_log.py [--slow ADDR:SECONDS] LOG LIFETIME ADDR...  Binds one
port (the first free one on the first address, then the same on the
others), prints "port N" and "ready" on stdout, and for each connection
accepted writes the local address to LOG, sends an SSH banner and closes;
on the --slow address, only SECONDS later (a host that takes that long to
scan).  Exits after LIFETIME seconds at most.
"""
import selectors
import socket
import sys
import time

BANNER = b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"


def listen(addr, port):
    family = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, port))
    s.listen(64)
    s.setblocking(False)
    return s


def answer(conn):
    try:
        conn.sendall(BANNER)
    except OSError:
        pass
    conn.close()


def main():
    args = sys.argv[1:]
    slow_addr, slow_secs = None, 0.0
    if args[0] == "--slow":
        slow_addr, secs = args[1].rsplit(":", 1)
        slow_secs = float(secs)
        args = args[2:]
    log_path, lifetime, addrs = args[0], float(args[1]), args[2:]
    first = listen(addrs[0], 0)
    port = first.getsockname()[1]
    socks = [first] + [listen(a, port) for a in addrs[1:]]
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    print("port", port)
    print("ready", flush=True)
    deadline = time.monotonic() + lifetime
    held = []  # (when to answer, connection) on the slow address
    with open(log_path, "a", buffering=1) as log:
        while time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.1):
                try:
                    conn, _ = key.fileobj.accept()
                except OSError:
                    continue
                local = conn.getsockname()[0]
                log.write(local + "\n")
                if local == slow_addr:
                    held.append((time.monotonic() + slow_secs, conn))
                else:
                    answer(conn)
            now = time.monotonic()
            for due, conn in [h for h in held if h[0] <= now]:
                answer(conn)
            held = [h for h in held if h[0] > now]


main()
