# SPDX-License-Identifier: MIT
"""`localvpc diagram` (issue 7): the seed's architecture built through the
API, drawn from the state dir while the daemon runs, and read back from the
SVG — boxes by data-kind/data-id, containment by geometry, arrows by
data-from/data-to and their end points."""
import os
import subprocess
import xml.etree.ElementTree as ET

import pytest

from conftest import BIN, Daemon

AMI = "ami-0de12b0000c0ffee1"
NS = "{http://www.w3.org/2000/svg}"


def name(ec2, rid, value):
    ec2.create_tags(Resources=[rid], Tags=[{"Key": "Name", "Value": value}])


def seed(ec2):
    """The first seed article's VPC, plus a peered second VPC."""
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    name(ec2, vpc, "My Test VPC")
    az = ec2.describe_availability_zones()["AvailabilityZones"][0]["ZoneName"]
    pub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24",
                            AvailabilityZone=az)["Subnet"]["SubnetId"]
    priv = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24",
                             AvailabilityZone=az)["Subnet"]["SubnetId"]
    name(ec2, pub, "Public Subnet")
    name(ec2, priv, "Private Subnet")
    ec2.modify_subnet_attribute(SubnetId=pub, MapPublicIpOnLaunch={"Value": True})
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    name(ec2, igw, "Public Subnet Gateway")
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    pub_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    name(ec2, pub_rt, "Public Route Table")
    ec2.create_route(RouteTableId=pub_rt, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.associate_route_table(RouteTableId=pub_rt, SubnetId=pub)
    priv_rt = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    name(ec2, priv_rt, "Private Route Table")
    ec2.associate_route_table(RouteTableId=priv_rt, SubnetId=priv)
    nat_sg = ec2.create_security_group(GroupName="NAT SG", Description="NAT",
                                       VpcId=vpc)["GroupId"]
    bastion_sg = ec2.create_security_group(GroupName="Bastion Security Group",
                                           Description="bastion", VpcId=vpc)["GroupId"]

    def run(subnet, sg, label):
        i = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet,
                              SecurityGroupIds=[sg])["Instances"][0]
        name(ec2, i["InstanceId"], label)
        return i

    nat = run(pub, nat_sg, "NAT Server")
    ec2.modify_instance_attribute(InstanceId=nat["InstanceId"],
                                  SourceDestCheck={"Value": False})
    ec2.create_route(RouteTableId=priv_rt, DestinationCidrBlock="0.0.0.0/0",
                     InstanceId=nat["InstanceId"])
    bastion = run(pub, bastion_sg, "Bastion Server")
    internal = run(priv, nat_sg, "Internal Server")

    other = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    name(ec2, other, "Shared Services")
    pcx = ec2.create_vpc_peering_connection(VpcId=vpc, PeerVpcId=other)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.create_route(RouteTableId=priv_rt, DestinationCidrBlock="10.9.0.0/16",
                     VpcPeeringConnectionId=pcx)

    ids = dict(vpc=vpc, other=other, pub=pub, priv=priv, igw=igw, pcx=pcx, az=az,
               nat=nat["InstanceId"], bastion=bastion["InstanceId"],
               internal=internal["InstanceId"])
    for k in ("nat", "bastion", "internal"):
        d = ec2.describe_instances(InstanceIds=[ids[k]])["Reservations"][0]["Instances"][0]
        ids[k + "_ip"] = d["PrivateIpAddress"]
        ids[k + "_pub"] = d.get("PublicIpAddress")
    return ids


def diagram(daemon, *args, out=None):
    out = out or os.path.join(daemon.state_dir, "..", "arch.svg")
    p = subprocess.run([BIN, "diagram", "--state-dir", daemon.state_dir, *args, "-o", out],
                       capture_output=True, text=True, timeout=60)
    return p, out


def draw(daemon, *args):
    p, out = diagram(daemon, *args)
    assert p.returncode == 0, p.stderr
    with open(out, "rb") as f:
        data = f.read()
    return Picture(ET.fromstring(data)), data


