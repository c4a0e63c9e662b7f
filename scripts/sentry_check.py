"""The Sentry-compatible ingest as the real Python SDK uses it (scripts/sentry.sh). Usage:
  sentry_check.py BASE TOKEN NODE_SCRIPT
Makes an integration with a production environment over REST and reads its DSN; then, with
nothing but that DSN, the `sentry_sdk` package (from PyPI) reports an exception with a tag and
a breadcrumb, and a message; the check reads the error groups back over REST: the exception's
type and value, its level, the environment, and the count after a second report; the Node
SDK (`@sentry/node`, run as NODE_SCRIPT with the DSN) reports another exception. A key that
is not the project's is refused with 403 and the relay's `detail`; after a rotation the old
DSN still reports (the grace period) and the new one does too. The SDK sends brotli (the
`brotli` module is installed beside it). A staging DSN flooded past its quota (the server's
TOLLGATE_INGEST_RATE_LIMIT, 30 events a minute) is answered 429 with X-Sentry-Rate-Limits:
the SDK's transport then holds events back, and no more than the quota arrived. Cron
check-ins from both SDKs make their heartbeat monitors (with the schedule they carry) and move
their state; a monitor made over REST takes plain pings at its URL (`/start`, `/fail`). Calls
the SDK traces to a local provider become the spec operations' observed calls, failures and
latencies.
"""
import json
import subprocess
import sys
import time
import urllib.error
import urllib.request

