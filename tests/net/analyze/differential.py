# SPDX-License-Identifier: MIT
"""Differential test (issue 8 item 7, issue 10 item 4): random topologies —
VPCs, subnets, internet gateways, route tables with routes to an internet
gateway, a NAT instance, a NAT gateway or a peering, security groups with
CIDR and group rules, network ACLs, public and private instances — built
through boto3 against a real daemon, then random probes (source,
destination, protocol, port) sent as real packets from inside instances
and from hosts of the emulated internet, each compared with what
`localvpc trace --json` predicts.  Driven by 0003_differential.sh, which
starts the daemon (LV_ENDPOINT, LV_STATE, LOCALVPC_BIN).

Every topology comes from (seed, index) alone, so one can be rebuilt; on a
disagreement the topology's describe-* dumps, the probes that disagree and
trace's verdicts are saved under /tmp/lvdiff-<seed>/t<index>/, and
`--replay DIR` rebuilds that topology and re-runs just those probes.

Observed: TCP — the connection opened (or a RST came back: the SYN got
there and its answer back); UDP — the listener's echo came back; ICMP — an
echo reply.  Every probed TCP/UDP port has a listener."""
import argparse
import concurrent.futures
import json
import os
import random
import signal
import subprocess
import sys
import time

import boto3
import botocore.config

ENDPOINT = os.environ["LV_ENDPOINT"]
STATE = os.environ["LV_STATE"]
BIN = os.environ["LOCALVPC_BIN"]
# The binary whose `trace` predicts; another one (a deliberately wrong
# analyzer) shows that the test catches disagreements.
TRACE_BIN = os.environ.get("DIFF_TRACE_BIN", BIN)
AMI = "ami-0de12b0000c0ffee1"
TCP_PORTS = [22, 80, 443, 3306, 8080]   # 22: the instance's sshd
UDP_PORTS = [53, 123, 5000, 9999]
INTERNET = ["203.0.113.20", "203.0.113.77", "198.51.100.7"]
NAT_USER_DATA = """#!/bin/bash
echo 1 > /proc/sys/net/ipv4/ip_forward
echo 0 > /proc/sys/net/ipv4/conf/eth0/send_redirects
/sbin/iptables -t nat -A POSTROUTING -o eth0 -s 0.0.0.0/0 -j MASQUERADE
"""

ec2 = boto3.client("ec2", endpoint_url=ENDPOINT, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test",
                   config=botocore.config.Config(retries={"max_attempts": 0}))
ClientError = ec2.exceptions.ClientError

# ---------------------------------------------------------------- in-namespace programs

# One per instance / internet host: accepts on the TCP ports, echoes on the
# UDP ports; prints "ready" once bound (and, in an instance, sshd listens).
LISTENER = r"""
import select, socket, sys, time
addr, tcp, udp = sys.argv[1], [int(x) for x in sys.argv[2].split(",")], [int(x) for x in sys.argv[3].split(",")]
socks = []
for p in tcp:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((addr, p)); s.listen(512); s.setblocking(False); socks.append(s)
for p in udp:
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind((addr, p)); s.setblocking(False); socks.append(s)
if 22 not in tcp:
    for _ in range(600):
        c = socket.socket()
        if c.connect_ex(("127.0.0.1", 22)) == 0:
            c.close(); break
        c.close(); time.sleep(0.05)
print("ready", flush=True)
while True:
    for s in select.select(socks, [], [])[0]:
        try:
            if s.type == socket.SOCK_STREAM:
                c, _ = s.accept(); c.close()
            else:
                d, a = s.recvfrom(2048); s.sendto(d, a)
        except OSError:
            pass
"""

# One per source: every probe at once, one deadline; prints a JSON list of
# "open" | "refused" | "reply" | "timeout" | "error:<errno>".
PROBER = r"""
import errno, json, select, socket, subprocess, sys, time
probes = json.loads(sys.argv[1]); wait = float(sys.argv[2])
out, tcp, udp, pings = {}, {}, {}, {}
for i, p in enumerate(probes):
    try:
        if p["proto"] == "icmp":
            pings[i] = subprocess.Popen(["ping", "-n", "-c1", "-W", str(max(1, int(wait))), p["ip"]],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            continue
        kind = socket.SOCK_STREAM if p["proto"] == "tcp" else socket.SOCK_DGRAM
        s = socket.socket(socket.AF_INET, kind)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", p["sport"]))
        s.setblocking(False)
        if p["proto"] == "tcp":
            s.connect_ex((p["ip"], p["port"])); tcp[s] = i
        else:
            s.connect((p["ip"], p["port"])); s.send(b"probe %d" % i); udp[s] = i
    except OSError as e:
        out[i] = "error:%d" % e.errno
deadline = time.time() + wait
while (tcp or udp) and time.time() < deadline:
    r, w, _ = select.select(list(udp), list(tcp), [], max(0, deadline - time.time()))
    for s in w:
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        if err in (0, errno.ECONNREFUSED):
            out[tcp.pop(s)] = "open" if err == 0 else "refused"
        elif err not in (errno.EINPROGRESS, errno.EAGAIN):
            out[tcp.pop(s)] = "error:%d" % err
        s.close()
    for s in r:
        try:
            s.recv(2048); out[udp.pop(s)] = "reply"
        except ConnectionRefusedError:
            out[udp.pop(s)] = "refused"
        except OSError as e:
            out[udp.pop(s)] = "error:%d" % e.errno
        s.close()
for s, i in list(tcp.items()) + list(udp.items()):
    out[i] = "timeout"; s.close()
for i, pr in pings.items():
    out[i] = "reply" if pr.wait() == 0 else "timeout"
print(json.dumps([out[i] for i in range(len(probes))]))
"""


