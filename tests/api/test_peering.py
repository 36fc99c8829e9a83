# SPDX-License-Identifier: MIT
"""VPC peering (spec §13): the handshake, its end, expiry, options, routes to
a peering (RT-19) and security-group references across it (SG-10, SG-11)."""
import os
import sqlite3
import time

import pytest
from botocore.exceptions import ClientError

from conftest import Daemon, error_code, http_status

ACCOUNT = "123456789012"


def vpc(ec2, cidr):
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def describe(ec2, pcx):
    return ec2.describe_vpc_peering_connections(
        VpcPeeringConnectionIds=[pcx])["VpcPeeringConnections"][0]


def peer(ec2, a, b):
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    return pcx


def fails(code, fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    assert error_code(e) == code, e.value.response["Error"]
    return e


def test_handshake(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    r = ec2.create_vpc_peering_connection(
        VpcId=a, PeerVpcId=b, PeerOwnerId=ACCOUNT,
        TagSpecifications=[{"ResourceType": "vpc-peering-connection",
                            "Tags": [{"Key": "Name", "Value": "A-B"}]}])["VpcPeeringConnection"]
    pcx = r["VpcPeeringConnectionId"]
    assert pcx.startswith("pcx-")
    assert r["Status"] == {"Code": "initiating-request",
                           "Message": f"Initiating Request to {ACCOUNT}"}
    assert r["RequesterVpcInfo"]["VpcId"] == a
    assert r["RequesterVpcInfo"]["CidrBlock"] == "10.1.0.0/16"
    assert r["RequesterVpcInfo"]["CidrBlockSet"] == [{"CidrBlock": "10.1.0.0/16"}]
    assert r["RequesterVpcInfo"]["OwnerId"] == ACCOUNT
    assert r["RequesterVpcInfo"]["Region"] == "us-east-1"
    assert r["AccepterVpcInfo"]["VpcId"] == b
    assert r["AccepterVpcInfo"]["OwnerId"] == ACCOUNT
    assert "ExpirationTime" in r
    assert r["Tags"] == [{"Key": "Name", "Value": "A-B"}]

    d = describe(ec2, pcx)
    assert d["Status"]["Code"] == "pending-acceptance"
    assert d["Status"]["Message"] == f"Pending Acceptance by {ACCOUNT}"
    left = d["ExpirationTime"].timestamp() - time.time()
    assert 7 * 86400 - 120 < left <= 7 * 86400 + 5
    ec2.get_waiter("vpc_peering_connection_exists").wait(VpcPeeringConnectionIds=[pcx])
    ec2.create_tags(Resources=[pcx], Tags=[{"Key": "env", "Value": "dev"}])
    assert {"Key": "env", "Value": "dev"} in describe(ec2, pcx)["Tags"]
    got = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [pcx]}])["Tags"]
    assert {t["ResourceType"] for t in got} == {"vpc-peering-connection"}

    acc = ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)["VpcPeeringConnection"]
    assert acc["Status"]["Code"] == "provisioning"
    assert acc["VpcPeeringConnectionId"] == pcx
    d = describe(ec2, pcx)
    assert d["Status"] == {"Code": "active", "Message": "Active"}
    assert d["AccepterVpcInfo"]["CidrBlock"] == "10.2.0.0/16"
    assert d["AccepterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is False
    assert "ExpirationTime" not in d
    # Accepting twice is an invalid transition (PCX-5).
    fails("InvalidStateTransition", ec2.accept_vpc_peering_connection,
          VpcPeeringConnectionId=pcx)
    fails("InvalidStateTransition", ec2.reject_vpc_peering_connection,
          VpcPeeringConnectionId=pcx)
    assert ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)["Return"] is True
    d = describe(ec2, pcx)
    assert d["Status"]["Code"] == "deleted"
    ec2.get_waiter("vpc_peering_connection_deleted").wait(VpcPeeringConnectionIds=[pcx])
    fails("InvalidStateTransition", ec2.delete_vpc_peering_connection,
          VpcPeeringConnectionId=pcx)


