#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""api.rps.*: requests per second of localvpc's EC2 API under wrk, next to
moto_server (the emulator people use today) under the same load in the
same run.  Requests are presigned GETs (SigV4 in the query string, valid for
15 minutes), so wrk replays fully authenticated requests on keep-alive
connections and the load generator is never the bottleneck.

Usage: bench/api_rps.py [--seconds N] [--connections N] > figures.json
Needs: build/localvpc, wrk, /usr/bin/python3 with botocore, and moto_server
on PATH (skipped, and said so, when absent)."""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("LOCALVPC_BIN") or os.path.join(ROOT, "build", "localvpc")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, deadline=20):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            socket.create_connection(("127.0.0.1", port), 0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("server did not start on %d" % port)


def client(url):
    return boto3.client("ec2", endpoint_url=url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(retries={"max_attempts": 0}))


def presigned(ec2, op, params):
    return ec2.generate_presigned_url(op, Params=params, ExpiresIn=900, HttpMethod="GET")


# wrk's Lua hook for a workload whose requests must all differ (each
# AuthorizeSecurityGroupIngress adds a new rule; a replay would be a
# Duplicate): thread k of n sends paths k, k+n, k+2n, … of the file.
DISTINCT_LUA = """
local paths, n, i = {}, 0, 0
local counter = 0
function setup(thread) thread:set("tid", counter); counter = counter + 1 end
function init(args)
  for line in io.lines(os.getenv("WRK_PATHS")) do n = n + 1; paths[n] = line end
  i = tid + 1
end
function request()
  local p = paths[i]
  i = i + 2
  if i > n then i = tid + 1 end
  return wrk.format("GET", p)
end
"""


def wrk(url, seconds, connections, paths=None):
    cmd = ["wrk", "-t2", "-c%d" % connections, "-d%ds" % seconds, "--latency"]
    env = dict(os.environ)
    if paths:
        lua = os.path.join(os.path.dirname(paths), "distinct.lua")
        with open(lua, "w") as f:
            f.write(DISTINCT_LUA)
        cmd += ["-s", lua]
        env["WRK_PATHS"] = paths
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True, env=env).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {}
    for pct in ("50", "99"):
        m = re.search(r"\s%s%%\s+([\d.]+)(us|ms|s)" % pct, out)
        v = float(m.group(1))
        lat[pct] = v / 1000 if m.group(2) == "us" else v if m.group(2) == "ms" else v * 1000
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return rps, lat, int(non2xx.group(1)) if non2xx else 0


def workload(ec2):
    """The requests, set up so that each is valid when replayed."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    return {
        "describe_vpcs": ("describe_vpcs", {}),
        "create_tags": ("create_tags", {"Resources": [vpc], "Tags": [{"Key": "k", "Value": "v"}]}),
    }, vpc


def authorize_paths(ec2, vpc, counts, prefix):
    """Files of distinct AuthorizeSecurityGroupIngress requests (counts[k]
    in file k), 50 rules per group (within AWS's 60 per direction),
    presigned, one path per line.  Returns the file names."""
    total = sum(counts)
    groups = [ec2.create_security_group(GroupName="bench-%d" % g, Description="bench",
                                        VpcId=vpc)["GroupId"] for g in range((total + 49) // 50)]
    names, i = [], 0
    for k, count in enumerate(counts):
        names.append("%s.%d" % (prefix, k))
        with open(names[-1], "w") as f:
            for _ in range(count):
                u = presigned(ec2, "authorize_security_group_ingress", {
                    "GroupId": groups[i // 50], "IpPermissions": [{
                        "IpProtocol": "tcp", "FromPort": 1000 + i % 50, "ToPort": 1000 + i % 50,
                        "IpRanges": [{"CidrIp": "203.0.113.0/24"}]}]})
                f.write(u[u.index("/", 8):] + "\n")
                i += 1
    return names


def run3(u, seconds, connections, paths=None):
    """Warm-up, then the median of three runs.  paths: one file of distinct
    requests per run (warm-up first), so that no run replays another's."""
    paths = paths or [None] * 4
    wrk(u, 1, connections, paths[0])
    runs = sorted((wrk(u, seconds, connections, p) for p in paths[1:]), key=lambda r: r[0])
    rps, lat, errors = runs[1]
    return {"rps": rps, "p50_ms": lat["50"], "p99_ms": lat["99"], "errors": errors,
            "spread": [r[0] for r in runs]}


def measure(name, url, seconds, connections, tmp, distinct):
    ec2 = client(url)
    ops, vpc = workload(ec2)
    res = {}
    for key, (op, params) in ops.items():
        u = presigned(ec2, op, params)
        subprocess.run(["curl", "-sf", "-o", "/dev/null", u], check=True)  # it works at all
        res[key] = run3(u, seconds, connections)
    # Enough distinct requests for 16 s at the given rate (warm-up + 3 runs).
    # Requests for the warm-up second and the three runs, in proportion.
    per_s = distinct // (1 + 3 * seconds)
    paths = authorize_paths(ec2, vpc, [per_s] + [per_s * seconds] * 3,
                            os.path.join(tmp, "%s-paths" % name))
    res["authorize_ingress"] = run3(url, seconds, connections, paths)
    return res


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=8)
    ap.add_argument("--distinct", type=int, default=120000,
                    help="distinct AuthorizeSecurityGroupIngress requests prepared (moto gets 1/8)")
    a = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="lvbench-")
    procs = []
    try:
        lport = free_port()
        log = open(os.path.join(tmp, "localvpc.log"), "w")
        procs.append(subprocess.Popen([BIN, "serve", "--no-dataplane", "--listen", "127.0.0.1:%d" % lport,
                                       "--state-dir", os.path.join(tmp, "state")],
                                      stdout=subprocess.DEVNULL, stderr=log))
        wait_port(lport)
        ours = measure("localvpc", "http://127.0.0.1:%d" % lport, a.seconds, a.connections, tmp,
                       a.distinct)
        moto = None
        if shutil.which("moto_server"):
            mport = free_port()
            procs.append(subprocess.Popen(["moto_server", "-p", str(mport)], stdout=subprocess.DEVNULL,
                                          stderr=subprocess.DEVNULL))
            wait_port(mport)
            moto = measure("moto", "http://127.0.0.1:%d" % mport, a.seconds, a.connections, tmp,
                           a.distinct // 8)
        figures = []
        for key, r in ours.items():
            base = moto[key]["rps"] if moto else None
            figures.append({"name": "api.rps.%s" % key, "value": round(r["rps"]), "unit": "req/s",
                            "baseline": "moto_server" if moto else None,
                            "baseline_value": round(base) if base else None,
                            "ratio": round(r["rps"] / base, 1) if base else None,
                            "p50_ms": r["p50_ms"], "p99_ms": r["p99_ms"], "errors": r["errors"],
                            "spread": r["spread"],
                            "baseline_p50_ms": moto[key]["p50_ms"] if moto else None,
                            "baseline_p99_ms": moto[key]["p99_ms"] if moto else None})
        json.dump(figures, sys.stdout, indent=1)
        print()
    finally:
        for p in procs:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(10)
            except subprocess.TimeoutExpired:
                p.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