def reached(status, proto):
    if proto == "tcp":
        return status in ("open", "refused")
    return status == "reply"

# ---------------------------------------------------------------- topology


def tag(kind, name):
    return [{"ResourceType": kind, "Tags": [{"Key": "Name", "Value": name}]}]


def try_call(fn, **kw):
    try:
        return fn(**kw)
    except ClientError as e:
        return {"error": e.response["Error"]["Code"]}


class Topology:
    """One random topology, from (seed, index).  Names are logical (v0,
    v0s1, i3, g0_1) so a replay finds the same things under new IDs."""

    def __init__(self, seed, index):
        self.seed, self.index = seed, index
        self.rng = random.Random(f"{seed}:{index}")
        self.ids = {}         # logical name -> AWS ID
        self.inst = {}        # i<n> -> {id, ip, pub, vpc, subnet, nat}
        self.log = []         # what was built, in words
        self.procs = []       # listener processes (ours, ended by pid)
        self.eips = []
        self.natgws = []
        self.pcxs = []
        self.igws = []
        self.vpcs = []

    def note(self, s):
        self.log.append(s)

    def cidr_choices(self):
        c = ["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8"] + [v["cidr"] for v in self.vpcs]
        c += [s["cidr"] for v in self.vpcs for s in v["subnets"]]
        c += [n["ip"] + "/32" for n in self.inst.values()]
        c += [n["pub"] + "/32" for n in self.inst.values() if n["pub"]]
        c += [ip + "/32" for ip in INTERNET] + ["203.0.113.0/24", "198.51.100.0/24", "198.18.0.0/15"]
        return c

    def broad_cidr(self, vpc):
        return self.rng.choice(["0.0.0.0/0", "0.0.0.0/0", "10.0.0.0/8", vpc["cidr"]])

    def random_sg_perm(self, groups):
        rng = self.rng
        kind = rng.choice(["tcp", "tcp", "udp", "udp", "icmp", "all", "all"])
        if kind in ("tcp", "udp"):
            ports = TCP_PORTS if kind == "tcp" else UDP_PORTS
            lo = rng.choice([0, 1] + ports + [1024])
            hi = rng.choice([x for x in [lo] + ports + [1023, 5000, 65535] if x >= lo])
            perm = {"IpProtocol": kind, "FromPort": lo, "ToPort": hi}
        elif kind == "icmp":
            t = rng.choice([-1, -1, 8, 0, 3])
            perm = {"IpProtocol": "icmp", "FromPort": t, "ToPort": -1 if t == -1 else rng.choice([-1, 0])}
        else:
            perm = {"IpProtocol": "-1"}
        if rng.random() < 0.25:
            perm["UserIdGroupPairs"] = [{"GroupId": rng.choice(groups)}]
        else:
            perm["IpRanges"] = [{"CidrIp": rng.choice(self.cidr_choices())}]
        return perm

    def random_acl_entry(self, acl, egress, number):
        rng = self.rng
        kind = rng.choice(["tcp", "udp", "icmp", "all", "all"])
        args = dict(NetworkAclId=acl, RuleNumber=number, Egress=egress,
                    RuleAction=rng.choice(["allow", "allow", "deny"]),
                    CidrBlock=rng.choice(self.cidr_choices()))
        ranges = [(0, 65535), (0, 1023), (1024, 65535), (32768, 61000), (49152, 65535),
                  (22, 22), (53, 53), (80, 443), (0, 49151), (3306, 9999)]
        if kind in ("tcp", "udp"):
            args["Protocol"] = "6" if kind == "tcp" else "17"
            lo, hi = rng.choice(ranges)
            args["PortRange"] = {"From": lo, "To": hi}
        elif kind == "icmp":
            args["Protocol"] = "1"
            args["IcmpTypeCode"] = rng.choice([{"Type": -1, "Code": -1}, {"Type": 8, "Code": -1},
                                               {"Type": 0, "Code": -1}, {"Type": 3, "Code": -1}])
        else:
            args["Protocol"] = "-1"
        return args

    def build(self):
        rng = self.rng
        nv = rng.choice([1, 1, 2, 2, 3])
        base = 100 + (self.index * 3) % 150
        for v in range(nv):
            cidr = f"10.{base + v}.0.0/16"
            vid = ec2.create_vpc(CidrBlock=cidr, TagSpecifications=tag("vpc", f"v{v}"))["Vpc"]["VpcId"]
            vpc = {"name": f"v{v}", "id": vid, "cidr": cidr, "subnets": [], "igw": None,
                   "groups": [], "natgw": None, "nat_inst": None, "pcx": {}}
            self.vpcs.append(vpc)
            self.ids[vpc["name"]] = vid
            has_igw = rng.random() < 0.8
            for s in range(rng.randint(1, 3)):
                sc = f"10.{base + v}.{s}.0/24"
                sid = ec2.create_subnet(VpcId=vid, CidrBlock=sc,
                                        TagSpecifications=tag("subnet", f"v{v}s{s}"))["Subnet"]["SubnetId"]
                public = rng.random() < (0.85 if has_igw and s == 0 else 0.4)
                sub = {"name": f"v{v}s{s}", "id": sid, "cidr": sc, "public": public}
                if sub["public"]:
                    ec2.modify_subnet_attribute(SubnetId=sid, MapPublicIpOnLaunch={"Value": True})
                vpc["subnets"].append(sub)
                self.ids[sub["name"]] = sid
            self.note(f"{vpc['name']} {cidr}: subnets " +
                      ", ".join(f"{s['name']} {s['cidr']}{' (public IPs)' if s['public'] else ''}"
                                for s in vpc["subnets"]))
            if has_igw:
                igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
                self.igws.append(igw)
                ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vid)
                vpc["igw"] = igw
                self.note(f"{vpc['name']}: internet gateway {igw}")
            vpc["main_rt"] = ec2.describe_route_tables(Filters=[
                {"Name": "vpc-id", "Values": [vid]},
                {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]
            vpc["default_sg"] = ec2.describe_security_groups(Filters=[
                {"Name": "vpc-id", "Values": [vid]},
                {"Name": "group-name", "Values": ["default"]}])["SecurityGroups"][0]["GroupId"]
            vpc["groups"].append(vpc["default_sg"])
            for g in range(rng.randint(1, 3)):
                gid = ec2.create_security_group(VpcId=vid, GroupName=f"g{v}_{g}",
                                                Description="random")["GroupId"]
                vpc["groups"].append(gid)
                self.ids[f"g{v}_{g}"] = gid
        # Peerings: active or not.
        for a in range(nv):
            for b in range(a + 1, nv):
                if rng.random() < 0.7:
                    va, vb = self.vpcs[a], self.vpcs[b]
                    pcx = ec2.create_vpc_peering_connection(VpcId=va["id"], PeerVpcId=vb["id"])[
                        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
                    self.pcxs.append(pcx)
                    state = rng.choice(["active", "active", "active", "pending", "rejected"])
                    if state == "active":
                        ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
                    elif state == "rejected":
                        ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=pcx)
                    va["pcx"][b] = vb["pcx"][a] = pcx
                    self.note(f"peering {pcx} {va['name']} <-> {vb['name']}: {state}")
        # Instances: 2-6 over the subnets; maybe one NAT instance per VPC.
        subnets = [(v, s) for v in self.vpcs for s in v["subnets"]]
        n_inst = rng.randint(2, 6)
        for n in range(n_inst):
            vpc, sub = rng.choice(subnets)
            kind = [s for s in vpc["subnets"] if s["public"] == (rng.random() < 0.5)]
            if kind:
                sub = rng.choice(kind)
            groups = rng.sample(vpc["groups"], rng.randint(1, min(2, len(vpc["groups"]))))
            nat = vpc["nat_inst"] is None and rng.random() < 0.35
            public = [s for s in vpc["subnets"] if s["public"]]
            if nat and public and rng.random() < 0.85:
                sub = rng.choice(public)
            kw = dict(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sub["id"], SecurityGroupIds=groups,
                      TagSpecifications=tag("instance", f"i{n}"))
            if nat:
                kw["UserData"] = NAT_USER_DATA
            r = ec2.run_instances(**kw)["Instances"][0]
            name = f"i{n}"
            self.inst[name] = {"name": name, "id": r["InstanceId"], "ip": r["PrivateIpAddress"],
                               "pub": r.get("PublicIpAddress"), "vpc": vpc, "subnet": sub, "nat": nat,
                               "groups": groups}
            self.ids[name] = r["InstanceId"]
            if nat:
                vpc["nat_inst"] = name
                check = rng.random() < 0.2
                if not check:
                    ec2.modify_instance_attribute(InstanceId=r["InstanceId"], SourceDestCheck={"Value": False})
        for n in self.inst.values():
            if not n["pub"] and rng.random() < 0.25:
                a = ec2.allocate_address(Domain="vpc")
                r = try_call(ec2.associate_address, AllocationId=a["AllocationId"], InstanceId=n["id"])
                self.eips.append(a["AllocationId"])
                if "error" not in r:
                    n["pub"] = a["PublicIp"]
        # NAT gateways (need an internet gateway for their Elastic IP).
        for vpc in self.vpcs:
            if rng.random() < (0.45 if vpc["igw"] else 0.05):
                public = [s for s in vpc["subnets"] if s["public"]]
                sub = rng.choice(public if public and rng.random() < 0.85 else vpc["subnets"])
                a = ec2.allocate_address(Domain="vpc")
                self.eips.append(a["AllocationId"])
                r = try_call(ec2.create_nat_gateway, SubnetId=sub["id"], AllocationId=a["AllocationId"])
                if "error" in r:
                    self.note(f"{vpc['name']}: NAT gateway refused: {r['error']}")
                else:
                    vpc["natgw"] = r["NatGateway"]["NatGatewayId"]
                    self.natgws.append(vpc["natgw"])
                    self.note(f"{vpc['name']}: NAT gateway {vpc['natgw']} in {sub['name']}")
        # Route tables: a public one (0/0 -> the internet gateway) for the
        # subnets with public IPs, a private one (0/0 -> a NAT, a peering
        # or nothing) for the others, the main one for some; each may also
        # route to the peers.
        for vpc in self.vpcs:
            pub_rt = ec2.create_route_table(VpcId=vpc["id"])["RouteTable"]["RouteTableId"]
            priv_rt = ec2.create_route_table(VpcId=vpc["id"])["RouteTable"]["RouteTableId"]
            for sub in vpc["subnets"]:
                t = pub_rt if sub["public"] else priv_rt
                if rng.random() < 0.2:
                    t = rng.choice([vpc["main_rt"], pub_rt, priv_rt])
                if t != vpc["main_rt"]:
                    ec2.associate_route_table(RouteTableId=t, SubnetId=sub["id"])
                sub["rt"] = t
            for t in (vpc["main_rt"], pub_rt, priv_rt):
                targets = ["none"]
                if t == pub_rt and vpc["igw"]:
                    targets += ["igw"] * 8
                if t == priv_rt:
                    targets += ["nat_inst"] * 3 * bool(vpc["nat_inst"]) + ["natgw"] * 3 * bool(vpc["natgw"])
                    targets += ["pcx"] * bool(vpc["pcx"]) + ["igw"] * bool(vpc["igw"])
                if t == vpc["main_rt"]:
                    targets += ["igw"] * bool(vpc["igw"]) + ["nat_inst"] * bool(vpc["nat_inst"])
                tgt = rng.choice(targets)
                kw = {}
                if tgt == "igw":
                    kw = {"GatewayId": vpc["igw"]}
                elif tgt == "nat_inst":
                    kw = {"InstanceId": self.inst[vpc["nat_inst"]]["id"]}
                elif tgt == "natgw":
                    kw = {"NatGatewayId": vpc["natgw"]}
                elif tgt == "pcx":
                    kw = {"VpcPeeringConnectionId": rng.choice(list(vpc["pcx"].values()))}
                words = []
                if kw:
                    r = try_call(ec2.create_route, RouteTableId=t, DestinationCidrBlock="0.0.0.0/0", **kw)
                    words.append(f"0.0.0.0/0 -> {list(kw.values())[0]}" + (f" ({r['error']})" if "error" in r else ""))
                for peer, pcx in vpc["pcx"].items():
                    if rng.random() < 0.75:
                        dest = rng.choice([self.vpcs[peer]["cidr"]] * 3 + [self.vpcs[peer]["subnets"][0]["cidr"]])
                        r = try_call(ec2.create_route, RouteTableId=t, DestinationCidrBlock=dest,
                                     VpcPeeringConnectionId=pcx)
                        words.append(f"{dest} -> {pcx}" + (f" ({r['error']})" if "error" in r else ""))
                users = [s["name"] for s in vpc["subnets"] if s["rt"] == t]
                self.note(f"{vpc['name']} table {t}{' (main)' if t == vpc['main_rt'] else ''} "
                          f"for {users or 'no subnet'}: {', '.join(words) or 'local only'}")
        # Security group rules (a group may name a peer VPC's group).
        for vpc in self.vpcs:
            refs = vpc["groups"] + [g for peer in vpc["pcx"] for g in self.vpcs[peer]["groups"]
                                    if rng.random() < 0.3]
            for g in vpc["groups"]:
                is_nat_group = vpc["nat_inst"] and g in self.inst[vpc["nat_inst"]]["groups"]
                if is_nat_group and rng.random() < 0.7:
                    try_call(ec2.authorize_security_group_ingress, GroupId=g, IpPermissions=[
                        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": vpc["cidr"]}]}])
                if rng.random() < 0.3:
                    try_call(ec2.revoke_security_group_egress, GroupId=g, IpPermissions=[
                        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
                    for _ in range(rng.randint(0, 3)):
                        try_call(ec2.authorize_security_group_egress, GroupId=g,
                                 IpPermissions=[self.random_sg_perm(refs)])
                for _ in range(rng.randint(0, 4)):
                    perm = self.random_sg_perm(refs)
                    if "IpRanges" in perm and rng.random() < 0.5:
                        perm["IpRanges"] = [{"CidrIp": self.broad_cidr(vpc)}]
                    try_call(ec2.authorize_security_group_ingress, GroupId=g, IpPermissions=[perm])
        # Network ACLs on some subnets.
        for vpc in self.vpcs:
            for sub in vpc["subnets"]:
                if rng.random() >= 0.4:
                    continue
                acl = ec2.create_network_acl(VpcId=vpc["id"])["NetworkAcl"]["NetworkAclId"]
                assoc = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id",
                                                            "Values": [sub["id"]]}])
                aid = [a["NetworkAclAssociationId"] for a in assoc["NetworkAcls"][0]["Associations"]
                       if a["SubnetId"] == sub["id"]][0]
                ec2.replace_network_acl_association(AssociationId=aid, NetworkAclId=acl)
                for egress in (False, True):
                    for number in rng.sample(range(1, 300), rng.randint(0, 4)):
                        try_call(ec2.create_network_acl_entry, **self.random_acl_entry(acl, egress, number))
                    if rng.random() < 0.8:
                        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=1000, Egress=egress,
                                                     Protocol="-1", RuleAction="allow", CidrBlock="0.0.0.0/0")
                self.note(f"{sub['name']}: network ACL {acl}")
        feats = {"VPCs": len(self.vpcs), "subnets": sum(len(v["subnets"]) for v in self.vpcs),
                 "instances": len(self.inst), "public instances": sum(1 for n in self.inst.values() if n["pub"]),
                 "internet gateways": len(self.igws), "NAT gateways": len(self.natgws),
                 "NAT instances": sum(1 for n in self.inst.values() if n["nat"]),
                 "peerings": len(self.pcxs), "ACLs": sum(1 for x in self.log if "network ACL" in x)}
        for k, v in feats.items():
            FEATURES[k] = FEATURES.get(k, 0) + v
        for n in self.inst.values():
            self.note(f"{n['name']} {n['id']} in {n['subnet']['name']} {n['ip']}"
                      f"{' public ' + n['pub'] if n['pub'] else ''}{' NAT instance' if n['nat'] else ''}"
                      f" groups {n['groups']}")

    def start(self):
        """Listeners in every instance; waits for them and for NAT user data."""
        tcp = ",".join(str(p) for p in TCP_PORTS if p != 22)
        udp = ",".join(str(p) for p in UDP_PORTS)
        for n in self.inst.values():
            p = subprocess.Popen([BIN, "exec", "--state-dir", STATE, n["id"], "--", "python3", "-c",
                                  LISTENER, "0.0.0.0", tcp, udp], stdout=subprocess.PIPE, text=True,
                                 stdin=subprocess.DEVNULL)
            self.procs.append(p)
            n["listener"] = p
        for n in self.inst.values():
            line = n["listener"].stdout.readline()
            if line.strip() != "ready":
                sys.exit(f"the listener of {n['name']} ({n['id']}) did not start")
            if n["nat"]:
                for _ in range(600):
                    r = subprocess.run([BIN, "exec", "--state-dir", STATE, n["id"], "--", "sh", "-c",
                                        "iptables -t nat -S POSTROUTING | grep -q MASQUERADE"],
                                       capture_output=True)
                    if r.returncode == 0:
                        break
                    time.sleep(0.05)
                else:
                    sys.exit(f"the NAT instance {n['id']} never ran its user data")

    def disturb(self):
        """After the listeners run: maybe stop an instance (it answers
        nothing; it sends nothing either, so it is no source) and maybe
        detach an internet gateway (its routes turn into blackholes)."""
        rng = self.rng
        plain = [n for n in self.inst.values() if not n["nat"]]
        if plain and rng.random() < 0.15:
            n = rng.choice(plain)
            ec2.stop_instances(InstanceIds=[n["id"]])
            for _ in range(600):
                i = ec2.describe_instances(InstanceIds=[n["id"]])["Reservations"][0]["Instances"][0]
                if i["State"]["Name"] == "stopped":
                    break
                time.sleep(0.05)
            else:
                sys.exit(f"{n['id']} did not stop")
            n["stopped"] = True
            n["pub"] = i.get("PublicIpAddress")  # an auto-assigned one goes (an Elastic IP stays)
            self.note(f"{n['name']} stopped (public IP now {n['pub']})")
        with_igw = [v for v in self.vpcs if v["igw"]]
        if with_igw and rng.random() < 0.1:
            v = rng.choice(with_igw)
            r = try_call(ec2.detach_internet_gateway, InternetGatewayId=v["igw"], VpcId=v["id"])
            self.note(f"{v['name']}: {v['igw']} detached" + (f" ({r['error']})" if "error" in r else ""))
            if "error" not in r:
                for n in self.inst.values():
                    if n["vpc"] is v:
                        i = ec2.describe_instances(InstanceIds=[n["id"]])["Reservations"][0]["Instances"][0]
                        n["pub"] = i.get("PublicIpAddress")

    def dump(self):
        vids = [v["id"] for v in self.vpcs]
        f = [{"Name": "vpc-id", "Values": vids}]
        return {
            "vpcs": ec2.describe_vpcs(VpcIds=vids)["Vpcs"],
            "subnets": ec2.describe_subnets(Filters=f)["Subnets"],
            "route_tables": ec2.describe_route_tables(Filters=f)["RouteTables"],
            "network_acls": ec2.describe_network_acls(Filters=f)["NetworkAcls"],
            "security_groups": ec2.describe_security_groups(Filters=f)["SecurityGroups"],
            "instances": [i for r in ec2.describe_instances(Filters=f)["Reservations"] for i in r["Instances"]
                          if i["State"]["Name"] != "terminated"],
            "internet_gateways": ec2.describe_internet_gateways(InternetGatewayIds=self.igws)["InternetGateways"]
            if self.igws else [],
            "nat_gateways": ec2.describe_nat_gateways(NatGatewayIds=self.natgws)["NatGateways"]
            if self.natgws else [],
            "vpc_peering_connections": ec2.describe_vpc_peering_connections(
                VpcPeeringConnectionIds=self.pcxs)["VpcPeeringConnections"] if self.pcxs else [],
            "addresses": ec2.describe_addresses()["Addresses"],
        }

    def teardown_processes(self):
        for p in self.procs:
            p.kill()
            p.wait()
        self.procs = []

    def teardown(self):
        self.teardown_processes()
        ids = [n["id"] for n in self.inst.values()]
        if ids:
            ec2.terminate_instances(InstanceIds=ids)
        for g in self.natgws:
            try_call(ec2.delete_nat_gateway, NatGatewayId=g)
        for a in self.eips:
            assoc = self._assoc(a)
            if assoc:
                try_call(ec2.disassociate_address, AssociationId=assoc)
            try_call(ec2.release_address, AllocationId=a)
        for p in self.pcxs:
            try_call(ec2.delete_vpc_peering_connection, VpcPeeringConnectionId=p)
        for vpc in self.vpcs:
            if vpc["igw"]:
                try_call(ec2.detach_internet_gateway, InternetGatewayId=vpc["igw"], VpcId=vpc["id"])
        for igw in self.igws:
            r = try_call(ec2.delete_internet_gateway, InternetGatewayId=igw)
            if "error" in r:
                print(f"  note: {igw} not deleted: {r['error']}")
        for g in [g for vpc in self.vpcs for g in vpc["groups"]]:  # rules naming groups, first
            for r in ec2.describe_security_group_rules(
                    Filters=[{"Name": "group-id", "Values": [g]}])["SecurityGroupRules"]:
                call = ec2.revoke_security_group_egress if r["IsEgress"] else ec2.revoke_security_group_ingress
                try_call(call, GroupId=g, SecurityGroupRuleIds=[r["SecurityGroupRuleId"]])
        for vpc in self.vpcs:
            f = [{"Name": "vpc-id", "Values": [vpc["id"]]}]
            for sub in vpc["subnets"]:
                try_call(ec2.delete_subnet, SubnetId=sub["id"])
            for rt in ec2.describe_route_tables(Filters=f)["RouteTables"]:
                if rt["RouteTableId"] != vpc["main_rt"]:
                    try_call(ec2.delete_route_table, RouteTableId=rt["RouteTableId"])
            for acl in ec2.describe_network_acls(Filters=f)["NetworkAcls"]:
                if not acl["IsDefault"]:
                    try_call(ec2.delete_network_acl, NetworkAclId=acl["NetworkAclId"])
            for g in vpc["groups"][1:]:
                try_call(ec2.delete_security_group, GroupId=g)
            r = try_call(ec2.delete_vpc, VpcId=vpc["id"])
            if "error" in r:
                print(f"  note: {vpc['id']} not deleted: {r['error']}")

    def _assoc(self, alloc):
        a = ec2.describe_addresses(AllocationIds=[alloc])["Addresses"]
        return a[0].get("AssociationId") if a else None

# ---------------------------------------------------------------- probes


class Ports:
    """Source ports, never reused within a run (tuples stay fresh)."""

    def __init__(self, start):
        self.next = start

    def take(self):
        p = self.next
        self.next = 32768 + (self.next - 32768 + 7919) % (60999 - 32768)
        return p


def random_probes(topo, count, ports):
    rng = topo.rng
    names = list(topo.inst)
    live = [n for n in names if not topo.inst[n].get("stopped")]
    sources = names + [f"inet:{ip}" for ip in INTERNET]
    probes = []
    while len(probes) < count:
        src = rng.choice(live) if rng.random() < 0.75 else rng.choice(sources)
        if src in topo.inst and topo.inst[src].get("stopped"):
            continue
        if src.startswith("inet:"):
            public = [n for n in names if topo.inst[n]["pub"]]
            dst = rng.choice(public if public and rng.random() < 0.85 else names)
        else:
            dests = [n for n in names if n != src] + [f"inet:{ip}" for ip in INTERNET]
            dst = rng.choice(dests)
        proto = rng.choice(["tcp", "tcp", "udp", "icmp"])
        port = rng.choice(TCP_PORTS if proto == "tcp" else UDP_PORTS) if proto != "icmp" else -1
        via = "private"
        if not dst.startswith("inet:"):
            d = topo.inst[dst]
            if src.startswith("inet:") or (d["pub"] and rng.random() < 0.15):
                via = "public" if d["pub"] else "private"
        probes.append({"src": src, "dst": dst, "via": via, "proto": proto, "port": port,
                       "sport": ports.take() if proto != "icmp" else 0})
    return probes


def dst_ip(topo, p):
    if "ip" in p:
        return p["ip"]
    if p["dst"].startswith("inet:"):
        return p["dst"][5:]
    d = topo.inst[p["dst"]]
    return d["pub"] if p["via"] == "public" and d["pub"] else d["ip"]


def observe(topo, probes, wait):
    """Every probe with real packets, all sources at once."""
    by_src = {}
    for i, p in enumerate(probes):
        by_src.setdefault(p["src"], []).append(i)
    procs = {}
    for src, idx in by_src.items():
        arg = json.dumps([{"ip": dst_ip(topo, probes[i]), "proto": probes[i]["proto"],
                           "port": probes[i]["port"], "sport": probes[i]["sport"]} for i in idx])
        if src not in topo.inst:
            cmd = [BIN, "internet", "exec", "--state-dir", STATE, "--from", src.removeprefix("inet:"), "--",
                   "/usr/bin/python3", "-c", PROBER, arg, str(wait)]
        else:
            cmd = [BIN, "exec", "--state-dir", STATE, topo.inst[src]["id"], "--",
                   "python3", "-c", PROBER, arg, str(wait)]
        procs[src] = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    out = [None] * len(probes)
    for src, pr in procs.items():
        got = json.loads(pr.communicate(timeout=60)[0])
        for i, status in zip(by_src[src], got):
            out[i] = status
    return out


def trace_args(topo, p):
    src = "internet:" + p["src"][5:] if p["src"].startswith("inet:") else topo.inst[p["src"]]["id"]
    args = [TRACE_BIN, "trace", "--state-dir", STATE, src, dst_ip(topo, p), "--proto", p["proto"],
            "--port", str(p["port"]), "--json"]
    if p["sport"]:
        args += ["--src-port", str(p["sport"])]
    return args


def predict_one(args):
    r = subprocess.run(args, capture_output=True, text=True, timeout=30)
    if r.returncode not in (0, 1):
        return {"error": f"exit {r.returncode}: {r.stderr.strip()}"}
    doc = json.loads(r.stdout)
    if doc["reachable"] != (r.returncode == 0):
        return {"error": f"exit {r.returncode} but reachable={doc['reachable']}", "doc": doc}
    return doc


def predict(topo, probes, pool):
    return list(pool.map(predict_one, [trace_args(topo, p) for p in probes]))


def words(topo, p):
    d = dst_ip(topo, p)
    port = "" if p["proto"] == "icmp" else f"/{p['port']} (sport {p['sport']})"
    return f"{p['src']} -> {p['dst']} [{d}] {p['proto']}{port}"


def why(doc):
    if "error" in doc:
        return doc["error"]
    if doc["reachable"]:
        return "reachable"
    return "; ".join(f"{e['code']} {e['component_id']}{' (return)' if e['is_return'] else ''}"
                     for e in doc["explanations"]) or "not reachable"


def save_case(outdir, topo, probes, predicted, observed):
    d = os.path.join(outdir, f"t{topo.index}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "case.json"), "w") as f:
        json.dump({"seed": topo.seed, "index": topo.index, "built": topo.log,
                   "ids": topo.ids, "probes": probes,
                   "predicted": predicted, "observed": observed}, f, indent=1, default=str)
    with open(os.path.join(d, "topology.json"), "w") as f:
        json.dump(topo.dump(), f, indent=1, default=str)
    return d


COVERAGE = {}
FEATURES = {}
KINDS = {}    # disagreements by trace's first code and what the packets did


def cover(probes, predicted, observed):
    """What the reached probes went through, by trace's forward path."""
    kinds = {"AWS::EC2::InternetGateway": "internet gateway", "AWS::EC2::NatGateway": "NAT gateway",
             "AWS::EC2::VpcPeeringConnection": "peering", "AWS::EC2::NetworkAcl": "ACL crossing"}
    for p, doc, seen in zip(probes, predicted, observed):
        outcome = "reached" if reached(seen, p["proto"]) else "not reached"
        tags = {p["proto"], "from the internet" if p["src"].startswith("inet:") else
                "to the internet" if p["dst"].startswith("inet:") else "instance to instance"}
        for h in doc.get("forward", []):
            if h["component_type"] in kinds:
                tags.add(kinds[h["component_type"]])
        if "assumed to translate" in doc.get("notes", ""):
            tags.add("NAT instance")
        for e in doc.get("explanations", []):
            tags.add("blocked: " + e["code"])
        for t in tags:
            COVERAGE.setdefault(t, {"reached": 0, "not reached": 0})[outcome] += 1


def compare(topo, probes, predicted, observed):
    bad = []
    for i, (p, doc, seen) in enumerate(zip(probes, predicted, observed)):
        got = reached(seen, p["proto"])
        if "error" in doc or doc["reachable"] != got:
            bad.append(i)
    return bad


def run_topology(seed, index, n_probes, ports, pool, wait, outdir, replay=None):
    topo = Topology(seed, index)
    try:
        topo.build()
        topo.start()
        topo.disturb()
        probes = replay if replay is not None else random_probes(topo, n_probes, ports)
        observed = observe(topo, probes, wait)
        predicted = predict(topo, probes, pool)
        bad = compare(topo, probes, predicted, observed)
        cover(probes, predicted, observed)
        if os.environ.get("DIFF_VERBOSE"):
            for line in topo.log:
                print(f"    {line}")
            for p, doc, seen in zip(probes, predicted, observed):
                print(f"    {words(topo, p)}: trace {why(doc)}, packets {seen}")
        if bad:
            # A second look at the disagreeing probes with fresh source ports
            # tells a flake from a real disagreement; both are reported.
            again = [dict(probes[i], sport=ports.take() if probes[i]["sport"] else 0) for i in bad]
            again_obs = observe(topo, again, wait)
            again_pred = predict(topo, again, pool)
            for i, p2, o2, d2 in zip(bad, again, again_obs, again_pred):
                p = probes[i]
                steady = "error" not in d2 and d2["reachable"] != reached(o2, p["proto"])
                kind = f"trace {why(predicted[i]).split(' ')[0]} / packets {observed[i]}"
                KINDS[kind] = KINDS.get(kind, 0) + 1
                print(f"  DISAGREE t{index}: {words(topo, p)}: trace says {why(predicted[i])}, "
                      f"packets say {observed[i]}; again: trace {why(d2)}, packets {o2}"
                      f"{'' if steady else ' (did not repeat)'}")
            d = save_case(outdir, topo, [probes[i] for i in bad], [predicted[i] for i in bad],
                          [observed[i] for i in bad])
            for line in topo.log:
                print(f"    {line}")
            print(f"  saved: {d}  (replay: --replay {d})")
        allowed = sum(1 for p, s in zip(probes, observed) if reached(s, p["proto"]))
        return len(probes), allowed, len(bad)
    finally:
        topo.teardown()


def pidfile(procs):
    """The internet hosts' listeners, for the wrapper's teardown should we
    be killed before our own (DIFF_PIDFILE)."""
    if os.environ.get("DIFF_PIDFILE"):
        with open(os.environ["DIFF_PIDFILE"], "w") as f:
            f.write("".join(f"{p.pid}\n" for p in procs if p.poll() is None))


def start_internet():
    procs = []
    tcp = ",".join(str(p) for p in TCP_PORTS)
    udp = ",".join(str(p) for p in UDP_PORTS)
    for ip in INTERNET:
        p = subprocess.Popen([BIN, "internet", "exec", "--state-dir", STATE, "--from", ip, "--",
                              "/usr/bin/python3", "-c", LISTENER, ip, tcp, udp],
                             stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
        procs.append(p)
        pidfile(procs)
        if p.stdout.readline().strip() != "ready":
            sys.exit(f"the internet host {ip} did not start its listener")
    return procs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--replay", metavar="DIR")
    ap.add_argument("--only", type=int, metavar="K", help="run only topology K of --seed")
    a = ap.parse_args()
    topologies = int(os.environ.get("DIFF_TOPOLOGIES", "50"))
    total_probes = int(os.environ.get("DIFF_PROBES", "10000"))
    wait = float(os.environ.get("DIFF_WAIT", "1.5"))
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=2)
    inet = start_internet()
    started = time.time()
    try:
        if a.replay:
            with open(os.path.join(a.replay, "case.json")) as f:
                case = json.load(f)
            print(f"replay seed {case['seed']} topology {case['index']}: {len(case['probes'])} probes")
            ports = Ports(33000 + os.getpid() % 20000)
            n, _, bad = run_topology(case["seed"], case["index"], 0, ports, pool, wait,
                                     a.replay + ".replay", replay=case["probes"])
            print(f"replay: {n - bad} of {n} agree")
            return 1 if bad else 0
        seed = a.seed if a.seed is not None else int(time.time())
        outdir = f"/tmp/lvdiff-{seed}"
        print(f"seed {seed}: {topologies} topologies, {total_probes} probes "
              f"(replay all: --seed {seed}; DIFF_TOPOLOGIES={topologies} DIFF_PROBES={total_probes})", flush=True)
        ports = Ports(32768 + seed % 28000)
        per = max(1, total_probes // topologies)
        total = allowed = failed = 0
        bad_topos = []
        for k in range(topologies):
            if a.only is not None and k != a.only:
                continue
            n = per + (1 if k < total_probes - per * topologies else 0)
            t0 = time.time()
            got, ok, bad = run_topology(seed, k, n, ports, pool, wait, outdir)
            total += got
            allowed += ok
            failed += bad
            if bad:
                bad_topos.append(k)
            print(f"t{k}: {got} probes, {ok} reached, {bad} disagree ({time.time() - t0:.1f} s)", flush=True)
        print(f"seed {seed}: {topologies} topologies, {total} probes ({allowed} reached, "
              f"{total - allowed} not), {failed} disagreements in {len(bad_topos)} topologies "
              f"{bad_topos}, {time.time() - started:.0f} s")
        print("built: " + ", ".join(f"{v} {k}" for k, v in FEATURES.items()))
        for t, c in sorted(COVERAGE.items()):
            print(f"  {t}: {c['reached']} reached, {c['not reached']} not")
        if failed:
            for k, c in sorted(KINDS.items(), key=lambda x: -x[1]):
                print(f"  disagreement: {k}: {c}")
            print(f"cases saved under {outdir}")
            return 1
        if allowed == 0 or allowed == total:
            print("the random topologies never exercised both outcomes")
            return 1
        return 0
    finally:
        for p in inet:
            p.kill()
            p.wait()
        pidfile([])


if __name__ == "__main__":
    # The runner's timeout: end our processes on the way out (finally).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.exit(main())
