#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Fleet figures, measured on one daemon with a growing fleet:

  launch.batch_100_s          RunInstances MinCount=100 → all 100 sshd accept
  scale.instances             instances running with sshd accepting (goal ≥ 1,000)
  scale.rss_per_instance_kib  resident memory of everything inside one
                              instance (init, sshd, …), the mean over the fleet
  sg.change_to_enforced_ms    AuthorizeSecurityGroupIngress sent (a presigned
                              request on a kept-alive connection) → a new
                              connection from My IP is admitted, with the
                              fleet running; baseline: one `nft add element`
                              into a set in a scratch namespace (the kernel's
                              own cost of such a change), same run.

Sshd is probed inside each instance's network namespace (setns on a
socket-creating thread), so the fleet needs no public addresses; only the
probe instance has one, and host probes go only to the emulated pool.
Needs root and the image.  BENCH_FLEET (default 1000) sets the size,
BENCH_FLEET_BUDGET_S (240) the time the fleet may take to grow;
BENCH_SERVE_ARGS adds arguments to `serve` (-v logs each pass's stage
times), BENCH_KEEP keeps the daemon's log."""
import ctypes
import http.client
import ipaddress
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("LOCALVPC_BIN") or os.path.join(ROOT, "build", "localvpc")
POOL = ipaddress.ip_network("198.18.0.0/15")
FLEET = int(os.environ.get("BENCH_FLEET", "1000"))
ROUNDS = int(os.environ.get("BENCH_SG_ROUNDS", "10"))
# The fleet grows in batches of 100 until FLEET or until this budget is
# spent (then scale.instances says how far it got within `make bench`'s
# 10 minutes).
BUDGET_S = int(os.environ.get("BENCH_FLEET_BUDGET_S", "240"))
CLONE_NEWNET = 0x40000000
libc = ctypes.CDLL("libc.so.6", use_errno=True)


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def sshd_accepts_in(ns):
    """True when 127.0.0.1:22 answers SSH-2.0 inside network namespace ns
    (a fresh thread enters it, so this process's namespace never moves)."""
    out = []

    def probe():
        try:
            fd = os.open("/run/netns/" + ns, os.O_RDONLY)
        except OSError:
            out.append(False)
            return
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                out.append(False)
                return
            with socket.create_connection(("127.0.0.1", 22), 0.5) as s:
                out.append(s.recv(7) == b"SSH-2.0")
        except OSError:
            out.append(False)
        finally:
            os.close(fd)
    t = threading.Thread(target=probe)
    t.start()
    t.join()
    return out[0]


def wait_all(nss, deadline):
    pending = set(nss)
    end = time.monotonic() + deadline
    while pending and time.monotonic() < end:
        pending = {ns for ns in pending if not sshd_accepts_in(ns)}
        if pending:
            time.sleep(0.01)
    return len(nss) - len(pending)


def host_connects(ip, timeout):
    assert ipaddress.ip_address(ip) in POOL, ip  # host probes stay in the pool
    try:
        socket.create_connection((ip, 22), timeout).close()
        return True
    except OSError:
        return False


def rss_kib(pid):
    with open("/proc/%d/status" % pid) as f:
        m = re.search(r"VmRSS:\s+(\d+)", f.read())
    return int(m.group(1)) if m else 0


def instance_rss(init_pid):
    """RSS of every process in the pid namespace of init_pid."""
    try:
        ns = os.readlink("/proc/%d/ns/pid" % init_pid)
    except OSError:
        return None
    total = 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                if os.readlink("/proc/%s/ns/pid" % d) == ns:
                    total += rss_kib(int(d))
            except OSError:
                pass
    return total


