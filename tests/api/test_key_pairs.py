# SPDX-License-Identifier: MIT
"""Key pairs (spec INS-13..17): keys that the real ssh-keygen accepts, the
fingerprints EC2 shows (each checked with the command the AWS user guide
gives), every error code, and the private key never kept (checklist 25)."""
import base64
import hashlib
import http.client
import os
import re
import sqlite3
import subprocess

import boto3
import botocore.config
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from botocore.exceptions import ClientError

from conftest import Daemon, error_code, http_status

def run(*argv, stdin=None):
    return subprocess.run(argv, input=stdin, capture_output=True, check=True).stdout


def write_key(path, material):
    path.write_text(material)
    os.chmod(path, 0o600)
    return str(path)


def public_from_private(path):
    """`ssh-keygen -y`: what OpenSSH itself makes of the private key."""
    return run("ssh-keygen", "-y", "-f", path).decode().split()[:2]


def sha256_b64(openssh_line):
    blob = base64.b64decode(openssh_line.split()[1])
    return base64.b64encode(hashlib.sha256(blob).digest()).decode()


def colon(digest_output):
    """The hex of `openssl <md> -c` output ("(stdin)= ab:cd…")."""
    return digest_output.decode().split("= ")[1].strip()


def raw(daemon, body):
    """A signed POST sent as is; returns (status, XML text)."""
    req = AWSRequest(method="POST", url=daemon.url + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("test", "test"), "ec2", "us-east-1").add_auth(req)
    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, timeout=10)
    conn.request("POST", "/", body=req.body, headers=dict(req.headers.items()))
    r = conn.getresponse()
    out = r.status, r.read().decode()
    conn.close()
    return out


def state_bytes(daemon):
    """Every byte the daemon keeps: the database, its WAL, its log."""
    out = b""
    for root, _, files in os.walk(daemon.state_dir):
        for f in files:
            with open(os.path.join(root, f), "rb") as fh:
                out += fh.read()
    with open(daemon.log_path, "rb") as fh:
        return out + fh.read()


@pytest.mark.parametrize("ktype", ["rsa", "ed25519"])
def test_created_key_works_with_openssh(ec2, daemon, tmp_path, ktype):
    k = ec2.create_key_pair(KeyName="k-" + ktype, KeyType=ktype)
    assert re.fullmatch(r"key-[0-9a-f]{17}", k["KeyPairId"])
    head = {"rsa": "-----BEGIN RSA PRIVATE KEY-----\n",
            "ed25519": "-----BEGIN OPENSSH PRIVATE KEY-----\n"}[ktype]
    assert k["KeyMaterial"].startswith(head)
    path = write_key(tmp_path / "k", k["KeyMaterial"])
    info = ec2.describe_key_pairs(KeyNames=["k-" + ktype], IncludePublicKey=True)["KeyPairs"][0]
    # The public key EC2 keeps is the one OpenSSH derives, named after the pair.
    assert info["PublicKey"].split() == public_from_private(path) + ["k-" + ktype]
    assert info["KeyType"] == ktype
    assert info["KeyFingerprint"] == k["KeyFingerprint"]
    bits = run("ssh-keygen", "-l", "-f", path).split()[0]
    assert bits == {"rsa": b"2048", "ed25519": b"256"}[ktype]
    if ktype == "ed25519":
        # AWS: base64 SHA-256 as OpenSSH computes it, with base64's padding.
        fp = run("ssh-keygen", "-l", "-E", "sha256", "-f", path).split()[1].decode()
        assert k["KeyFingerprint"] == fp.removeprefix("SHA256:") + "="
        assert k["KeyFingerprint"] == sha256_b64(info["PublicKey"])
    else:
        # AWS user guide: openssl pkcs8 -in key -inform PEM -outform DER -topk8 -nocrypt | openssl sha1 -c
        der = run("openssl", "pkcs8", "-in", path, "-inform", "PEM", "-outform", "DER", "-topk8", "-nocrypt")
        assert k["KeyFingerprint"] == colon(run("openssl", "sha1", "-c", stdin=der))


