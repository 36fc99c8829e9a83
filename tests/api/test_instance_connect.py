# SPDX-License-Identifier: MIT
"""EC2 Instance Connect's SendSSHPublicKey on the same daemon as the EC2
Query API, over AWS's JSON 1.1 protocol: driven by the real aws CLI
(`aws ec2-instance-connect send-ssh-public-key`) and boto3's
`ec2-instance-connect` client, plus raw signed requests bent in one place
for the protocol's own errors.  What the instance does with a pushed key is
tests/net/access/0001_instance_connect.sh."""
import http.client
import json
import os
import re
import sqlite3
import subprocess
import time

import boto3
import botocore.config
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import Daemon, error_code, http_status

AMI = "ami-0de12b0000c0ffee1"
TARGET = "AWSEC2InstanceConnectService.SendSSHPublicKey"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def eic(daemon, validate=True):
    return boto3.client(
        "ec2-instance-connect", endpoint_url=daemon.url, region_name="us-east-1",
        aws_access_key_id="test", aws_secret_access_key="test",
        config=botocore.config.Config(retries={"max_attempts": 0},
                                      parameter_validation=validate))


def keygen(tmp_path, kind="ed25519", name="k"):
    path = tmp_path / name
    args = ["-t", kind] + (["-b", "2048"] if kind == "rsa" else [])
    subprocess.run(["ssh-keygen", "-q", *args, "-N", "", "-C", "me@laptop", "-f", str(path)],
                   check=True, stdin=subprocess.DEVNULL)
    return path.with_suffix(".pub").read_text()


def launch(ec2):
    inst = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]
    return inst["InstanceId"], inst["Placement"]["AvailabilityZone"]


def push(c, iid, key, user="ec2-user", **kw):
    return c.send_ssh_public_key(InstanceId=iid, InstanceOSUser=user, SSHPublicKey=key, **kw)


def rows(daemon):
    db = sqlite3.connect(os.path.join(daemon.state_dir, "state.db"))
    try:
        return db.execute("SELECT instance_id, os_user, public_key, expires_at"
                          " FROM pushed_key ORDER BY seq").fetchall()
    finally:
        db.close()


def raw(daemon, body, target=TARGET, ctype="application/x-amz-json-1.1", service="ec2-instance-connect",
        key="test", secret="test", sign=True, method="POST", path="/"):
    """A request signed by botocore and sent as is; returns (status, parsed body, headers)."""
    data = body if isinstance(body, bytes) else body.encode()
    headers = {"Content-Type": ctype}
    if target is not None:
        headers["X-Amz-Target"] = target
    req = AWSRequest(method=method, url=daemon.url + path, data=data, headers=headers)
    if sign:
        SigV4Auth(Credentials(key, secret), service, "us-east-1").add_auth(req)
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request(method, path, body=data, headers=dict(req.headers.items()))
    r = conn.getresponse()
    out = r.read().decode()
    hdrs = {k.lower(): v for k, v in r.getheaders()}
    conn.close()
    return r.status, json.loads(out), hdrs


# ---- success ----

def test_cli_success_shape(daemon, ec2, tmp_path):
    iid, az = launch(ec2)
    keygen(tmp_path)
    t0 = int(time.time())
    out = daemon.aws("ec2-instance-connect", "send-ssh-public-key", "--instance-id", iid,
                     "--instance-os-user", "ec2-user", "--availability-zone", az,
                     "--ssh-public-key", f"file://{tmp_path / 'k.pub'}")
    assert set(out) == {"RequestId", "Success"}
    assert out["Success"] is True and UUID.match(out["RequestId"])
    (r,) = rows(daemon)
    assert r[0] == iid and r[1] == "ec2-user"
    assert r[2] == (tmp_path / "k.pub").read_text().strip()  # one line, no newline
    # AWS: the key lives 60 seconds from the call.
    assert t0 + 60 <= r[3] <= int(time.time()) + 60


def test_boto3_success_every_key_type(daemon, ec2, tmp_path):
    iid, az = launch(ec2)
    c = eic(daemon)
    for kind in ("ed25519", "rsa", "ecdsa"):
        res = push(c, iid, keygen(tmp_path, kind, kind), AvailabilityZone=az)
        assert res["Success"] is True and UUID.match(res["RequestId"])
        assert res["ResponseMetadata"]["HTTPStatusCode"] == 200
        assert res["ResponseMetadata"]["RequestId"] == res["RequestId"]
    res = push(c, iid, keygen(tmp_path, "ed25519", "u2"), user="ubuntu")
    assert res["Success"] is True
    assert [r[1] for r in rows(daemon)] == ["ec2-user"] * 3 + ["ubuntu"]
    # The Query API is untouched beside it.
    assert ec2.describe_instances(InstanceIds=[iid])["Reservations"]


