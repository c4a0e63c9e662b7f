"""A webhook subscriber for scripts/webhooks.sh: verifies every delivery with the official
Standard Webhooks library (the `standardwebhooks` package, unchanged), once per secret it
knows, and checks that the same delivery replayed ten minutes later is refused. Logs one JSON
line per request. Usage: webhook_receiver.py PORT SECRETS_FILE LOG_FILE MODE_FILE

SECRETS_FILE holds {"<path>": ["whsec_...", ...]}, re-read on every request; MODE_FILE holds
the seconds to wait before answering (0 when missing).
"""
import json
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import standardwebhooks.webhooks as lib
from standardwebhooks import Webhook

PORT, SECRETS, LOG, MODE = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
lock = threading.Lock()
real_datetime = lib.datetime


class TenMinutesLater(real_datetime):
    """The library's clock, ten minutes on: a replay of a delivery."""

    @classmethod
    def now(cls, tz=None):
        return real_datetime.now(tz) + timedelta(minutes=10)


def read_json(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        headers = {k: v for k, v in self.headers.items()}
        secrets = read_json(SECRETS, {}).get(self.path, [])
        verified = []
        for i, secret in enumerate(secrets):
            try:
                Webhook(secret).verify(body, headers)
                verified.append(i)
            except lib.WebhookVerificationError:
                pass
        replay_refused = None
        if secrets:
            with lock:
                lib.datetime = TenMinutesLater
                try:
                    Webhook(secrets[0]).verify(body, headers)
                    replay_refused = False
                except lib.WebhookVerificationError as e:
                    replay_refused = "too old" in str(e)
                finally:
                    lib.datetime = real_datetime
        event = json.loads(body) if body else {}
        line = {
            "path": self.path,
            "id": headers.get("webhook-id") or headers.get("Webhook-Id"),
            "type": event.get("type"),
            "verified": verified,
            "secrets": len(secrets),
            "replay_refused": replay_refused,
            "at": time.time(),
        }
        with lock:
            with open(LOG, "a") as f:
                f.write(json.dumps(line) + "\n")
        wait = float(read_json(MODE, 0) or 0)
        if wait:
            time.sleep(wait)
        try:
            self.send_response(200 if verified else 400)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"ok")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the sender was killed mid-delivery, as the crash test does


ThreadingHTTPServer.daemon_threads = True
ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
