"""Writes while the readers read (bench/load.sh): integration edits through the REST API at a
steady rate, and the time an edit takes to show on the dashboard.

    python3 bench/writer.py API TOKEN RATE SECONDS BASE COOKIE OUT [N]

N (1,000) is how many integrations were generated (generated-00000 ..); below, for N 1,000.
- RATE edits per second for SECONDS: each PATCHes the priority of the next integration of
  generated-00000 .. generated-00899 (cycling) to another one (a save that changes nothing
  writes nothing), so each moves to the top of the dashboard.
- Every 2 s, another thread edits one of generated-00900 .. generated-00999 and polls the
  dashboard as the reader COOKIE until that integration's row is there: the visibility delay.
Figures as JSON to OUT: edits made, edits failed, and the visibility delays in ms.
"""

import json
import sys
import threading
import time
import urllib.error
import urllib.request

api, token, rate, seconds, base, cookie, out = sys.argv[1:8]
n_all = int(sys.argv[8]) if len(sys.argv) > 8 else 1000
edited = n_all * 9 // 10
rate, seconds = float(rate), float(seconds)
stop = time.monotonic() + seconds
made, failed, delays = [0], [0], []


PRIORITIES = ["low", "medium", "high", "critical"]
known = {}


def call(n, method, body=None):
    req = urllib.request.Request(
        f"{api}/integrations/generated-{n:05d}",
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(req, timeout=10) as res:
            return json.loads(res.read()) if res.status == 200 else None
    except (urllib.error.URLError, OSError, ValueError):
        return None


def change(n):
    """Moves integration n's priority to the next one: always a change (saving what is there
    already writes nothing), read once the first time."""
    if n not in known:
        got = call(n, "GET")
        known[n] = got["integration"]["priority"] if got else "low"
    new = PRIORITIES[(PRIORITIES.index(known[n]) + 1) % len(PRIORITIES)]
    ok = call(n, "PATCH", {"priority": new}) is not None
    if ok:
        known[n] = new
    return ok


def edits():
    i, start = 0, time.monotonic()
    while time.monotonic() < stop:
        ok = change(i % edited)
        made[0] += 1
        failed[0] += 0 if ok else 1
        i += 1
        wait = start + i / rate - time.monotonic()
        if wait > 0:
            time.sleep(wait)


def visibility():
    i = 0
    while time.monotonic() < stop - 3:
        n = edited + i % (n_all - edited)
        link = f'href="/integrations/generated-{n:05d}"'
        if change(n):
            t0 = time.monotonic()
            while time.monotonic() - t0 < 10:
                req = urllib.request.Request(f"{base}/", headers={"Cookie": cookie})
                try:
                    with urllib.request.urlopen(req, timeout=10) as res:
                        if link in res.read().decode("utf-8", "replace"):
                            delays.append((time.monotonic() - t0) * 1000)
                            break
                except (urllib.error.URLError, OSError):
                    pass
                time.sleep(0.01)
            else:
                delays.append(float("inf"))
        i += 1
        time.sleep(2)


threads = [threading.Thread(target=edits), threading.Thread(target=visibility)]
for t in threads:
    t.start()
for t in threads:
    t.join()
with open(out, "w") as f:
    json.dump({"made": made[0], "failed": failed[0], "delays_ms": delays}, f)
