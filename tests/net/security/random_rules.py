# SPDX-License-Identifier: MIT
"""Random security groups, network ACLs and flows: every verdict the data
plane gives with real packets must be the one a plain evaluator of AWS's
rules (spec §7, §8, §9) predicts.  Driven by 0004_random_rules.sh, which
starts the daemon; this file knows only the API and `localvpc exec`.

The evaluator below is written from the spec alone, independently of the C
compiler it checks: groups are allow-only unions, stateful (a reply passes);
ACLs are stateless, first match by rule number, final deny, applied to the
request and to the reply whenever they cross a subnet boundary."""
import ipaddress
import json
import os
import random
import subprocess
import sys
import time

import boto3
import botocore.config

ENDPOINT = os.environ["LV_ENDPOINT"]
STATE = os.environ["LV_STATE"]
BIN = os.environ["LOCALVPC_BIN"]
ROUNDS = int(os.environ.get("ROUNDS", "15"))
SEED = int(os.environ.get("SEED", str(int(time.time()))))
AMI = "ami-0de12b0000c0ffee1"
PORTS = [22, 80]          # 22: sshd listens; 80: nothing does (a RST is an answer too)

ec2 = boto3.client("ec2", endpoint_url=ENDPOINT, region_name="us-east-1",
                   aws_access_key_id="test", aws_secret_access_key="test",
                   config=botocore.config.Config(retries={"max_attempts": 0}))

# ---------------------------------------------------------------- evaluator


def in_cidr(ip, cidr):
    return ipaddress.ip_address(ip) in ipaddress.ip_network(cidr)


def sg_rule_matches(rule, peer_ip, proto, port, icmp, members):
    """One rule (as DescribeSecurityGroupRules shows it) for a packet whose
    far end is peer_ip.  proto: 'tcp' or 'icmp'; icmp: (type, code)."""
    p = rule["IpProtocol"]
    if p not in ("-1", proto):
        return False
    if p == "tcp" and not rule["FromPort"] <= port <= rule["ToPort"]:
        return False
    if p == "icmp" and rule["FromPort"] != -1:
        if rule["FromPort"] != icmp[0] or rule["ToPort"] not in (-1, icmp[1]):
            return False
    if "CidrIpv4" in rule:
        return in_cidr(peer_ip, rule["CidrIpv4"])
    ref = rule["ReferencedGroupInfo"]["GroupId"]
    return peer_ip in members.get(ref, set())


def sg_allows(groups, rules, egress, peer_ip, proto, port, icmp, members):
    return any(sg_rule_matches(r, peer_ip, proto, port, icmp, members)
               for g in groups for r in rules[g] if r["IsEgress"] == egress)


def nacl_allows(entries, egress, peer_ip, proto, port, icmp):
    number = {"tcp": "6", "icmp": "1"}[proto]
    for e in sorted((e for e in entries if e["Egress"] == egress), key=lambda e: e["RuleNumber"]):
        if e["Protocol"] not in ("-1", number) or not in_cidr(peer_ip, e["CidrBlock"]):
            continue
        if e["Protocol"] == "6" and not e["PortRange"]["From"] <= port <= e["PortRange"]["To"]:
            continue
        if e["Protocol"] == "1":
            t, c = e["IcmpTypeCode"]["Type"], e["IcmpTypeCode"]["Code"]
            if t != -1 and (t != icmp[0] or c not in (-1, icmp[1])):
                continue
        return e["RuleAction"] == "allow"
    return False  # rule *


def expect(world, src, dst, probe):
    """True when a packet src → dst (and its reply) gets through."""
    s, d = world["inst"][src], world["inst"][dst]
    if probe["proto"] == "tcp":
        fwd = ("tcp", probe["port"], None)
        rev = ("tcp", probe["sport"], None)
    else:
        fwd = ("icmp", 0, (8, 0))
        rev = ("icmp", 0, (0, 0))
    rules, members = world["rules"], world["members"]
    if not sg_allows(s["groups"], rules, True, d["ip"], *fwd, members):
        return False
    if not sg_allows(d["groups"], rules, False, s["ip"], *fwd, members):
        return False
    if s["subnet"] != d["subnet"]:
        acl_s, acl_d = world["acl"][s["subnet"]], world["acl"][d["subnet"]]
        if not (nacl_allows(acl_s, True, d["ip"], *fwd) and nacl_allows(acl_d, False, s["ip"], *fwd)):
            return False
        # The reply crosses both boundaries again: ACLs are stateless.
        if not (nacl_allows(acl_d, True, s["ip"], *rev) and nacl_allows(acl_s, False, d["ip"], *rev)):
            return False
    return True

# ---------------------------------------------------------------- probes