class Picture:
    """The boxes and edges of a diagram, read back from its SVG."""

    def __init__(self, root):
        assert root.tag == NS + "svg"
        self.boxes, self.edges = [], []
        for g in root.iter(NS + "g"):
            if g.get("class") == "box":
                r = g.find(NS + "rect")
                geo = tuple(int(r.get(k)) for k in ("x", "y", "width", "height"))
                text = [t.text or "" for t in g.findall(NS + "text")]
                self.boxes.append(dict(kind=g.get("data-kind"), id=g.get("data-id"),
                                       role=g.get("data-role"), parent=g.get("data-parent"),
                                       geo=geo, text=text, cls=r.get("class")))
            elif g.get("class") == "edge":
                line = g.find(NS + "polyline")
                pts = [tuple(int(v) for v in p.split(","))
                       for p in line.get("points").split()]
                self.edges.append(dict(kind=g.get("data-kind"), frm=g.get("data-from"),
                                       to=g.get("data-to"), attrs=dict(g.attrib), pts=pts,
                                       arrow=line.get("marker-end"),
                                       label=[t.text for t in g.findall(NS + "text")]))

    def box(self, kind, rid, parent=None):
        got = [b for b in self.boxes if b["kind"] == kind and b["id"] == rid
               and (parent is None or b["parent"] == parent)]
        assert len(got) == 1, (kind, rid, [(b["kind"], b["id"]) for b in self.boxes])
        return got[0]

    def has(self, kind, rid):
        return any(b["kind"] == kind and b["id"] == rid for b in self.boxes)

    def edge(self, kind, frm, to):
        got = [e for e in self.edges if e["kind"] == kind and e["frm"] == frm and e["to"] == to]
        assert len(got) == 1, (kind, frm, to, self.edges)
        return got[0]


def inside(inner, outer):
    x, y, w, h = inner["geo"]
    X, Y, W, H = outer["geo"]
    return X <= x and Y <= y and x + w <= X + W and y + h <= Y + H


def on_edge(pt, box):
    """True when pt lies on the border of box."""
    x, y = pt
    X, Y, W, H = box["geo"]
    within = X <= x <= X + W and Y <= y <= Y + H
    return within and (x in (X, X + W) or y in (Y, Y + H))


def overlap(a, b):
    x, y, w, h = a["geo"]
    X, Y, W, H = b["geo"]
    return x < X + W and X < x + w and y < Y + H and Y < y + h


