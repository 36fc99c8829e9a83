#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""launch.run_to_ssh_ms: from RunInstances returning to the instance's sshd
accepting a TCP connection at its public IP (from the host), over N
launches; p50 and p99.  Baseline: the same sandbox with nothing to boot but
`sleep` — i.e. what namespaces + overlay + pivot_root cost by themselves —
is not separately measurable through the API, so the baseline reported is a
plain `ip netns add` + `ip netns exec true` round measured in the same run.
Needs root and the image (scripts/build-image)."""
import ipaddress
import json
import os
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
POOL = ipaddress.ip_network("198.18.0.0/15")
N = int(os.environ.get("BENCH_LAUNCHES", "20"))


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))]


def wait_ssh(ip, deadline=30):
    assert ipaddress.ip_address(ip) in POOL, ip  # probes from the host stay in the pool
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        try:
            s = socket.create_connection((ip, 22), 0.2)
            banner = s.recv(7)
            s.close()
            if banner == b"SSH-2.0":
                return
        except OSError:
            time.sleep(0.002)
    raise RuntimeError("no sshd at %s" % ip)


def main():
    tmp = tempfile.mkdtemp(prefix="lvbench-")
    state = os.path.join(tmp, "state")
    os.makedirs(state)
    port = 4590
    d = subprocess.Popen([BIN, "serve", "--listen", "127.0.0.1:%d" % port, "--state-dir", state],
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), 0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        ec2 = boto3.client("ec2", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
                           aws_access_key_id="test", aws_secret_access_key="test",
                           config=botocore.config.Config(retries={"max_attempts": 0}))
        # SSH from "My IP" (192.0.2.1, this host) only, as the seed's bastion.
        sg = ec2.create_security_group(GroupName="bench-ssh", Description="ssh from my ip")["GroupId"]
        ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}])
        times, api = [], []
        for _ in range(N):
            t0 = time.monotonic()
            inst = ec2.run_instances(ImageId="ami-0de12b0000c0ffee1", MinCount=1, MaxCount=1,
                                     SecurityGroupIds=[sg])["Instances"][0]
            t1 = time.monotonic()
            wait_ssh(inst["PublicIpAddress"])
            t2 = time.monotonic()
            api.append((t1 - t0) * 1000)
            times.append((t2 - t1) * 1000)
            ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
        base = []
        for i in range(N):
            t0 = time.monotonic()
            subprocess.run(["ip", "netns", "add", "lvbench%d" % i], check=True)
            subprocess.run(["ip", "netns", "exec", "lvbench%d" % i, "true"], check=True)
            base.append((time.monotonic() - t0) * 1000)
            subprocess.run(["ip", "netns", "del", "lvbench%d" % i], check=True)
        fig = [{"name": "launch.run_to_ssh_ms", "value": round(pct(times, 50), 1), "unit": "ms",
                "p50_ms": round(pct(times, 50), 1), "p99_ms": round(pct(times, 99), 1),
                "baseline": "ip netns add + exec true (shell tools)",
                "baseline_value": round(pct(base, 50), 1),
                "ratio": round(pct(times, 50) / pct(base, 50), 1),
                "baseline_p50_ms": round(pct(base, 50), 1), "baseline_p99_ms": round(pct(base, 99), 1),
                "launches": N},
               {"name": "launch.run_instances_api_ms", "value": round(pct(api, 50), 1), "unit": "ms",
                "p50_ms": round(pct(api, 50), 1), "p99_ms": round(pct(api, 99), 1),
                "baseline": None, "baseline_value": None, "ratio": None}]
        json.dump(fig, sys.stdout, indent=1)
        print()
    finally:
        d.send_signal(signal.SIGTERM)
        d.wait(10)
        subprocess.run([BIN, "reset", "--state-dir", state], stdout=subprocess.DEVNULL)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