PROBER = r"""
import json, socket, subprocess, sys, time, errno, select
probes = json.loads(sys.argv[1])
out, socks, pings = {}, {}, {}
for i, p in enumerate(probes):
    if p["proto"] == "icmp":
        pings[i] = subprocess.Popen(["ping", "-c1", "-W1", p["ip"]], stdout=subprocess.DEVNULL)
        continue
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", p["sport"]))
    s.setblocking(False)
    s.connect_ex((p["ip"], p["port"]))
    socks[s] = i
deadline = time.time() + 1.5
pending = dict(socks)
while pending and time.time() < deadline:
    _, w, _ = select.select([], list(pending), [], max(0, deadline - time.time()))
    for s in w:
        err = s.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
        out[pending.pop(s)] = err in (0, errno.ECONNREFUSED)
for s, i in socks.items():
    out.setdefault(i, False)
    s.close()
for i, pr in pings.items():
    out[i] = pr.wait() == 0
print(json.dumps([out[i] for i in range(len(probes))]))
"""


def run_probes(world, plan):
    """plan: {src: [probe, …]} → {src: [bool, …]}, all sources at once."""
    procs = {}
    for src, probes in plan.items():
        arg = json.dumps([dict(p, ip=world["inst"][p["dst"]]["ip"]) for p in probes])
        procs[src] = subprocess.Popen([BIN, "exec", "--state-dir", STATE, world["inst"][src]["id"],
                                       "--", "python3", "-c", PROBER, arg],
                                      stdout=subprocess.PIPE, text=True)
    return {src: json.loads(p.communicate(timeout=30)[0]) for src, p in procs.items()}

# ---------------------------------------------------------------- topology


def cidr_choices(world):
    c = ["0.0.0.0/0", "10.9.0.0/16", "10.9.0.0/24", "10.9.1.0/24", "10.9.0.0/23"]
    c += [world["inst"][n]["ip"] + "/32" for n in world["inst"]]
    return c


def random_sg_perm(rng, world, egress):
    kind = rng.choice(["tcp", "tcp", "all", "icmp"])
    if kind == "tcp":
        lo = rng.choice([0, 22, 23, 80, 1024])
        hi = rng.choice([x for x in [22, 79, 80, 1023, 65535] if x >= lo])
        perm = {"IpProtocol": "tcp", "FromPort": lo, "ToPort": hi}
    elif kind == "icmp":
        t = rng.choice([-1, 8, 0, 3])
        perm = {"IpProtocol": "icmp", "FromPort": t, "ToPort": -1 if t == -1 else rng.choice([-1, 0])}
    else:
        perm = {"IpProtocol": "-1"}
    if rng.random() < 0.3:
        perm["UserIdGroupPairs"] = [{"GroupId": rng.choice(world["groups"])}]
    else:
        perm["IpRanges"] = [{"CidrIp": rng.choice(cidr_choices(world))}]
    return perm


def random_nacl_entry(rng, world, acl, egress, number):
    kind = rng.choice(["tcp", "tcp", "all", "icmp"])
    args = dict(NetworkAclId=acl, RuleNumber=number, Egress=egress,
                RuleAction=rng.choice(["allow", "allow", "deny"]), CidrBlock=rng.choice(cidr_choices(world)))
    if kind == "tcp":
        args["Protocol"] = "6"
        args["PortRange"] = rng.choice([{"From": 22, "To": 22}, {"From": 0, "To": 1023},
                                        {"From": 1024, "To": 65535}, {"From": 22, "To": 8080},
                                        {"From": 32768, "To": 61000}, {"From": 0, "To": 65535}])
    elif kind == "icmp":
        args["Protocol"] = "1"
        args["IcmpTypeCode"] = rng.choice([{"Type": -1, "Code": -1}, {"Type": 8, "Code": -1},
                                           {"Type": 0, "Code": 0}])
    else:
        args["Protocol"] = "-1"
    return args


def build():
    vpc = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    subnets = [ec2.create_subnet(VpcId=vpc, CidrBlock=c)["Subnet"]["SubnetId"]
               for c in ("10.9.0.0/24", "10.9.1.0/24")]
    groups = [ec2.create_security_group(VpcId=vpc, GroupName=f"g{i}", Description="random")["GroupId"]
              for i in range(3)]
    acls = {}
    for sn in subnets:
        acl = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        assoc = ec2.describe_network_acls(Filters=[{"Name": "association.subnet-id", "Values": [sn]}])
        aid = [a["NetworkAclAssociationId"] for a in assoc["NetworkAcls"][0]["Associations"]
               if a["SubnetId"] == sn][0]
        ec2.replace_network_acl_association(AssociationId=aid, NetworkAclId=acl)
        acls[sn] = acl
    inst = {}
    for name, sn in (("a", subnets[0]), ("b", subnets[0]), ("c", subnets[1]), ("d", subnets[1])):
        i = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn,
                              SecurityGroupIds=[groups[0]])["Instances"][0]
        inst[name] = {"id": i["InstanceId"], "ip": i["PrivateIpAddress"], "subnet": sn}
    for n in inst.values():  # sshd up
        for _ in range(300):
            r = subprocess.run([BIN, "exec", "--state-dir", STATE, n["id"], "--", "bash", "-c",
                                "exec 3<>/dev/tcp/127.0.0.1/22"], capture_output=True)
            if r.returncode == 0:
                break
            time.sleep(0.1)
        else:
            sys.exit(f"sshd of {n['id']} did not start")
    return {"vpc": vpc, "subnets": subnets, "groups": groups, "acls": acls, "inst": inst}


