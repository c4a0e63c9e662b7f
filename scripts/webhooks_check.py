"""The driver of scripts/webhooks.sh: makes endpoints and events through the REST API and
checks what the receiver (webhook_receiver.py) logged. Usage:
  webhooks_check.py STATE setup BASE TOKEN SECRETS RECEIVER_URL
  webhooks_check.py STATE findings N       post N audit findings (each an event per endpoint)
  webhooks_check.py STATE rotate           rotate /e1's secret and check both sign a test event
  webhooks_check.py STATE wait LOG [SINCE] wait until every event reached every endpoint
  webhooks_check.py STATE once LOG SINCE   no endpoint got an event twice after SINCE
"""
import json
import sys
import time
import urllib.request

STATE = sys.argv[1]
PATHS = ["/e1", "/e2", "/e3"]


def load():
    with open(STATE) as f:
        return json.load(f)


def save(state):
    with open(STATE, "w") as f:
        json.dump(state, f)


def api(state, method, path, body=None):
    req = urllib.request.Request(
        state["base"] + path,
        method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": f"Bearer {state['token']}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as res:
        text = res.read()
        return json.loads(text) if text else None


def write_secrets(state):
    with open(state["secrets_file"], "w") as f:
        json.dump(state["secrets"], f)


def entries(log, since=0.0):
    try:
        with open(log) as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except OSError:
        return []
    return [r for r in rows if r["at"] >= since]


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def setup(base, token, secrets_file, receiver):
    state = {"base": base, "token": token, "secrets_file": secrets_file, "secrets": {},
             "endpoints": {}, "events": 0, "tests": 0}
    me = api(state, "GET", "/api/v1/me")
    i = api(state, "POST", "/api/v1/integrations", {
        "name": "Webhook check", "provider": "Acme", "category": "payments",
        "owner_id": str(me["id"]), "business_objective": "Tell the world.", "priority": "high"})
    audit = api(state, "POST", f"/api/v1/integrations/{i['slug']}/audits", {
        "title": "Weekly check", "checks": "Look.", "interval_days": "7",
        "first_due": time.strftime("%Y-%m-%d")})
    run = api(state, "POST", f"/api/v1/audits/{audit['id']}/runs", {"notes": "Run."})
    state["run"] = run["runs"][0]["id"]
    for path in PATHS:
        made = api(state, "POST", "/api/v1/webhooks", {
            "url": receiver + path, "description": f"check {path}",
            "events": ["audit.finding_opened"]})
        state["endpoints"][path] = made["id"]
        state["secrets"][path] = [made["secret"]]
    write_secrets(state)
    save(state)


def findings(n):
    state = load()
    for k in range(n):
        api(state, "POST", f"/api/v1/audit-runs/{state['run']}/findings", {
            "summary": f"Finding {state['events'] + 1}", "severity": "low",
            "remediation": "Fix it."})
        state["events"] += 1
    save(state)


def expected(state):
    return state["events"] * len(PATHS) + state["tests"]


def wait(log, since=0.0):
    state = load()
    want = expected(state)
    deadline = time.time() + 120
    while time.time() < deadline:
        rows = entries(log, since)
        pairs = {(r["path"], r["id"]) for r in rows}
        if len(pairs) >= want:
            break
        time.sleep(0.2)
    rows = entries(log, since)
    pairs = {(r["path"], r["id"]) for r in rows}
    if len(pairs) != want:
        fail(f"{len(pairs)} distinct deliveries arrived, {want} were owed")
    bad = [r for r in rows if not r["verified"]]
    if bad:
        fail(f"{len(bad)} deliveries did not verify with the standardwebhooks library: {bad[:3]}")
    replayed = [r for r in rows if r["replay_refused"] is not True]
    if replayed:
        fail(f"{len(replayed)} deliveries replayed ten minutes later were not refused: {replayed[:3]}")
    print(f"{want} deliveries owed, {len(rows)} received ({len(rows) - len(pairs)} repeats "
          "dropped by webhook-id), every one verified by standardwebhooks; every replay refused")


def rotate(log):
    state = load()
    e1 = state["endpoints"]["/e1"]
    made = api(state, "POST", f"/api/v1/webhooks/{e1}/rotate-secret", {"overlap_hours": "1"})
    state["secrets"]["/e1"] = [made["secret"], state["secrets"]["/e1"][0]]
    write_secrets(state)
    since = time.time()
    api(state, "POST", f"/api/v1/webhooks/{e1}/test", {})
    state["tests"] += 1
    save(state)
    deadline = time.time() + 30
    while time.time() < deadline:
        tests = [r for r in entries(log, since) if r["type"] == "test"]
        if tests:
            if tests[0]["verified"] != [0, 1]:
                fail(f"after a rotation both secrets must verify: {tests[0]}")
            print("after a rotation the new and the old secret each verify with standardwebhooks")
            return
        time.sleep(0.2)
    fail("the test event after the rotation never arrived")


def once(log, since):
    rows = entries(log, since)
    seen = {}
    for r in rows:
        seen[(r["path"], r["id"])] = seen.get((r["path"], r["id"]), 0) + 1
    twice = {k: v for k, v in seen.items() if v > 1}
    if twice:
        fail(f"{len(twice)} events reached an endpoint more than once: {list(twice)[:3]}")
    print(f"{len(rows)} deliveries by two replicas, none twice")


command = sys.argv[2]
if command == "setup":
    setup(*sys.argv[3:7])
elif command == "findings":
    findings(int(sys.argv[3]))
elif command == "rotate":
    rotate(sys.argv[3])
elif command == "wait":
    wait(sys.argv[3], float(sys.argv[4]) if len(sys.argv) > 4 else 0.0)
elif command == "once":
    once(sys.argv[3], float(sys.argv[4]))
else:
    fail(f"unknown command {command}")
