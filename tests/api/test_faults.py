# SPDX-License-Identifier: MIT
"""Faults lose nothing (issue 10, checklist 24): kill -9 at random moments
under a stream of mutating calls, then a read-only state dir and a full
disk.  Afterwards SQLite is intact, every foreign reference holds, every
answered call is there, and nothing a cut call made is half there."""
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time

import botocore.exceptions
import pytest

from conftest import Daemon
import rawreq

KILLS = 30
CUT = (botocore.exceptions.EndpointConnectionError, botocore.exceptions.ConnectionClosedError,
       botocore.exceptions.ReadTimeoutError, botocore.exceptions.ConnectTimeoutError)


class Stream:
    """Mutating calls in a loop; every call is logged as (key, op, acked).
    A key's last acked op decides whether it must exist; a key whose last
    op was cut may be either way."""

    def __init__(self, ec2):
        self.ec2 = ec2
        self.log = []
        self.stop = threading.Event()
        self.calls = 0
        self.cut = 0
        self.errors = []

    def call(self, key, op, fn, **kw):
        self.calls += 1
        try:
            r = fn(**kw)
        except CUT:
            self.cut += 1
            self.log.append((key, op, False))
            time.sleep(0.05)
            return None
        except botocore.exceptions.ClientError as e:
            self.errors.append(e.response["Error"]["Code"])
            self.log.append((key, op, False))
            return None
        if key is not None:
            self.log.append((key, op, True))
        return r

    def purge(self):
        """Deletes every non-default VPC with its subnets and groups (the
        VPC quota is 5), logging each deletion."""
        r = self.call(None, "read", self.ec2.describe_vpcs,
                      Filters=[{"Name": "is-default", "Values": ["false"]}])
        for v in (r or {}).get("Vpcs", []):
            vid = v["VpcId"]
            f = [{"Name": "vpc-id", "Values": [vid]}]
            for s in (self.call(None, "read", self.ec2.describe_subnets, Filters=f) or {}
                      ).get("Subnets", []):
                self.call(("subnet", s["SubnetId"]), "delete", self.ec2.delete_subnet,
                          SubnetId=s["SubnetId"])
            for g in (self.call(None, "read", self.ec2.describe_security_groups, Filters=f) or {}
                      ).get("SecurityGroups", []):
                if g["GroupName"] != "default":
                    self.call(("sg", g["GroupId"]), "delete", self.ec2.delete_security_group,
                              GroupId=g["GroupId"])
            self.call(("vpc", vid), "delete", self.ec2.delete_vpc, VpcId=vid)

    def run(self):
        i = 0
        while not self.stop.is_set():
            i += 1
            if i % 3 == 0:
                self.purge()
                continue
            v = self.call(None, "create", self.ec2.create_vpc, CidrBlock=f"10.{i % 250}.0.0/16",
                          TagSpecifications=[{"ResourceType": "vpc",
                                              "Tags": [{"Key": "Name", "Value": f"fault-{i}"}]}])
            if not v:
                continue
            vid = v["Vpc"]["VpcId"]
            self.log.append((("vpc", vid), "create", True))
            s = self.call(None, "create", self.ec2.create_subnet, VpcId=vid,
                          CidrBlock=f"10.{i % 250}.1.0/24")
            if s:
                self.log.append((("subnet", s["Subnet"]["SubnetId"]), "create", True))
            g = self.call(None, "create", self.ec2.create_security_group, VpcId=vid,
                          GroupName=f"g{i}", Description="fault stream")
            if g:
                gid = g["GroupId"]
                self.log.append((("sg", gid), "create", True))
                for port in (1000 + i, 2000 + i):
                    self.call(("rule", gid, port), "create",
                              self.ec2.authorize_security_group_ingress, GroupId=gid,
                              IpPermissions=[{"IpProtocol": "tcp", "FromPort": port,
                                              "ToPort": port,
                                              "IpRanges": [{"CidrIp": "10.9.0.0/16"}]}])
            self.call(("tag", vid, f"k{i}"), "create", self.ec2.create_tags, Resources=[vid],
                      Tags=[{"Key": f"k{i}", "Value": str(i)}])


def expected(log):
    """key -> True (must exist) / False (must not) for keys whose last op was acked."""
    last = {}
    for key, op, acked in log:
        last[key] = (op, acked)
    return {k: op == "create" for k, (op, acked) in last.items() if acked}


def check_store(state_dir, named=False):
    """Integrity, foreign keys and whole resources; returns the open db."""
    db = sqlite3.connect(os.path.join(state_dir, "state.db"))
    assert db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    # Every VPC is whole: its default group, default ACL, main route table,
    # and (for the stream's VPCs, created with a Name tag) its tag.
    for (vid, default) in db.execute("SELECT id, is_default FROM vpc"):
        assert db.execute("SELECT count(*) FROM sg WHERE vpc_id=? AND name='default'",
                          (vid,)).fetchone()[0] == 1, vid
        assert db.execute("SELECT count(*) FROM nacl WHERE vpc_id=? AND is_default=1",
                          (vid,)).fetchone()[0] == 1, vid
        assert db.execute("SELECT count(*) FROM rtb_assoc a JOIN route_table t ON "
                          "a.route_table_id=t.id WHERE t.vpc_id=? AND a.is_main=1",
                          (vid,)).fetchone()[0] == 1, vid
        if named and not default:
            assert db.execute("SELECT count(*) FROM tag WHERE resource_id=? AND key='Name'",
                              (vid,)).fetchone()[0] == 1, vid
    # Every subnet has its ACL association; no tag or rule of a gone resource.
    assert db.execute("SELECT count(*) FROM subnet s WHERE NOT EXISTS "
                      "(SELECT 1 FROM nacl_assoc a WHERE a.subnet_id=s.id)").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM sg_rule r WHERE NOT EXISTS "
                      "(SELECT 1 FROM sg g WHERE g.id=r.sg_id)").fetchone()[0] == 0
    return db