import sentry_sdk


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def main(base, token, node_script):
    def api(method, path, body=None):
        req = urllib.request.Request(base + "/api/v1" + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read() or b"null")

    me = api("GET", "/me")
    api("POST", "/integrations", {"name": "Stripe payments", "provider": "Stripe",
        "category": "payments", "owner_id": str(me["id"]), "business_objective": "Card payments.",
        "priority": "high"})
    env = api("POST", "/integrations/stripe-payments/environments",
              {"name": "production", "base_url": "https://api.stripe.example", "auth_scheme": "bearer"})
    env_id = env["id"]
    dsn = api("GET", f"/environments/{env_id}/dsn")
    if not dsn["dsn"].startswith("http://") or f"/{env_id}" not in dsn["dsn"]:
        fail(f"a DSN names the project: {dsn}")

    def report(dsn_text, times=1):
        sentry_sdk.init(dsn=dsn_text, environment="prod-eu", release="shop@1.4.2",
                        default_integrations=False)
        sentry_sdk.set_tag("operation", "POST /v1/charges")
        sentry_sdk.add_breadcrumb(category="http", message="POST /v1/charges 402", level="info")
        for _ in range(times):
            try:
                raise RuntimeError("Card declined for ch_3PzQ")
            except RuntimeError:
                sentry_sdk.capture_exception()
        sentry_sdk.capture_message("Refund queue is slow", level="warning")
        sentry_sdk.flush(timeout=10)

    def groups():
        return api("GET", "/integrations/stripe-payments/error-groups")

    def wait_for(what, check):
        deadline = time.time() + 20
        while time.time() < deadline:
            found = groups()
            if check(found):
                return found
            time.sleep(0.2)
        fail(f"{what}; the groups are {json.dumps(found)}")

    report(dsn["dsn"])
    if sentry_sdk.get_client().transport._compression_algo != "br":
        fail("sentry-sdk sends brotli when the brotli module is there")
    found = wait_for("the exception and the message arrive as two groups", lambda g: len(g) == 2)
    by_type = {g["error_type"]: g for g in found}
    exc = by_type.get("RuntimeError")
    if not exc or exc["level"] != "error" or "Card declined" not in exc["message"]:
        fail(f"the exception's group: {found}")
    if exc["operation"] != "POST /v1/charges":
        fail(f"the operation tag names the group's operation: {exc}")
    msg = by_type.get("")
    if not msg or msg["level"] != "warning" or msg["message"] != "Refund queue is slow":
        fail(f"the message's group: {found}")

    # The Node SDK, with the same DSN.
    subprocess.run(["node", node_script, dsn["dsn"]], check=True, timeout=60)
    found = wait_for("the Node SDK's exception arrives",
                     lambda g: any(x["error_type"] == "TypeError" for x in g))
    node = next(x for x in found if x["error_type"] == "TypeError")
    if "Webhook signature mismatch" not in node["message"] or node["operation"] != "POST /v1/webhooks":
        fail(f"the Node SDK's group: {node}")

    # A key of another project, or none, is refused as the relay refuses it.
    wrong = dsn["dsn"].replace(f"/{env_id}", f"/{env_id + 1000}")
    url = f"{base}/api/{env_id + 1000}/envelope/"
    key = dsn["dsn"].split("://")[1].split("@")[0]
    req = urllib.request.Request(url, method="POST", data=b'{}\n{"type":"event"}\n{"message":"x"}\n',
        headers={"X-Sentry-Auth": f"Sentry sentry_key={key}, sentry_version=7",
                 "Content-Type": "application/x-sentry-envelope"})
    try:
        urllib.request.urlopen(req, timeout=10)
        fail(f"a key posted to another project ({wrong}) was taken")
    except urllib.error.HTTPError as e:
        body = json.loads(e.read())
        if e.code != 403 or "detail" not in body:
            fail(f"another project's key: {e.code} {body}")

    # Rotated: the old DSN still reports for the grace period, and so does the new one.
    new = api("POST", f"/environments/{env_id}/dsn/rotation", None)
    if new["dsn"] == dsn["dsn"]:
        fail("a rotation makes a new key")
    report(dsn["dsn"], times=2)
    report(new["dsn"], times=1)
    wait_for("four exceptions in all, by the old key and the new",
             lambda g: any(x["error_type"] == "RuntimeError" and x["count"] == 4 for x in g))

    # Cron check-ins: the first, with its monitor_config, makes the heartbeat monitor; the
    # runs it reports move its state (read back over REST).
    from sentry_sdk.crons import MonitorStatus, capture_checkin
    sentry_sdk.init(dsn=new["dsn"], default_integrations=False)

    def heartbeat(slug, what, check):
        deadline = time.time() + 20
        while time.time() < deadline:
            found = {h["slug"]: h for h in api("GET", "/integrations/stripe-payments/heartbeats")["heartbeats"]}
            if slug in found and check(found[slug]):
                return found[slug]
            time.sleep(0.2)
        fail(f"{what}; the heartbeats are {json.dumps(found)}")

    config = {"schedule": {"type": "crontab", "value": "0 3 * * *"}, "checkin_margin": 10,
              "max_runtime": 45, "timezone": "UTC"}
    run = capture_checkin(monitor_slug="nightly-sync", status=MonitorStatus.IN_PROGRESS,
                          monitor_config=config)
    sentry_sdk.flush(timeout=10)
    hb = heartbeat("nightly-sync", "the check-in makes a running monitor", lambda h: h["state"] == "running")
    if (hb["cron"], hb["grace_minutes"], hb["max_runtime_minutes"], hb["environment"]) != ("0 3 * * *", 10, 45, "production"):
        fail(f"the monitor takes the check-in's schedule: {hb}")
    capture_checkin(monitor_slug="nightly-sync", check_in_id=run, status=MonitorStatus.OK, duration=1.5)
    sentry_sdk.flush(timeout=10)
    heartbeat("nightly-sync", "an ok check-in puts it up", lambda h: h["state"] == "up" and h["last_ping"] == "ok")
    capture_checkin(monitor_slug="nightly-sync", status=MonitorStatus.ERROR)
    sentry_sdk.flush(timeout=10)
    heartbeat("nightly-sync", "an error check-in puts it down", lambda h: h["state"] == "down")
    subprocess.run(["node", node_script, new["dsn"], "check-in"], check=True, timeout=60)
    hb = heartbeat("token-refresh", "the Node SDK's check-ins make an up monitor", lambda h: h["state"] == "up")
    if hb["interval_minutes"] != 120:
        fail(f"the Node SDK's interval schedule (every 2 hours): {hb}")

    # A plain ping, as healthchecks.io takes them: a monitor made over REST, its URL read.
    made = api("POST", "/integrations/stripe-payments/heartbeats",
               {"name": "Payout export", "environment_id": str(env_id), "interval_minutes": "60"})
    ping_url = api("GET", f"/heartbeat-monitors/{made['id']}")["ping_url"]
    for suffix, state in (("/start", "running"), ("/fail", "down"), ("", "up")):
        with urllib.request.urlopen(urllib.request.Request(ping_url + suffix, method="POST", data=b""), timeout=10) as res:
            if res.status != 200 or res.read() != b"OK":
                fail(f"a ping to {suffix or 'its URL'} answers 200 OK")
        heartbeat("payout-export", f"a ping to {suffix or 'its URL'} makes it {state}", lambda h, s=state: h["state"] == s)
    try:
        urllib.request.urlopen(urllib.request.Request(base + "/api/v1/heartbeats/0000", method="POST", data=b""), timeout=10)
        fail("a ping to a token no monitor has is taken")
    except urllib.error.HTTPError as e:
        if e.code != 404:
            fail(f"a ping to an unknown token: {e.code}")

    # Traces: the code's calls to the provider (a local one here), as the SDK's stdlib
    # integration records them, become the spec operations' observed calls and latencies.
    import http.server
    import threading
    from sentry_sdk.integrations.stdlib import StdlibIntegration

    class Provider(http.server.BaseHTTPRequestHandler):
        def answer(self, status):
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.wfile.write(b"{}")

        def do_GET(self):
            self.answer(200)

        def do_POST(self):
            self.rfile.read(int(self.headers.get("content-length", 0)))
            self.answer(402)

        def log_message(self, *args):
            pass

    provider = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Provider)
    threading.Thread(target=provider.serve_forever, daemon=True).start()
    provider_url = f"http://127.0.0.1:{provider.server_port}"
    local = api("POST", "/integrations/stripe-payments/environments",
                {"name": "provider-local", "base_url": provider_url, "auth_scheme": "none"})
    spec = (b"openapi: 3.0.3\ninfo: {title: Stripe, version: '1'}\npaths:\n"
            b"  /v1/charges:\n    post: {responses: {'200': {description: ok}}}\n"
            b"  /v1/refunds/{refund}:\n    get:\n      parameters: [{name: refund, in: path, required: true, schema: {type: string}}]\n"
            b"      responses: {'200': {description: ok}}\n")
    req = urllib.request.Request(base + "/api/v1/integrations/stripe-payments/specs?name=Stripe%20API", method="POST",
        data=spec, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/yaml"})
    urllib.request.urlopen(req, timeout=30).read()
    local_dsn = api("GET", f"/environments/{local['id']}/dsn")["dsn"]
    sentry_sdk.init(dsn=local_dsn, traces_sample_rate=1.0, default_integrations=False,
                    integrations=[StdlibIntegration()])
    with sentry_sdk.start_span(name="refund-sync"):
        for n in range(5):
            urllib.request.urlopen(f"{provider_url}/v1/refunds/re_{n}", timeout=10).read()
        try:
            urllib.request.urlopen(urllib.request.Request(f"{provider_url}/v1/charges", method="POST", data=b"amount=100"), timeout=10)
        except urllib.error.HTTPError as e:
            if e.code != 402:
                raise
    sentry_sdk.flush(timeout=10)
    subprocess.run(["node", node_script, local_dsn, "trace", provider_url], check=True, timeout=60)

    def observed(what, check):
        deadline = time.time() + 20
        while time.time() < deadline:
            found = api("GET", "/integrations/stripe-payments/observed-operations")["operations"]
            ops = {f"{o['method']} {o['path']}": o for o in found}
            if check(ops):
                return ops
            time.sleep(0.2)
        fail(f"{what}; observed: {json.dumps(found)}")

    ops = observed("both SDKs' provider calls become observed operations (5 and 3 refunds)",
                   lambda o: o.get("GET /v1/refunds/{refund}", {}).get("calls") == 8 and "POST /v1/charges" in o)
    charge = ops["POST /v1/charges"]
    if (charge["calls"], charge["failures"], charge["environment"]) != (1, 1, "provider-local"):
        fail(f"the 402 counts as a failure on its environment: {charge}")
    if not ops["GET /v1/refunds/{refund}"]["p99_ms"]:
        fail(f"latencies are kept: {ops}")

    # Flooded past the quota: 429, which the SDK obeys (its transport marks itself limited
    # and drops what follows locally), and the group holds no more than the quota.
    staging = api("POST", "/integrations/stripe-payments/environments",
                  {"name": "staging", "base_url": "https://api.stripe.example", "auth_scheme": "bearer"})
    staging_dsn = api("GET", f"/environments/{staging['id']}/dsn")["dsn"]
    sentry_sdk.init(dsn=staging_dsn, default_integrations=False)
    for i in range(60):
        try:
            raise ValueError(f"Quota probe {i}")
        except ValueError:
            sentry_sdk.capture_exception()
        if i % 10 == 9:
            sentry_sdk.flush(timeout=10)
    sentry_sdk.flush(timeout=10)
    transport = sentry_sdk.get_client().transport
    if not transport._is_rate_limited():
        fail("after a 429 with X-Sentry-Rate-Limits the SDK holds its events back")
    flooded = wait_for("the quota's events arrive",
                       lambda g: any(x["error_type"] == "ValueError" for x in g))
    probe = next(x for x in flooded if x["error_type"] == "ValueError")
    if not 30 <= probe["count"] <= 32:
        fail(f"a DSN's quota is 30 events a minute (a little refills meanwhile): {probe}")
    print(f"sentry-sdk {sentry_sdk.VERSION} (brotli): exceptions, messages, tags, a rotated key, "
          f"cron check-ins, pings, traced provider calls and the quota ({probe['count']} of 60 taken, then held back) as expected")


if __name__ == "__main__":
    main(*sys.argv[1:4])
