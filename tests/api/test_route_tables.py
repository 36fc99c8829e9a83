# SPDX-License-Identifier: MIT
"""Route tables through the API (spec §4, RT-1..24): tables, routes and
associations, their AWS error codes, DescribeRouteTables filters and pages,
DryRun, route state derived from the targets, and the aws CLI."""
import urllib.parse

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

AMI = "ami-0de12b0000c0ffee1"
MISSING_RTB = "rtb-00000000000000000"


def vpc_with_subnet(ec2, cidr="10.0.0.0/16", subnet="10.0.1.0/24"):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet)["Subnet"]["SubnetId"]
    return vpc, sn


def attached_igw(ec2, vpc):
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    return igw


def table(ec2, rtb):
    return ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]


def routes(ec2, rtb):
    return {r["DestinationCidrBlock"]: r for r in table(ec2, rtb)["Routes"]}


def main_table(ec2, vpc):
    return ec2.describe_route_tables(Filters=[
        {"Name": "vpc-id", "Values": [vpc]},
        {"Name": "association.main", "Values": ["true"]}])["RouteTables"][0]


def raises(code, fn, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        fn(*args, **kwargs)
    assert error_code(e) == code, e.value.response["Error"]
    return e


def instance(ec2, subnet):
    inst = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=subnet)["Instances"][0]
    return inst["InstanceId"], inst["NetworkInterfaces"][0]["NetworkInterfaceId"]


def with_params(ec2, operation, extra):
    """Adds query parameters Debian's botocore does not model yet (e.g.
    CreateRouteTable's ClientToken) to the next requests of one operation."""
    def add(request, **kwargs):
        if isinstance(request.data, dict):
            request.data.update(extra)
        else:
            request.data += "&" + urllib.parse.urlencode(extra)
    ec2.meta.events.register_first(f"before-sign.ec2.{operation}", add)


# Tables (RT-1, RT-2, RT-6, RT-7)

def test_new_vpc_has_a_main_table_with_its_local_route(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    tables = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]
    assert len(tables) == 1
    t = tables[0]
    assert t["RouteTableId"].startswith("rtb-") and t["VpcId"] == vpc
    assert t["OwnerId"] == "123456789012"
    assert t["PropagatingVgws"] == []
    [assoc] = t["Associations"]
    assert assoc["Main"] is True and "SubnetId" not in assoc
    assert assoc["RouteTableAssociationId"].startswith("rtbassoc-")
    assert assoc["RouteTableId"] == t["RouteTableId"]
    assert assoc["AssociationState"] == {"State": "associated"}
    assert t["Routes"] == [{"DestinationCidrBlock": "10.3.0.0/16", "GatewayId": "local",
                            "Origin": "CreateRouteTable", "State": "active"}]
    # RT-2: a new subnet uses the main table implicitly; nothing is listed.
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.3.1.0/24")
    assert table(ec2, t["RouteTableId"])["Associations"] == [assoc]


def test_create_route_table_shape_and_errors(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.5.0.0/16")
    t = ec2.create_route_table(VpcId=vpc, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "private"}]}])["RouteTable"]
    # RT-7: only the local routes (one per block) and no association.
    assert t["VpcId"] == vpc and t["Associations"] == []
    assert [(r["DestinationCidrBlock"], r["GatewayId"], r["Origin"], r["State"]) for r in t["Routes"]] == [
        ("10.4.0.0/16", "local", "CreateRouteTable", "active"),
        ("10.5.0.0/16", "local", "CreateRouteTable", "active")]
    assert t["Tags"] == [{"Key": "Name", "Value": "private"}]
    assert table(ec2, t["RouteTableId"])["Tags"] == [{"Key": "Name", "Value": "private"}]
    raises("InvalidVpcID.NotFound", ec2.create_route_table, VpcId="vpc-00000000000000000")
    raises("InvalidVpcID.Malformed", ec2.create_route_table, VpcId="subnet-0123")
    raises("InvalidParameterValue", ec2.create_route_table, VpcId=vpc, TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}])
    # A new block reaches every table of the VPC (VPC-5) and leaves with it.
    assoc = ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.6.0.0/16")
    assert "10.6.0.0/16" in routes(ec2, t["RouteTableId"])
    ec2.disassociate_vpc_cidr_block(AssociationId=assoc["CidrBlockAssociation"]["AssociationId"])
    assert "10.6.0.0/16" not in routes(ec2, t["RouteTableId"])


