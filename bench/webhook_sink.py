"""The subscriber of bench/webhooks.sh: answers /ok/... at once with 204, holds /hang/... for
60 seconds, and logs (path, webhook-id, seconds from the event to its arrival) per request.
Usage: webhook_sink.py PORT LOG"""
import json
import sys
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT, LOG = int(sys.argv[1]), sys.argv[2]
lock = threading.Lock()
out = open(LOG, "a", buffering=1)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        now = time.time()
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        event = json.loads(body)
        occurred = datetime.fromisoformat(event["occurred_at"].replace("Z", "+00:00")).timestamp()
        with lock:
            out.write(json.dumps({"path": self.path, "id": self.headers.get("webhook-id"),
                                  "lag": now - occurred, "at": now}) + "\n")
        if self.path.startswith("/hang"):
            time.sleep(60)
        try:
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