def test_seed_architecture(daemon, ec2):
    ids = seed(ec2)
    pic, data = draw(daemon)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')

    region = pic.box("region", "us-east-1")
    vpc = pic.box("vpc", ids["vpc"])
    assert "My Test VPC" in vpc["text"] and "10.0.0.0/16" in vpc["text"]
    assert inside(vpc, region)
    # The default VPC is left out when others exist.
    assert not any(b["kind"] == "vpc" and "default VPC" in b["text"] for b in pic.boxes)
    az = pic.box("az", ids["az"], parent=ids["vpc"])
    assert inside(az, vpc)

    pub, priv = pic.box("subnet", ids["pub"]), pic.box("subnet", ids["priv"])
    for sn, label, cidr, role in ((pub, "Public Subnet", "10.0.1.0/24", "public"),
                                  (priv, "Private Subnet", "10.0.2.0/24", "private")):
        assert inside(sn, az) and inside(sn, vpc)
        assert sn["text"][0] == label
        assert any(cidr in t and role in t for t in sn["text"])
        assert sn["role"] == role and role in sn["cls"]
    assert not overlap(pub, priv)
    # The local route is shown with the others.
    assert "10.0.0.0/16 -> local" in priv["text"]
    assert f"0.0.0.0/0 -> {ids['nat']}" in priv["text"]

    for key, sn in (("nat", pub), ("bastion", pub), ("internal", priv)):
        inst = pic.box("instance", ids[key])
        assert inside(inst, sn), key
        assert ids[key] in inst["text"]
        assert f"private {ids[key + '_ip']}" in inst["text"]
        assert any(t.startswith("running") for t in inst["text"])
        if ids[key + "_pub"]:
            assert f"public {ids[key + '_pub']}" in inst["text"]
    assert ids["nat_pub"] and ids["bastion_pub"] and not ids["internal_pub"]
    nat = pic.box("instance", ids["nat"])
    assert nat["role"] == "nat" and "nat" in nat["cls"]
    assert any("NAT instance" in t for t in nat["text"])
    assert "SG: NAT SG" in nat["text"]
    assert "SG: Bastion Security Group" in pic.box("instance", ids["bastion"])["text"]
    assert pic.box("instance", ids["bastion"])["role"] == ""
    assert not overlap(nat, pic.box("instance", ids["bastion"]))

    # The internet gateway on the VPC's top edge, the internet above it.
    igw = pic.box("igw", ids["igw"])
    assert "Public Subnet Gateway" in igw["text"]
    X, Y, W, H = igw["geo"]
    assert Y < vpc["geo"][1] < Y + H
    internet = pic.box("internet", "internet")
    assert internet["geo"][1] + internet["geo"][3] < Y
    link = pic.edge("internet", "internet", ids["igw"])
    assert on_edge(link["pts"][0], internet) and on_edge(link["pts"][-1], igw)

    # Route arrows: public → igw, private → the NAT instance, private → peering.
    r = pic.edge("route", ids["pub"], ids["igw"])
    assert r["arrow"] and r["attrs"]["data-dest"] == "0.0.0.0/0"
    assert on_edge(r["pts"][0], pub) and on_edge(r["pts"][-1], igw)
    r = pic.edge("route", ids["priv"], ids["nat"])
    assert r["arrow"] and r["attrs"]["data-dest"] == "0.0.0.0/0"
    assert on_edge(r["pts"][0], priv) and on_edge(r["pts"][-1], nat)
    # The arrow's segments are horizontal or vertical and cross no instance.
    for a, b in zip(r["pts"], r["pts"][1:]):
        assert a[0] == b[0] or a[1] == b[1]
    r = pic.edge("route", ids["priv"], ids["pcx"])
    assert r["attrs"]["data-dest"] == "10.9.0.0/16"
    port = pic.box("pcx", ids["pcx"], parent=ids["vpc"])
    assert on_edge(r["pts"][-1], port)

    # The peering: an attachment on each VPC, a link between them.
    other = pic.box("vpc", ids["other"])
    assert "Shared Services" in other["text"] and not overlap(vpc, other)
    far = pic.box("pcx", ids["pcx"], parent=ids["other"])
    p = pic.edge("peering", ids["vpc"], ids["other"])
    assert p["attrs"]["data-status"] == "active" and p["attrs"]["data-id"] == ids["pcx"]
    assert on_edge(p["pts"][0], port) and on_edge(p["pts"][-1], far)
    assert p["label"] and ids["pcx"] in p["label"][-1] and "active" in p["label"][-1]

    # Siblings never overlap; every text fits its box (monospace 0.62 em).
    for b in pic.boxes:
        for t_i, t in enumerate(b["text"]):
            px = 13 if t_i == 0 else 12
            assert len(t) * px * 0.62 <= b["geo"][2] - 10, (b["id"], t)
    for i, a in enumerate(pic.boxes):
        for b in pic.boxes[i + 1:]:
            if a["parent"] == b["parent"] and a["kind"] == b["kind"] and \
                    a["kind"] not in ("pcx",):
                assert not overlap(a, b), (a["id"], b["id"])

    # The same state draws the same bytes.
    assert draw(daemon)[1] == data