@pytest.mark.parametrize("ktype", ["rsa", "ed25519"])
def test_cli_key_material_to_file(daemon, tmp_path, ktype):
    """The user guide's recipe: --query KeyMaterial --output text > key.pem."""
    rc, out, err = daemon.aws("ec2", "create-key-pair", "--key-name", "BastionKeyPair",
                              "--key-type", ktype, "--query", "KeyMaterial", "--output", "text",
                              check=False)
    assert rc == 0, err
    path = write_key(tmp_path / "BastionKeyPair.pem", out)
    rc, pub, err = daemon.aws("ec2", "describe-key-pairs", "--key-names", "BastionKeyPair",
                              "--include-public-key", "--query", "KeyPairs[0].PublicKey",
                              "--output", "text", check=False)
    assert rc == 0, err
    assert pub.split()[:2] == public_from_private(path)


def secret_of(k):
    """The bytes that make the key private: RSA's PKCS#1 DER (its tail is
    d, p, q …), ED25519's 32-byte seed inside the openssh-key-v1 body."""
    body = base64.b64decode("".join(k["KeyMaterial"].splitlines()[1:-1]))
    if k["KeyMaterial"].startswith("-----BEGIN RSA"):
        return body[-200:]
    # magic 15, "none" 8, "none" 8, "" 4, count 4, public blob 4+51,
    # section length 4, check words 8, "ssh-ed25519" 4+11, key 4+32, 4;
    # the seed is followed by the public key (also at 62 in the public blob).
    assert body[193:225] == body[62:94]
    return body[161:193]


def test_private_key_is_never_kept(ec2, daemon):
    made = [ec2.create_key_pair(KeyName=t, KeyType=t) for t in ("rsa", "ed25519")]
    ec2.describe_key_pairs(IncludePublicKey=True)
    kept = state_bytes(daemon)
    for k in made:
        lines = k["KeyMaterial"].splitlines()[1:-1]
        assert len(lines) >= 4
        for line in lines[1:]:  # the first line of an OpenSSH key is its fixed header
            assert line.encode() not in kept
        secret = secret_of(k)
        for form in (secret, secret.hex().encode(), base64.b64encode(secret)):
            assert form not in kept
    pub = ec2.describe_key_pairs(KeyNames=["rsa"], IncludePublicKey=True)["KeyPairs"][0]["PublicKey"]
    assert pub.split()[1].encode() in kept  # the public half is (we looked in the right place)


def test_import_ed25519(ec2, tmp_path):
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "me@laptop", "-f", str(tmp_path / "id"))
    line = (tmp_path / "id.pub").read_text()
    k = ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=line.encode())
    assert k["KeyName"] == "mine" and k["KeyPairId"].startswith("key-")
    fp = run("ssh-keygen", "-l", "-E", "sha256", "-f", str(tmp_path / "id.pub")).split()[1].decode()
    assert k["KeyFingerprint"] == fp.removeprefix("SHA256:") + "="
    info = ec2.describe_key_pairs(KeyNames=["mine"], IncludePublicKey=True)["KeyPairs"][0]
    assert info["KeyType"] == "ed25519" and info["KeyFingerprint"] == k["KeyFingerprint"]
    assert info["PublicKey"] == " ".join(line.split()[:2] + ["mine"])


