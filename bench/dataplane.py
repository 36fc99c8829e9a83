#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""Data-plane figures, each next to its baseline measured in the same run.

sg_path: instance → instance across two subnets, both ENIs behind security
groups of 1,000 rules with a 100-member group reference, both subnets on a
non-default network ACL.  Baseline `routed`: the same three namespaces
wired by hand (veth, one plain router namespace, no rules).

natgw: private instance → NAT gateway → internet gateway → internet host.
Baseline: the same chain of namespaces wired by hand, plain forwarding and
one plain MASQUERADE rule.

Each sg_path figure also carries `routed_conntrack`: the baseline router
with conntrack on and no rule, which is what statefulness alone costs.

Throughput with iperf3, new connections per second and request/response
latency with bench/tools/crr.c (a few seconds each).  Needs root and the
image; prints a JSON list of figures."""
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
import time

import boto3
import botocore.config

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.environ.get("LOCALVPC_BIN") or os.path.join(HERE, "..", "build", "localvpc")
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
AMI = "ami-0de12b0000c0ffee1"
RULES = 1000
MEMBERS = 100
BASE = "lvbench"        # the hand-wired baseline's namespaces
PROCS = []


def sh(*args, check=True):
    return subprocess.run(args, check=check, capture_output=True, text=True).stdout


def spawn(*args):
    p = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    PROCS.append(p)
    return p


def stop_all():
    for p in PROCS:
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
    PROCS.clear()

# ------------------------------------------------------------- measuring


def measure(run_in_client, run_in_server, server_ip, tools):
    """The three figures for one path.  run_in_X(argv) returns the argv
    that runs argv in X's network namespace."""
    crr, = tools
    srv = [spawn(*run_in_server(["iperf3", "-s", "-B", server_ip])),
           spawn(*run_in_server([crr, "server", "7000", "4"]))]
    time.sleep(0.5)
    out = json.loads(sh(*run_in_client(["iperf3", "-c", server_ip, "-t", str(SECONDS), "-J",
                                        "--connect-timeout", "3000"])))
    if "error" in out:
        sys.exit("iperf3 to %s: %s" % (server_ip, out["error"]))
    gbps = out["end"]["sum_received"]["bits_per_second"] / 1e9
    rate, failed = sh(*run_in_client([crr, "crr", server_ip, "7000", str(SECONDS), "2"])).split()
    rr = sh(*run_in_client([crr, "rr", server_ip, "7000", str(SECONDS)])).split()
    for p in srv:
        p.terminate()
        p.wait(5)
    return {"throughput": round(gbps, 2), "connect_rate": int(rate), "failed": int(failed),
            "rr_p50": float(rr[1]), "rr_p99": float(rr[2])}


def netns(name):
    return lambda argv: ["ip", "netns", "exec", name] + argv

# ------------------------------------------------------------- baselines


def veth(a, a_ns, b, b_ns):
    sh("ip", "link", "add", a, "netns", a_ns, "type", "veth", "peer", "name", b, "netns", b_ns)
    for dev, ns in ((a, a_ns), (b, b_ns)):
        sh("ip", "-n", ns, "link", "set", dev, "up")


def addr(ns, dev, cidr):
    sh("ip", "-n", ns, "addr", "add", cidr, "dev", dev)


def baseline_down():
    for line in sh("ip", "netns", "list").splitlines():
        name = line.split()[0]
        if name.startswith(BASE + "-"):
            sh("ip", "netns", "del", name, check=False)


