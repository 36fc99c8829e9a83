# SPDX-License-Identifier: MIT
"""`localvpc audit` (issue 8 item 4): the seed's architecture built through
the API (a daemon with --no-dataplane: the audit reads the state database,
never the kernel), audited from the state dir while the daemon runs.  Each
anti-pattern is introduced, seen as a finding (exit 1), fixed the way the
finding says, and seen gone; the exposures are checked against what the
groups and ACLs admit.  The offline half reads the aws-json fixtures."""
import ipaddress
import json
import os
import random
import shutil
import subprocess

import pytest

from conftest import BIN

AMI = "ami-0de12b0000c0ffee1"
MY_IP = "192.0.2.1/32"
FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "aws-json")


def audit(*args, state_dir=None):
    """Runs `localvpc audit --json`; returns (exit code, parsed JSON or None,
    stderr)."""
    cmd = [BIN, "audit"] + (["--state-dir", state_dir] if state_dir else []) + list(args)
    p = subprocess.run(cmd + ["--json"], capture_output=True, text=True,
                       stdin=subprocess.DEVNULL, timeout=60)
    out = json.loads(p.stdout) if p.stdout.strip() else None
    return p.returncode, out, p.stderr


def name(ec2, rid, value):
    ec2.create_tags(Resources=[rid], Tags=[{"Key": "Name", "Value": value}])


