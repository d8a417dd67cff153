# Template oracle: run Debian nmap 7.93 against local banners with a custom probe file.
import json, subprocess, sys, time, os, xml.etree.ElementTree as ET
cases = json.load(open(sys.argv[1]))  # list of [banner_hex, match_line_rest]
base = int(sys.argv[2]) if len(sys.argv) > 2 else 41000
lines = ["Probe TCP NULL q||", "totalwaitms 6000", "tcpwrappedms 3000"]
spec = {}
for i, (bhex, m) in enumerate(cases):
    spec[str(base + i)] = [bhex, 3]
    lines.append("match " + m)
open("probes", "wb").write(("\n".join(lines) + "\n").encode("latin-1"))
json.dump(spec, open("spec.json", "w"))
srv = subprocess.Popen([sys.executable, "srv.py", "spec.json", "60"])
time.sleep(0.5)
ports = ",".join(spec)
r = subprocess.run(["nmap", "-sV", "-sT", "-Pn", "-n", "-p", ports, "--versiondb", "probes",
                    "-oX", "out.xml", "127.0.0.1"], capture_output=True)
srv.kill()
sys.stderr.write(r.stderr.decode("latin-1"))
t = ET.parse("out.xml")
for p in t.iter("port"):
    s = p.find("service")
    d = {k: v for k, v in s.attrib.items() if k not in ("method", "conf")}
    d["cpe"] = [c.text for c in s.findall("cpe")]
    print(int(p.get("portid")) - base, json.dumps(d))