def test_import_rsa_in_every_accepted_form(ec2, daemon, tmp_path):
    key = str(tmp_path / "id")
    run("ssh-keygen", "-q", "-t", "rsa", "-b", "3072", "-N", "", "-f", key)
    # AWS user guide, for a key made by OpenSSH ≥ 7.8 and imported:
    # ssh-keygen -ef key -m PEM | openssl rsa -RSAPublicKey_in -outform DER | openssl md5 -c
    pkcs1 = run("ssh-keygen", "-e", "-f", key, "-m", "PEM")
    der = run("openssl", "rsa", "-RSAPublicKey_in", "-outform", "DER", stdin=pkcs1)
    want = colon(run("openssl", "md5", "-c", stdin=der))
    # … which is not what ssh-keygen -E md5 shows (that hashes the SSH blob).
    assert want != run("ssh-keygen", "-l", "-E", "md5", "-f", key + ".pub").split()[1][4:].decode()
    spki = run("openssl", "rsa", "-RSAPublicKey_in", "-pubout", stdin=pkcs1)
    forms = {
        "openssh": (tmp_path / "id.pub").read_bytes(),
        "rfc4716": run("ssh-keygen", "-e", "-f", key + ".pub"),
        "pem": spki,
        "pkcs1": pkcs1,
        "b64der": base64.b64encode(run("openssl", "pkey", "-pubin", "-outform", "DER", stdin=spki)),
        "der": run("openssl", "pkey", "-pubin", "-outform", "DER", stdin=spki),
    }
    openssh = (tmp_path / "id.pub").read_text().split()[:2]
    for name, material in forms.items():
        k = ec2.import_key_pair(KeyName=name, PublicKeyMaterial=material)
        assert k["KeyFingerprint"] == want, name
        info = ec2.describe_key_pairs(KeyNames=[name], IncludePublicKey=True)["KeyPairs"][0]
        assert info["PublicKey"].split() == openssh + [name], name
        assert info["KeyType"] == "rsa"
    # The aws CLI reads a blob with fileb:// and encodes it itself.
    out = daemon.aws("ec2", "import-key-pair", "--key-name", "cli",
                     "--public-key-material", "fileb://" + key + ".pub")
    assert out["KeyFingerprint"] == want


def test_describe(ec2):
    a = ec2.create_key_pair(KeyName="alpha", KeyType="ed25519", TagSpecifications=[
        {"ResourceType": "key-pair", "Tags": [{"Key": "team", "Value": "net"}]}])
    assert a["Tags"] == [{"Key": "team", "Value": "net"}]
    b = ec2.create_key_pair(KeyName="beta")
    c = ec2.create_key_pair(KeyName="gamma ray")
    ec2.create_tags(Resources=[c["KeyPairId"]], Tags=[{"Key": "env", "Value": "prod"}])
    every = ec2.describe_key_pairs()["KeyPairs"]
    assert [k["KeyName"] for k in every] == ["alpha", "beta", "gamma ray"]
    for k in every:
        assert "PublicKey" not in k  # only with IncludePublicKey
        assert k["CreateTime"].utcoffset().total_seconds() == 0

    def names(**kw):
        return sorted(k["KeyName"] for k in ec2.describe_key_pairs(**kw)["KeyPairs"])

    def by(name, *values):
        return names(Filters=[{"Name": name, "Values": list(values)}])

    assert names(KeyPairIds=[b["KeyPairId"], a["KeyPairId"]]) == ["alpha", "beta"]
    assert names(KeyNames=["beta", "gamma ray"]) == ["beta", "gamma ray"]
    assert by("key-name", "g*") == ["gamma ray"]
    assert by("key-name", "alpha", "beta") == ["alpha", "beta"]
    assert by("key-pair-id", c["KeyPairId"]) == ["gamma ray"]
    assert by("fingerprint", a["KeyFingerprint"]) == ["alpha"]
    assert by("key-type", "rsa") == ["beta", "gamma ray"]
    assert by("tag:team", "net") == ["alpha"]
    assert by("tag-key", "env") == ["gamma ray"]
    assert names(KeyNames=["beta"], Filters=[{"Name": "key-type", "Values": ["ed25519"]}]) == []
    ec2.delete_tags(Resources=[c["KeyPairId"]], Tags=[{"Key": "env"}])
    assert by("tag-key", "env") == []


