#!/bin/sh
# The TLS transport's memory and CPU per connection (bench/tls_conns.c):
# TLS_CONNS (default 1,000) connections at once to a Python asyncio TLS
# server on 127.0.0.1 (a throwaway self-signed P-256 certificate), each
# read until the server's greeting, then idle.
# Usage: bench/tls-conns.sh [BUILD-DIR]   (make -C build bench-tls)
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
n=${TLS_CONNS:-1000}
tmp=$(mktemp -d) || exit 1
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
	-subj /CN=localhost -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null || exit 1
python3 - "$tmp/cert.pem" "$tmp/key.pem" >"$tmp/port" 2>"$tmp/server.err" <<'PY' &
import asyncio, ssl, sys

async def greet(reader, writer):
    writer.write(b"* OK a greeting of some length, as a service would send it\r\n")
    try:
        await writer.drain()
        await reader.read(1)  # until the client goes (with a reset)
    except OSError:
        pass
    writer.close()

async def main():
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(sys.argv[1], sys.argv[2])
    server = await asyncio.start_server(greet, "127.0.0.1", 0, ssl=ctx, backlog=4096)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.sleep(300)

asyncio.run(main())
PY
srv=$!
i=0
until [ -s "$tmp/port" ]; do
	i=$((i + 1)); [ $i -le 100 ] || { echo "server did not start"; exit 1; }
	sleep 0.1
done
# shellcheck disable=SC3045 # dash and bash have ulimit -n and -H
ulimit -n $((n + 256)) 2>/dev/null || ulimit -n "$(ulimit -Hn)"
"$build/bench/tls_conns" "$n" "$(cat "$tmp/port")"