def baseline_up():
    """a — r — b (routed), and c — r1 — n (MASQUERADE) — r2 — i — s (natgw)."""
    baseline_down()
    names = ["a", "r", "b", "c", "r1", "n", "r2", "i", "s"]
    for n in names:
        sh("ip", "netns", "add", f"{BASE}-{n}")
        sh("ip", "-n", f"{BASE}-{n}", "link", "set", "lo", "up")
        sh("ip", "netns", "exec", f"{BASE}-{n}", "sysctl", "-qw", "net.ipv4.ip_forward=1")
    N = lambda n: f"{BASE}-{n}"
    veth("eth0", N("a"), "ea", N("r"))
    veth("eth0", N("b"), "eb", N("r"))
    addr(N("a"), "eth0", "10.200.0.10/24")
    addr(N("r"), "ea", "10.200.0.1/24")
    addr(N("b"), "eth0", "10.200.1.10/24")
    addr(N("r"), "eb", "10.200.1.1/24")
    sh("ip", "-n", N("a"), "route", "add", "default", "via", "10.200.0.1")
    sh("ip", "-n", N("b"), "route", "add", "default", "via", "10.200.1.1")
    # c → r1 → n (masquerade) → r2 → i → s
    veth("eth0", N("c"), "ec", N("r1"))
    veth("en", N("r1"), "eth0", N("n"))
    veth("eth1", N("n"), "en", N("r2"))
    veth("ei", N("r2"), "eth0", N("i"))
    veth("eth1", N("i"), "eth0", N("s"))
    addr(N("c"), "eth0", "10.201.1.10/24")
    addr(N("r1"), "ec", "10.201.1.1/24")
    addr(N("r1"), "en", "10.201.0.1/24")
    addr(N("n"), "eth0", "10.201.0.5/24")
    addr(N("n"), "eth1", "10.202.0.5/24")
    addr(N("r2"), "en", "10.202.0.1/24")
    addr(N("r2"), "ei", "10.203.0.1/24")
    addr(N("i"), "eth0", "10.203.0.2/24")
    addr(N("i"), "eth1", "203.0.113.1/24")
    addr(N("s"), "eth0", "203.0.113.60/24")
    sh("ip", "-n", N("c"), "route", "add", "default", "via", "10.201.1.1")
    sh("ip", "-n", N("r1"), "route", "add", "default", "via", "10.201.0.5")
    sh("ip", "-n", N("n"), "route", "add", "default", "via", "10.202.0.1")
    sh("ip", "-n", N("n"), "route", "add", "10.201.1.0/24", "via", "10.201.0.1")
    sh("ip", "-n", N("r2"), "route", "add", "default", "via", "10.203.0.2")
    sh("ip", "-n", N("i"), "route", "add", "10.202.0.0/24", "via", "10.203.0.1")
    sh("ip", "-n", N("s"), "route", "add", "default", "via", "203.0.113.1")
    subprocess.run(["ip", "netns", "exec", N("n"), "nft", "-f", "-"], check=True, text=True, input=
                   "table ip nat {\n chain post {\n  type nat hook postrouting priority srcnat;\n"
                   "  oifname \"eth1\" masquerade\n }\n}\n")

# ------------------------------------------------------------- localvpc


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def localvpc_up(tmp):
    state = os.path.join(tmp, "state")
    os.makedirs(state)
    port = free_port()
    log = open(os.path.join(tmp, "daemon.log"), "w")
    d = subprocess.Popen([BIN, "serve", "--listen", f"127.0.0.1:{port}", "--state-dir", state,
                          "--sg-rules-limit", str(RULES)], stdout=log, stderr=log)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), 0.1).close()
            break
        except OSError:
            time.sleep(0.05)
    ec2 = boto3.client("ec2", endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test",
                       config=botocore.config.Config(retries={"max_attempts": 0}))
    prefix = re.search(r"prefix=(lv[0-9a-f]+)", open(log.name).read()).group(1)
    return d, ec2, state, prefix


def build_sg_path(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.60.0.0/16")["Vpc"]["VpcId"]
    s1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.0.0/24")["Subnet"]["SubnetId"]
    s2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.60.1.0/24")["Subnet"]["SubnetId"]
    client_sg = ec2.create_security_group(VpcId=vpc, GroupName="client", Description="bench")["GroupId"]
    server_sg = ec2.create_security_group(VpcId=vpc, GroupName="server", Description="bench")["GroupId"]
    hosts = [str(ipaddress.ip_address("10.99.0.0") + i) for i in range(RULES - 1)]
    # 999 rules of addresses that never send, and the one that matters: the
    # client group (a 100-member reference) on the benchmark ports.
    for i in range(0, len(hosts), 100):
        ec2.authorize_security_group_ingress(GroupId=server_sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 20000 + k, "ToPort": 20000 + k,
             "IpRanges": [{"CidrIp": h + "/32"}]} for k, h in enumerate(hosts[i:i + 100], i)])
        ec2.authorize_security_group_egress(GroupId=client_sg, IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 20000 + k, "ToPort": 20000 + k,
             "IpRanges": [{"CidrIp": h + "/32"}]} for k, h in enumerate(hosts[i:i + 100], i)])
    ec2.authorize_security_group_ingress(GroupId=server_sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5201, "ToPort": 7000, "UserIdGroupPairs": [{"GroupId": client_sg}]}])
    for acl_subnet in (s1, s2):
        acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        for n in range(1, 11):
            ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=n, Egress=False, Protocol="6",
                                         RuleAction="deny", CidrBlock="10.98.%d.0/24" % n,
                                         PortRange={"From": 1, "To": 1023})
        for egress in (False, True):
            ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=100, Egress=egress, Protocol="-1",
                                         RuleAction="allow", CidrBlock="0.0.0.0/0")
        assoc = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [acl_subnet]}])
        aid = [a["NetworkAclAssociationId"] for a in assoc["NetworkAcls"][0]["Associations"]
               if a["SubnetId"] == acl_subnet][0]
        ec2.replace_network_acl_association(AssociationId=aid, NetworkAclId=acl)
    for _ in range(MEMBERS - 1):
        ec2.create_network_interface(SubnetId=s1, Groups=[client_sg])
    a = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=s1,
                          SecurityGroupIds=[client_sg])["Instances"][0]
    b = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=s2,
                          SecurityGroupIds=[server_sg])["Instances"][0]
    return a, b