def seed(ec2, nat_check_off=True):
    """The first seed article's VPC: public and private subnets, an internet
    gateway, the Bastion SG (SSH from My IP only), the private group (SSH
    from the Bastion SG only) and a NAT instance the private subnet routes
    to."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    pub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                            AvailabilityZone=azs[0])["Subnet"]["SubnetId"]
    priv = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24",
                             AvailabilityZone=azs[0])["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=pub, MapPublicIpOnLaunch={"Value": True})
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    pub_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=pub_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=pub_rt, SubnetId=pub)
    priv_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=priv_rt, SubnetId=priv)
    nat_sg = ec2.create_security_group(GroupName="NAT SG", Description="NAT",
                                       VpcId=vpc)["GroupId"]
    for port in (80, 443):
        ec2.authorize_security_group_ingress(GroupId=nat_sg, IpProtocol="tcp", FromPort=port,
                                             ToPort=port, CidrIp="10.0.2.0/24")
    bastion_sg = ec2.create_security_group(GroupName="Bastion Security Group",
                                           Description="bastion", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=bastion_sg, IpProtocol="tcp", FromPort=22,
                                         ToPort=22, CidrIp=MY_IP)
    priv_sg = ec2.create_security_group(GroupName="Private SG", Description="private",
                                        VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=priv_sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                         "UserIdGroupPairs": [{"GroupId": bastion_sg}]}])

    def run(subnet, sg, label):
        i = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet,
                              SecurityGroupIds=[sg])["Instances"][0]["InstanceId"]
        name(ec2, i, label)
        return i

    nat = run(pub, nat_sg, "NAT Server")
    if nat_check_off:
        ec2.modify_instance_attribute(InstanceId=nat, SourceDestCheck={"Value": False})
    ec2.create_route(RouteTableId=priv_rt, DestinationCidrBlock="0.0.0.0/0", InstanceId=nat)
    bastion = run(pub, bastion_sg, "Bastion Server")
    internal = run(priv, priv_sg, "Internal Server")
    ids = dict(vpc=vpc, azs=azs, pub=pub, priv=priv, igw=igw, pub_rt=pub_rt, priv_rt=priv_rt,
               nat_sg=nat_sg, bastion_sg=bastion_sg, priv_sg=priv_sg, nat=nat,
               bastion=bastion, internal=internal)
    for k in ("nat", "bastion", "internal"):
        d = ec2.describe_instances(InstanceIds=[ids[k]])["Reservations"][0]["Instances"][0]
        ids[k + "_pub"] = d.get("PublicIpAddress")
    return ids


def codes(out, code=None):
    """The findings (of one code)."""
    return [f for f in out["findings"] if code is None or f["code"] == code]


def exposures(out, instance=None):
    return [x for x in out["exposures"] if instance is None or x["instance_id"] == instance]


def test_seed_is_clean(daemon, ec2):
    """The seed as the article builds it: the bastion alone is exposed, on
    tcp/22 from My IP, through the gateway, the ACL's rule 100 and the
    Bastion SG's rule; no finding (exit 0)."""
    s = seed(ec2)
    rc, out, err = audit(state_dir=daemon.state_dir)
    assert rc == 0, (err, out["findings"])
    assert out["version"] == 1 and out["findings"] == []
    assert [(x["instance_id"], x["protocol"], x["from_port"], x["to_port"], x["sources"])
            for x in exposures(out)] == [(s["bastion"], "tcp", 22, 22, [MY_IP])]
    x = out["exposures"][0]
    assert x["public_ip"] == s["bastion_pub"] and x["igw_id"] == s["igw"]
    rule = ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [s["bastion_sg"]]}])["SecurityGroupRules"]
    rule_id = [r["SecurityGroupRuleId"] for r in rule if not r["IsEgress"]][0]
    assert x["admitted_by"] == [{"source": MY_IP, "except": [], "group_id": s["bastion_sg"],
                                 "rule_id": rule_id, "rule": "tcp/22 from " + MY_IP,
                                 "acl_rule_number": 100}]
    kinds = [(h["component_type"], h["component_id"], h["allowed"]) for h in x["path"]]
    assert ("AWS::EC2::InternetGateway", s["igw"], True) in kinds
    assert ("AWS::EC2::Instance", s["bastion"], True) == kinds[-1]
    sg_hop = [h for h in x["path"] if h["component_type"] == "AWS::EC2::SecurityGroup"][0]
    assert sg_hop["rule_id"] == rule_id and sg_hop["direction"] == "ingress"
    acl_hop = [h for h in x["path"] if h["component_type"] == "AWS::EC2::NetworkAcl"][0]
    assert acl_hop["acl_rule_number"] == 100
    # The text form: one line per exposure, a summary line.
    p = subprocess.run([BIN, "audit", "--state-dir", daemon.state_dir], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0
    lines = p.stdout.splitlines()
    assert lines[0].startswith("exposed %s " % s["bastion"]) and " tcp/22 from " + MY_IP in lines[0]
    assert lines[-1] == "1 exposure, 0 findings"


def test_ports_follow_groups_and_acls(daemon, ec2):
    """An exposure is what the groups admit from internet sources, cut by
    the inbound ACL in rule order: a range opened to the world shows as
    one range, an ACL deny in front of part of it splits it, and sources in
    private space are never exposures."""
    s = seed(ec2)
    ec2.authorize_security_group_ingress(GroupId=s["bastion_sg"], IpProtocol="tcp",
                                         FromPort=8000, ToPort=8100, CidrIp="0.0.0.0/0")
    ec2.authorize_security_group_ingress(GroupId=s["bastion_sg"], IpProtocol="udp",
                                         FromPort=53, ToPort=53, CidrIp="10.0.0.0/8")
    rc, out, _ = audit(state_dir=daemon.state_dir)
    got = sorted((x["protocol"], x["from_port"], x["to_port"]) for x in exposures(out, s["bastion"]))
    assert got == [("tcp", 22, 22), ("tcp", 8000, 8100)]
    acl = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [s["vpc"]]}])[
        "NetworkAcls"][0]["NetworkAclId"]
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=50, Protocol="6",
                                 RuleAction="deny", Egress=False, CidrBlock="0.0.0.0/0",
                                 PortRange={"From": 8050, "To": 8059})
    rc, out, _ = audit(state_dir=daemon.state_dir)
    got = sorted((x["protocol"], x["from_port"], x["to_port"], x["admitted_by"][0]["acl_rule_number"])
                 for x in exposures(out, s["bastion"]))
    assert got == [("tcp", 22, 22, 100), ("tcp", 8000, 8049, 100), ("tcp", 8060, 8100, 100)]
    # A deny of SSH from everywhere in front: the bastion is no longer reachable on 22.
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=40, Protocol="6",
                                 RuleAction="deny", Egress=False, CidrBlock="0.0.0.0/0",
                                 PortRange={"From": 22, "To": 22})
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert [x["from_port"] for x in exposures(out, s["bastion"])] == [8000, 8060]
    # Replies blocked by the outbound ACL: nothing is reachable at all.
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=10, Protocol="-1",
                                 RuleAction="deny", Egress=True, CidrBlock="0.0.0.0/0")
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert exposures(out) == []