def test_create_route_table_client_token_is_idempotent(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.4.0.0/16")["Vpc"]["VpcId"]
    other = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    with_params(ec2, "CreateRouteTable", {"ClientToken": "token-1"})
    a = ec2.create_route_table(VpcId=vpc)
    b = ec2.create_route_table(VpcId=vpc)
    assert a["RouteTable"]["RouteTableId"] == b["RouteTable"]["RouteTableId"]
    assert len(ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"]) == 2
    raises("IdempotentParameterMismatch", ec2.create_route_table, VpcId=other)


def test_delete_route_table(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    main = main_table(ec2, vpc)["RouteTableId"]
    raises("InvalidRouteTableID.NotFound", ec2.delete_route_table, RouteTableId=MISSING_RTB)
    raises("InvalidRouteTableId.Malformed", ec2.delete_route_table, RouteTableId="igw-0123")
    # RT-6: the main table and an associated table stay.
    raises("DependencyViolation", ec2.delete_route_table, RouteTableId=main)
    assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=sn)["AssociationId"]
    raises("DependencyViolation", ec2.delete_route_table, RouteTableId=rtb)
    # VPC-11: a VPC with a table besides the main one cannot go.
    ec2.delete_subnet(SubnetId=ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.9.0/24")["Subnet"]["SubnetId"])
    ec2.disassociate_route_table(AssociationId=assoc)
    ec2.delete_subnet(SubnetId=sn)
    raises("DependencyViolation", ec2.delete_vpc, VpcId=vpc)
    ec2.delete_route_table(RouteTableId=rtb)
    raises("InvalidRouteTableID.NotFound", ec2.describe_route_tables, RouteTableIds=[rtb])
    ec2.delete_vpc(VpcId=vpc)


def test_route_table_quota(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for _ in range(199):  # RT-8: 200 per VPC, the main table included
        ec2.create_route_table(VpcId=vpc)
    raises("RouteTableLimitExceeded", ec2.create_route_table, VpcId=vpc)
    # The quota is per VPC.
    ec2.create_route_table(VpcId=ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"])


# Routes (RT-9..17)

def test_create_route_to_internet_gateway(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    assert ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)["Return"] is True
    # GEN-5: host bits are cleared.
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="203.0.113.77/24", GatewayId=igw)
    got = routes(ec2, rtb)
    assert got["0.0.0.0/0"] == {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw,
                                "Origin": "CreateRoute", "State": "active"}
    assert "203.0.113.0/24" in got
    # RT-11
    raises("RouteAlreadyExists", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    raises("RouteAlreadyExists", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="203.0.113.0/24", GatewayId=igw)


def test_create_route_gateway_errors(ec2):
    vpc, _ = vpc_with_subnet(ec2)
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    detached = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    elsewhere = attached_igw(ec2, other)
    args = {"RouteTableId": rtb, "DestinationCidrBlock": "0.0.0.0/0"}
    raises("InvalidGatewayID.NotFound", ec2.create_route, GatewayId="igw-00000000000000000", **args)
    raises("InvalidGatewayID.NotFound", ec2.create_route, GatewayId="vgw-00000000000000000", **args)
    e = raises("InvalidParameterValue", ec2.create_route, GatewayId=detached, **args)
    assert "belong to different networks" in e.value.response["Error"]["Message"]
    raises("InvalidParameterValue", ec2.create_route, GatewayId=elsewhere, **args)
    raises("InvalidRouteTableID.NotFound", ec2.create_route, RouteTableId=MISSING_RTB,
           DestinationCidrBlock="0.0.0.0/0", GatewayId=elsewhere)
    raises("InvalidRouteTableId.Malformed", ec2.create_route, RouteTableId=vpc,
           DestinationCidrBlock="0.0.0.0/0", GatewayId=elsewhere)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="10.0.0.0/33", GatewayId=detached)
    raises("MissingParameter", ec2.create_route, RouteTableId=rtb, GatewayId=detached)
    assert list(routes(ec2, rtb)) == ["10.0.0.0/16"]


def test_create_route_needs_exactly_one_target(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    rtb = main_table(ec2, vpc)["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    _, eni = instance(ec2, sn)
    args = {"RouteTableId": rtb, "DestinationCidrBlock": "0.0.0.0/0"}
    # RT-10
    raises("MissingParameter", ec2.create_route, **args)
    raises("InvalidParameterCombination", ec2.create_route, GatewayId=igw, NetworkInterfaceId=eni, **args)
    raises("InvalidParameterCombination", ec2.create_route, GatewayId=igw,
           NatGatewayId="nat-00000000000000000", **args)
    raises("UnsupportedOperation", ec2.create_route, TransitGatewayId="tgw-00000000000000000", **args)
    assert list(routes(ec2, rtb)) == ["10.0.0.0/16"]


def test_targets_that_do_not_exist(ec2):
    vpc, _ = vpc_with_subnet(ec2)
    rtb = main_table(ec2, vpc)["RouteTableId"]
    args = {"RouteTableId": rtb, "DestinationCidrBlock": "0.0.0.0/0"}
    raises("InvalidNatGatewayID.NotFound", ec2.create_route, NatGatewayId="nat-00000000000000000", **args)
    raises("NatGatewayMalformed", ec2.create_route, NatGatewayId="igw-00000000000000000", **args)
    raises("InvalidInstanceID.NotFound", ec2.create_route, InstanceId="i-00000000000000000", **args)
    raises("InvalidInstanceID.Malformed", ec2.create_route, InstanceId="eni-00000000000000000", **args)
    raises("InvalidNetworkInterfaceID.NotFound", ec2.create_route,
           NetworkInterfaceId="eni-00000000000000000", **args)
    raises("InvalidNetworkInterfaceId.Malformed", ec2.create_route, NetworkInterfaceId="i-0", **args)
    raises("InvalidVpcPeeringConnectionID.NotFound", ec2.create_route,
           VpcPeeringConnectionId="pcx-00000000000000000", **args)
    raises("InvalidVpcPeeringConnectionId.Malformed", ec2.create_route,
           VpcPeeringConnectionId="vpc-00000000000000000", **args)
    raises("InvalidEgressOnlyInternetGatewayId.NotFound", ec2.create_route,
           EgressOnlyInternetGatewayId="eigw-00000000000000000", **args)
    raises("InvalidPrefixListID.NotFound", ec2.create_route, RouteTableId=rtb,
           DestinationPrefixListId="pl-00000000000000000", GatewayId="igw-0")
    raises("InvalidPrefixListId.Malformed", ec2.create_route, RouteTableId=rtb,
           DestinationPrefixListId="rtb-00000000000000000", GatewayId="igw-0")
    raises("InvalidParameterCombination", ec2.create_route, RouteTableId=rtb, GatewayId="igw-0",
           DestinationCidrBlock="1.0.0.0/8", DestinationPrefixListId="pl-00000000000000000")
    assert list(routes(ec2, rtb)) == ["10.0.0.0/16"]


def test_destination_rules(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.1.0.0/16")
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    _, eni = instance(ec2, sn)
    # RT-12: a VPC block is the local route, primary or secondary.
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="10.0.0.0/16", GatewayId=igw)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="10.1.0.0/16", NetworkInterfaceId=eni)
    # RT-13: wider than the VPC, or outside it, is accepted.
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.0.0.0/15", GatewayId=igw)
    # RT-14: more specific than local only for a whole subnet towards an appliance.
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="10.0.1.0/24", GatewayId=igw)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="10.0.1.0/25", NetworkInterfaceId=eni)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.0.1.0/24", NetworkInterfaceId=eni)
    # RT-15: never into 169.254.168.0/22; a route covering it is fine.
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="169.254.169.254/32", GatewayId=igw)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="169.254.168.0/22", NetworkInterfaceId=eni)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="169.254.0.0/16", GatewayId=igw)
    assert sorted(routes(ec2, rtb)) == ["10.0.0.0/15", "10.0.0.0/16", "10.0.1.0/24",
                                        "10.1.0.0/16", "169.254.0.0/16"]