def clear(world):
    for g in world["groups"]:
        for r in ec2.describe_security_group_rules(
                Filters=[{"Name": "group-id", "Values": [g]}])["SecurityGroupRules"]:
            if r["IsEgress"]:
                ec2.revoke_security_group_egress(GroupId=g, SecurityGroupRuleIds=[r["SecurityGroupRuleId"]])
            else:
                ec2.revoke_security_group_ingress(GroupId=g, SecurityGroupRuleIds=[r["SecurityGroupRuleId"]])
    for acl in world["acls"].values():
        for e in ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]:
            if e["RuleNumber"] < 32767:
                ec2.delete_network_acl_entry(NetworkAclId=acl, RuleNumber=e["RuleNumber"], Egress=e["Egress"])


def randomize(rng, world):
    clear(world)
    for g in world["groups"]:
        for egress in (False, True):
            if egress and rng.random() < 0.7:
                ec2.authorize_security_group_egress(GroupId=g, IpPermissions=[{"IpProtocol": "-1",
                                                    "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
            seen = set()
            for _ in range(rng.randint(0 if egress else 1, 3)):
                perm = random_sg_perm(rng, world, egress)
                key = json.dumps(perm, sort_keys=True)
                if key in seen:
                    continue
                seen.add(key)
                call = ec2.authorize_security_group_egress if egress else ec2.authorize_security_group_ingress
                try:
                    call(GroupId=g, IpPermissions=[perm])
                except ec2.exceptions.ClientError as e:
                    if "Duplicate" not in str(e):
                        raise
    for acl in world["acls"].values():
        for egress in (False, True):
            numbers = rng.sample(range(1, 300), rng.randint(0, 4))
            for n in numbers:
                ec2.create_network_acl_entry(**random_nacl_entry(rng, world, acl, egress, n))
            if rng.random() < 0.75:
                ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=1000, Egress=egress, Protocol="-1",
                                             RuleAction="allow", CidrBlock="0.0.0.0/0")
    for n in world["inst"].values():
        groups = rng.sample(world["groups"], rng.randint(1, 2))
        ec2.modify_instance_attribute(InstanceId=n["id"], Groups=groups)


def observe(world):
    """What the API now says: the evaluator's input."""
    sgs = {}
    for g in world["groups"]:
        sgs[g] = ec2.describe_security_group_rules(Filters=[{"Name": "group-id", "Values": [g]}])["SecurityGroupRules"]
    members = {}
    for name, n in world["inst"].items():
        i = ec2.describe_instances(InstanceIds=[n["id"]])["Reservations"][0]["Instances"][0]
        n["groups"] = [g["GroupId"] for g in i["SecurityGroups"]]
        for g in n["groups"]:
            members.setdefault(g, set()).add(n["ip"])
    acl = {sn: ec2.describe_network_acls(NetworkAclIds=[a])["NetworkAcls"][0]["Entries"]
           for sn, a in world["acls"].items()}
    world.update(rules=sgs, members=members, acl=acl)


def main():
    rng = random.Random(SEED)
    print(f"seed {SEED}, {ROUNDS} rounds (replay: SEED={SEED} ROUNDS={ROUNDS})")
    world = build()
    sport = 41000
    total = agree = allowed = 0
    for rnd in range(ROUNDS):
        randomize(rng, world)
        observe(world)
        plan = {}
        for src in world["inst"]:
            for dst in world["inst"]:
                if src == dst:
                    continue
                for port in PORTS:
                    sport += 1
                    plan.setdefault(src, []).append({"dst": dst, "proto": "tcp", "port": port, "sport": sport})
                plan[src].append({"dst": dst, "proto": "icmp"})
        got = run_probes(world, plan)
        for src, probes in plan.items():
            for p, seen in zip(probes, got[src]):
                want = expect(world, src, p["dst"], p)
                total += 1
                allowed += want
                if want == seen:
                    agree += 1
                    continue
                print(f"MISMATCH round {rnd}: {src}->{p['dst']} {p} expected "
                      f"{'allow' if want else 'deny'}, data plane said {'allow' if seen else 'deny'}")
                print(json.dumps({k: world[k] for k in ("rules", "acl")}, default=str, indent=1))
                print(json.dumps({k: v for k, v in world["inst"].items()}, indent=1))
                print(f"replay: SEED={SEED} ROUNDS={ROUNDS}")
                sys.exit(1)
    print(f"{total} probes over {ROUNDS} random rule sets: {agree} agree "
          f"({allowed} allowed, {total - allowed} denied)")
    if allowed == 0 or allowed == total:
        sys.exit("the random rule sets never exercised both outcomes")


if __name__ == "__main__":
    main()