def test_reject_and_delete_either_side(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    p1 = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    assert ec2.reject_vpc_peering_connection(VpcPeeringConnectionId=p1)["Return"] is True
    assert describe(ec2, p1)["Status"]["Code"] == "rejected"
    fails("InvalidStateTransition", ec2.accept_vpc_peering_connection, VpcPeeringConnectionId=p1)
    fails("InvalidStateTransition", ec2.delete_vpc_peering_connection, VpcPeeringConnectionId=p1)
    # A rejected peering no longer holds the pair: a new request may be made.
    p2 = peer(ec2, b, a)  # the other VPC as requester this time
    assert describe(ec2, p2)["Status"]["Code"] == "active"
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=p2)
    # Pending requests can be deleted too.
    p3 = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=p3)
    assert describe(ec2, p3)["Status"]["Code"] == "deleted"
    assert describe(ec2, p3)["Status"]["Message"] == f"Deleted by {ACCOUNT}"


def test_duplicate_peering(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    p1 = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    # Same direction: AWS answers with the connection that exists.
    again = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)["VpcPeeringConnection"]
    assert again["VpcPeeringConnectionId"] == p1
    # The reverse direction is refused (PCX-9).
    fails("VpcPeeringConnectionAlreadyExists", ec2.create_vpc_peering_connection,
          VpcId=b, PeerVpcId=a)
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=p1)
    fails("VpcPeeringConnectionAlreadyExists", ec2.create_vpc_peering_connection,
          VpcId=b, PeerVpcId=a)
    assert len(ec2.describe_vpc_peering_connections()["VpcPeeringConnections"]) == 1


def test_overlapping_blocks_fail(ec2):
    # SEED-T14: 10.0.0.0/16 and 10.0.128.0/17.
    a, b = vpc(ec2, "10.0.0.0/16"), vpc(ec2, "10.0.128.0/17")
    r = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)["VpcPeeringConnection"]
    assert r["Status"]["Code"] == "failed"
    d = describe(ec2, r["VpcPeeringConnectionId"])
    assert d["Status"]["Code"] == "failed"
    assert "overlapping CIDR range" in d["Status"]["Message"]
    fails("InvalidStateTransition", ec2.accept_vpc_peering_connection,
          VpcPeeringConnectionId=d["VpcPeeringConnectionId"])
    fails("InvalidStateTransition", ec2.delete_vpc_peering_connection,
          VpcPeeringConnectionId=d["VpcPeeringConnectionId"])
    # A secondary block counts too (PCX-4).
    c = vpc(ec2, "10.8.0.0/16")
    ec2.associate_vpc_cidr_block(VpcId=c, CidrBlock="10.9.0.0/16")
    e = vpc(ec2, "10.9.128.0/17")
    r = ec2.create_vpc_peering_connection(VpcId=c, PeerVpcId=e)["VpcPeeringConnection"]
    assert r["Status"]["Code"] == "failed"


