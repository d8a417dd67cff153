#!/usr/bin/env python3
"""A TLS server that behaves as dovecot's imaps does by default, for
tests/tls.sh: TLS 1.2 at least, modern ciphers only, and a handshake it
refuses ends with the connection closed and no alert sent (so that Nmap's
old hellos, SSLSessionReq and TLSSessionReq, get no answer it can match).
After a handshake it greets as dovecot does and reads until the client
leaves.

    tls_quiet_server.py CERT KEY LIFETIME_SECONDS

Listens on a free port of 127.0.0.1, prints "port N" then "ready", and
exits after LIFETIME_SECONDS."""
import socket
import ssl
import sys
import threading

GREETING = (b"* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE "
            b"LITERAL+ STARTTLS AUTH=PLAIN] Dovecot ready.\r\n")
IO_TIMEOUT = 10


def flush(sock, out):
    data = out.read()
    if data:
        sock.sendall(data)


def serve(ctx, sock):
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    tls = ctx.wrap_bio(inc, out, server_side=True)
    sock.settimeout(IO_TIMEOUT)
    try:
        while True:
            try:
                tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                flush(sock, out)
                data = sock.recv(4096)
                if not data:
                    return
                inc.write(data)
        tls.write(GREETING)
        flush(sock, out)
        while sock.recv(4096):
            pass
    except (ssl.SSLError, OSError):
        pass  # the alert, if any, stays in `out`: never sent
    finally:
        sock.close()


def main():
    cert, key, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_cert_chain(cert, key)
    ls = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    ls.bind(("127.0.0.1", 0))
    ls.listen(64)
    print("port", ls.getsockname()[1], flush=True)
    print("ready", flush=True)
    threading.Timer(lifetime, lambda: ls.shutdown(socket.SHUT_RDWR)).start()
    while True:
        try:
            conn, _ = ls.accept()
        except OSError:
            break
        threading.Thread(target=serve, args=(ctx, conn), daemon=True).start()
    ls.close()


if __name__ == "__main__":
    main()
