# SPDX-License-Identifier: MIT
"""Raw EC2 Query requests for hostile-input tests: botocore's SigV4Auth signs
exactly the bytes given, and http.client sends them, so each request can be
bent in one place (body, header, date, method) after or before signing."""
import datetime
import http.client
import os
import sqlite3

import botocore.auth
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

FORM = "application/x-www-form-urlencoded; charset=utf-8"


def _sign(req, key, secret, region, when):
    auth = SigV4Auth(Credentials(key, secret), "ec2", region)
    if not when:
        auth.add_auth(req)
        return
    if isinstance(when, datetime.timedelta):  # relative to the moment of sending
        when = datetime.datetime.utcnow() + when
    real = botocore.auth.datetime

    class Clock(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    botocore.auth.datetime = type("m", (), {"datetime": Clock})
    try:
        auth.add_auth(req)
    finally:
        botocore.auth.datetime = real


def send(port, body=b"", method="POST", query="", key="test", secret="test",
         region="us-east-1", when=None, sign=True, headers=None, drop=(),
         after_sign=None, content_type=FORM, timeout=30):
    """Signs and sends one request; returns (status, body text).
    headers override after signing; drop removes headers after signing;
    after_sign(body) -> body changes the bytes after signing."""
    if isinstance(body, str):
        body = body.encode("utf-8", "surrogateescape")
    url = f"http://127.0.0.1:{port}/" + ("?" + query if query else "")
    h = {"Content-Type": content_type} if content_type else {}
    req = AWSRequest(method=method, url=url, data=body, headers=h)
    if sign:
        _sign(req, key, secret, region, when)
    hh = dict(req.headers.items())
    for k in drop:
        hh.pop(k, None)
    hh.update(headers or {})
    hh.setdefault("Host", f"127.0.0.1:{port}")
    if after_sign:
        body = after_sign(body)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.putrequest(method, "/" + ("?" + query if query else ""), skip_host=True,
                        skip_accept_encoding=True)
        for k, v in hh.items():
            conn.putheader(k, v)
        if body or method == "POST":
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body if body else None)
        r = conn.getresponse()
        return r.status, r.read().decode("utf-8", "replace")
    finally:
        conn.close()


def code(data):
    return data.split("<Code>")[1].split("</Code>")[0] if "<Code>" in data else None


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def dump_store(state_dir, exclude=()):
    """Every row of every table of state.db, as sorted tuples per table."""
    db = sqlite3.connect(f"file:{os.path.join(state_dir, 'state.db')}?mode=ro", uri=True)
    try:
        tables = [r[0] for r in db.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
        out = {}
        for t in tables:
            if t in exclude:
                continue
            out[t] = sorted(repr(r) for r in db.execute(f'SELECT * FROM "{t}"'))
        return out
    finally:
        db.close()