def test_describe_xml(daemon, ec2):
    ec2.create_key_pair(KeyName="x", KeyType="ed25519")
    status, xml = raw(daemon, "Action=DescribeKeyPairs&Version=2016-11-15&IncludePublicKey=true")
    assert status == 200
    assert "<keySet><item>" in xml and "<keyType>ed25519</keyType>" in xml
    assert re.search(r"<createTime>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.000Z</createTime>", xml)
    assert "<publicKey>ssh-ed25519 " in xml and "<nextToken>" not in xml


def test_delete(ec2, daemon):
    a = ec2.create_key_pair(KeyName="a")
    b = ec2.import_key_pair(KeyName="b", PublicKeyMaterial=ec2.describe_key_pairs(
        KeyNames=["a"], IncludePublicKey=True)["KeyPairs"][0]["PublicKey"].encode())
    status, xml = raw(daemon, "Action=DeleteKeyPair&Version=2016-11-15&KeyName=a")
    assert status == 200
    assert "<return>true</return>" in xml and f"<keyPairId>{a['KeyPairId']}</keyPairId>" in xml
    # AWS (INS-17): deleting a name that does not exist succeeds.
    status, xml = raw(daemon, "Action=DeleteKeyPair&Version=2016-11-15&KeyName=a")
    assert status == 200 and "<return>true</return>" in xml and "<keyPairId>" not in xml
    ec2.delete_key_pair(KeyPairId=b["KeyPairId"])  # Debian's botocore models no output here
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    # The name is free again.
    ec2.create_key_pair(KeyName="a")


def test_dry_run_changes_nothing(ec2, tmp_path):
    for fn in (lambda: ec2.create_key_pair(KeyName="d", DryRun=True),
               lambda: ec2.import_key_pair(KeyName="d", DryRun=True, PublicKeyMaterial=(
                   b"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINSGTl5n7POFUOTbHkrenOg7j4hvD56StGvS0kKOmOHA"))):
        with pytest.raises(ClientError) as e:
            fn()
        assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    assert ec2.describe_key_pairs()["KeyPairs"] == []
    ec2.create_key_pair(KeyName="d")
    with pytest.raises(ClientError) as e:
        ec2.delete_key_pair(KeyName="d", DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert len(ec2.describe_key_pairs()["KeyPairs"]) == 1


def test_errors(ec2, daemon, tmp_path):
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "ed"))
    run("ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", str(tmp_path / "ec"))
    small = run("openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:768")
    ed_pub = (tmp_path / "ed.pub").read_bytes()
    ec2.create_key_pair(KeyName="taken")
    # botocore checks required parameters itself; this client lets the
    # request reach the daemon without them.
    loose = boto3.client("ec2", endpoint_url=daemon.url, region_name="us-east-1",
                         aws_access_key_id="test", aws_secret_access_key="test",
                         config=botocore.config.Config(parameter_validation=False,
                                                       retries={"max_attempts": 0}))
    cases = [
        (lambda: ec2.create_key_pair(KeyName="taken"), "InvalidKeyPair.Duplicate"),
        (lambda: ec2.import_key_pair(KeyName="taken", PublicKeyMaterial=ed_pub), "InvalidKeyPair.Duplicate"),
        (lambda: ec2.describe_key_pairs(KeyNames=["taken", "nope"]), "InvalidKeyPair.NotFound"),
        (lambda: ec2.describe_key_pairs(KeyPairIds=["key-0123456789abcdef0"]), "InvalidKeyPair.NotFound"),
        (lambda: ec2.delete_key_pair(KeyPairId="key-0123456789abcdef0"), "InvalidKeyPair.NotFound"),
        (lambda: ec2.delete_key_pair(KeyPairId="vpc-0123456789abcdef0"), "InvalidKeyPair.Format"),
        (lambda: ec2.describe_key_pairs(KeyPairIds=["sg-1"]), "InvalidKeyPair.Format"),
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=b"ssh-rsa notbase64!"), "InvalidKey.Format"),
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=b"hello"), "InvalidKey.Format"),
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=ed_pub + ed_pub), "InvalidKey.Format"),
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=(tmp_path / "ec.pub").read_bytes()),
         "InvalidKey.Format"),
        # ED25519 only in the OpenSSH form; RSA of 1024..4096 bits.
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=run(
            "ssh-keygen", "-e", "-f", str(tmp_path / "ed.pub"))), "InvalidKey.Format"),
        (lambda: ec2.import_key_pair(KeyName="g", PublicKeyMaterial=run(
            "openssl", "pkey", "-pubout", stdin=small)), "InvalidKey.Format"),
        (lambda: ec2.create_key_pair(KeyName="x", KeyType="dsa"), "InvalidParameterValue"),
        (lambda: ec2.create_key_pair(KeyName="x", KeyFormat="der"), "InvalidParameterValue"),
        (lambda: ec2.create_key_pair(KeyName="x", KeyFormat="ppk"), "UnsupportedOperation"),
        (lambda: ec2.create_key_pair(KeyName=" x"), "InvalidParameterValue"),
        (lambda: ec2.create_key_pair(KeyName="x" * 256), "InvalidParameterValue"),
        (lambda: ec2.create_key_pair(KeyName="x", TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}]), "InvalidParameterValue"),
        (lambda: ec2.describe_key_pairs(Filters=[{"Name": "owner-id", "Values": ["1"]}]),
         "InvalidParameterValue"),
        (lambda: loose.create_key_pair(), "MissingParameter"),
        (lambda: loose.import_key_pair(KeyName="g"), "MissingParameter"),
        (lambda: loose.delete_key_pair(), "MissingParameter"),
    ]
    for fn, code in cases:
        with pytest.raises(ClientError) as e:
            fn()
        assert error_code(e) == code, code
        assert http_status(e) == 400
    assert [k["KeyName"] for k in ec2.describe_key_pairs()["KeyPairs"]] == ["taken"]
    assert "x" * 255 in [ec2.create_key_pair(KeyName="x" * 255)["KeyName"]]


