"""Shared by the benchmarks' Python parts (run from the repository's root, after
`sys.path.insert(0, "bench")`): the API at `api` with `token`, the server's memory, and
percentiles."""
import json
import urllib.request


class Api:
    """The REST API at `api` (…/api/v1) as the holder of `token`."""

    def __init__(self, api, token):
        self.api, self.token = api, token

    def call(self, method, path, body=None, headers=False):
        """JSON `body` sent to `path`; the decoded answer, with its headers when asked."""
        req = urllib.request.Request(self.api + path, method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {self.token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=30) as res:
            answer = json.loads(res.read() or b"null")
            return (answer, res.headers) if headers else answer


def rss(pid):
    """Process `pid`'s resident memory in MB."""
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def pct(xs, p):
    """The `p` quantile (0..1) of `xs`; NaN when empty."""
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(len(xs) * p))] if xs else float("nan")
