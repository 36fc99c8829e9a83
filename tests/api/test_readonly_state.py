# SPDX-License-Identifier: MIT
"""A read-only state dir (issue 10 item 3): clear errors, not corruption.

Root writes through file modes, so read-only here is the file system's:
a tmpfs remounted read-only (a daemon started on it must refuse, saying
why), and an ext4 image on a loop device that the kernel turns read-only
under a running daemon, as it does on an I/O error with errors=remount-ro
(a tmpfs cannot be remounted read-only while SQLite holds its files open
for writing).  Mutating calls then fail with AWS's 500 InternalError, reads
keep working, the daemon stays up and logs the reason, and once the file
system is writable again the store is intact: everything answered before
is there, nothing refused is."""
import hashlib
import os
import shutil
import subprocess
import tempfile

import botocore.exceptions
import pytest

from conftest import BIN, Daemon, free_port
from test_faults import check_store

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounts need root")


def mounted(path):
    return subprocess.run(["mountpoint", "-q", path]).returncode == 0


@pytest.fixture
def tmpfs_state():
    top = tempfile.mkdtemp(prefix="lvro-")
    state = os.path.join(top, "state")
    os.makedirs(state)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m,mode=0700", "lvro", state],
                   check=True)
    try:
        yield state
    finally:
        if mounted(state):
            subprocess.run(["umount", "-l", state], check=False)
        shutil.rmtree(top, ignore_errors=True)


class Ext4:
    """An ext4 image on a loop device (mount -o loop frees the device on umount)."""

    def __init__(self, top):
        self.top = top
        self.img = os.path.join(top, "img")
        self.mnt = os.path.join(top, "mnt")
        self.state = os.path.join(self.mnt, "state")
        os.makedirs(self.mnt)
        with open(self.img, "wb") as f:
            f.truncate(64 << 20)
        subprocess.run(["mkfs.ext4", "-q", "-F", self.img], check=True, capture_output=True)
        self.mount()
        os.makedirs(self.state, mode=0o700)

    def mount(self):
        subprocess.run(["mount", "-o", "loop,errors=remount-ro", self.img, self.mnt], check=True)
        self.dev = subprocess.run(["findmnt", "-no", "SOURCE", self.mnt], check=True,
                                  capture_output=True, text=True).stdout.strip()

    def umount(self):
        subprocess.run(["umount", self.mnt], check=True)

    def break_it(self):
        """The kernel's own reaction to an I/O error: read-only at once,
        whatever is open for writing."""
        with open(f"/sys/fs/ext4/{os.path.basename(self.dev)}/trigger_fs_error", "w") as f:
            f.write("localvpc test: read-only state dir\n")

    def repair(self):
        """Unmounted: replays the journal and clears the error, then mounts
        it writable again."""
        p = subprocess.run(["e2fsck", "-fy", self.img], capture_output=True, text=True)
        assert p.returncode in (0, 1), p.stdout + p.stderr  # 1: errors corrected
        self.mount()


@pytest.fixture
def ext4_state():
    if not shutil.which("mkfs.ext4") or not os.path.exists("/dev/loop-control"):
        pytest.skip("needs mkfs.ext4 and loop devices")
    top = tempfile.mkdtemp(prefix="lvro-ext4-")
    fs = None
    try:
        fs = Ext4(top)
        if not os.path.exists(f"/sys/fs/ext4/{os.path.basename(fs.dev)}/trigger_fs_error"):
            pytest.skip("the kernel has no ext4 trigger_fs_error")
        yield fs
    finally:
        if fs and mounted(fs.mnt):
            subprocess.run(["umount", "-l", fs.mnt], check=False)
        shutil.rmtree(top, ignore_errors=True)


