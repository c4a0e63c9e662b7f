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
the SDK's transport then holds events back, and no more than the quota arrived.
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
    print(f"sentry-sdk {sentry_sdk.VERSION} (brotli): exceptions, messages, tags, a rotated key "
          f"and the quota ({probe['count']} of 60 taken, then held back) as expected")


if __name__ == "__main__":
    main(*sys.argv[1:4])