def test_ssh_and_rdp_open_to_world(daemon, ec2):
    s = seed(ec2)
    rule = ec2.authorize_security_group_ingress(
        GroupId=s["bastion_sg"], IpProtocol="tcp", FromPort=22, ToPort=22,
        CidrIp="0.0.0.0/0")["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    rdp = ec2.authorize_security_group_ingress(
        GroupId=s["bastion_sg"], IpProtocol="tcp", FromPort=3389, ToPort=3389,
        CidrIp="0.0.0.0/0")["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    rc, out, err = audit(state_dir=daemon.state_dir)
    assert rc == 1, err
    ssh = codes(out, "SSH_OPEN_TO_WORLD")
    assert [(f["resource_id"], f["severity"]) for f in ssh] == [(s["bastion_sg"], "high")]
    assert s["bastion"] in ssh[0]["text"] and rule in ssh[0]["fix"]
    assert [f["resource_id"] for f in codes(out, "RDP_OPEN_TO_WORLD")] == [s["bastion_sg"]]
    x = [x for x in exposures(out, s["bastion"]) if x["from_port"] == 22][0]
    assert sorted(x["sources"]) == ["0.0.0.0/0", MY_IP]
    # Fixed as the finding says: revoke the rule.
    ec2.revoke_security_group_ingress(GroupId=s["bastion_sg"], SecurityGroupRuleIds=[rule, rdp])
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 0 and codes(out) == []
    # Open to the world but not reachable (no public IP): not this finding.
    ec2.authorize_security_group_ingress(GroupId=s["priv_sg"], IpProtocol="tcp", FromPort=3389,
                                         ToPort=3389, CidrIp="0.0.0.0/0")
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert codes(out, "RDP_OPEN_TO_WORLD") == []
    assert [f["resource_id"] for f in codes(out, "PRIVATE_NOT_VIA_BASTION")] == [s["priv_sg"]]


def test_private_not_via_bastion(daemon, ec2):
    s = seed(ec2)
    # SSH from a block rather than the bastion's group.
    rule = ec2.authorize_security_group_ingress(
        GroupId=s["priv_sg"], IpProtocol="tcp", FromPort=22, ToPort=22,
        CidrIp="10.0.0.0/16")["SecurityGroupRules"][0]["SecurityGroupRuleId"]
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 1
    f = codes(out, "PRIVATE_NOT_VIA_BASTION")
    assert [x["resource_id"] for x in f] == [s["priv_sg"]]
    assert s["internal"] in f[0]["text"] and rule in f[0]["fix"]
    assert s["bastion_sg"] in f[0]["fix"]  # it stays admitted: revoking is enough
    assert exposures(out, s["internal"]) == []  # no public IP: not an exposure
    ec2.revoke_security_group_ingress(GroupId=s["priv_sg"], SecurityGroupRuleIds=[rule])
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 0 and codes(out) == []
    # SSH from the NAT's group: the NAT instance faces the internet and is
    # no bastion, so the private instance is reachable through it.
    ec2.authorize_security_group_ingress(
        GroupId=s["priv_sg"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                              "UserIdGroupPairs": [{"GroupId": s["nat_sg"]}]}])
    rc, out, _ = audit(state_dir=daemon.state_dir)
    f = codes(out, "PRIVATE_NOT_VIA_BASTION")
    assert [x["resource_id"] for x in f] == [s["priv_sg"]]
    assert s["nat"] in f[0]["text"] and s["nat_sg"] in f[0]["text"]
    ec2.revoke_security_group_ingress(
        GroupId=s["priv_sg"], IpPermissions=[{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
                                              "UserIdGroupPairs": [{"GroupId": s["nat_sg"]}]}])
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 0