def digest(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def serve_once(state):
    """Starts a daemon that is expected to refuse: (exit status, output)."""
    p = subprocess.run([BIN, "serve", "--listen", f"127.0.0.1:{free_port()}", "--state-dir",
                        state, "--no-dataplane"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    return p.returncode, p.stdout + p.stderr


def outcome(fn, **kw):
    try:
        fn(**kw)
        return 200
    except botocore.exceptions.ClientError as e:
        return (e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"])


def test_start_on_a_read_only_state_dir_refuses(tmpfs_state):
    d = Daemon(tmpfs_state).start()
    ec2 = d.client()
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    assert d.stop() == 0
    db = os.path.join(tmpfs_state, "state.db")
    before = digest(db)
    subprocess.run(["mount", "-o", "remount,ro", tmpfs_state], check=True)
    rc, out = serve_once(tmpfs_state)
    assert rc != 0, out
    # The reason, not only "cannot open": the dir and the system's word.
    assert "not writable" in out and "Read-only file system" in out, out
    assert tmpfs_state in out, out
    assert digest(db) == before
    subprocess.run(["mount", "-o", "remount,rw", tmpfs_state], check=True)
    check_store(tmpfs_state).close()
    d.start()
    assert vpc in [v["VpcId"] for v in d.client().describe_vpcs()["Vpcs"]]
    assert d.stop() == 0


def test_state_dir_turns_read_only_under_a_running_daemon(ext4_state):
    fs = ext4_state
    d = Daemon(fs.state)
    d.log_path = os.path.join(fs.top, "daemon.log")  # not on the file system that breaks
    d.start()
    ec2 = d.client()
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "before", "Value": "1"}])
    sg = ec2.create_security_group(VpcId=vpc, GroupName="g", Description="ro")["GroupId"]
    fs.break_it()

    refused = {
        "CreateVpc": outcome(ec2.create_vpc, CidrBlock="10.2.0.0/16"),
        "CreateTags": outcome(ec2.create_tags, Resources=[vpc],
                              Tags=[{"Key": "after", "Value": "1"}]),
        "AuthorizeSecurityGroupIngress": outcome(
            ec2.authorize_security_group_ingress, GroupId=sg,
            IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                            "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}]),
        "DeleteSecurityGroup": outcome(ec2.delete_security_group, GroupId=sg),
    }
    for action, got in refused.items():
        assert got != 200 and got[0] == 500 and got[1] in ("InternalError",
                                                           "ServiceUnavailable"), (action, got)
    # Reads go on, and show the store as it was.
    assert d.proc.poll() is None
    vpcs = {v["VpcId"]: v for v in ec2.describe_vpcs()["Vpcs"]}
    assert vpc in vpcs and len(vpcs) == 2  # the default VPC and ours
    assert {t["Key"] for t in vpcs[vpc].get("Tags", [])} == {"before"}
    groups = ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"]
    assert groups[0]["IpPermissions"] == []
    assert d.stop() == 0
    log = open(d.log_path, errors="replace").read()
    assert "level=warn mod=store" in log, log[-2000:]
    assert "Read-only file system" in log, log[-2000:]  # the reason, not just "I/O error"

    # Writable again: nothing lost, nothing half there.
    fs.umount()
    fs.repair()
    db = check_store(fs.state)
    assert [r[0] for r in db.execute("SELECT key FROM tag WHERE resource_id=?", (vpc,))] == \
        ["before"]
    assert db.execute("SELECT count(*) FROM vpc").fetchone()[0] == 2
    assert db.execute("SELECT count(*) FROM sg WHERE id=?", (sg,)).fetchone()[0] == 1
    assert db.execute("SELECT count(*) FROM sg_rule WHERE sg_id=? AND is_egress=0",
                      (sg,)).fetchone()[0] == 0
    db.close()
    d.start()
    ec2 = d.client()
    assert outcome(ec2.create_vpc, CidrBlock="10.2.0.0/16") == 200
    assert outcome(ec2.create_tags, Resources=[vpc], Tags=[{"Key": "after", "Value": "1"}]) == 200
    assert d.stop() == 0
