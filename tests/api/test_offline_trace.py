# SPDX-License-Identifier: MIT
"""`localvpc trace --from-aws-json DIR` (issue 8 item 5): a real account's
`aws ec2 describe-… --output json` analysed with no daemon, store or kernel.

The fixtures in tests/fixtures/aws-json/ are written in the aws CLI v2's
exact shape (the botocore EC2 model's member names and nesting, with the
extra fields AWS prints).  The round trip builds a topology in a real
daemon, dumps it with the real /usr/bin/aws and holds the offline verdicts
to the daemon's own (`trace --state-dir`)."""
import json
import os
import shutil
import subprocess

import pytest

from conftest import AWS, BIN, REGION

FIXTURES = os.path.join(os.path.dirname(__file__), "..", "fixtures", "aws-json")
AMI = "ami-0de12b0000c0ffee1"
DESCRIBES = ["vpcs", "subnets", "route-tables", "security-groups", "network-acls", "instances",
             "network-interfaces", "internet-gateways", "nat-gateways",
             "vpc-peering-connections"]


def fixture(name):
    return os.path.join(FIXTURES, name)


def trace(src, dst, *extra, aws_json=None, state_dir=None, port=None, proto=None):
    """Runs `localvpc trace … --json`; returns (exit code, parsed JSON or
    None, stderr)."""
    args = [BIN, "trace"]
    if aws_json:
        args += ["--from-aws-json", aws_json]
    if state_dir:
        args += ["--state-dir", state_dir]
    args += [src, dst]
    if proto:
        args += ["--proto", proto]
    if port is not None:
        args += ["--port", str(port)]
    args += list(extra)
    p = subprocess.run(args, capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    out = json.loads(p.stdout) if "--json" in extra and p.stdout.strip() else p.stdout
    return p.returncode, out, p.stderr


def blocking_hop(an):
    """The first hop that refused the packet (forward, then return)."""
    for h in an["forward"] + an["return"]:
        if not h["allowed"]:
            return h
    return None


# (fixture, FROM, TO, proto, port, reachable, explanation code, deciding component)
CASES = [
    # (a) the seed: bastion + NAT instance
    ("seed-nat-instance", "internet", "Bastion", "tcp", 22, True, None, None),
    ("seed-nat-instance", "internet:198.51.100.7", "Bastion", "tcp", 22, False,
     "ENI_SG_RULES_MISMATCH", "sg-01a6b7c8d9e0f1206"),
    ("seed-nat-instance", "internet", "Bastion", "tcp", 3389, False,
     "ENI_SG_RULES_MISMATCH", "sg-01a6b7c8d9e0f1206"),
    ("seed-nat-instance", "Bastion", "Internal", "tcp", 22, True, None, None),
    ("seed-nat-instance", "i-0b0a00000000000b1", "10.0.1.10", "tcp", 22, True, None, None),
    ("seed-nat-instance", "Bastion", "Internal", "tcp", 8080, False,
     "SUBNET_ACL_RESTRICTION", "acl-0d0e0f1a2b3c4d502"),
    ("seed-nat-instance", "Bastion", "Internal", "tcp", 8050, True, None, None),
    ("seed-nat-instance", "Bastion", "Internal", "icmp", None, True, None, None),
    ("seed-nat-instance", "NAT", "Internal", "tcp", 22, False,
     "ENI_SG_RULES_MISMATCH", "sg-0f5a6b7c8d9e0a105"),
    ("seed-nat-instance", "internet", "Internal", "tcp", 22, False,
     "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "igw-0d3e4f5a6b7c80903"),
    ("seed-nat-instance", "Internal", "internet:198.51.100.7", "tcp", 443, True, None, None),
    ("seed-nat-instance", "Internal", "internet:198.51.100.7", "tcp", 25, False,
     "ENI_SG_RULES_MISMATCH", "sg-0f5a6b7c8d9e0a105"),
    # (b) the NAT gateway variant (a deleted gateway listed beside it)
    ("seed-nat-gateway", "Internal", "internet:198.51.100.7", "tcp", 443, True, None, None),
    # the private NACL admits only TCP replies: the UDP answer is dropped
    ("seed-nat-gateway", "Internal", "internet:198.51.100.7", "udp", 123, False,
     "SUBNET_ACL_RESTRICTION", "acl-0d0e0f1a2b3c4d502"),
    ("seed-nat-gateway", "internet", "198.18.0.30", "tcp", 443, False,
     "NO_POSSIBLE_DESTINATION", "nat-0a1b2c3d4e5f60718"),
    ("seed-nat-gateway", "Bastion", "Internal", "tcp", 22, True, None, None),
    ("seed-nat-gateway", "internet", "Internal", "tcp", 22, False,
     "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS", "igw-0d3e4f5a6b7c80903"),
    # (c) A and B peered (active), C peered with A only by a rejected request
    ("three-vpcs-peering", "app-a", "db-b", "tcp", 22, True, None, None),
    ("three-vpcs-peering", "app-a", "db-b", "tcp", 5432, True, None, None),
    ("three-vpcs-peering", "db-b", "app-a", "tcp", 22, False,
     "ENI_SG_RULES_MISMATCH", "sg-0a0000000000a0011"),
    ("three-vpcs-peering", "app-a", "db-b", "tcp", 3306, False,
     "ENI_SG_RULES_MISMATCH", "sg-0b0000000000b0021"),
    ("three-vpcs-peering", "app-a", "other-c", "tcp", 22, False,
     "BAD_STATE_ROUTE", "rtb-0a0000000000a0001"),
    ("three-vpcs-peering", "other-c", "db-b", "tcp", 22, False,
     "NO_ROUTE_TO_DESTINATION", "rtb-0c0000000000c0001"),
    ("three-vpcs-peering", "db-b", "other-c", "tcp", 22, False,
     "NO_ROUTE_TO_DESTINATION", "rtb-0b0000000000b0001"),
]


@pytest.mark.parametrize("fx,src,dst,proto,port,ok,code,component", CASES,
                         ids=[f"{c[0]}:{c[1]}->{c[2]}:{c[3]}/{c[4]}" for c in CASES])
def test_fixture_verdicts(fx, src, dst, proto, port, ok, code, component):
    rc, an, err = trace(src, dst, "--json", aws_json=fixture(fx), proto=proto, port=port)
    assert rc == (0 if ok else 1), err
    assert an["reachable"] is ok
    if ok:
        assert an["explanations"] == []
        assert all(h["allowed"] for h in an["forward"] + an["return"])
        return
    assert an["explanations"][0]["code"] == code, an["explanations"]
    assert an["explanations"][0]["component_id"] == component
    assert blocking_hop(an)["component_id"] == component


def test_text_output_names_the_rule():
    rc, out, _ = trace("Bastion", "Internal", aws_json=fixture("seed-nat-instance"), port=8080)
    assert rc == 1
    assert "rule 105 deny tcp 8080 from 10.0.0.0/24" in out
    assert "SUBNET_ACL_RESTRICTION" in out and "NOT reachable" in out
    rc, out, _ = trace("Internal", "internet:198.51.100.7", aws_json=fixture("seed-nat-instance"),
                       port=443)
    assert rc == 0
    assert "0.0.0.0/0 → i-0b0a00000000000a0" in out  # the route to the NAT instance
    assert "reachable" in out.splitlines()[-2:][0] or "reachable" in out


def copy_fixture(tmp_path, name):
    d = tmp_path / name
    shutil.copytree(fixture(name), d)
    return d


def edit(path, fn):
    doc = json.loads(path.read_text())
    fn(doc)
    path.write_text(json.dumps(doc, indent=4))


def test_nat_instance_source_dest_check_matters(tmp_path):
    d = copy_fixture(tmp_path, "seed-nat-instance")

    def check_on_eni(doc):
        for e in doc["NetworkInterfaces"]:
            if e["NetworkInterfaceId"] == "eni-0a0b0c0d0e0f10003":
                e["SourceDestCheck"] = True

    def check_on_instance(doc):
        for r in doc["Reservations"]:
            for i in r["Instances"]:
                for n in i["NetworkInterfaces"]:
                    n["SourceDestCheck"] = True
                i["SourceDestCheck"] = True

    edit(d / "network-interfaces.json", check_on_eni)
    edit(d / "instances.json", check_on_instance)
    rc, an, err = trace("Internal", "internet:198.51.100.7", "--json", aws_json=str(d), port=443)
    assert rc == 1, err
    assert an["explanations"][0]["code"] == "ENI_SOURCE_DEST_CHECK_RESTRICTION"
    # Without network-interfaces.json the instances' own view decides.
    os.unlink(d / "network-interfaces.json")
    rc, an, _ = trace("Internal", "internet:198.51.100.7", "--json", aws_json=str(d), port=443)
    assert rc == 1
    assert an["explanations"][0]["code"] == "ENI_SOURCE_DEST_CHECK_RESTRICTION"


def test_stopped_nat_instance_makes_the_route_a_blackhole(tmp_path):
    d = copy_fixture(tmp_path, "seed-nat-instance")

    def stop(doc):
        for r in doc["Reservations"]:
            for i in r["Instances"]:
                if i["InstanceId"] == "i-0b0a00000000000a0":
                    i["State"] = {"Code": 80, "Name": "stopped"}

    edit(d / "instances.json", stop)
    rc, an, _ = trace("Internal", "internet:198.51.100.7", "--json", aws_json=str(d), port=443)
    assert rc == 1
    assert an["explanations"][0]["code"] == "BAD_STATE_ROUTE"
    assert an["explanations"][0]["component_id"] == "rtb-0c0d0e0f1a2b3c403"


def test_peering_must_be_active(tmp_path):
    d = copy_fixture(tmp_path, "three-vpcs-peering")

    def pending(doc):
        doc["VpcPeeringConnections"][0]["Status"] = {
            "Code": "pending-acceptance", "Message": "Pending Acceptance by 111122223333"}

    edit(d / "vpc-peering-connections.json", pending)
    rc, an, _ = trace("app-a", "db-b", "--json", aws_json=str(d), port=22)
    assert rc == 1
    assert an["explanations"][0]["code"] == "BAD_STATE_ROUTE"


def test_files_may_carry_the_describe_verb_and_be_absent(tmp_path):
    d = copy_fixture(tmp_path, "seed-nat-gateway")
    for f in os.listdir(d):
        os.rename(d / f, d / ("describe-" + f))
    rc, an, err = trace("Internal", "internet:198.51.100.7", "--json", aws_json=str(d), port=443)
    assert rc == 0, err
    # Without nat-gateways.json the private route points at nothing.
    os.unlink(d / "describe-nat-gateways.json")
    rc, an, _ = trace("Internal", "internet:198.51.100.7", "--json", aws_json=str(d), port=443)
    assert rc == 1
    assert an["explanations"][0]["code"] == "BAD_STATE_ROUTE"


# ---- errors: exit 3 and a message that names the file and the field ----

def expect_error(d, *words):
    rc, out, err = trace("internet", "Bastion", aws_json=str(d), port=22)
    assert rc == 3, (out, err)
    assert out == ""
    for w in words:
        assert w in err, err
    return err


def test_missing_vpcs_json(tmp_path):
    d = copy_fixture(tmp_path, "seed-nat-instance")
    os.unlink(d / "vpcs.json")
    expect_error(d, "vpcs.json", "aws ec2 describe-vpcs")
    expect_error(tmp_path / "no-such-dir", "no-such-dir", "No such file or directory")


def test_malformed_json_names_the_file(tmp_path):
    d = copy_fixture(tmp_path, "seed-nat-instance")
    text = (d / "security-groups.json").read_text()
    (d / "security-groups.json").write_text(text[: len(text) // 2])
    expect_error(d, "security-groups.json", "malformed JSON")
    (d / "security-groups.json").write_text(text + "\n{}\n")
    expect_error(d, "security-groups.json", "malformed JSON at byte")
    # strict RFC 8259, as the aws CLI prints: no trailing commas, no comments
    (d / "security-groups.json").write_text(text.replace('"IpRanges": []', '"IpRanges": [],', 1)
                                            .replace('"Ipv6Ranges": []', '"Ipv6Ranges": [1,]', 1))
    expect_error(d, "security-groups.json", "malformed JSON")
    (d / "security-groups.json").write_text("/* exported */\n" + text)
    expect_error(d, "security-groups.json", "malformed JSON")


@pytest.mark.parametrize("file,old,new,words", [
    ("security-groups.json", '"FromPort": 22,', '"FromPort": "22",',
     ["security-groups.json", "sg-0f5a6b7c8d9e0a105", "FromPort", "integer"]),
    ("security-groups.json", '"CidrIp": "203.0.113.10/32"', '"CidrIp": "203.0.113.300/32"',
     ["security-groups.json", "CidrIp", "203.0.113.300/32"]),
    ("security-groups.json", '"CidrIp": "203.0.113.10/32",', '',
     ["security-groups.json", "sg-01a6b7c8d9e0f1206", "IpRanges[].CidrIp: missing"]),
    ("network-acls.json", '"Egress": true,', '"Egress": "yes",',
     ["network-acls.json", "acl-0d0e0f1a2b3c4d501", "Egress", "true or false"]),
    ("network-acls.json", '"RuleNumber": 100', '"RuleNumber": 40000',
     ["network-acls.json", "RuleNumber", "out of range"]),
    ("subnets.json", '"CidrBlock": "10.0.0.0/24"', '"CidrBlock": 10',
     ["subnets.json", "subnet-0b1c2d3e4f5a60701", "CidrBlock", "string"]),
    ("instances.json", '"Name": "running"', '"Name": "flying"',
     ["instances.json", "State.Name", "flying"]),
    ("route-tables.json", '"Routes": [', '"Routes": {"x": [',
     ["route-tables.json", "malformed JSON"]),
    ("vpcs.json", '"Vpcs": [', '"Vpcs": 7, "x": [',
     ["vpcs.json", "Vpcs", "expected a list"]),
    ("vpcs.json", '"Vpcs": [', '"Subnets": [',
     ["vpcs.json", "no \"Vpcs\" list", "describe-vpcs"]),
])
def test_wrong_types_name_file_and_field(tmp_path, file, old, new, words):
    d = copy_fixture(tmp_path, "seed-nat-instance")
    text = (d / file).read_text()
    assert old in text
    (d / file).write_text(text.replace(old, new, 1))
    expect_error(d, *words)


# ---- round trip: the daemon's state, dumped by the real aws CLI ----

def build_topology(ec2):
    """The seed (bastion, NAT instance, private instance, NACL) plus a NAT
    gateway subnet and a peered and an unpeered VPC."""
    v = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    pub = ec2.create_subnet(VpcId=v, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    priv = ec2.create_subnet(VpcId=v, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    priv2 = ec2.create_subnet(VpcId=v, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=v)
    rt_pub = ec2.create_route_table(VpcId=v)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt_pub, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rt_pub, SubnetId=pub)

    def group(name, vpc=v):
        return ec2.create_security_group(GroupName=name, Description=name, VpcId=vpc)["GroupId"]

    g_bas, g_nat, g_priv = group("BastionSG"), group("NATSG"), group("PrivateSG")
    ec2.authorize_security_group_ingress(GroupId=g_bas, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "203.0.113.10/32", "Description": "My IP"}]}])
    ec2.authorize_security_group_ingress(GroupId=g_priv, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "UserIdGroupPairs": [{"GroupId": g_bas}]},
        {"IpProtocol": "tcp", "FromPort": 8000, "ToPort": 8099,
         "UserIdGroupPairs": [{"GroupId": g_bas}]},
        {"IpProtocol": "icmp", "FromPort": -1, "ToPort": -1,
         "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
    ec2.authorize_security_group_ingress(GroupId=g_nat, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "IpRanges": [{"CidrIp": "10.0.1.0/24"}]},
        {"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
         "IpRanges": [{"CidrIp": "10.0.1.0/24"}]}])

    def run(subnet, groups, public=False, name=None):
        ni = {"DeviceIndex": 0, "SubnetId": subnet, "Groups": groups,
              "AssociatePublicIpAddress": public}
        i = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, NetworkInterfaces=[ni],
                              TagSpecifications=[{"ResourceType": "instance", "Tags": [
                                  {"Key": "Name", "Value": name}]}])["Instances"][0]
        return i["InstanceId"]

    nat = run(pub, [g_nat], True, "NAT")
    ec2.modify_instance_attribute(InstanceId=nat, SourceDestCheck={"Value": False})
    bastion = run(pub, [g_bas], True, "Bastion")
    internal = run(priv, [g_priv], False, "Internal")
    rt_priv = ec2.create_route_table(VpcId=v)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt_priv, DestinationCidrBlock="0.0.0.0/0", InstanceId=nat)
    ec2.associate_route_table(RouteTableId=rt_priv, SubnetId=priv)
    acl = ec2.create_network_acl(VpcId=v)["NetworkAcl"]["NetworkAclId"]
    for n, proto, action, cidr, ports, egress in [
            (100, "6", "allow", "10.0.0.0/24", (22, 22), False),
            (105, "6", "deny", "10.0.0.0/24", (8080, 8080), False),
            (110, "6", "allow", "0.0.0.0/0", (1024, 65535), False),
            (120, "1", "allow", "10.0.0.0/16", None, False),
            (100, "-1", "allow", "0.0.0.0/0", None, True)]:
        kw = {"PortRange": {"From": ports[0], "To": ports[1]}} if ports else {}
        if proto == "1":
            kw = {"IcmpTypeCode": {"Type": -1, "Code": -1}}
        ec2.create_network_acl_entry(NetworkAclId=acl, RuleNumber=n, Protocol=proto,
                                     RuleAction=action, CidrBlock=cidr, Egress=egress, **kw)
    assoc = [a for t in ec2.describe_network_acls(
        Filters=[{"Name": "association.subnet-id", "Values": [priv]}])["NetworkAcls"]
        for a in t["Associations"] if a["SubnetId"] == priv][0]
    ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                        NetworkAclId=acl)
    # a NAT gateway for the second private subnet
    eip = ec2.allocate_address(Domain="vpc")["AllocationId"]
    ngw = ec2.create_nat_gateway(SubnetId=pub, AllocationId=eip)["NatGateway"]["NatGatewayId"]
    rt_priv2 = ec2.create_route_table(VpcId=v)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rt_priv2, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=ngw)
    ec2.associate_route_table(RouteTableId=rt_priv2, SubnetId=priv2)
    worker = run(priv2, [g_priv], False, "Worker")
    # B peered with the seed VPC, C not
    b = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    c = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    sb = ec2.create_subnet(VpcId=b, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    sc = ec2.create_subnet(VpcId=c, CidrBlock="10.3.1.0/24")["Subnet"]["SubnetId"]
    gb, gc = group("db", b), group("other", c)
    ec2.authorize_security_group_ingress(GroupId=gb, IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}])
    ec2.authorize_security_group_ingress(GroupId=gc, IpPermissions=[{
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.0.0/8"}]}])
    pcx = ec2.create_vpc_peering_connection(VpcId=v, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    main_b = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [b]}])[
        "RouteTables"][0]["RouteTableId"]
    ec2.create_route(RouteTableId=main_b, DestinationCidrBlock="10.0.0.0/16",
                     VpcPeeringConnectionId=pcx)
    ec2.create_route(RouteTableId=rt_pub, DestinationCidrBlock="10.2.0.0/16",
                     VpcPeeringConnectionId=pcx)
    db = run(sb, [gb], False, "db-b")
    other = run(sc, [gc], False, "other-c")
    return {"nat": nat, "bastion": bastion, "internal": internal, "worker": worker, "db": db,
            "other": other}


def dump(daemon, d):
    """Every describe-… through the real aws CLI, as a user would."""
    env = dict(os.environ, AWS_ACCESS_KEY_ID="test", AWS_SECRET_ACCESS_KEY="test",
               AWS_DEFAULT_REGION=REGION, AWS_PAGER="", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null", AWS_MAX_ATTEMPTS="1")
    for name in DESCRIBES:
        with open(os.path.join(d, name + ".json"), "w") as f:
            subprocess.run([AWS, "ec2", "describe-" + name, "--endpoint-url", daemon.url,
                            "--output", "json"], stdout=f, env=env, check=True,
                           stdin=subprocess.DEVNULL, timeout=60)


def comparable(an):
    """What the offline view must reproduce.  Left out: rule IDs (sgr-…),
    which describe-security-groups does not print."""
    def hop(h):
        return (h["component_type"], h["component_id"], h["allowed"], h["direction"],
                h["acl_rule_number"], h["packet"])
    return {"reachable": an["reachable"],
            "forward": [hop(h) for h in an["forward"]],
            "return": [hop(h) for h in an["return"]],
            "explanations": an["explanations"],
            "suggestion": an["suggestion"]}


def test_round_trip_matches_the_daemon(daemon, ec2, tmp_path):
    ids = build_topology(ec2)
    dump(daemon, str(tmp_path))
    probes = [("internet", "bastion", "tcp", 22), ("internet:198.51.100.7", "bastion", "tcp", 22),
              ("internet", "internal", "tcp", 22)]
    for a in ("bastion", "nat", "internal", "worker", "db", "other"):
        for b in ("bastion", "nat", "internal", "worker", "db", "other"):
            if a != b:
                probes += [(a, b, "tcp", 22), (a, b, "tcp", 8080), (a, b, "icmp", None)]
        probes += [(a, "internet:198.51.100.7", "tcp", 443)]
    verdicts = set()
    for src, dst, proto, port in probes:
        s, t = ids.get(src, src), ids.get(dst, dst)
        rc1, live, err1 = trace(s, t, "--json", state_dir=daemon.state_dir, proto=proto, port=port)
        rc2, off, err2 = trace(s, t, "--json", aws_json=str(tmp_path), proto=proto, port=port)
        assert rc1 in (0, 1), err1
        assert (rc2, comparable(off)) == (rc1, comparable(live)), (src, dst, proto, port)
        verdicts.add((rc1, live["explanations"][0]["code"] if live["explanations"] else None))
    # The probes cover both verdicts and several reasons.
    assert (0, None) in verdicts
    assert {"ENI_SG_RULES_MISMATCH", "SUBNET_ACL_RESTRICTION",
            "NO_ROUTE_TO_DESTINATION"} <= {c for _, c in verdicts}