def test_errors(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    fails("InvalidParameterValue", ec2.create_vpc_peering_connection, VpcId=a, PeerVpcId=a)
    fails("InvalidVpcID.NotFound", ec2.create_vpc_peering_connection,
          VpcId=a, PeerVpcId="vpc-0123456789abcdef0")
    fails("InvalidVpcID.NotFound", ec2.create_vpc_peering_connection,
          VpcId="vpc-0123456789abcdef0", PeerVpcId=b)
    fails("InvalidVpcID.Malformed", ec2.create_vpc_peering_connection, VpcId=a, PeerVpcId="foo")
    fails("MissingParameter", ec2.create_vpc_peering_connection, VpcId=a)
    fails("InvalidParameterValue", ec2.create_vpc_peering_connection,
          VpcId=a, PeerVpcId=b, PeerRegion="moon-1")
    for fn in (ec2.accept_vpc_peering_connection, ec2.reject_vpc_peering_connection,
               ec2.delete_vpc_peering_connection):
        fails("InvalidVpcPeeringConnectionID.NotFound", fn,
              VpcPeeringConnectionId="pcx-0123456789abcdef0")
        fails("InvalidVpcPeeringConnectionId.Malformed", fn, VpcPeeringConnectionId="vpc-1")
    fails("InvalidVpcPeeringConnectionID.NotFound", ec2.describe_vpc_peering_connections,
          VpcPeeringConnectionIds=["pcx-0123456789abcdef0"])
    fails("InvalidVpcPeeringConnectionId.Malformed", ec2.describe_vpc_peering_connections,
          VpcPeeringConnectionIds=["abc"])
    fails("InvalidParameterValue", ec2.describe_vpc_peering_connections,
          Filters=[{"Name": "nope", "Values": ["x"]}])


def test_foreign_owner_and_region_fail(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    r = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b,
                                          PeerOwnerId="210987654321")["VpcPeeringConnection"]
    assert r["Status"]["Code"] == "failed"
    r = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId="vpc-0123456789abcdef0",
                                          PeerRegion="eu-west-1")["VpcPeeringConnection"]
    assert r["Status"]["Code"] == "failed"
    # Our own region spelled out is fine.
    r = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b,
                                          PeerRegion="us-east-1")["VpcPeeringConnection"]
    assert describe(ec2, r["VpcPeeringConnectionId"])["Status"]["Code"] == "pending-acceptance"


def test_dry_run(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    e = fails("DryRunOperation", ec2.create_vpc_peering_connection, VpcId=a, PeerVpcId=b,
              DryRun=True)
    assert http_status(e) == 412
    assert ec2.describe_vpc_peering_connections()["VpcPeeringConnections"] == []
    fails("InvalidParameterValue", ec2.create_vpc_peering_connection, VpcId=a, PeerVpcId=a,
          DryRun=True)
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    fails("DryRunOperation", ec2.accept_vpc_peering_connection, VpcPeeringConnectionId=pcx,
          DryRun=True)
    fails("DryRunOperation", ec2.reject_vpc_peering_connection, VpcPeeringConnectionId=pcx,
          DryRun=True)
    fails("DryRunOperation", ec2.delete_vpc_peering_connection, VpcPeeringConnectionId=pcx,
          DryRun=True)
    fails("DryRunOperation", ec2.describe_vpc_peering_connections, DryRun=True)
    assert describe(ec2, pcx)["Status"]["Code"] == "pending-acceptance"
    fails("InvalidStateTransition", ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId=pcx, DryRun=True,
          RequesterPeeringConnectionOptions={"AllowDnsResolutionFromRemoteVpc": True})


def test_expiry(state_dir):
    d = Daemon(state_dir, extra=["--no-dataplane", "--peering-expiry", "2"]).start()
    try:
        ec2 = d.client()
        a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
        pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
            "VpcPeeringConnection"]["VpcPeeringConnectionId"]
        active = peer(ec2, a, vpc(ec2, "10.3.0.0/16"))
        assert describe(ec2, pcx)["Status"]["Code"] == "pending-acceptance"
        deadline = time.monotonic() + 10
        while describe(ec2, pcx)["Status"]["Code"] != "expired":
            assert time.monotonic() < deadline
            time.sleep(0.5)
        assert describe(ec2, pcx)["Status"]["Message"] == "Expired"
        assert describe(ec2, active)["Status"]["Code"] == "active"  # active never expires
        fails("InvalidStateTransition", ec2.accept_vpc_peering_connection,
              VpcPeeringConnectionId=pcx)
        ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)  # the pair is free again
    finally:
        assert d.stop() == 0


def test_ended_peerings_vanish(state_dir):
    d = Daemon(state_dir).start()
    ec2 = d.client()
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    pcx = peer(ec2, a, b)
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert d.stop() == 0
    # PCX-3: a deleted peering stays visible for 2 h; move its end back.
    db = sqlite3.connect(os.path.join(state_dir, "state.db"))
    db.execute("UPDATE pcx SET expire_time = expire_time - 7201")
    db.commit()
    db.close()
    d = Daemon(state_dir).start()
    try:
        ec2 = d.client()
        assert ec2.describe_vpc_peering_connections()["VpcPeeringConnections"] == []
        fails("InvalidVpcPeeringConnectionID.NotFound", ec2.describe_vpc_peering_connections,
              VpcPeeringConnectionIds=[pcx])
    finally:
        assert d.stop() == 0