def test_instance_and_interface_targets(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    iid, eni = instance(ec2, sn)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", InstanceId=iid)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="192.168.0.0/16", NetworkInterfaceId=eni)
    got = routes(ec2, rtb)
    # RT-10: an instance route is shown with its ENI, and the other way round.
    for dest in ("0.0.0.0/0", "192.168.0.0/16"):
        r = got[dest]
        assert (r["InstanceId"], r["NetworkInterfaceId"], r["State"]) == (iid, eni, "active")
        assert r["InstanceOwnerId"] == "123456789012" and "GatewayId" not in r
    found = ec2.describe_route_tables(Filters=[{"Name": "route.instance-id", "Values": [iid]}])
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [rtb]
    # RT-19: a stopped or terminated NAT instance leaves blackhole routes.
    ec2.stop_instances(InstanceIds=[iid])
    assert {r["State"] for d, r in routes(ec2, rtb).items() if d != "10.0.0.0/16"} == {"blackhole"}
    ec2.start_instances(InstanceIds=[iid])
    assert routes(ec2, rtb)["0.0.0.0/0"]["State"] == "active"
    ec2.terminate_instances(InstanceIds=[iid])
    assert routes(ec2, rtb)["192.168.0.0/16"]["State"] == "blackhole"
    raises("IncorrectInstanceState", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="172.16.0.0/12", InstanceId=iid)
    # Targets of another VPC are refused.
    other_vpc, other_sn = vpc_with_subnet(ec2, "10.7.0.0/16", "10.7.1.0/24")
    other_iid, other_eni = instance(ec2, other_sn)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="172.16.0.0/12", InstanceId=other_iid)
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="172.16.0.0/12", NetworkInterfaceId=other_eni)