def nft_element_ms():
    """The kernel's own cost of one set-element change: `nft add element`
    into a 1,000-element set in a scratch namespace, median of 20."""
    ns = "lvbench-nft%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True)
    try:
        elems = ", ".join("10.%d.%d.%d" % (i >> 16, (i >> 8) & 255, i & 255) for i in range(1000))
        subprocess.run(["ip", "netns", "exec", ns, "nft", "-f", "-"], check=True, text=True,
                       input="table inet b {\n set s {\n  type ipv4_addr\n  flags interval\n  elements = { %s }\n }\n}\n"
                       % elems)
        times = []
        for i in range(20):
            t0 = time.monotonic()
            subprocess.run(["ip", "netns", "exec", ns, "nft", "add", "element", "inet", "b", "s",
                            "{ 192.0.2.%d }" % (i + 1)], check=True)
            times.append((time.monotonic() - t0) * 1000)
        return pct(times, 50)
    finally:
        subprocess.run(["ip", "netns", "del", ns])


def main():
    tmp = tempfile.mkdtemp(prefix="lvbench-")
    state = os.path.join(tmp, "state")
    os.makedirs(state)
    port = 4591
    log = open(os.path.join(tmp, "daemon.log"), "w")
    # A pool of its own: a daemon left running elsewhere on this host keeps
    # its route to the default pool, and the probe must reach ours.
    d = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:%d" % port, "--state-dir", state,
                          "--public-pool", "198.19.254.0/24"] + os.environ.get("BENCH_SERVE_ARGS", "").split(),
                         stdout=subprocess.DEVNULL, stderr=log)
    figs = []
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        prefix = None
        for _ in range(100):
            m = re.search(r"prefix=(lv[0-9a-f]+)", open(os.path.join(tmp, "daemon.log")).read())
            if m:
                prefix = m.group(1)
                break
            time.sleep(0.05)
        ec2 = boto3.client("ec2", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test",
                           config=botocore.config.Config(retries={"max_attempts": 0},
                                                         read_timeout=600))
        vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        fleet_sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/20")["Subnet"]["SubnetId"]
        pub_sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.16.0/24")["Subnet"]["SubnetId"]
        igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
        rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
        ec2.associate_route_table(RouteTableId=rtb, SubnetId=pub_sn)
        probe_sg = ec2.create_security_group(GroupName="probe", Description="no ingress",
                                             VpcId=vpc)["GroupId"]
        ami = "ami-0de12b0000c0ffee1"
        probe = ec2.run_instances(ImageId=ami, MinCount=1, MaxCount=1, SecurityGroupIds=[probe_sg],
                                  SubnetId=pub_sn)["Instances"][0]
        ec2.associate_address(InstanceId=probe["InstanceId"],
                              AllocationId=ec2.allocate_address(Domain="vpc")["AllocationId"])
        probe_ip = ec2.describe_instances(InstanceIds=[probe["InstanceId"]])[
            "Reservations"][0]["Instances"][0]["PublicIpAddress"]

        def ns_of(iid):
            return "%s-i%s" % (prefix, iid[-8:])
        running, batch_s = [], []
        grow_end = time.monotonic() + BUDGET_S
        while len(running) < FLEET - 1:
            if time.monotonic() > grow_end:
                print("scale: growth budget of %d s spent at %d instances" % (BUDGET_S, len(running) + 1),
                      file=sys.stderr)
                break
            n = min(100, FLEET - 1 - len(running))
            t0 = time.monotonic()
            try:
                got = ec2.run_instances(ImageId=ami, MinCount=n, MaxCount=n,
                                        SubnetId=fleet_sn)["Instances"]
            except Exception as e:  # the fleet's limit: report how far it got
                print("scale: stopped at %d: %s" % (len(running), e), file=sys.stderr)
                break
            up = wait_all([ns_of(i["InstanceId"]) for i in got], 300)
            batch_s.append(time.monotonic() - t0)
            running += [i["InstanceId"] for i in got]
            if up < len(got):
                print("scale: only %d of %d sshd answered" % (up, len(got)), file=sys.stderr)
                break
        alive = wait_all([ns_of(i) for i in running], 60) + 1  # + the probe
        rss = []
        for iid in running:
            try:
                pid = int(open(os.path.join(state, "instances", iid, "init.pid")).read().split()[0])
            except (OSError, ValueError, IndexError):
                continue
            r = instance_rss(pid)
            if r:
                rss.append(r)
        # A change under load: authorize, then a new connection from My IP.
        # The calls are presigned GETs replayed on one keep-alive
        # connection (a SigV4 signature stays valid for 15 minutes; revoke
        # undoes each authorize), so the figure is the daemon's and the
        # kernel's time, not botocore's: building and signing a request
        # in Python costs 2-3 ms a call here.  boto3_p50_ms: the same
        # change made through boto3, for comparison.
        perm = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                 "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}]
        urls = [ec2.generate_presigned_url(op, Params={"GroupId": probe_sg, "IpPermissions": perm},
                                           ExpiresIn=900, HttpMethod="GET")
                for op in ("authorize_security_group_ingress", "revoke_security_group_ingress")]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)

        def call(url):
            conn.request("GET", url[url.index("/", 8):])
            r = conn.getresponse()
            body = r.read()
            if r.status != 200:
                raise RuntimeError("%s: %d %s" % (url[:60], r.status, body[:200]))

        assert host_connects(probe_ip, 0.5) is False, "the probe must start closed"
        enforce, after_return, via_boto3 = [], [], []
        for k in range(2 * ROUNDS):
            # From sending the call: localvpc answers only once the kernel
            # enforces the change, so the call's own time is the figure.
            t0 = time.monotonic()
            if k < ROUNDS:
                call(urls[0])
            else:
                ec2.authorize_security_group_ingress(GroupId=probe_sg, IpPermissions=perm)
            t1 = time.monotonic()
            while not host_connects(probe_ip, 0.02):
                if time.monotonic() - t0 > 10:
                    raise RuntimeError("the rule never took effect")
            (enforce if k < ROUNDS else via_boto3).append((time.monotonic() - t0) * 1000)
            if k < ROUNDS:
                after_return.append((time.monotonic() - t1) * 1000)
            call(urls[1])
            while host_connects(probe_ip, 0.05):
                time.sleep(0.01)
        conn.close()
        base = nft_element_ms()
        figs = [
            {"name": "launch.batch_100_s", "value": round(batch_s[0], 2) if batch_s else None,
             "unit": "s", "baseline": None, "baseline_value": None, "ratio": None,
             "batches_s": [round(b, 2) for b in batch_s]},
            {"name": "scale.instances", "value": alive, "unit": "instances", "baseline": None,
             "baseline_value": None, "ratio": None, "goal": 1000, "asked": FLEET,
             "budget_s": BUDGET_S},
            {"name": "scale.rss_per_instance_kib", "value": round(sum(rss) / len(rss)) if rss else None,
             "unit": "KiB", "baseline": None, "baseline_value": None, "ratio": None,
             "measured": len(rss)},
            {"name": "sg.change_to_enforced_ms", "value": round(pct(enforce, 50), 2), "unit": "ms",
             "p50_ms": round(pct(enforce, 50), 2), "p99_ms": round(pct(enforce, 99), 2),
             "baseline": "nft add element (1,000-element set)", "baseline_value": round(base, 2),
             "ratio": round(pct(enforce, 50) / base, 1), "instances": alive,
             "after_return_p50_ms": round(pct(after_return, 50), 2),
             "boto3_p50_ms": round(pct(via_boto3, 50), 2)},
        ]
        json.dump(figs, sys.stdout, indent=1)
        print()
    finally:
        d.send_signal(signal.SIGTERM)
        try:
            d.wait(60)
        except subprocess.TimeoutExpired:
            d.kill()
        subprocess.run([BIN, "reset", "--state-dir", state], stdout=subprocess.DEVNULL)
        if os.environ.get("BENCH_KEEP"):
            print("scale: kept %s" % tmp, file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