def test_active_limit(state_dir):
    d = Daemon(state_dir).start()
    ec2 = d.client()
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    pending = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    assert d.stop() == 0
    # Fill VPC a to the quota (50 active peerings) behind the daemon's back.
    db = sqlite3.connect(os.path.join(state_dir, "state.db"))
    db.executemany("INSERT INTO pcx(id, requester_vpc, accepter_vpc, state, create_time)"
                   " VALUES (?, ?, ?, 'active', 0)",
                   [("pcx-%017x" % i, a, "vpc-%017x" % i) for i in range(1, 51)])
    db.commit()
    db.close()
    d = Daemon(state_dir).start()
    try:
        ec2 = d.client()
        fails("ActiveVpcPeeringConnectionPerVpcLimitExceeded", ec2.accept_vpc_peering_connection,
              VpcPeeringConnectionId=pending)
        c = vpc(ec2, "10.3.0.0/16")
        fails("ActiveVpcPeeringConnectionPerVpcLimitExceeded",
              ec2.create_vpc_peering_connection, VpcId=c, PeerVpcId=a)
    finally:
        assert d.stop() == 0


def test_filters_and_paging(ec2):
    v1, v2, v3 = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16"), vpc(ec2, "10.3.0.0/16")
    p12 = peer(ec2, v1, v2)
    p23 = ec2.create_vpc_peering_connection(
        VpcId=v2, PeerVpcId=v3,
        TagSpecifications=[{"ResourceType": "vpc-peering-connection",
                            "Tags": [{"Key": "env", "Value": "test"}]}])[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]

    def ids(*filters, **kw):
        r = ec2.describe_vpc_peering_connections(
            Filters=[{"Name": n, "Values": v} for n, v in filters], **kw)
        return sorted(p["VpcPeeringConnectionId"] for p in r["VpcPeeringConnections"])

    assert ids(("status-code", ["active"])) == [p12]
    assert ids(("status-code", ["pending-acceptance"])) == [p23]
    assert ids(("status-message", ["Active"])) == [p12]
    assert ids(("requester-vpc-info.vpc-id", [v2])) == [p23]
    assert ids(("accepter-vpc-info.vpc-id", [v2])) == [p12]
    assert ids(("requester-vpc-info.cidr-block", ["10.1.0.0/16"])) == [p12]
    assert ids(("accepter-vpc-info.cidr-block", ["10.2.0.0/16"])) == [p12]
    assert ids(("requester-vpc-info.owner-id", [ACCOUNT])) == sorted([p12, p23])
    assert ids(("accepter-vpc-info.owner-id", [ACCOUNT])) == sorted([p12, p23])
    assert ids(("vpc-peering-connection-id", [p23])) == [p23]
    assert ids(("tag:env", ["test"])) == [p23]
    assert ids(("tag-key", ["env"])) == [p23]
    assert ids(("status-code", ["active", "pending-acceptance"]),
               ("requester-vpc-info.vpc-id", [v1])) == [p12]
    exp = describe(ec2, p23)["ExpirationTime"].strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert ids(("expiration-time", [exp])) == [p23]
    first = ec2.describe_vpc_peering_connections(MaxResults=5)
    assert len(first["VpcPeeringConnections"]) == 2 and "NextToken" not in first