def test_blackhole_after_detach_and_delete(ec2):
    vpc, _ = vpc_with_subnet(ec2)
    rtb = main_table(ec2, vpc)["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assert routes(ec2, rtb)["0.0.0.0/0"]["State"] == "active"
    blackholes = [{"Name": "route.state", "Values": ["blackhole"]}]
    assert ec2.describe_route_tables(Filters=blackholes)["RouteTables"] == []
    # RT-19: the route stays, with state blackhole.
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert routes(ec2, rtb)["0.0.0.0/0"] == {"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": igw,
                                             "Origin": "CreateRoute", "State": "blackhole"}
    assert [t["RouteTableId"] for t in ec2.describe_route_tables(Filters=blackholes)["RouteTables"]] == [rtb]
    assert routes(ec2, rtb)["10.0.0.0/16"]["State"] == "active"
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert routes(ec2, rtb)["0.0.0.0/0"]["State"] == "active"
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.delete_internet_gateway(InternetGatewayId=igw)
    assert routes(ec2, rtb)["0.0.0.0/0"]["State"] == "blackhole"
    # A blackhole route can be pointed somewhere usable again.
    igw2 = attached_igw(ec2, vpc)
    ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw2)
    assert routes(ec2, rtb)["0.0.0.0/0"]["State"] == "active"


def test_replace_route(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    iid, eni = instance(ec2, sn)
    # RT-17: a missing route is InvalidParameterValue, not InvalidRoute.NotFound.
    raises("InvalidParameterValue", ec2.replace_route, RouteTableId=rtb,
           DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=eni)
    r = routes(ec2, rtb)["0.0.0.0/0"]
    assert r["NetworkInterfaceId"] == eni and "GatewayId" not in r and r["Origin"] == "CreateRoute"
    raises("InvalidGatewayID.NotFound", ec2.replace_route, RouteTableId=rtb,
           DestinationCidrBlock="0.0.0.0/0", GatewayId="igw-00000000000000000")
    raises("MissingParameter", ec2.replace_route, RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
    raises("InvalidParameterCombination", ec2.replace_route, RouteTableId=rtb,
           DestinationCidrBlock="0.0.0.0/0", GatewayId=igw, InstanceId=iid)
    raises("InvalidParameterValue", ec2.replace_route, RouteTableId=rtb,
           DestinationCidrBlock="0.0.0.0/0", LocalTarget=True)
    assert routes(ec2, rtb)["0.0.0.0/0"]["NetworkInterfaceId"] == eni
    # RT-9: the local route may point at an ENI and come back with LocalTarget.
    raises("InvalidParameterValue", ec2.replace_route, RouteTableId=rtb,
           DestinationCidrBlock="10.0.0.0/16", GatewayId=igw)
    ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="10.0.0.0/16", NetworkInterfaceId=eni)
    r = routes(ec2, rtb)["10.0.0.0/16"]
    assert r["NetworkInterfaceId"] == eni and r["Origin"] == "CreateRouteTable"
    raises("InvalidParameterValue", ec2.delete_route, RouteTableId=rtb, DestinationCidrBlock="10.0.0.0/16")
    ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="10.0.0.0/16", LocalTarget=True)
    assert routes(ec2, rtb)["10.0.0.0/16"] == {"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local",
                                               "Origin": "CreateRouteTable", "State": "active"}


