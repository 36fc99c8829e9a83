# SPDX-License-Identifier: MIT
"""Load (issue 10): 50 concurrent API clients for a bounded time, mixing
reads and writes.  Every call either succeeds or fails with AWS's
throttling code (none is configured here, so none may fail); no write is
lost (every group, rule and tag a call reported made is there afterwards,
and nothing else is); the daemon stays up.  The latency percentiles are
printed for docs/PERFORMANCE.md — never asserted."""
import os
import threading
import time

from botocore.exceptions import ClientError

CLIENTS = 50
SECONDS = float(os.environ.get("LOAD_SECONDS", "8"))


def pct(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, int(round(p / 100 * (len(v) - 1))))] if v else 0


def test_fifty_clients_mixed_reads_and_writes(daemon):
    setup = daemon.client()
    vpc = setup.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    lock = threading.Lock()
    made_groups, made_rules, made_tags = {}, set(), {}
    failures, latencies = [], {"read": [], "write": []}
    end = time.monotonic() + SECONDS

    def client_loop(k):
        ec2 = daemon.client()
        i = 0
        while time.monotonic() < end:
            i += 1
            op = i % 4
            t0 = time.monotonic()
            try:
                if op == 0:
                    name = "load-%d-%d" % (k, i)
                    gid = ec2.create_security_group(GroupName=name, Description="load",
                                                    VpcId=vpc)["GroupId"]
                    with lock:
                        made_groups[gid] = name
                    kind = "write"
                elif op == 1 and made_groups:
                    with lock:
                        gid = next(iter(made_groups)) if k % 2 else list(made_groups)[-1]
                    port = 1000 + (k * 1000 + i) % 60000
                    try:
                        ec2.authorize_security_group_ingress(GroupId=gid, IpPermissions=[{
                            "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                            "IpRanges": [{"CidrIp": "203.0.113.%d/32" % (k + 1)}]}])
                        with lock:
                            made_rules.add((gid, port, "203.0.113.%d/32" % (k + 1)))
                    except ClientError as e:  # AWS's answers to a full or repeated group
                        if e.response["Error"]["Code"] not in ("RulesPerSecurityGroupLimitExceeded",
                                                               "InvalidPermission.Duplicate"):
                            raise
                    kind = "write"
                elif op == 2:
                    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "k%d" % k, "Value": str(i)}])
                    with lock:
                        made_tags["k%d" % k] = str(i)
                    kind = "write"
                else:
                    ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}],
                                                 MaxResults=20)
                    kind = "read"
            except ClientError as e:
                code = e.response["Error"]["Code"]
                with lock:
                    failures.append(code)
                continue
            except Exception as e:  # a dropped connection, a timeout: never acceptable
                with lock:
                    failures.append(repr(e))
                continue
            with lock:
                latencies[kind].append((time.monotonic() - t0) * 1000)

    threads = [threading.Thread(target=client_loop, args=(k,)) for k in range(CLIENTS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not [f for f in failures if f != "RequestLimitExceeded"], failures[:10]
    assert daemon.proc.poll() is None, "the daemon died under load"

    # No lost writes, nothing invented.
    check = daemon.client()
    groups = {}
    for page in check.get_paginator("describe_security_groups").paginate(
            Filters=[{"Name": "vpc-id", "Values": [vpc]}]):
        for g in page["SecurityGroups"]:
            groups[g["GroupId"]] = g
    assert set(made_groups) <= set(groups)
    assert set(groups) - set(made_groups) == {g for g in groups if groups[g]["GroupName"] == "default"}
    have_rules = {(gid, p["FromPort"], r["CidrIp"]) for gid, g in groups.items()
                  for p in g["IpPermissions"] if p.get("FromPort") is not None
                  for r in p["IpRanges"]}
    assert made_rules == have_rules
    tags = {t["Key"]: t["Value"] for t in check.describe_vpcs(VpcIds=[vpc])["Vpcs"][0].get("Tags", [])}
    for key, value in made_tags.items():
        assert tags[key] == value  # each client writes its own key, in order

    n = sum(len(v) for v in latencies.values())
    print("\nload: %d clients, %.0f s, %d calls (%.0f/s), reads p50 %.1f ms p99 %.1f ms, "
          "writes p50 %.1f ms p99 %.1f ms, %d groups, %d rules, errors %d" % (
              CLIENTS, SECONDS, n, n / SECONDS, pct(latencies["read"], 50), pct(latencies["read"], 99),
              pct(latencies["write"], 50), pct(latencies["write"], 99), len(made_groups),
              len(made_rules), len(failures)))