def test_paging_next_token(ec2):
    vs = [vpc(ec2, f"10.{i}.0.0/16") for i in range(1, 5)]
    made = [ec2.create_vpc_peering_connection(VpcId=vs[0], PeerVpcId=v)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"] for v in vs[1:]]
    made += [ec2.create_vpc_peering_connection(VpcId=vs[1], PeerVpcId=v)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"] for v in vs[2:]]
    made += [ec2.create_vpc_peering_connection(VpcId=vs[2], PeerVpcId=vs[3])[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]]
    got, token = [], None
    while True:
        kw = {"NextToken": token} if token else {}
        r = ec2.describe_vpc_peering_connections(MaxResults=5, **kw)
        got += [p["VpcPeeringConnectionId"] for p in r["VpcPeeringConnections"]]
        token = r.get("NextToken")
        if not token:
            break
    assert got == made


def test_modify_options(ec2):
    a, b = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16")
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    opt = {"AllowDnsResolutionFromRemoteVpc": True}
    fails("InvalidStateTransition", ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId=pcx, RequesterPeeringConnectionOptions=opt)
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    # PCX-15: both VPCs need DNS hostnames.
    fails("InvalidVpcPeeringConnectionState.DnsHostnamesDisabled",
          ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId=pcx, RequesterPeeringConnectionOptions=opt)
    for v in (a, b):
        ec2.modify_vpc_attribute(VpcId=v, EnableDnsHostnames={"Value": True})
    fails("DryRunOperation", ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId=pcx, RequesterPeeringConnectionOptions=opt, DryRun=True)
    r = ec2.modify_vpc_peering_connection_options(
        VpcPeeringConnectionId=pcx, AccepterPeeringConnectionOptions=opt)
    assert r["AccepterPeeringConnectionOptions"]["AllowDnsResolutionFromRemoteVpc"] is True
    assert "RequesterPeeringConnectionOptions" not in r
    d = describe(ec2, pcx)
    assert d["AccepterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is True
    assert d["RequesterVpcInfo"]["PeeringOptions"]["AllowDnsResolutionFromRemoteVpc"] is False
    fails("MissingParameter", ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId=pcx)
    fails("InvalidVpcPeeringConnectionID.NotFound", ec2.modify_vpc_peering_connection_options,
          VpcPeeringConnectionId="pcx-0123456789abcdef0", AccepterPeeringConnectionOptions=opt)


def routes(ec2, rtb):
    return {r["DestinationCidrBlock"]: r for r in
            ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]}


def main_rtb(ec2, v):
    return ec2.describe_route_tables(Filters=[
        {"Name": "vpc-id", "Values": [v]},
        {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]["RouteTableId"]


def test_routes_to_peering(ec2):
    a, b, c = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16"), vpc(ec2, "10.3.0.0/16")
    ra, rc = main_rtb(ec2, a), main_rtb(ec2, c)
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    # A pending peering may be a target; its route is blackhole (RT-19).
    ec2.create_route(RouteTableId=ra, DestinationCidrBlock="10.2.0.0/16",
                     VpcPeeringConnectionId=pcx)
    r = routes(ec2, ra)["10.2.0.0/16"]
    assert r["VpcPeeringConnectionId"] == pcx and r["State"] == "blackhole"
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert routes(ec2, ra)["10.2.0.0/16"]["State"] == "active"
    rb = main_rtb(ec2, b)
    ec2.create_route(RouteTableId=rb, DestinationCidrBlock="10.1.5.0/24",
                     VpcPeeringConnectionId=pcx)
    assert routes(ec2, rb)["10.1.5.0/24"]["State"] == "active"
    got = ec2.describe_route_tables(Filters=[
        {"Name": "route.vpc-peering-connection-id", "Values": [pcx]}])["RouteTables"]
    assert sorted(t["RouteTableId"] for t in got) == sorted([ra, rb])
    # The peering must involve the table's VPC.
    fails("InvalidParameterValue", ec2.create_route, RouteTableId=rc,
          DestinationCidrBlock="10.2.0.0/16", VpcPeeringConnectionId=pcx)
    fails("InvalidVpcPeeringConnectionID.NotFound", ec2.create_route, RouteTableId=ra,
          DestinationCidrBlock="10.9.0.0/16", VpcPeeringConnectionId="pcx-0123456789abcdef0")
    fails("InvalidVpcPeeringConnectionId.Malformed", ec2.create_route, RouteTableId=ra,
          DestinationCidrBlock="10.9.0.0/16", VpcPeeringConnectionId="igw-1")
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    assert routes(ec2, ra)["10.2.0.0/16"]["State"] == "blackhole"
    assert routes(ec2, rb)["10.1.5.0/24"]["State"] == "blackhole"
    got = ec2.describe_route_tables(Filters=[
        {"Name": "route.state", "Values": ["blackhole"]}])["RouteTables"]
    assert sorted(t["RouteTableId"] for t in got) == sorted([ra, rb])
    # An ended peering names nothing a new route could use.
    fails("InvalidVpcPeeringConnectionID.NotFound", ec2.create_route, RouteTableId=ra,
          DestinationCidrBlock="10.2.1.0/24", VpcPeeringConnectionId=pcx)


def sg(ec2, v, name):
    return ec2.create_security_group(GroupName=name, Description=name, VpcId=v)["GroupId"]


def ingress_pairs(ec2, g):
    perms = ec2.describe_security_groups(GroupIds=[g])["SecurityGroups"][0]["IpPermissions"]
    return [p for perm in perms for p in perm["UserIdGroupPairs"]]


def test_sg_reference_across_peering(ec2):
    a, b, c = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16"), vpc(ec2, "10.3.0.0/16")
    ga, gb, gc = sg(ec2, a, "ga"), sg(ec2, b, "gb"), sg(ec2, c, "gc")
    perm = lambda g: [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,  # noqa: E731
                       "UserIdGroupPairs": [{"GroupId": g}]}]
    # Not peered: the group of another VPC is refused (SG-10).
    fails("InvalidGroup.NotFound", ec2.authorize_security_group_ingress,
          GroupId=ga, IpPermissions=perm(gb))
    pcx = ec2.create_vpc_peering_connection(VpcId=a, PeerVpcId=b)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    # Pending is not enough.
    fails("InvalidGroup.NotFound", ec2.authorize_security_group_ingress,
          GroupId=ga, IpPermissions=perm(gb))
    ec2.accept_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    ec2.authorize_security_group_ingress(GroupId=ga, IpPermissions=perm(gb))
    ec2.authorize_security_group_ingress(GroupId=gb, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80,
         "UserIdGroupPairs": [{"GroupId": ga, "UserId": ACCOUNT,
                               "VpcPeeringConnectionId": pcx}]}])
    [pair] = ingress_pairs(ec2, ga)
    assert pair["GroupId"] == gb
    assert pair["VpcId"] == b
    assert pair["VpcPeeringConnectionId"] == pcx
    assert pair["PeeringStatus"] == "active"
    # Still no reference to an unpeered VPC.
    fails("InvalidGroup.NotFound", ec2.authorize_security_group_ingress,
          GroupId=ga, IpPermissions=perm(gc))
    # SG-11: deleting the peering leaves the rule, stale.
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=pcx)
    [pair] = ingress_pairs(ec2, ga)
    assert pair["GroupId"] == gb and pair["PeeringStatus"] == "deleted"
    fails("InvalidGroup.NotFound", ec2.authorize_security_group_ingress,
          GroupId=ga, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 23, "ToPort": 23,
                                      "UserIdGroupPairs": [{"GroupId": gb}]}])
    stale = ec2.describe_stale_security_groups(VpcId=a)["StaleSecurityGroupSet"]
    assert [g["GroupId"] for g in stale] == [ga]
    [perm22] = stale[0]["StaleIpPermissions"]
    assert perm22["IpProtocol"] == "tcp" and perm22["FromPort"] == 22
    assert perm22["UserIdGroupPairs"][0]["GroupId"] == gb
    assert perm22["UserIdGroupPairs"][0]["VpcPeeringConnectionId"] == pcx
    assert perm22["UserIdGroupPairs"][0]["PeeringStatus"] == "deleted"
    assert [g["GroupId"] for g in
            ec2.describe_stale_security_groups(VpcId=b)["StaleSecurityGroupSet"]] == [gb]
    assert ec2.describe_stale_security_groups(VpcId=c)["StaleSecurityGroupSet"] == []
    # SG-11: peering the two VPCs again revives the rule.
    again = peer(ec2, b, a)
    assert ec2.describe_stale_security_groups(VpcId=a)["StaleSecurityGroupSet"] == []
    [pair] = ingress_pairs(ec2, ga)
    assert pair["VpcPeeringConnectionId"] == again and pair["PeeringStatus"] == "active"
    ec2.delete_vpc_peering_connection(VpcPeeringConnectionId=again)
    # A stale rule can still be revoked.
    ec2.revoke_security_group_ingress(GroupId=ga, IpPermissions=perm(gb))
    assert ingress_pairs(ec2, ga) == []