def test_os_user_pattern(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    c = eic(daemon, validate=False)
    key = keygen(tmp_path)
    for good in ("ec2-user", "_x", "a", "svc$", "first.last@corp", "u" * 32, "u" * 31 + "$"):
        assert push(c, iid, key, user=good)["Success"], good
    for bad in ("bad user", "1abc", "-x", "u" * 33, "a$b", "u" * 31 + ".", "root;id", "é", ""):
        with pytest.raises(ClientError) as e:
            push(c, iid, key, user=bad)
        assert error_code(e) == "InvalidArgsException", bad
        assert http_status(e) == 400


# ---- errors ----

def test_instance_not_found(daemon, ec2, tmp_path):
    c = eic(daemon)
    with pytest.raises(ClientError) as e:
        push(c, "i-0123456789abcdef0", keygen(tmp_path))
    assert error_code(e) == "EC2InstanceNotFoundException"
    assert http_status(e) == 400
    rc, _, err = daemon.aws("ec2-instance-connect", "send-ssh-public-key", "--instance-id",
                            "i-0123456789abcdef0", "--instance-os-user", "ec2-user",
                            "--ssh-public-key", f"file://{tmp_path / 'k.pub'}", check=False)
    assert rc != 0 and "EC2InstanceNotFoundException" in err
    assert rows(daemon) == []


def test_bad_instance_id(daemon, ec2, tmp_path):
    c = eic(daemon, validate=False)
    key = keygen(tmp_path)
    for bad in ("i-XYZ12345678", "vol-0123456789abcdef0", "i-0123", "i-" + "0" * 31, "i-0123456789ABCDEF0"):
        with pytest.raises(ClientError) as e:
            push(c, bad, key)
        assert error_code(e) == "InvalidArgsException", bad


def test_bad_keys(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    c = eic(daemon, validate=False)
    good = keygen(tmp_path).strip()
    other = keygen(tmp_path, "ed25519", "k2").strip()
    typ, b64, _ = good.split(" ", 2)
    bad = [
        "x" * 100,                                   # not a key
        "ssh-ed25519 " + "A" * 100,                  # base64 of no key
        "ssh-rsa " + b64,                            # type and blob disagree
        'command="/bin/sh" ' + good,                 # options are not a key
        good + "\n" + other,                         # two keys
        "ssh-dss " + b64,                            # DSA
        "ssh-ed25519 " + b64[:-8] + " comment-padding-to-reach-eighty",  # cut short
        good[:60],                                   # under 80 characters
        good + " " + "c" * 4100,                     # over 4096 characters
    ]
    for k in bad:
        with pytest.raises(ClientError) as e:
            push(c, iid, k)
        assert error_code(e) == "InvalidArgsException", k[:40]
    # Blank space around one key is fine, and stored trimmed.
    push(c, iid, "\n  " + good + "  \n")
    assert rows(daemon)[-1][2] == good


def test_private_key_material_refused(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    keygen(tmp_path)
    c = eic(daemon, validate=False)
    with pytest.raises(ClientError) as e:
        push(c, iid, (tmp_path / "k").read_text())
    assert error_code(e) == "InvalidArgsException"
    assert rows(daemon) == []


def test_availability_zone(daemon, ec2, tmp_path):
    iid, az = launch(ec2)
    other = "us-east-1b" if az != "us-east-1b" else "us-east-1c"
    c = eic(daemon, validate=False)
    key = keygen(tmp_path)
    for bad in (other, "nowhere", "us_east_1a", "us-east-"):
        with pytest.raises(ClientError) as e:
            push(c, iid, key, AvailabilityZone=bad)
        assert error_code(e) == "InvalidArgsException", bad
    assert push(c, iid, key, AvailabilityZone=az)["Success"]


def test_missing_members(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    key = keygen(tmp_path)
    full = {"InstanceId": iid, "InstanceOSUser": "ec2-user", "SSHPublicKey": key}
    for drop in full:
        body = {k: v for k, v in full.items() if k != drop}
        st, out, _ = raw(daemon, json.dumps(body))
        assert st == 400 and out["__type"] == "InvalidArgsException", drop
        assert "null" in out["Message"]


def test_instance_not_running(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    key = keygen(tmp_path)
    c = eic(daemon)
    ec2.stop_instances(InstanceIds=[iid])
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[iid])
    with pytest.raises(ClientError) as e:
        push(c, iid, key)
    assert error_code(e) == "EC2InstanceStateInvalidException"
    ec2.start_instances(InstanceIds=[iid])
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid])
    assert push(c, iid, key)["Success"]
    ec2.terminate_instances(InstanceIds=[iid])
    with pytest.raises(ClientError) as e:
        push(c, iid, key)
    assert error_code(e) == "EC2InstanceStateInvalidException"


def test_throttled_past_active_keys(state_dir, tmp_path):
    # A key life no test can outlast: only the count of active keys decides.
    d = Daemon(state_dir, extra=["--no-dataplane", "--instance-connect-ttl", "1000000"]).start()
    try:
        ec2 = d.client()
        iid, _ = launch(ec2)
        other, _ = launch(ec2)
        c = eic(d)
        key = keygen(tmp_path)
        for _ in range(20):
            push(c, iid, key)
        with pytest.raises(ClientError) as e:
            push(c, iid, key)
        assert error_code(e) == "ThrottlingException" and http_status(e) == 400
        assert push(c, other, key)["Success"]  # per instance
        assert len(rows(d)) == 21
    finally:
        assert d.stop() == 0


def test_expired_keys_pruned(state_dir, tmp_path):
    d = Daemon(state_dir, extra=["--no-dataplane", "--instance-connect-ttl", "1"]).start()
    try:
        ec2 = d.client()
        iid, _ = launch(ec2)
        c = eic(d)
        key = keygen(tmp_path)
        for _ in range(20):
            push(c, iid, key)
        last = max(r[3] for r in rows(d))
        while time.time() < last + 1:  # past every expiry (unix seconds)
            time.sleep(0.1)
        assert push(c, iid, key)["Success"]  # expired keys neither count nor stay
        assert len(rows(d)) == 1
    finally:
        assert d.stop() == 0


# ---- the protocol ----

def test_protocol_errors(daemon, ec2, tmp_path):
    iid, _ = launch(ec2)
    good = json.dumps({"InstanceId": iid, "InstanceOSUser": "ec2-user",
                       "SSHPublicKey": keygen(tmp_path)})
    st, out, h = raw(daemon, good)
    assert st == 200 and out["Success"] is True
    assert h["content-type"] == "application/x-amz-json-1.1"
    assert h["x-amzn-requestid"] == out["RequestId"]

    cases = [
        (dict(body="{not json"), 400, "SerializationException"),
        (dict(body="[1, 2]"), 400, "SerializationException"),
        (dict(body=good + " {}"), 400, "SerializationException"),
        (dict(body='{"InstanceId": 5, "InstanceOSUser": "ec2-user", "SSHPublicKey": "x"}'),
         400, "SerializationException"),
        (dict(body='{"InstanceId": "i-0\\u0000abcdef12", "InstanceOSUser": "a", "SSHPublicKey": "x"}'),
         400, "SerializationException"),
        (dict(body=b'{"InstanceOSUser": "\xff\xfe"}'), 400, "SerializationException"),
        (dict(body="[" * 10000), 400, "SerializationException"),
        (dict(body=good, target="AWSEC2InstanceConnectService.Nope"), 400, "UnknownOperationException"),
        (dict(body=good, target="AWSEC2InstanceConnectService.SendSerialConsoleSSHPublicKey"),
         400, "UnknownOperationException"),
        (dict(body=good, target="DynamoDB_20120810.ListTables"), 400, "UnknownOperationException"),
        (dict(body=good, target=""), 400, "UnknownOperationException"),
        (dict(body=good, ctype="application/x-www-form-urlencoded"), 400, "UnknownOperationException"),
        (dict(body=good, ctype="text/plain"), 400, "UnknownOperationException"),
        (dict(body=good, path="/other"), 400, "UnknownOperationException"),
        (dict(body=good, sign=False), 403, "MissingAuthenticationTokenException"),
        (dict(body=good, secret="wrong"), 403, "InvalidSignatureException"),
        (dict(body=good, service="ec2"), 403, "InvalidSignatureException"),
        (dict(body=good, key="AKIDNOTKNOWN", secret="x"), 403, "AuthException"),
    ]
    for kw, status, typ in cases:
        st, out, h = raw(daemon, **kw)
        assert (st, out["__type"]) == (status, typ), kw
        assert isinstance(out.get("Message"), str)
        assert h["content-type"] == "application/x-amz-json-1.1"
    # Exactly one key was stored (the good request), and the daemon still serves.
    assert len(rows(daemon)) == 1
    assert ec2.describe_vpcs()["Vpcs"]


def test_large_body_refused(daemon, ec2):
    st, out, _ = raw(daemon, '{"InstanceId": "' + "a" * (2 << 20) + '"}')
    assert st == 400 and out["__type"] == "SerializationException"
    assert ec2.describe_vpcs()["Vpcs"]