def present(db, key):
    kind = key[0]
    if kind == "vpc":
        sql, args = "SELECT count(*) FROM vpc WHERE id=?", (key[1],)
    elif kind == "subnet":
        sql, args = "SELECT count(*) FROM subnet WHERE id=?", (key[1],)
    elif kind == "sg":
        sql, args = "SELECT count(*) FROM sg WHERE id=?", (key[1],)
    elif kind == "rule":
        sql, args = ("SELECT count(*) FROM sg_rule WHERE sg_id=? AND from_port=? AND is_egress=0",
                     (key[1], key[2]))
    else:
        sql, args = "SELECT count(*) FROM tag WHERE resource_id=? AND key=?", (key[1], key[2])
    return db.execute(sql, args).fetchone()[0] > 0


def test_kill9_under_a_stream_of_calls(state_dir):
    d = Daemon(state_dir).start()
    ec2 = d.client()
    stream = Stream(ec2)
    t = threading.Thread(target=stream.run, daemon=True)
    t.start()
    rng = random.Random(int(os.environ.get("FAULT_SEED", "10")))
    try:
        for _ in range(KILLS):
            before = stream.calls
            # Let at least a few calls through, then kill at a random moment.
            while stream.calls < before + 3 and t.is_alive():
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.15))
            d.stop(signal.SIGKILL)
            d.start()
    finally:
        stream.stop.set()
        t.join(60)
    assert not t.is_alive()
    assert d.stop() == 0
    exp = expected(stream.log)
    db = check_store(state_dir, named=True)
    # A rule or tag must exist only while its group or VPC must.
    def owner_alive(key):
        if key[0] == "rule":
            return exp.get(("sg", key[1]))
        if key[0] == "tag":
            return exp.get(("vpc", key[1]))
        return True
    wrong = [(k, want) for k, want in exp.items()
             if owner_alive(k) and present(db, k) != want]
    db.close()
    acked = sum(1 for _, _, a in stream.log if a)
    print(f"\nkills={KILLS} calls={stream.calls} acked={acked} cut={stream.cut} "
          f"errors={sorted(set(stream.errors))}")
    assert wrong == []
    assert stream.cut > 0  # the kills really landed mid-stream
    # The daemon comes back once more, answers, and the default VPC is single.
    d.start()
    vpcs = d.client().describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])
    assert len(vpcs["Vpcs"]) == 1
    assert d.stop() == 0


# --- a read-only state dir and a full disk --------------------------------

def mutate(ec2, cidr="10.200.0.0/16"):
    try:
        v = ec2.create_vpc(CidrBlock=cidr)
        return 200, v["Vpc"]["VpcId"]
    except botocore.exceptions.ClientError as e:
        return e.response["ResponseMetadata"]["HTTPStatusCode"], e.response["Error"]["Code"]


@pytest.fixture
def tiny_fs():
    """A 2 MiB tmpfs as the state dir; unmounted and removed afterwards."""
    top = tempfile.mkdtemp(prefix="lvfull-")
    state = os.path.join(top, "state")
    os.makedirs(state)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m,mode=0700", "lvfull", state],
                   check=True)
    try:
        yield state
    finally:
        subprocess.run(["umount", "-l", state], check=False)
        shutil.rmtree(top, ignore_errors=True)


def test_full_disk(tiny_fs):
    """The state file system fills up: writes get a 5xx, the daemon stays up
    and logs why, and once space returns it works and nothing is corrupt."""
    d = Daemon(tiny_fs).start()
    ec2 = d.client()
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    filler = os.path.join(tiny_fs, "filler")
    # Fill it (dd stops at ENOSPC; its exit status is that error).
    subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=4096"], capture_output=True)
    statuses = []
    for i in range(40):
        try:
            ec2.create_tags(Resources=[vpc], Tags=[{"Key": f"k{i}", "Value": "x" * 256}])
            statuses.append(200)
        except botocore.exceptions.ClientError as e:
            statuses.append((e.response["ResponseMetadata"]["HTTPStatusCode"],
                             e.response["Error"]["Code"]))
    assert d.proc.poll() is None
    fails = [s for s in statuses if s != 200]
    assert fails, "the disk never filled"
    assert all(s[0] >= 500 and s[1] in ("InternalError", "ServiceUnavailable") for s in fails)
    assert vpc in [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
    os.unlink(filler)
    assert mutate(ec2, "10.5.0.0/16")[0] == 200
    ok_tags = {f"k{i}" for i, s in enumerate(statuses) if s == 200}
    assert d.stop() == 0
    log = open(d.log_path, errors="replace").read()
    assert "full" in log.lower() or "disk" in log.lower(), log[-2000:]
    db = check_store(tiny_fs)
    tags = {r[0] for r in db.execute("SELECT key FROM tag WHERE resource_id=?", (vpc,))}
    db.close()
    assert ok_tags <= tags  # every answered call is there
    d.start()
    assert vpc in [v["VpcId"] for v in d.client().describe_vpcs()["Vpcs"]]
    assert d.stop() == 0
