#!/bin/sh
# svdc --diagnostics=json: every line on stderr is one JSON object (file,
# line, column, severity, message) saying what the human form says.
#  - Every golden of tests/malformed (and of its merge/ folder, after
#    base.probes) gives the objects of its .expected lines, field by field,
#    the count line as a "note" at line 0.
#  - A hostile file name (quote, backslash, tab, newline, ESC, DEL, a byte
#    that is no UTF-8, UTF-8) and messages quoting '"' and '\' come out as
#    ASCII-only JSON that python3's json module reads back to the same
#    bytes (strings are read as Latin-1, runtime/match/json.h).
svdc="${top_builddir:?}/svdc"
: "${top_srcdir:?}"
command -v python3 >/dev/null || { echo "python3 missing"; exit 77; }
work=$(mktemp -d) || exit 99
trap 'rm -rf "$work"' EXIT
python3 - "$svdc" "$top_srcdir/tests/malformed" "$work" <<'PY'
import json, os, re, subprocess, sys

svdc, malformed, work = sys.argv[1:4]
failures = []

def objects(args, cwd):
    """The JSON objects svdc prints on stderr; checks ASCII, one a line."""
    r = subprocess.run([svdc, "--diagnostics=json", "--check"] + args, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if r.returncode != 1:
        failures.append("%s: exit %d, expected 1" % (args, r.returncode))
    if any(b >= 0x80 for b in r.stderr):
        failures.append("%s: non-ASCII output" % args)
    out = []
    for line in r.stderr.decode("ascii", "replace").split("\n")[:-1]:
        o = json.loads(line)
        if sorted(o) != ["column", "file", "line", "message", "severity"]:
            failures.append("%s: fields %s" % (args, sorted(o)))
        out.append(o)
    return out

def from_human(text, names):
    """The objects a .expected file's lines stand for."""
    want = []
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    for line in text.splitlines():
        m = re.fullmatch(r"(%s):(\d+):(\d+): (error|warning): (.*)" % alt, line)
        if m:
            want.append(dict(file=m[1], line=int(m[2]), column=int(m[3]),
                             severity=m[4], message=m[5]))
            continue
        m = re.fullmatch(r"(%s): (error|warning): (.*)" % alt, line)
        if m:
            want.append(dict(file=m[1], line=0, column=0, severity=m[2], message=m[3]))
            continue
        m = re.fullmatch(r"(%s): (\d+ errors?.*)" % alt, line)
        assert m, line
        want.append(dict(file=m[1], line=0, column=0, severity="note", message=m[2]))
    return want

def golden(cwd, files, expected):
    names = files + [" + ".join(files)]
    want = from_human(open(os.path.join(cwd, expected)).read(), names)
    got = objects(files, cwd)
    if got != want:
        failures.append("%s: %r != %r" % (files, got, want))
    return len(got)

count = 0
for f in sorted(os.listdir(malformed)):
    if f.endswith(".probes"):
        count += golden(malformed, [f], f[:-7] + ".expected")
merge = os.path.join(malformed, "merge")
for f in sorted(os.listdir(merge)):
    if f.endswith(".probes") and f != "base.probes":
        count += golden(merge, ["base.probes", f], f[:-7] + ".expected")

# many-errors.probes, spelt out.
got = objects(["many-errors.probes"], malformed)
assert got[1] == {"file": "many-errors.probes", "line": 4, "column": 9,
                  "severity": "error",
                  "message": "unexpected end of line, expected number"}, got[1]
assert got[-1] == {"file": "many-errors.probes", "line": 0, "column": 0,
                   "severity": "note", "message": "4 errors"}, got[-1]

# A hostile name, holding a file whose messages quote '"' and '\'.
text = b'Probe TCP a"b\\c q|x|\nfrob"\\nicate\n'
name = b'q"b\\s\t\n\x1b\x7f\xff\xc3\xa9.probes'
with open(os.path.join(os.fsencode(work), name), "wb") as f:
    f.write(text)
with open(os.path.join(work, "plain.probes"), "wb") as f:
    f.write(text)
hostile = objects([os.fsdecode(name)], work)
plain = objects(["plain.probes"], work)
if len(hostile) < 2 or len(hostile) != len(plain):
    failures.append("hostile name: %r" % hostile)
for h, p in zip(hostile, plain):
    if h["file"].encode("latin-1") != name:
        failures.append("hostile name read back as %r" % h["file"])
    h["file"] = p["file"]
    if h != p:
        failures.append("hostile name: %r != %r" % (h, p))
if not any('"' in p["message"] and "\\" in p["message"] for p in plain):
    failures.append("no message quotes both '\"' and '\\': %r" % plain)

for f in failures:
    print("FAIL", f)
print("diagnostics-json: %d objects as the human form says, hostile name read back"
      % count)
sys.exit(1 if failures else 0)
PY
