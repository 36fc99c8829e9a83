# SPDX-License-Identifier: MIT
"""Key pairs: real keys OpenSSH accepts, AWS fingerprints, the private key
never stored (checklist 25), errors."""
import base64
import hashlib
import os
import subprocess

import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def pub_of(material, tmp_path):
    key = tmp_path / "k"
    key.write_text(material)
    os.chmod(key, 0o600)
    return subprocess.run(["ssh-keygen", "-y", "-f", str(key)], capture_output=True, text=True,
                          check=True).stdout.split()[:2]


@pytest.mark.parametrize("ktype", ["rsa", "ed25519"])
def test_created_keys_work_with_openssh(ec2, daemon, tmp_path, ktype):
    k = ec2.create_key_pair(KeyName="k-" + ktype, KeyType=ktype)
    assert k["KeyPairId"].startswith("key-")
    head = "-----BEGIN RSA PRIVATE KEY-----" if ktype == "rsa" else "-----BEGIN OPENSSH PRIVATE KEY-----"
    assert k["KeyMaterial"].startswith(head)
    pub = pub_of(k["KeyMaterial"], tmp_path)
    info = ec2.describe_key_pairs(KeyNames=["k-" + ktype], IncludePublicKey=True)["KeyPairs"][0]
    assert info["PublicKey"].split()[:2] == pub
    assert info["KeyType"] == ktype and info["KeyFingerprint"] == k["KeyFingerprint"]
    blob = base64.b64decode(pub[1])
    if ktype == "ed25519":
        assert k["KeyFingerprint"] == base64.b64encode(hashlib.sha256(blob).digest()).decode()
    else:  # SHA-1 of the PKCS#8 DER private key, as the AWS docs compute it
        der = subprocess.run(["openssl", "pkcs8", "-topk8", "-nocrypt", "-outform", "DER", "-in",
                              str(tmp_path / "k")], capture_output=True, check=True).stdout
        assert k["KeyFingerprint"] == ":".join("%02x" % b for b in hashlib.sha1(der).digest())
    # The private key is not in the state.
    secret_line = k["KeyMaterial"].splitlines()[1]
    for name in os.listdir(daemon.state_dir):
        path = os.path.join(daemon.state_dir, name)
        if os.path.isfile(path):
            assert secret_line.encode() not in open(path, "rb").read()


def test_import_and_errors(ec2, tmp_path):
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(tmp_path / "id")], check=True)
    line = (tmp_path / "id.pub").read_text()
    k = ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=line.encode())
    fp = subprocess.run(["ssh-keygen", "-l", "-E", "sha256", "-f", str(tmp_path / "id.pub")],
                        capture_output=True, text=True, check=True).stdout.split()[1]
    assert k["KeyFingerprint"].rstrip("=") == fp.split(":", 1)[1]
    for fn, code in [
        (lambda: ec2.import_key_pair(KeyName="mine", PublicKeyMaterial=line.encode()), "InvalidKeyPair.Duplicate"),
        (lambda: ec2.import_key_pair(KeyName="bad", PublicKeyMaterial=b"ssh-rsa notbase64!"), "InvalidKey.Format"),
        (lambda: ec2.create_key_pair(KeyName="mine"), "InvalidKeyPair.Duplicate"),
        (lambda: ec2.describe_key_pairs(KeyNames=["nope"]), "InvalidKeyPair.NotFound"),
        (lambda: ec2.create_key_pair(KeyName="x", KeyType="dsa"), "InvalidParameterValue"),
    ]:
        with pytest.raises(ClientError) as e:
            fn()
        assert error_code(e) == code
    ec2.delete_key_pair(KeyName="mine")
    ec2.delete_key_pair(KeyName="mine")  # AWS: deleting a missing name succeeds
    assert ec2.describe_key_pairs()["KeyPairs"] == []


def test_cli_key_material(daemon, tmp_path):
    out = daemon.aws("ec2", "create-key-pair", "--key-name", "BastionKeyPair", "--query", "KeyMaterial",
                     "--output", "text", check=False)
    assert out[0] == 0
    pub = pub_of(out[1], tmp_path)
    assert pub[0] == "ssh-rsa"
