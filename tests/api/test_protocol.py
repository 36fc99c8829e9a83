# SPDX-License-Identifier: MIT
"""The EC2 Query protocol itself: SigV4 (checklist 20), decoding limits
(checklist 21), error shapes (API-14/15) and hostile requests.  Requests are
signed by botocore and sent raw, so each can be bent in one place."""
import datetime
import http.client
import urllib.parse

import botocore.auth
import pytest
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def send(daemon, body, key="test", secret="test", region="us-east-1", when=None,
         headers=None, sign=True, host=None):
    url = daemon.url + "/"
    req = AWSRequest(method="POST", url=url, data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    if sign:
        auth = SigV4Auth(Credentials(key, secret), "ec2", region)
        if when:
            # botocore stamps requests with datetime.datetime.utcnow():
            # sign as if the clock said `when`.
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
        else:
            auth.add_auth(req)
    h = dict(req.headers.items())
    h.update(headers or {})
    if host:
        h["Host"] = host
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request("POST", "/", body=req.body, headers=h)
    r = conn.getresponse()
    data = r.read().decode()
    srv = r.getheader("Server")
    conn.close()
    return r.status, data, srv


def code(data):
    return data.split("<Code>")[1].split("</Code>")[0] if "<Code>" in data else None


OK = "Action=DescribeVpcs&Version=2016-11-15"


def test_signed_request_works(daemon):
    status, data, srv = send(daemon, OK)
    assert status == 200 and "<vpcSet>" in data and "<requestId>" in data


def test_auth_errors(daemon):
    assert send(daemon, OK, secret="wrong")[:2][0] == 403
    assert code(send(daemon, OK, secret="wrong")[1]) == "SignatureDoesNotMatch"
    st, data, _ = send(daemon, OK, key="nobody")
    assert (st, code(data)) == (401, "AuthFailure")
    st, data, _ = send(daemon, OK, sign=False)
    assert code(data) == "MissingAuthenticationToken" and st == 403
    st, data, _ = send(daemon, OK, region="eu-west-1")
    assert code(data) == "SignatureDoesNotMatch"
    st, data, _ = send(daemon, OK, headers={"Authorization": "AWS4-HMAC-SHA256 garbage"})
    assert code(data) == "IncompleteSignature"


def test_clock_skew(daemon):
    old = datetime.datetime.utcnow() - datetime.timedelta(minutes=20)
    st, data, _ = send(daemon, OK, when=old)
    assert (st, code(data)) == (400, "RequestExpired")
    recent = datetime.datetime.utcnow() - datetime.timedelta(minutes=10)
    assert send(daemon, OK, when=recent)[0] == 200


def test_presigned_get(daemon):
    req = AWSRequest(method="GET", url=daemon.url + "/?" + OK)
    SigV4QueryAuth(Credentials("test", "test"), "ec2", "us-east-1", expires=60).add_auth(req)
    u = urllib.parse.urlsplit(req.url)
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request("GET", u.path + "?" + u.query)
    r = conn.getresponse()
    assert r.status == 200 and b"<vpcSet>" in r.read()


@pytest.mark.parametrize("body,expect", [
    ("Version=2016-11-15", "MissingAction"),
    ("Action=NoSuchThing&Version=2016-11-15", "InvalidAction"),
    ("Action=DescribeVpcs&Version=2014-01-01", "InvalidParameterValue"),
    ("Action=DescribeVpcs", "MissingParameter"),
    ("Action=DescribeVpcs&Version=2016-11-15&Bogus=1", "UnknownParameter"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=a&VpcId.1=b", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.0=vpc-1", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.01=vpc-1", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.1001=vpc-1", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%zz", "MalformedQueryString"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=%ff%fe", "MalformedQueryString"),
    ("Action=DescribeVpcs&Version=2016-11-15&VpcId.1=a%00b", "MalformedQueryString"),
    ("Action=DescribeVpcs&Version=2016-11-15&MaxResults=-5", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&MaxResults=4", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&MaxResults=1001", "InvalidParameterValue"),
    ("Action=DescribeVpcs&Version=2016-11-15&MaxResults=99999999999999999999", "InvalidParameterValue"),
    ("Action=CreateVpc&Version=2016-11-15", "MissingParameter"),
    ("Action=CreateVpc&Version=2016-11-15&CidrBlock=" + "9" * 70000, "InvalidParameterValue"),
])
def test_bad_requests(daemon, body, expect):
    st, data, srv = send(daemon, body)
    assert code(data) == expect, data
    assert st == 400 and srv == "AmazonEC2"
    assert "<Response><Errors><Error><Code>" in data and "<RequestID>" in data
    assert send(daemon, OK)[0] == 200  # still up


def test_huge_body_and_foreign_host(daemon):
    st, data, _ = send(daemon, OK + "&x=" + "a" * (2 * 1024 * 1024))
    assert st == 400
    st, data, _ = send(daemon, OK, host="evil.example:80")
    assert st == 400 and code(data) == "InvalidParameterValue"
    assert send(daemon, OK)[0] == 200


def test_listening_elsewhere_needs_credentials(state_dir):
    import subprocess
    from conftest import BIN
    p = subprocess.run([BIN, "serve", "--no-dataplane", "--listen", "0.0.0.0:1", "--state-dir", state_dir],
                       capture_output=True, text=True, timeout=10)
    assert p.returncode != 0 and "credentials" in p.stderr