def test_nat_source_dest_check(daemon, ec2):
    s = seed(ec2, nat_check_off=False)
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 1
    f = codes(out, "NAT_SOURCE_DEST_CHECK")
    assert [(x["resource_id"], x["severity"]) for x in f] == [(s["nat"], "high")]
    assert s["priv_rt"] in f[0]["text"]
    assert "modify-instance-attribute --instance-id %s --no-source-dest-check" % s["nat"] \
        in f[0]["fix"]
    ec2.modify_instance_attribute(InstanceId=s["nat"], SourceDestCheck={"Value": False})
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 0 and codes(out) == []


def test_single_bastion_for_several_azs(daemon, ec2):
    s = seed(ec2)
    az2 = s["azs"][1]
    priv2 = ec2.create_subnet(VpcId=s["vpc"], CidrBlock="10.0.3.0/24",
                              AvailabilityZone=az2)["Subnet"]["SubnetId"]
    ec2.associate_route_table(RouteTableId=s["priv_rt"], SubnetId=priv2)
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 1
    f = codes(out, "SINGLE_BASTION_AZ")
    assert [(x["resource_id"], x["severity"]) for x in f] == [(s["vpc"], "low")]
    assert az2 in f[0]["text"]
    # A public subnet in the second AZ: the fix names it.
    pub2 = ec2.create_subnet(VpcId=s["vpc"], CidrBlock="10.0.4.0/24",
                             AvailabilityZone=az2)["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=pub2, MapPublicIpOnLaunch={"Value": True})
    ec2.associate_route_table(RouteTableId=s["pub_rt"], SubnetId=pub2)
    rc, out, _ = audit(state_dir=daemon.state_dir)
    f = codes(out, "SINGLE_BASTION_AZ")
    assert len(f) == 1 and "--subnet-id " + pub2 in f[0]["fix"]
    assert s["bastion_sg"] in f[0]["fix"]
    ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=pub2,
                      SecurityGroupIds=[s["bastion_sg"]])
    rc, out, _ = audit(state_dir=daemon.state_dir)
    assert rc == 0 and codes(out) == []
    assert len([x for x in exposures(out) if x["from_port"] == 22]) == 2


def test_vpc_filter_and_exit_codes(daemon, ec2, tmp_path):
    s = seed(ec2, nat_check_off=False)
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    if default:
        rc, out, _ = audit("--vpc", default[0]["VpcId"], state_dir=daemon.state_dir)
        assert rc == 0 and out["exposures"] == [] and out["findings"] == []
    rc, out, _ = audit("--vpc", s["vpc"], state_dir=daemon.state_dir)
    assert rc == 1 and codes(out, "NAT_SOURCE_DEST_CHECK")
    rc, _, err = audit("--vpc", "vpc-0123456789abcdef0", state_dir=daemon.state_dir)
    assert rc == 2 and "no such VPC" in err
    rc, _, err = audit("--bogus", state_dir=daemon.state_dir)
    assert rc == 2 and "usage" in err
    rc, _, err = audit(state_dir=str(tmp_path / "nothing"))
    assert rc == 3


def test_offline_from_aws_json(tmp_path):
    """--from-aws-json: the seed fixture audited with no daemon; opening its
    Bastion SG to the world in the JSON makes the finding appear."""
    src = os.path.join(FIXTURES, "seed-nat-instance")
    rc, out, err = audit("--from-aws-json", src)
    assert rc == 0, err
    bastion = [x for x in out["exposures"] if x["eni_id"] == "eni-0a0b0c0d0e0f10001"]
    assert [(x["protocol"], x["from_port"], x["sources"]) for x in bastion] == \
        [("tcp", 22, ["203.0.113.10/32"])]
    d = tmp_path / "aws"
    shutil.copytree(src, d)
    with open(d / "security-groups.json") as f:
        sgs = json.load(f)
    for g in sgs["SecurityGroups"]:
        if g["GroupName"] == "BastionSG":
            g["IpPermissions"][0]["IpRanges"].append({"CidrIp": "0.0.0.0/0"})
    with open(d / "security-groups.json", "w") as f:
        json.dump(sgs, f)
    rc, out, _ = audit("--from-aws-json", str(d))
    assert rc == 1
    assert [f["resource_id"] for f in codes(out, "SSH_OPEN_TO_WORLD")] == ["sg-01a6b7c8d9e0f1206"]