def build_natgw_path(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.61.0.0/16")["Vpc"]["VpcId"]
    pub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.61.0.0/24")["Subnet"]["SubnetId"]
    priv = ec2.create_subnet(VpcId=vpc, CidrBlock="10.61.1.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rt, SubnetId=pub)
    alloc = ec2.allocate_address(Domain="vpc")["AllocationId"]
    nat = ec2.create_nat_gateway(SubnetId=pub, AllocationId=alloc)["NatGateway"]["NatGatewayId"]
    prt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=prt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nat)
    ec2.associate_route_table(RouteTableId=prt, SubnetId=priv)
    return ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=priv)["Instances"][0]


def tail8(i):
    return i[-8:]


def figure(name, unit, value, baseline, baseline_value, **extra):
    f = {"name": name, "value": value, "unit": unit, "baseline": baseline,
         "baseline_value": baseline_value,
         "ratio": round(value / baseline_value, 2) if baseline_value else None}
    f.update(extra)
    return f


def main():
    if os.geteuid() != 0:
        sys.exit("dataplane bench: needs root")
    tmp = tempfile.mkdtemp(prefix="lvbench-")
    crr = os.path.join(tmp, "crr")
    subprocess.run(["cc", "-O2", "-pthread", "-o", crr, os.path.join(HERE, "tools", "crr.c")], check=True)
    d = None
    state = None
    try:
        baseline_up()
        routed = measure(netns(f"{BASE}-a"), netns(f"{BASE}-b"), "10.200.1.10", (crr,))
        # The same router with conntrack on and no rule: what statefulness
        # alone costs (AWS's groups are stateful, so localvpc pays it).
        subprocess.run(["ip", "netns", "exec", f"{BASE}-r", "nft", "-f", "-"], check=True, text=True,
                       input="table inet lvbase {\n chain forward {\n  type filter hook forward priority filter;"
                             "\n  ct state established,related accept\n }\n}\n")
        routed_ct = measure(netns(f"{BASE}-a"), netns(f"{BASE}-b"), "10.200.1.10", (crr,))
        masq = measure(netns(f"{BASE}-c"), netns(f"{BASE}-s"), "203.0.113.60", (crr,))
        baseline_down()
        d, ec2, state, prefix = localvpc_up(tmp)
        a, b = build_sg_path(ec2)
        c = build_natgw_path(ec2)
        inet_host = [BIN, "internet", "exec", "--state-dir", state, "--from", "203.0.113.60", "--"]
        subprocess.run(inet_host + ["true"], check=True)
        time.sleep(1)  # instances' init and sshd settle; the path itself is up
        if os.environ.get("BENCH_PAUSE_DAEMON"):  # diagnosis only: no reconciler running
            d.send_signal(signal.SIGSTOP)
        sg = measure(netns(f"{prefix}-i{tail8(a['InstanceId'])}"),
                     netns(f"{prefix}-i{tail8(b['InstanceId'])}"), b["PrivateIpAddress"], (crr,))
        nat = measure(netns(f"{prefix}-i{tail8(c['InstanceId'])}"), lambda argv: inet_host + argv,
                      "203.0.113.60", (crr,))
    finally:
        stop_all()
        baseline_down()
        if d:
            d.send_signal(signal.SIGCONT)
            d.terminate()
            d.wait(10)
        if state:
            subprocess.run([BIN, "reset", "--state-dir", state], capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)
    out = [
        figure("dp.throughput.sg_path", "Gbit/s", sg["throughput"], "dp.throughput.routed", routed["throughput"],
               routed_conntrack=routed_ct["throughput"]),
        figure("dp.connect_rate.sg_path", "conn/s", sg["connect_rate"], "dp.connect_rate.routed",
               routed["connect_rate"], failed=sg["failed"], routed_conntrack=routed_ct["connect_rate"]),
        figure("dp.rr_latency_us.sg_path", "us (p50)", sg["rr_p50"], "dp.rr_latency_us.routed", routed["rr_p50"],
               p99_us=sg["rr_p99"], baseline_p99_us=routed["rr_p99"], routed_conntrack=routed_ct["rr_p50"]),
        figure("dp.throughput.natgw", "Gbit/s", nat["throughput"], "dp.throughput.masquerade",
               masq["throughput"]),
        figure("dp.connect_rate.natgw", "conn/s", nat["connect_rate"], "dp.connect_rate.masquerade",
               masq["connect_rate"], failed=nat["failed"]),
        figure("dp.rr_latency_us.natgw", "us (p50)", nat["rr_p50"], "dp.rr_latency_us.masquerade",
               masq["rr_p50"], p99_us=nat["rr_p99"], baseline_p99_us=masq["rr_p99"]),
    ]
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
