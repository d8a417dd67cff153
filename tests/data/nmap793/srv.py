# Serve fixed banners on 127.0.0.1 ports: srv.py spec.json ; spec: {port: hexbanner}
import json, socket, sys, threading, time
spec = json.load(open(sys.argv[1]))
life = float(sys.argv[2]) if len(sys.argv) > 2 else 120
def serve(port, data, linger):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("127.0.0.1", int(port))); s.listen(50)
    while True:
        c, _ = s.accept()
        try:
            c.sendall(data)
            if linger: time.sleep(linger)
        except OSError: pass
        c.close()
for port, (hexdata, linger) in spec.items():
    threading.Thread(target=serve, args=(port, bytes.fromhex(hexdata), linger), daemon=True).start()
time.sleep(life)