def test_delete_route(ec2):
    vpc, _ = vpc_with_subnet(ec2)
    rtb = main_table(ec2, vpc)["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    # RT-16
    raises("InvalidRoute.NotFound", ec2.delete_route, RouteTableId=rtb, DestinationCidrBlock="1.0.0.0/8")
    raises("InvalidRouteTableID.NotFound", ec2.delete_route, RouteTableId=MISSING_RTB,
           DestinationCidrBlock="0.0.0.0/0")
    # RT-9: the local route cannot be deleted.
    raises("InvalidParameterValue", ec2.delete_route, RouteTableId=rtb, DestinationCidrBlock="10.0.0.0/16")
    ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
    assert list(routes(ec2, rtb)) == ["10.0.0.0/16"]
    raises("InvalidRoute.NotFound", ec2.delete_route, RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")


def test_route_quota(ec2):
    vpc, _ = vpc_with_subnet(ec2)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    igw = attached_igw(ec2, vpc)
    for i in range(50):  # RT-8: 50 routes per table besides the local one
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock=f"192.168.{i}.0/24", GatewayId=igw)
    raises("RouteLimitExceeded", ec2.create_route, RouteTableId=rtb,
           DestinationCidrBlock="192.168.200.0/24", GatewayId=igw)
    assert len(routes(ec2, rtb)) == 51
    ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="192.168.0.0/24")
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="192.168.200.0/24", GatewayId=igw)


# Associations (RT-3..5, RT-24)

