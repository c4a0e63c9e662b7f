"""Email as a real SMTP server gets it (scripts/mail.sh). Usage:
  mail_check.py serve PORT DIR USER PASSWORD   an aiosmtpd server requiring AUTH as USER,
                                               keeping each message in DIR
  mail_check.py check BASE TOKEN ADMIN_EMAIL ADMIN_PASSWORD DIR
      open an incident (everyone is told), then check the emails: who got them (by their
      roles' defaults), sender, subject, both parts, the one-click unsubscribe headers; then
      unsubscribe one reader with the RFC 8058 POST and check that the next incident's email
      reaches only the other
"""
import email
import email.policy
import json
import os
import re
import signal
import sys
import time
import urllib.parse
import urllib.request
import http.cookiejar


def fail(message):
    print(f"FAILED: {message}")
    sys.exit(1)


def serve(port, folder, user, password):
    import logging
    import warnings
    # AUTH without TLS is this local test's choice; aiosmtpd warns of it on every connection.
    warnings.filterwarnings("ignore")
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        return AuthResult(success=ok, handled=False)

    class Keep:
        count = 0

        async def handle_DATA(self, server, session, envelope):
            Keep.count += 1
            base = os.path.join(folder, f"{Keep.count:04d}")
            with open(base + ".eml", "wb") as f:
                f.write(envelope.original_content or envelope.content)
            with open(base + ".json", "w") as f:
                json.dump({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                           "authenticated": bool(session.authenticated)}, f)
            return "250 Message accepted for delivery"

    controller = Controller(Keep(), hostname="127.0.0.1", port=int(port),
                            authenticator=authenticator, auth_required=True,
                            auth_require_tls=False)
    controller.start()
    signal.signal(signal.SIGTERM, lambda *_: (controller.stop(), sys.exit(0)))
    while True:
        time.sleep(3600)


def kept(folder):
    out = []
    for name in sorted(os.listdir(folder)):
        if name.endswith(".json"):
            with open(os.path.join(folder, name)) as f:
                meta = json.load(f)
            with open(os.path.join(folder, name[:-5] + ".eml"), "rb") as f:
                meta["message"] = email.message_from_bytes(f.read(), policy=email.policy.default)
            out.append(meta)
    return out


def until(folder, n, seconds=30):
    deadline = time.time() + seconds
    while time.time() < deadline:
        got = kept(folder)
        if len(got) >= n:
            return got
        time.sleep(0.2)
    fail(f"{len(kept(folder))} emails arrived, {n} were owed")


def check(base, token, admin_email, admin_password, folder):
    def api(method, path, body=None):
        req = urllib.request.Request(base + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            return json.loads(res.read() or b"null")

    me = api("GET", "/api/v1/me")
    i = api("POST", "/api/v1/integrations", {
        "name": "Mail check", "provider": "Acme", "category": "payments",
        "owner_id": str(me["id"]), "business_objective": "Tell people.", "priority": "high"})
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def form(path, fields):
        req = urllib.request.Request(base + path, method="POST",
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Origin": base, "Content-Type": "application/x-www-form-urlencoded",
                     "Accept": "application/json"})
        with browser.open(req, timeout=30) as res:
            return res.status

    form("/api/login", {"email": admin_email, "password": admin_password})

    def incident(title):
        form("/api/create_incident", {"integration_id": str(i["id"]), "title": title,
             "severity": "major", "environment_id": "", "note": "Refunds fail since 09:00."})

    incident("Refunds stuck")
    got = until(folder, 2)
    time.sleep(2)
    got = kept(folder)
    readers = sorted(r for g in got for r in g["to"])
    if readers != ["eve@example.com", "sam@example.com"]:
        fail(f"an opened incident is emailed to the engineer and the stakeholder by their "
             f"roles' defaults, not the admin: {readers}")
    link = f"{base}/incidents/"
    for g in got:
        m = g["message"]
        if not g["authenticated"]:
            fail("the SMTP session was not authenticated")
        if m["From"] != "Tollgate <tollgate@example.com>":
            fail(f"From: {m['From']}")
        if m["To"] not in g["to"]:
            fail(f"To: {m['To']} against the envelope {g['to']}")
        if "Refunds stuck" not in m["Subject"]:
            fail(f"Subject: {m['Subject']}")
        if m.get_content_type() != "multipart/alternative":
            fail(f"not multipart/alternative: {m.get_content_type()}")
        plain = m.get_body(preferencelist=("plain",)).get_content()
        html = m.get_body(preferencelist=("html",)).get_content()
        for part, text in (("plain", plain), ("html", html)):
            if "Refunds stuck" not in text or link not in text:
                fail(f"the {part} part lacks the title or the link {link}: {text[:400]}")
        unsub = re.fullmatch(r"<(.+/unsubscribe/[0-9a-f]{32})>", str(m["List-Unsubscribe"]) or "")
        if not unsub or m["List-Unsubscribe-Post"] != "List-Unsubscribe=One-Click":
            fail(f"unsubscribe headers: {m['List-Unsubscribe']!r} {m['List-Unsubscribe-Post']!r}")
        if unsub.group(1) not in plain or not m["Message-ID"]:
            fail("the plain part lacks the unsubscribe link, or there is no Message-ID")
    print(f"2 emails (engineer, stakeholder; not the admin) over authenticated SMTP: sender, "
          f"subject, plain and HTML parts with the link back, List-Unsubscribe one-click")

    sam = next(g for g in got if g["to"] == ["sam@example.com"])
    url = re.fullmatch(r"<(.+)>", str(sam["message"]["List-Unsubscribe"])).group(1)
    with urllib.request.urlopen(url, timeout=30) as res:
        page = res.read().decode()
        if res.status != 200 or "Stop these emails" not in page:
            fail("following the link must ask first")
    # RFC 8058: the mail client POSTs List-Unsubscribe=One-Click, with no cookie or Origin.
    req = urllib.request.Request(url, method="POST", data=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(req, timeout=30) as res:
        if res.status != 200 or "no longer email you" not in res.read().decode():
            fail("the one-click POST did not unsubscribe")
    incident("Payouts late")
    until(folder, 3)
    time.sleep(2)
    later = kept(folder)[2:]
    readers = [r for g in later for r in g["to"]]
    if readers != ["eve@example.com"]:
        fail(f"after the stakeholder's one-click unsubscribe only the engineer is emailed: {readers}")
    print("the one-click unsubscribe (a POST with no cookie) stops that reader's email of that kind only")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(*sys.argv[2:6])
    elif sys.argv[1] == "check":
        check(*sys.argv[2:7])
    else:
        fail(f"unknown command {sys.argv[1]}")
