#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""analyze.trace_ms and analyze.audit_s on a synthetic VPC of 10,000 ENIs,
1,000 security groups and 50,000 rules (issue 8: goals ≤ 5 ms per path
query, ≤ 1 s for the audit).  The VPC is built through the real API (a
daemon with --no-dataplane: no kernel work is needed to analyse), then:

  trace  build/bench/analyze_bench: the snapshot is loaded once, then
         analyze_path() is timed for 1,000 random ENI → ENI tcp probes
         (p50, p99); the load time is reported beside it.
  audit  `localvpc audit --json` as a user runs it, wall time (its own
         snapshot load and its JSON output included; median of 3);
         beside it audit_run() alone over the loaded snapshot
         (audit_run_ms, from analyze_bench) and what it found.  The first
         subnet maps public IPs, so a quarter of the instances are exposed
         on the ports their groups open to 203.0.113.x.

No baseline exists for these (AWS's Reachability Analyzer answers in
seconds to minutes); the goal is the comparison.  Usage: bench/analyze.py
[--enis N] [--groups N] [--rules N] > figures.json"""
import argparse
import json
import os
import random
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
TOOL = os.environ.get("ANALYZE_BENCH") or os.path.join(ROOT, "build", "bench", "analyze_bench")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def client(url):
    return boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(retries={"max_attempts": 0},
                                                      max_pool_connections=4))


def parallel(n_threads, items, fn):
    """fn(ec2, item) over items on n_threads clients; returns the results."""
    out = [None] * len(items)
    errors = []

    def work(k, url):
        ec2 = client(url)
        for i in range(k, len(items), n_threads):
            try:
                out[i] = fn(ec2, items[i])
            except Exception as e:  # report, never hide
                errors.append(e)
    return out, errors, work


def run_parallel(url, n_threads, items, fn):
    out, errors, work = parallel(n_threads, items, fn)
    ts = [threading.Thread(target=work, args=(k, url)) for k in range(n_threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    if errors:
        raise errors[0]
    return out


def build(url, enis, groups, rules):
    rnd = random.Random(1)
    ec2 = client(url)
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.%d.0/20" % (16 * k))["Subnet"]["SubnetId"]
               for k in range((enis + 2999) // 3000)]  # a /20 holds 4,091
    # The first subnet's instances get public IPs, so the audit has
    # something to report: a quarter of the instances, each exposed on the
    # ports its groups open to 203.0.113.x.
    ec2.modify_subnet_attribute(SubnetId=subnets[0], MapPublicIpOnLaunch={"Value": True})
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
    ec2.create_route(RouteTableId=main["RouteTableId"], DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    gids = run_parallel(url, 4, list(range(groups)), lambda c, g: c.create_security_group(
        GroupName="g%d" % g, Description="bench", VpcId=vpc)["GroupId"])
    per_dir = max(1, rules // groups // 2)

    def perms(g, egress):
        out = []
        for k in range(per_dir):
            port = 1 + (g * 7 + k * 13) % 60000
            p = {"IpProtocol": "tcp", "FromPort": port, "ToPort": port + rnd.randrange(0, 3) * 100}
            if k % 3 == 2:
                p["UserIdGroupPairs"] = [{"GroupId": gids[rnd.randrange(groups)]}]
            else:
                p["IpRanges"] = [{"CidrIp": "10.0.%d.0/24" % rnd.randrange(64) if k % 2
                                  else "203.0.113.%d/32" % rnd.randrange(256)}]
            out.append(p)
        return out

    def add_rules(c, g):
        c.authorize_security_group_ingress(GroupId=gids[g], IpPermissions=perms(g, False))
        c.authorize_security_group_egress(GroupId=gids[g], IpPermissions=perms(g, True))
    run_parallel(url, 4, list(range(groups)), add_rules)
    # ENIs that can send: 10 per instance (c5.24xlarge takes 15), the
    # instances' own and nine attached, all in the same subnet as AWS
    # requires for an instance's ENIs.
    per = 10
    n_inst = (enis + per - 1) // per
    insts = []
    batch = (n_inst + len(subnets) - 1) // len(subnets)  # one batch per subnet
    for k in range(0, n_inst, batch):
        n = min(batch, n_inst - k)
        got = ec2.run_instances(ImageId="ami-0de12b0000c0ffee1", InstanceType="c5.24xlarge",
                                MinCount=n, MaxCount=n, SubnetId=subnets[k // batch],
                                SecurityGroupIds=rnd.sample(gids, 2))["Instances"]
        insts += [(i["InstanceId"], i["SubnetId"]) for i in got]
    picks = [(insts[j % len(insts)], 1 + j // len(insts),
              rnd.sample(gids, rnd.choice((1, 1, 2, 3)))) for j in range(enis - len(insts))]

    def eni(c, p):
        (iid, sn), idx, groups = p
        e = c.create_network_interface(SubnetId=sn, Groups=groups)["NetworkInterface"]
        c.attach_network_interface(NetworkInterfaceId=e["NetworkInterfaceId"], InstanceId=iid,
                                   DeviceIndex=idx)
    run_parallel(url, 4, picks, eni)
    return vpc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--enis", type=int, default=10000)
    ap.add_argument("--groups", type=int, default=1000)
    ap.add_argument("--rules", type=int, default=50000)
    ap.add_argument("--probes", type=int, default=1000)
    ap.add_argument("--no-audit", action="store_true")
    ap.add_argument("--state", help="keep the built VPC in this state dir, and reuse it "
                    "when it already holds one (for profiling)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lvbench-")
    state = a.state or os.path.join(tmp, "state")
    reuse = bool(a.state) and os.path.exists(os.path.join(state, "state.db"))
    os.makedirs(state, exist_ok=True)
    port = free_port()
    d = subprocess.Popen([BIN, "serve", "--no-dataplane", "--listen", "127.0.0.1:%d" % port,
                          "--state-dir", state, "--sg-rules-limit", "1000"],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        t0 = time.monotonic()
        if not reuse:
            build("http://127.0.0.1:%d" % port, a.enis, a.groups, a.rules)
        built_s = time.monotonic() - t0
        tr = json.loads(subprocess.run([TOOL, os.path.join(state, "state.db"), str(a.probes)],
                                       capture_output=True, text=True, check=True).stdout)
        runs = []
        for _ in range(0 if a.no_audit else 3):
            t0 = time.monotonic()
            p = subprocess.run([BIN, "audit", "--state-dir", state, "--json"], capture_output=True,
                               text=True)
            runs.append(time.monotonic() - t0)
            if p.returncode not in (0, 1):
                raise RuntimeError("audit failed: %s" % p.stderr)
        runs.sort()
        runs = runs or [float("nan")] * 3
        figs = [
            {"name": "analyze.trace_ms", "value": tr["p50_ms"], "unit": "ms", "p50_ms": tr["p50_ms"],
             "p99_ms": tr["p99_ms"], "baseline": None, "baseline_value": None, "ratio": None,
             "goal": 5, "enis": tr["enis"], "groups": tr["groups"], "rules": tr["rules"],
             "probes": tr["probes"], "reachable": tr["reachable"], "snapshot_load_ms": tr["load_ms"],
             "built_in_s": round(built_s, 1)},
            {"name": "analyze.audit_s", "value": round(runs[1], 3), "unit": "s", "baseline": None,
             "baseline_value": None, "ratio": None, "goal": 1, "spread": [round(r, 3) for r in runs],
             "enis": tr["enis"], "rules": tr["rules"], "exposures": tr["exposures"],
             "findings": tr["findings"], "audit_run_ms": tr["audit_ms"],
             "snapshot_load_ms": tr["load_ms"]},
        ]
        json.dump(figs, sys.stdout, indent=1)
        print()
    finally:
        d.send_signal(signal.SIGTERM)
        try:
            d.wait(30)
        except subprocess.TimeoutExpired:
            d.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
