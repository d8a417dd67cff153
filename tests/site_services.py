#!/usr/bin/env python3
"""The custom services of tests/custom-set.sh, on 127.0.0.1:

    site_services.py [--lifetime S] KIND=PORT...

  inventory  sends the banner "SITE-INVENTORY 2.4 ready" at once
  webapp     says nothing; to a request (bytes up to an empty line) answers
             as a small web application, "Server: SiteApp/3.1 (build 77)":
             200 to GET, 400 to anything else, then closes
  hello      says nothing; to the line "HELLO svdetect-site" answers
             "HELLO-OK 1.7 node=alpha-7", to any other line "HELLO-ERR"

None of them is a real protocol: tests/data/custom-set/site-probes names
them, and no line of Nmap's database or of svdetect's own does.
Prints "ready" when every socket listens, then serves until killed or for
--lifetime seconds (default 300); each connection is dropped after 20 s.
"""
import socket
import sys
import threading
import time

CONN_SECONDS = 20
MAX_REQUEST = 4096


def read_until(conn, end):
    """Bytes received up to and including END (or all, at EOF or the cap)."""
    data = b""
    while end not in data and len(data) < MAX_REQUEST:
        chunk = conn.recv(1024)
        if not chunk:
            break
        data += chunk
    return data


def inventory(conn):
    conn.sendall(b"SITE-INVENTORY 2.4 ready\r\n")
    read_until(conn, b"\n")


def webapp(conn):
    request = read_until(conn, b"\r\n\r\n")
    if not request:
        return
    status = b"200 OK" if request.startswith(b"GET ") else b"400 Bad Request"
    body = b"site\n"
    conn.sendall(b"HTTP/1.0 " + status + b"\r\nServer: SiteApp/3.1 (build 77)\r\n"
                 b"Content-Type: text/plain\r\nContent-Length: " + str(len(body)).encode() +
                 b"\r\n\r\n" + body)


def hello(conn):
    for _ in range(16):
        line = read_until(conn, b"\n")
        if not line:
            return
        if line.rstrip(b"\r\n") == b"HELLO svdetect-site":
            conn.sendall(b"HELLO-OK 1.7 node=alpha-7\r\n")
        else:
            conn.sendall(b"HELLO-ERR unknown greeting\r\n")


KINDS = {"inventory": inventory, "webapp": webapp, "hello": hello}


def serve_conn(conn, handler):
    with conn:
        conn.settimeout(CONN_SECONDS)
        try:
            handler(conn)
        except OSError:
            pass


def listen(port, handler):
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", port))
    sock.listen(16)

    def accept_loop():
        while True:
            conn, _ = sock.accept()
            threading.Thread(target=serve_conn, args=(conn, handler), daemon=True).start()

    threading.Thread(target=accept_loop, daemon=True).start()


def main(argv):
    lifetime = 300.0
    if len(argv) > 1 and argv[0] == "--lifetime":
        lifetime = float(argv[1])
        argv = argv[2:]
    if not argv:
        sys.exit(__doc__)
    for spec in argv:
        kind, _, port = spec.partition("=")
        if kind not in KINDS or not port.isdigit():
            sys.exit("site_services.py: bad service %r\n%s" % (spec, __doc__))
        listen(int(port), KINDS[kind])
    print("ready", flush=True)
    time.sleep(lifetime)


if __name__ == "__main__":
    main(sys.argv[1:])
