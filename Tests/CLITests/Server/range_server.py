"""A loopback HTTP file server with Range support, for `baton model pull` tests.

Serves the files of --root; honours `Range: bytes=N-` with 206; logs each request's Range header
(or '-') to --log; prints `PORT <n>` when ready. --cut N ends the first full (200) response after N
bytes, to simulate a dropped connection.
"""
import argparse, http.server, os, sys


parser = argparse.ArgumentParser()
parser.add_argument("--root", required=True)
parser.add_argument("--log", required=True)
parser.add_argument("--cut", type=int, default=0)
args = parser.parse_args()
state = {"cut": args.cut}


class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def do_GET(self):
        path = os.path.join(args.root, os.path.basename(self.path))
        with open(args.log, "a") as log:
            log.write((self.headers.get("Range") or "-") + "\n")
        if not os.path.isfile(path):
            self.send_response(404); self.send_header("Content-Length", "0"); self.end_headers(); return
        data = open(path, "rb").read()
        start = 0
        header = self.headers.get("Range")
        if header and header.startswith("bytes="):
            start = int(header[6:].split("-")[0])
            if start >= len(data):
                self.send_response(416); self.send_header("Content-Length", "0"); self.end_headers(); return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if state["cut"] and start == 0:
            self.wfile.write(body[: state["cut"]])
            self.wfile.flush()
            state["cut"] = 0
            self.close_connection = True
            return
        self.wfile.write(body)


# Never outlive a test run that forgot to stop the server.
import threading
threading.Timer(120, lambda: os._exit(0)).start()
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(f"PORT {server.server_address[1]}", flush=True)
server.serve_forever()