def test_nat_gateway_and_elastic_ip(daemon, ec2):
    ids = seed(ec2)
    azs = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    eip = ec2.allocate_address(Domain="vpc")
    ngw = ec2.create_nat_gateway(SubnetId=ids["pub"], AllocationId=eip["AllocationId"])[
        "NatGateway"]["NatGatewayId"]
    # A private subnet in a second AZ, routed across to the NAT gateway.
    sn = ec2.create_subnet(VpcId=ids["vpc"], CidrBlock="10.0.3.0/24",
                           AvailabilityZone=azs[1])["Subnet"]["SubnetId"]
    rt = ec2.create_route_table(VpcId=ids["vpc"])["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=rt, SubnetId=sn)
    ec2.create_route(RouteTableId=rt, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=ngw)
    bip = ec2.allocate_address(Domain="vpc")
    ec2.associate_address(AllocationId=bip["AllocationId"], InstanceId=ids["bastion"])

    pic, _ = draw(daemon)
    pub = pic.box("subnet", ids["pub"])
    g = pic.box("natgw", ngw)
    assert inside(g, pub) and g["role"] == "nat"
    assert f"Elastic IP {eip['PublicIp']}" in g["text"]
    assert f"Elastic IP {bip['PublicIp']}" in pic.box("instance", ids["bastion"])["text"]
    b = pic.box("subnet", sn)
    assert inside(b, pic.box("az", azs[1], parent=ids["vpc"]))
    assert not overlap(pic.box("az", azs[0], parent=ids["vpc"]),
                       pic.box("az", azs[1], parent=ids["vpc"]))
    r = pic.edge("route", sn, ngw)
    assert on_edge(r["pts"][0], b) and on_edge(r["pts"][-1], g)
    # Across AZs the arrow crosses no subnet or instance box on its way.
    for (x0, y0), (x1, y1) in zip(r["pts"][1:], r["pts"][2:-1]):
        for box in pic.boxes:
            if box["kind"] in ("subnet", "instance", "natgw"):
                X, Y, W, H = box["geo"]
                assert not (min(x0, x1) < X + W and X < max(x0, x1) + 1 and
                            min(y0, y1) < Y + H and Y < max(y0, y1) + 1), box["id"]


def test_escaping(daemon, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    evil = '<b>&"x"\'</b>'
    name(ec2, vpc, evil)
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.4.1.0/24")["Subnet"]["SubnetId"]
    name(ec2, sn, "a & b <c>")
    pic, data = draw(daemon)
    assert b"<b>" not in data and b'&"x"' not in data
    assert evil in pic.box("vpc", vpc)["text"]
    assert pic.box("subnet", sn)["text"][0] == "a & b <c>"


def test_vpc_filter(daemon, ec2):
    ids = seed(ec2)
    default = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])[
        "Vpcs"][0]["VpcId"]
    pic, _ = draw(daemon, "--vpc", ids["other"])
    assert [b["id"] for b in pic.boxes if b["kind"] == "vpc"] == [ids["other"]]
    assert not pic.has("subnet", ids["pub"]) and not pic.has("igw", ids["igw"])
    # The far side is not drawn: its attachment says where it leads, no link.
    port = pic.box("pcx", ids["pcx"])
    assert any("My Test VPC" in t for t in port["text"])
    assert not [e for e in pic.edges if e["kind"] == "peering"]

    pic, _ = draw(daemon, "--vpc", ids["vpc"], "--vpc", default)
    assert {b["id"] for b in pic.boxes if b["kind"] == "vpc"} == {ids["vpc"], default}
    pic, _ = draw(daemon, "--all")
    assert {b["id"] for b in pic.boxes if b["kind"] == "vpc"} == {
        ids["vpc"], ids["other"], default}


def test_default_vpc_alone(daemon, ec2):
    default = ec2.describe_vpcs()["Vpcs"]
    assert len(default) == 1 and default[0]["IsDefault"]
    pic, _ = draw(daemon)
    vpc = pic.box("vpc", default[0]["VpcId"])
    assert "default VPC" in vpc["text"]
    subnets = [b for b in pic.boxes if b["kind"] == "subnet"]
    assert len(subnets) == len(ec2.describe_subnets()["Subnets"]) > 1
    assert all(b["role"] == "public" for b in subnets)
    azs = [b for b in pic.boxes if b["kind"] == "az"]
    assert len(azs) == len(subnets)
    for i, a in enumerate(azs):  # AZs are columns side by side
        for b in azs[i + 1:]:
            assert not overlap(a, b) and a["geo"][1] == b["geo"][1]


def test_daemon_stopped(state_dir):
    """Drawn from the state alone, without a daemon; then the daemon starts
    on the same state as before (the diagram wrote nothing)."""
    d = Daemon(state_dir).start()
    ec2 = d.client()
    vpc = ec2.create_vpc(CidrBlock="10.5.0.0/16")["Vpc"]["VpcId"]
    assert d.stop() == 0
    db = os.path.join(state_dir, "state.db")
    before = open(db, "rb").read()
    p, _ = diagram(d, out="-")
    assert p.returncode == 0, p.stderr
    assert ET.fromstring(p.stdout.encode()) is not None and vpc in p.stdout
    assert open(db, "rb").read() == before
    d = Daemon(state_dir).start()
    assert [v["VpcId"] for v in d.client().describe_vpcs(VpcIds=[vpc])["Vpcs"]] == [vpc]
    assert d.stop() == 0


def test_unknown_vpc(daemon, ec2):
    p, out = diagram(daemon, "--vpc", "vpc-0123456789abcdef0")
    assert p.returncode != 0
    assert "vpc-0123456789abcdef0" in p.stderr and "does not exist" in p.stderr
    assert not os.path.exists(out)


def test_no_state(tmp_path):
    out = tmp_path / "x.svg"
    p = subprocess.run([BIN, "diagram", "--state-dir", str(tmp_path / "none"), "-o", str(out)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode != 0 and "cannot open the state" in p.stderr
    assert not out.exists() and not (tmp_path / "none").exists()


def test_usage():
    p = subprocess.run([BIN, "diagram"], capture_output=True, text=True, timeout=60)
    assert p.returncode == 2 and "usage" in p.stderr
