#!/usr/bin/env python3
"""A listener that records every connection it accepts, for tests/exclude.sh.

Usage: accept_log.py LOG LIFETIME ADDR...  Binds one port (the first free
one on the first address, then the same on the others), prints "port N"
and "ready" on stdout, and for each connection accepted writes the local
address to LOG, sends an SSH banner and closes.  Exits after LIFETIME
seconds at most.
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


def main():
    log_path, lifetime, addrs = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    first = listen(addrs[0], 0)
    port = first.getsockname()[1]
    socks = [first] + [listen(a, port) for a in addrs[1:]]
    sel = selectors.DefaultSelector()
    for s in socks:
        sel.register(s, selectors.EVENT_READ)
    print("port", port)
    print("ready", flush=True)
    deadline = time.monotonic() + lifetime
    with open(log_path, "a", buffering=1) as log:
        while time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.2):
                try:
                    conn, _ = key.fileobj.accept()
                except OSError:
                    continue
                log.write(conn.getsockname()[0] + "\n")
                try:
                    conn.sendall(BANNER)
                except OSError:
                    pass
                conn.close()


main()
