#!/bin/bash
# scripts/capture-responses.sh: record what real daemons send back to
# svdetect's probes, as the corpus for differential tests and benchmarks.
#
#   scripts/capture-responses.sh [OUTDIR]     (default tests/data/responses)
#
# The daemons come from `scripts/daemons.sh list` (they must be running:
# `scripts/daemons.sh start`).  For every plaintext TCP port that is up (the
# TLS ones are left out) it sends, each on a fresh connection to 127.0.0.1:
#   NULL         nothing: read until 6 s pass, the peer closes, or >= 4096 bytes
#   GetRequest   and GenericLines, always
#   any other TCP probe of signatures/svdetect-service-probes whose `ports`
#                line lists the port
# and every UDP probe of that file to the UDP ports of the set it lists.
# Non-NULL probes read until totalwaitms (default 5000 ms) pass, the peer
# closes, or 16 KiB arrive.  Bytes are stored
# unmodified, truncated to 16 KiB, as OUTDIR/<daemon>-<port>-<Probe>.bin
# (UDP: <daemon>-<port>-udp-<Probe>.bin); empty responses are skipped.
# OUTDIR/INDEX.tsv lists them.  Only loopback is ever contacted.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(dirname "$here")
out=${1:-$top/tests/data/responses}
list=$("$here/daemons.sh" list)
export SVD_TOP=$top SVD_OUT=$out SVD_LIST=$list
exec python3 -B - <<'PY'
import os, re, socket, sys, time
from concurrent.futures import ThreadPoolExecutor

TOP = os.environ["SVD_TOP"]
OUT = os.environ["SVD_OUT"]
PROBES_FILE = os.path.join(TOP, "signatures", "svdetect-service-probes")
HOST = "127.0.0.1"          # never anything else
CAP = 16 * 1024
NULL_WAIT, NULL_ENOUGH = 6.0, 4096
DEFAULT_WAIT = 5.0
CONNECT_TIMEOUT = 5.0


def unescape(s):
    """Decode the q|...| escapes of the probe grammar."""
    simple = {"0": 0, "a": 7, "b": 8, "f": 12, "n": 10, "r": 13, "t": 9,
              "v": 11, "\\": 92}
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i]
        if c != "\\":
            out += c.encode("latin-1")
            i += 1
            continue
        n = s[i + 1]
        if n == "x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        else:
            out.append(simple.get(n, ord(n)))
            i += 2
    return bytes(out)


def parse_ports(spec):
    ports = set()
    for part in spec.split(","):
        part = part.strip()
        if "-" in part:
            a, b = part.split("-")
            ports.update(range(int(a), int(b) + 1))
        elif part:
            ports.add(int(part))
    return ports


def load_probes(path):
    probes, cur = [], None
    with open(path, encoding="latin-1") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"Probe (TCP|UDP) (\S+) q(.)(.*)\3(\s+no-payload)?\s*$", line)
            if m:
                cur = {"proto": m.group(1), "name": m.group(2),
                       "payload": unescape(m.group(4)), "ports": set(),
                       "sslports": set(), "wait": None}
                probes.append(cur)
                continue
            if cur is None:
                continue
            m = re.match(r"ports (\S+)", line)
            if m:
                cur["ports"] = parse_ports(m.group(1))
            m = re.match(r"totalwaitms (\d+)", line)
            if m:
                cur["wait"] = int(m.group(1)) / 1000.0
    return probes


def tcp_exchange(port, payload, wait, enough):
    data = b""
    try:
        s = socket.create_connection((HOST, port), timeout=CONNECT_TIMEOUT)
    except OSError as e:
        print(f"  {port}: connect failed: {e}", file=sys.stderr)
        return data
    with s:
        deadline = time.monotonic() + wait
        try:
            if payload:
                s.sendall(payload)
            while len(data) < enough:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                s.settimeout(left)
                chunk = s.recv(CAP)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        except OSError:
            pass    # reset after data: keep what arrived
    return data[:CAP]


def udp_exchange(port, payload, wait):
    data = b""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.settimeout(wait)
        try:
            s.sendto(payload, (HOST, port))
            data, _ = s.recvfrom(65535)
        except OSError:
            pass
    return data[:CAP]


def main():
    probes = load_probes(PROBES_FILE)
    by_name = {p["name"]: p for p in probes if p["proto"] == "TCP"}
    daemons = []
    for line in os.environ["SVD_LIST"].splitlines():
        f = line.split("\t")
        if len(f) == 6 and f[4] == "up" and f[5] in ("plain", "udp"):
            daemons.append(dict(name=f[0], port=int(f[1]), pkg=f[2], ver=f[3],
                                udp=f[5] == "udp"))
    if not daemons:
        sys.exit("capture-responses: no daemon is up (scripts/daemons.sh start)")
    jobs = []
    for d in daemons:
        for p in probes:
            if p["proto"] == "TCP" and not d["udp"]:
                always = p["name"] in ("NULL", "GetRequest", "GenericLines")
                if always or d["port"] in p["ports"]:
                    jobs.append((d, p))
            elif p["proto"] == "UDP" and d["udp"] and d["port"] in p["ports"]:
                jobs.append((d, p))
    for req in ("NULL", "GetRequest", "GenericLines"):
        if req not in by_name:
            sys.exit(f"capture-responses: probe {req} missing from {PROBES_FILE}")

    def run(job):
        d, p = job
        if p["proto"] == "UDP":
            data = udp_exchange(d["port"], p["payload"], p["wait"] or DEFAULT_WAIT)
            fname = f'{d["name"]}-{d["port"]}-udp-{p["name"]}.bin'
        elif p["name"] == "NULL":
            data = tcp_exchange(d["port"], b"", NULL_WAIT, NULL_ENOUGH)
            fname = f'{d["name"]}-{d["port"]}-NULL.bin'
        else:
            data = tcp_exchange(d["port"], p["payload"], p["wait"] or DEFAULT_WAIT, CAP)
            fname = f'{d["name"]}-{d["port"]}-{p["name"]}.bin'
        return d, p, fname, data

    os.makedirs(OUT, exist_ok=True)
    for old in os.listdir(OUT):
        if old.endswith(".bin"):
            os.unlink(os.path.join(OUT, old))
    # One daemon's exchanges run one after another (so they do not disturb
    # each other: connection counts, IRC nicknames); daemons run in parallel.
    groups = {}
    for job in jobs:
        groups.setdefault(job[0]["name"], []).append(job)

    def run_group(group):
        return [run(job) for job in group]

    rows = []
    # Bounded: a fixed job list, 8 workers, every exchange time-limited.
    with ThreadPoolExecutor(max_workers=8) as ex:
        results = [r for rs in ex.map(run_group, groups.values()) for r in rs]
        for d, p, fname, data in results:
            if not data:
                print(f"  {fname}: empty, skipped", file=sys.stderr)
                continue
            with open(os.path.join(OUT, fname), "wb") as f:
                f.write(data)
            rows.append((fname, d["name"], d["pkg"], d["ver"], str(d["port"]),
                         p["proto"], p["name"], str(len(data))))
    rows.sort()
    with open(os.path.join(OUT, "INDEX.tsv"), "w") as f:
        f.write("file\tdaemon\tpackage\tversion\tport\tproto\tprobe\tbytes\n")
        for r in rows:
            f.write("\t".join(r) + "\n")
    print(f"capture-responses: {len(rows)} responses from {len(daemons)} ports "
          f"({len(jobs)} exchanges) in {OUT}")


main()
PY