def test_delete_vpc_deletes_its_peerings(ec2):
    a, b, c = vpc(ec2, "10.1.0.0/16"), vpc(ec2, "10.2.0.0/16"), vpc(ec2, "10.3.0.0/16")
    active = peer(ec2, a, b)
    pending = ec2.create_vpc_peering_connection(VpcId=c, PeerVpcId=a)[
        "VpcPeeringConnection"]["VpcPeeringConnectionId"]
    fails("DryRunOperation", ec2.delete_vpc, VpcId=a, DryRun=True)
    assert describe(ec2, active)["Status"]["Code"] == "active"
    ec2.delete_vpc(VpcId=a)
    assert describe(ec2, active)["Status"]["Code"] == "deleted"
    assert describe(ec2, pending)["Status"]["Code"] == "deleted"


def test_seed_three_vpcs(daemon):
    """Seed 001: VPC 1 ↔ VPC 2 and VPC 2 ↔ VPC 3 peered; 1 and 3 are not."""
    cli = daemon.aws
    v = [cli("ec2", "create-vpc", "--cidr-block", f"10.{i}.0.0/16")["Vpc"]["VpcId"]
         for i in (1, 2, 3)]
    p12 = cli("ec2", "create-vpc-peering-connection", "--vpc-id", v[0],
              "--peer-vpc-id", v[1])["VpcPeeringConnection"]
    assert p12["Status"]["Code"] == "initiating-request"
    p12 = p12["VpcPeeringConnectionId"]
    acc = cli("ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", p12)
    assert acc["VpcPeeringConnection"]["VpcPeeringConnectionId"] == p12
    p23 = cli("ec2", "create-vpc-peering-connection", "--vpc-id", v[1],
              "--peer-vpc-id", v[2])["VpcPeeringConnection"]["VpcPeeringConnectionId"]
    cli("ec2", "accept-vpc-peering-connection", "--vpc-peering-connection-id", p23)
    cli("ec2", "wait", "vpc-peering-connection-exists", "--vpc-peering-connection-ids", p12)
    got = cli("ec2", "describe-vpc-peering-connections", "--filters",
              "Name=status-code,Values=active")["VpcPeeringConnections"]
    assert sorted(p["VpcPeeringConnectionId"] for p in got) == sorted([p12, p23])
    # No 1 ↔ 3 peering: routes cannot use 1↔2's peering from VPC 3.
    for p in got:
        pair = {p["RequesterVpcInfo"]["VpcId"], p["AccepterVpcInfo"]["VpcId"]}
        assert pair != {v[0], v[2]}
    rtb3 = cli("ec2", "describe-route-tables", "--filters", f"Name=vpc-id,Values={v[2]}")[
        "RouteTables"][0]["RouteTableId"]
    rc, _, err = cli("ec2", "create-route", "--route-table-id", rtb3, "--destination-cidr-block",
                     "10.1.0.0/16", "--vpc-peering-connection-id", p12, check=False)
    assert rc != 0 and "InvalidParameterValue" in err
    rtb1 = cli("ec2", "describe-route-tables", "--filters", f"Name=vpc-id,Values={v[0]}")[
        "RouteTables"][0]["RouteTableId"]
    cli("ec2", "create-route", "--route-table-id", rtb1, "--destination-cidr-block",
        "10.2.0.0/16", "--vpc-peering-connection-id", p12)
    rc, _, err = cli("ec2", "reject-vpc-peering-connection", "--vpc-peering-connection-id", p23,
                     check=False)
    assert rc != 0 and "InvalidStateTransition" in err
    assert cli("ec2", "delete-vpc-peering-connection", "--vpc-peering-connection-id",
               p23)["Return"] is True