def test_associate_and_disassociate(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    other_vpc, other_sn = vpc_with_subnet(ec2, "10.1.0.0/16", "10.1.1.0/24")
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    rtb2 = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    out = ec2.associate_route_table(RouteTableId=rtb, SubnetId=sn)
    assoc = out["AssociationId"]
    assert assoc.startswith("rtbassoc-") and out["AssociationState"] == {"State": "associated"}
    assert table(ec2, rtb)["Associations"] == [{
        "Main": False, "RouteTableAssociationId": assoc, "RouteTableId": rtb, "SubnetId": sn,
        "AssociationState": {"State": "associated"}}]
    # RT-3: one explicit association per subnet; same VPC only.
    raises("Resource.AlreadyAssociated", ec2.associate_route_table, RouteTableId=rtb2, SubnetId=sn)
    raises("Resource.AlreadyAssociated", ec2.associate_route_table, RouteTableId=rtb, SubnetId=sn)
    raises("InvalidParameterValue", ec2.associate_route_table, RouteTableId=rtb, SubnetId=other_sn)
    raises("InvalidSubnetID.NotFound", ec2.associate_route_table, RouteTableId=rtb,
           SubnetId="subnet-00000000000000000")
    raises("InvalidSubnetID.Malformed", ec2.associate_route_table, RouteTableId=rtb, SubnetId="vpc-1")
    raises("InvalidRouteTableID.NotFound", ec2.associate_route_table, RouteTableId=MISSING_RTB, SubnetId=sn)
    raises("MissingParameter", ec2.associate_route_table, RouteTableId=rtb)
    # RT-4
    main_assoc = main_table(ec2, vpc)["Associations"][0]["RouteTableAssociationId"]
    raises("InvalidParameterValue", ec2.disassociate_route_table, AssociationId=main_assoc)
    raises("InvalidAssociationID.NotFound", ec2.disassociate_route_table,
           AssociationId="rtbassoc-00000000000000000")
    ec2.disassociate_route_table(AssociationId=assoc)
    assert table(ec2, rtb)["Associations"] == []
    raises("InvalidAssociationID.NotFound", ec2.disassociate_route_table, AssociationId=assoc)
    # Back on the main table, the subnet can be associated again.
    ec2.associate_route_table(RouteTableId=rtb2, SubnetId=sn)
    # Deleting the subnet removes its association.
    ec2.delete_subnet(SubnetId=sn)
    assert table(ec2, rtb2)["Associations"] == []


def test_replace_route_table_association(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    other_vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    b = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    foreign = ec2.create_route_table(VpcId=other_vpc)["RouteTable"]["RouteTableId"]
    assoc = ec2.associate_route_table(RouteTableId=a, SubnetId=sn)["AssociationId"]
    out = ec2.replace_route_table_association(AssociationId=assoc, RouteTableId=b)
    new = out["NewAssociationId"]
    assert new.startswith("rtbassoc-") and new != assoc
    assert out["AssociationState"] == {"State": "associated"}
    assert table(ec2, a)["Associations"] == []
    assert [(x["SubnetId"], x["RouteTableAssociationId"]) for x in table(ec2, b)["Associations"]] == [(sn, new)]
    raises("InvalidAssociationID.NotFound", ec2.replace_route_table_association,
           AssociationId=assoc, RouteTableId=a)
    raises("InvalidParameterValue", ec2.replace_route_table_association, AssociationId=new,
           RouteTableId=foreign)
    raises("InvalidRouteTableID.NotFound", ec2.replace_route_table_association, AssociationId=new,
           RouteTableId=MISSING_RTB)
    # RT-5: on the main association it makes another table the main one.
    old_main = main_table(ec2, vpc)
    main_assoc = old_main["Associations"][0]["RouteTableAssociationId"]
    out = ec2.replace_route_table_association(AssociationId=main_assoc, RouteTableId=a)
    assert main_table(ec2, vpc)["RouteTableId"] == a
    assert main_table(ec2, vpc)["Associations"][0]["RouteTableAssociationId"] == out["NewAssociationId"]
    assert table(ec2, old_main["RouteTableId"])["Associations"] == []
    ec2.delete_route_table(RouteTableId=old_main["RouteTableId"])
    raises("DependencyViolation", ec2.delete_route_table, RouteTableId=a)


def test_gateway_route_table(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    igw = attached_igw(ec2, vpc)
    edge = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    busy = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=busy, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    _, eni = instance(ec2, sn)
    main = main_table(ec2, vpc)["RouteTableId"]
    # RT-24: only a table whose routes fit a gateway table, never the main one.
    raises("InvalidParameterValue", ec2.associate_route_table, RouteTableId=busy, GatewayId=igw)
    raises("InvalidParameterValue", ec2.associate_route_table, RouteTableId=main, GatewayId=igw)
    raises("InvalidGatewayID.NotFound", ec2.associate_route_table, RouteTableId=edge,
           GatewayId="igw-00000000000000000")
    raises("InvalidParameterCombination", ec2.associate_route_table, RouteTableId=edge,
           GatewayId=igw, SubnetId=sn)
    assoc = ec2.associate_route_table(RouteTableId=edge, GatewayId=igw)["AssociationId"]
    [a] = table(ec2, edge)["Associations"]
    assert a["GatewayId"] == igw and a["Main"] is False and "SubnetId" not in a
    spare = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    raises("Resource.AlreadyAssociated", ec2.associate_route_table, RouteTableId=spare, GatewayId=igw)
    # Its routes stay within what an edge association allows.
    raises("InvalidParameterValue", ec2.create_route, RouteTableId=edge,
           DestinationCidrBlock="0.0.0.0/0", NetworkInterfaceId=eni)
    ec2.create_route(RouteTableId=edge, DestinationCidrBlock="10.0.1.0/24", NetworkInterfaceId=eni)
    main_assoc = main_table(ec2, vpc)["Associations"][0]["RouteTableAssociationId"]
    raises("InvalidParameterValue", ec2.replace_route_table_association,
           AssociationId=main_assoc, RouteTableId=edge)
    found = ec2.describe_route_tables(Filters=[{"Name": "association.gateway-id", "Values": [igw]}])
    assert [t["RouteTableId"] for t in found["RouteTables"]] == [edge]
    ec2.disassociate_route_table(AssociationId=assoc)
    ec2.delete_route_table(RouteTableId=edge)


# DescribeRouteTables (RT-22, RT-23)

def test_describe_filters(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    igw = attached_igw(ec2, vpc)
    main = main_table(ec2, vpc)
    main_id = main["RouteTableId"]
    main_assoc = main["Associations"][0]["RouteTableAssociationId"]
    pub = ec2.create_route_table(VpcId=vpc, TagSpecifications=[
        {"ResourceType": "route-table", "Tags": [{"Key": "Name", "Value": "public"}]}])["RouteTable"]["RouteTableId"]
    spare = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=pub, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    assoc = ec2.associate_route_table(RouteTableId=pub, SubnetId=sn)["AssociationId"]

    def ids(*filters):
        fs = [{"Name": n, "Values": v if isinstance(v, list) else [v]} for n, v in filters]
        fs.append({"Name": "vpc-id", "Values": [vpc]})
        return sorted(t["RouteTableId"] for t in ec2.describe_route_tables(Filters=fs)["RouteTables"])

    assert ids() == sorted([main_id, pub, spare])
    assert ids(("association.main", "true")) == [main_id]
    # Tables without any association match neither value.
    assert ids(("association.main", "false")) == [pub]
    assert ids(("association.subnet-id", sn)) == [pub]
    assert ids(("association.route-table-association-id", assoc)) == [pub]
    assert ids(("association.route-table-association-id", main_assoc)) == [main_id]
    assert ids(("association.route-table-id", spare)) == []
    assert ids(("route-table-id", [spare, pub])) == sorted([spare, pub])
    assert ids(("route.destination-cidr-block", "0.0.0.0/0")) == [pub]
    assert ids(("route.destination-cidr-block", "10.0.0.0/16")) == sorted([main_id, pub, spare])
    assert ids(("route.gateway-id", igw)) == [pub]
    assert ids(("route.gateway-id", "igw-*")) == [pub]
    assert ids(("route.gateway-id", "local")) == sorted([main_id, pub, spare])
    assert ids(("route.origin", "CreateRoute")) == [pub]
    assert ids(("route.state", "active")) == sorted([main_id, pub, spare])
    assert ids(("route.nat-gateway-id", "*")) == []
    assert ids(("owner-id", "123456789012")) == sorted([main_id, pub, spare])
    assert ids(("tag:Name", "public")) == [pub]
    assert ids(("tag:Name", "pub*")) == [pub]
    assert ids(("tag-key", "Name")) == [pub]
    assert ids(("route.gateway-id", igw), ("association.main", "true")) == []
    # Other VPCs' tables (the default VPC's main one) are left out by vpc-id only.
    everything = ec2.describe_route_tables()["RouteTables"]
    assert len(everything) == 4
    raises("InvalidParameterValue", ec2.describe_route_tables,
           Filters=[{"Name": "route.color", "Values": ["red"]}])
    raises("InvalidRouteTableID.NotFound", ec2.describe_route_tables, RouteTableIds=[pub, MISSING_RTB])
    raises("InvalidRouteTableId.Malformed", ec2.describe_route_tables, RouteTableIds=["rt-1"])


def test_describe_pages(daemon, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for _ in range(6):
        ec2.create_route_table(VpcId=vpc)
    total = len(ec2.describe_route_tables()["RouteTables"])
    assert total == 8  # 6 + this VPC's main table + the default VPC's
    # RT-23: 5..100 (botocore checks the minimum itself; ask without it).
    raw = boto3.client("ec2", endpoint_url=daemon.url, region_name="us-east-1",
                       aws_access_key_id="test", aws_secret_access_key="test",
                       config=botocore.config.Config(parameter_validation=False,
                                                     retries={"max_attempts": 0}))
    raises("InvalidParameterValue", raw.describe_route_tables, MaxResults=4)
    raises("InvalidParameterValue", raw.describe_route_tables, MaxResults=101)
    first = ec2.describe_route_tables(MaxResults=5)
    assert len(first["RouteTables"]) == 5 and first["NextToken"]
    second = ec2.describe_route_tables(MaxResults=5, NextToken=first["NextToken"])
    assert len(second["RouteTables"]) == 3 and "NextToken" not in second
    seen = [t["RouteTableId"] for t in first["RouteTables"] + second["RouteTables"]]
    assert len(set(seen)) == 8
    pages = ec2.get_paginator("describe_route_tables").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(p["RouteTables"]) for p in pages) == 8
    assert len(ec2.describe_route_tables(MaxResults=100)["RouteTables"]) == 8
    raises("InvalidNextToken", ec2.describe_route_tables, MaxResults=5, NextToken="garbage")


# DryRun (API-16)

def test_dry_run_changes_nothing(ec2):
    vpc, sn = vpc_with_subnet(ec2)
    igw = attached_igw(ec2, vpc)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="1.0.0.0/8", GatewayId=igw)
    main_assoc = main_table(ec2, vpc)["Associations"][0]["RouteTableAssociationId"]
    before = ec2.describe_route_tables()["RouteTables"]

    def dry(fn, **kwargs):
        e = raises("DryRunOperation", fn, DryRun=True, **kwargs)
        assert http_status(e) == 412

    dry(ec2.create_route_table, VpcId=vpc)
    dry(ec2.create_route, RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", GatewayId=igw)
    dry(ec2.replace_route, RouteTableId=rtb, DestinationCidrBlock="1.0.0.0/8", LocalTarget=False,
        GatewayId=igw)
    dry(ec2.delete_route, RouteTableId=rtb, DestinationCidrBlock="1.0.0.0/8")
    dry(ec2.associate_route_table, RouteTableId=rtb, SubnetId=sn)
    dry(ec2.replace_route_table_association, AssociationId=main_assoc, RouteTableId=rtb)
    dry(ec2.describe_route_tables)
    assert ec2.describe_route_tables()["RouteTables"] == before
    assoc = ec2.associate_route_table(RouteTableId=rtb, SubnetId=sn)["AssociationId"]
    dry(ec2.disassociate_route_table, AssociationId=assoc)
    ec2.disassociate_route_table(AssociationId=assoc)
    dry(ec2.delete_route_table, RouteTableId=rtb)
    assert ec2.describe_route_tables()["RouteTables"] == before
    # Validation comes first: an invalid dry run gets the ordinary error.
    raises("InvalidRouteTableID.NotFound", ec2.delete_route_table, RouteTableId=MISSING_RTB, DryRun=True)
    raises("RouteAlreadyExists", ec2.create_route, RouteTableId=rtb, DestinationCidrBlock="1.0.0.0/8",
           GatewayId=igw, DryRun=True)


# The aws CLI

def test_route_tables_through_the_cli(daemon):
    aws = daemon.aws
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.8.0.0/16")["Vpc"]["VpcId"]
    sn = aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.8.1.0/24")["Subnet"]["SubnetId"]
    igw = aws("ec2", "create-internet-gateway")["InternetGateway"]["InternetGatewayId"]
    aws("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
    rtb = aws("ec2", "create-route-table", "--vpc-id", vpc)["RouteTable"]["RouteTableId"]
    assert aws("ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0",
               "--gateway-id", igw) == {"Return": True}
    assoc = aws("ec2", "associate-route-table", "--route-table-id", rtb, "--subnet-id", sn)
    assert assoc["AssociationState"] == {"State": "associated"}
    got = aws("ec2", "describe-route-tables", "--filters", f"Name=association.subnet-id,Values={sn}",
              "--query", "RouteTables[].Routes[].[DestinationCidrBlock,GatewayId,State]")
    assert got == [["10.8.0.0/16", "local", "active"], ["0.0.0.0/0", igw, "active"]]
    rc, _, err = aws("ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block",
                     "0.0.0.0/0", "--gateway-id", igw, check=False)
    assert rc != 0 and "RouteAlreadyExists" in err
    aws("ec2", "detach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
    state = aws("ec2", "describe-route-tables", "--route-table-ids", rtb,
                "--query", "RouteTables[0].Routes[?DestinationCidrBlock=='0.0.0.0/0'].State | [0]")
    assert state == "blackhole"
    aws("ec2", "delete-route", "--route-table-id", rtb, "--destination-cidr-block", "0.0.0.0/0")
    aws("ec2", "disassociate-route-table", "--association-id", assoc["AssociationId"])
    aws("ec2", "delete-route-table", "--route-table-id", rtb)
    rc, _, err = aws("ec2", "describe-route-tables", "--route-table-ids", rtb, check=False)
    assert rc != 0 and "InvalidRouteTableID.NotFound" in err