def trace_ok(state_dir, ip, eni, proto, port):
    p = subprocess.run([BIN, "trace", "--state-dir", state_dir, "internet:" + ip, eni, "--proto",
                        proto, "--port", str(port)], capture_output=True, text=True, timeout=60)
    assert p.returncode in (0, 1), p.stderr
    return p.returncode == 0


@pytest.mark.parametrize("seed_no", [3, 5, 7, 9])
def test_exposures_agree_with_trace(daemon, ec2, seed_no):
    """Random group rules and a random ACL on the bastion's subnet: at every
    port boundary, from addresses inside and outside each block, the audit
    lists (source, except) exactly the flows `localvpc trace` finds
    reachable — the replies' outbound ACL included."""
    rnd = random.Random(seed_no)
    s = seed(ec2)
    blocks = ["0.0.0.0/0", "203.0.113.0/24", "203.0.113.128/25", "198.51.100.0/24", MY_IP,
              "10.0.0.0/8", "0.0.0.0/1", "128.0.0.0/1"]
    for _ in range(6):
        lo = rnd.randrange(0, 200)
        ec2.authorize_security_group_ingress(GroupId=s["bastion_sg"],
                                             IpProtocol=rnd.choice(["tcp", "udp"]), FromPort=lo,
                                             ToPort=lo + rnd.randrange(0, 60),
                                             CidrIp=rnd.choice(blocks))
    acl = ec2.create_network_acl(VpcId=s["vpc"])["NetworkAcl"]["NetworkAclId"]
    assoc = [a for n in ec2.describe_network_acls()["NetworkAcls"] for a in n["Associations"]
             if a["SubnetId"] == s["pub"]][0]["NetworkAclAssociationId"]
    ec2.replace_network_acl_association(AssociationId=assoc, NetworkAclId=acl)
    for n in rnd.sample(range(1, 300), 8):
        lo = rnd.randrange(0, 200)
        proto = rnd.choice(["6", "17", "-1"])
        kw = dict(NetworkAclId=acl, RuleNumber=n, Protocol=proto, Egress=False,
                  RuleAction=rnd.choice(["allow", "deny"]), CidrBlock=rnd.choice(blocks))
        if proto != "-1":
            kw["PortRange"] = {"From": lo, "To": lo + rnd.randrange(0, 80)}
        ec2.create_network_acl_entry(**kw)
    ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=500, Protocol="-1",
                                 RuleAction="allow", Egress=True,
                                 CidrBlock=rnd.choice(["0.0.0.0/0", "203.0.113.0/24"]))
    _, out, _ = audit(state_dir=daemon.state_dir)
    ex = exposures(out, s["bastion"])
    assert ex  # these seeds open something to the internet
    eni = ec2.describe_instances(InstanceIds=[s["bastion"]])["Reservations"][0]["Instances"][0][
        "NetworkInterfaces"][0]["NetworkInterfaceId"]
    ports = {22}
    for x in ex:
        ports |= {x["from_port"] - 1, x["from_port"], x["to_port"], x["to_port"] + 1}
    for e in ec2.describe_network_acls(NetworkAclIds=[acl])["NetworkAcls"][0]["Entries"]:
        if "PortRange" in e:
            r = e["PortRange"]
            ports |= {r["From"] - 1, r["From"], r["To"], r["To"] + 1}

    def listed(ip, proto, port):
        a = ipaddress.ip_address(ip)
        return any(x["protocol"] == proto and x["from_port"] <= port <= x["to_port"] and
                   any(a in ipaddress.ip_network(m["source"]) and
                       not any(a in ipaddress.ip_network(e) for e in m["except"])
                       for m in x["admitted_by"]) for x in ex)

    wrong = [(proto, port, ip) for proto in ("tcp", "udp") for port in sorted(ports)
             if 0 <= port <= 65535
             for ip in ("203.0.113.10", "203.0.113.200", "198.51.100.7", "192.0.2.1", "8.8.8.8")
             if trace_ok(daemon.state_dir, ip, eni, proto, port) != listed(ip, proto, port)]
    assert wrong == []
