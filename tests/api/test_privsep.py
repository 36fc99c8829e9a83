# SPDX-License-Identifier: MIT
"""Privilege separation (issue 10 item 6, checklist 23): the process that
holds the API's listening socket and parses requests runs with no
privilege at all (not root, no capability, no_new_privs, a seccomp filter),
while its parent keeps root for the kernel; the two live and die together."""
import os
import signal
import time

import pytest

from conftest import Daemon

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="privilege separation needs root")


def listening_inodes(port):
    """Inodes of the TCP sockets listening on 127.0.0.1:port."""
    want = "0100007F:%04X" % port
    inodes = set()
    with open("/proc/net/tcp") as f:
        next(f)
        for line in f:
            fields = line.split()
            if fields[1] == want and fields[3] == "0A":  # 0A: LISTEN
                inodes.add(fields[9])
    return inodes


def holders(inodes):
    """The pids with an fd on one of the sockets."""
    links = {f"socket:[{i}]" for i in inodes}
    pids = set()
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                if os.readlink(f"/proc/{pid}/fd/{fd}") in links:
                    pids.add(int(pid))
        except OSError:
            continue  # gone, or not ours to read
    return pids


def status(pid):
    out = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            k, _, v = line.partition(":")
            out[k] = v.split()
    return out


def api_process(d):
    """The pid serving d's port: exactly one, and not the daemon itself."""
    pids = holders(listening_inodes(d.port))
    assert len(pids) == 1, pids
    (pid,) = pids
    return pid


def alive(pid):
    """Any of its threads still running (a zombie left to an init that does
    not reap is not; its leader turns zombie before its last thread ends)."""
    try:
        return status(pid)["State"][0] != "Z" or len(os.listdir(f"/proc/{pid}/task")) > 1
    except FileNotFoundError:
        return False


def wait_until(cond, timeout=10):
    deadline = time.monotonic() + timeout
    while not cond() and time.monotonic() < deadline:
        time.sleep(0.02)
    return cond()


def wait_gone(pid):
    return wait_until(lambda: not alive(pid))


def test_api_process_has_no_privilege(daemon, ec2):
    parent = daemon.proc.pid
    child = api_process(daemon)
    assert child != parent
    st = status(child)
    assert int(st["PPid"][0]) == parent
    # Real, effective, saved and filesystem IDs: none is root.
    assert all(int(u) != 0 for u in st["Uid"]), st["Uid"]
    assert all(int(g) != 0 for g in st["Gid"]), st["Gid"]
    assert st["Groups"] == []
    for cap in ("CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"):
        assert int(st[cap][0], 16) == 0, (cap, st[cap])
    # It can never gain privilege through exec, and it cannot exec at all,
    # nor reach the kernel's configuration (priv/drop.h's filter).
    assert st["NoNewPrivs"] == ["1"]
    assert st["Seccomp"] == ["2"]
    ps = status(parent)
    assert ps["Uid"][1] == "0" and int(ps["CapEff"][0], 16) != 0
    # The store is root's, 0600, in a 0700 dir, yet the API process writes
    # it: it holds descriptors opened before the drop, not the paths.
    db = os.path.join(daemon.state_dir, "state.db")
    assert os.stat(db).st_uid == 0 and os.stat(db).st_mode & 0o077 == 0
    vpc = ec2.create_vpc(CidrBlock="10.7.0.0/16")["Vpc"]["VpcId"]
    assert [v["VpcId"] for v in ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"]] == [vpc]


def test_sigterm_stops_both(state_dir):
    d = Daemon(state_dir).start()
    child = api_process(d)
    assert d.stop() == 0
    assert wait_gone(child)


def test_api_process_death_stops_the_daemon(state_dir):
    d = Daemon(state_dir).start()
    child = api_process(d)
    os.kill(child, signal.SIGKILL)
    # The parent must not go on without it (fail closed), and says so.
    assert d.proc.wait(10) != 0
    d.stop()
    assert "the API process ended on its own" in open(d.log_path).read()


def test_kill9_of_the_daemon_leaves_no_api_process(state_dir):
    d = Daemon(state_dir).start()
    vpc = d.client().create_vpc(CidrBlock="10.8.0.0/16")["Vpc"]["VpcId"]
    child = api_process(d)
    d.stop(signal.SIGKILL)
    assert wait_gone(child), "the API process outlived its parent"
    assert wait_until(lambda: not listening_inodes(d.port)), "the port is still held"
    # And the port is free for the next daemon, which finds the VPC.
    d.start()
    assert api_process(d) != child
    assert vpc in [v["VpcId"] for v in d.client().describe_vpcs()["Vpcs"]]
    assert d.stop() == 0