def test_key_pair_limit(state_dir):
    d = Daemon(state_dir).start()
    d.client().create_key_pair(KeyName="first", KeyType="ed25519")
    assert d.stop() == 0
    # Fill the account to the quota (5,000) behind the daemon's back.
    db = sqlite3.connect(os.path.join(state_dir, "state.db"))
    db.executemany("INSERT INTO key_pair(id, name, type, fingerprint, public_key, create_time)"
                   " VALUES (?, ?, 'ed25519', 'x', 'ssh-ed25519 AAAA', 0)",
                   [("key-%017x" % i, "k%d" % i) for i in range(1, 5000)])
    db.commit()
    db.close()
    d.start()
    ec2 = d.client()
    with pytest.raises(ClientError) as e:
        ec2.create_key_pair(KeyName="one-too-many")
    assert error_code(e) == "KeyPairLimitExceeded"
    assert len(ec2.describe_key_pairs()["KeyPairs"]) == 5000
    ec2.delete_key_pair(KeyName="k1")
    ec2.create_key_pair(KeyName="fits")
    # The key pairs survived the restart with their public halves.
    first = ec2.describe_key_pairs(KeyNames=["first"], IncludePublicKey=True)["KeyPairs"][0]
    assert first["PublicKey"].startswith("ssh-ed25519 ") and first["PublicKey"].endswith(" first")
    assert d.stop() == 0


def test_unsigned_style_blob_is_refused(daemon):
    """PublicKeyMaterial must be base64 on the wire (API-4)."""
    status, xml = raw(daemon, "Action=ImportKeyPair&Version=2016-11-15&KeyName=r"
                              "&PublicKeyMaterial=ssh-ed25519%20AAAA")
    assert status == 400 and "<Code>InvalidKey.Format</Code>" in xml
