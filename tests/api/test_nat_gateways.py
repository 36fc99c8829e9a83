# SPDX-License-Identifier: MIT
"""NAT gateways through the API alone (spec §10): Create, Delete, Describe;
the states (available at once, `pending` in the Create answer, `failed`
for what AWS finds out asynchronously), the requester-managed ENI and the
Elastic IP on it, routes to a gateway and their blackhole after delete,
dependencies, the per-AZ limit, DryRun and the aws CLI forms."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

AMI = "ami-0de12b0000c0ffee1"


def public_vpc(ec2, cidr="10.0.0.0/16", subnet="10.0.1.0/24", igw=True):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet)["Subnet"]["SubnetId"]
    if igw:
        gw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
        ec2.attach_internet_gateway(InternetGatewayId=gw, VpcId=vpc)
    return vpc, sn


def natgw(ec2, nat_id):
    return ec2.describe_nat_gateways(NatGatewayIds=[nat_id])["NatGateways"][0]


def test_create_public_shape_eni_and_address(ec2):
    vpc, sn = public_vpc(ec2)
    a = ec2.allocate_address(Domain="vpc")
    r = ec2.create_nat_gateway(SubnetId=sn, AllocationId=a["AllocationId"], ClientToken="tok-1",
                               TagSpecifications=[{"ResourceType": "natgateway",
                                                   "Tags": [{"Key": "Name", "Value": "nat"}]}])
    assert r["ClientToken"] == "tok-1"
    g = r["NatGateway"]
    nid = g["NatGatewayId"]
    assert nid.startswith("nat-") and len(nid) == 21
    assert g["State"] == "pending"  # GEN-4: AWS's first state
    assert g["SubnetId"] == sn and g["VpcId"] == vpc
    assert g["ConnectivityType"] == "public"
    assert g["NatGatewayAddresses"][0]["AllocationId"] == a["AllocationId"]
    assert g["Tags"] == [{"Key": "Name", "Value": "nat"}]
    assert "CreateTime" in g
    d = natgw(ec2, nid)
    assert d["State"] == "available"
    addr = d["NatGatewayAddresses"][0]
    assert addr["AllocationId"] == a["AllocationId"]
    assert addr["PublicIp"] == a["PublicIp"]
    assert addr["PrivateIp"].startswith("10.0.1.")
    eni_id = addr["NetworkInterfaceId"]
    assert "DeleteTime" not in d and "FailureCode" not in d
    # NAT-2: its requester-managed ENI.
    eni = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]
    assert eni["InterfaceType"] == "nat_gateway"
    assert eni["Status"] == "in-use"
    assert eni["RequesterManaged"] is True
    assert eni["SourceDestCheck"] is False
    assert eni["Groups"] == []
    assert eni["Description"] == "Interface for NAT Gateway %s" % nid
    assert eni["SubnetId"] == sn and eni["PrivateIpAddress"] == addr["PrivateIp"]
    assert eni["Association"]["PublicIp"] == a["PublicIp"]
    assert eni["Association"]["IpOwnerId"] == "123456789012"
    assert "Attachment" not in eni
    f = ec2.describe_network_interfaces(Filters=[{"Name": "requester-managed",
                                                  "Values": ["true"]}])["NetworkInterfaces"]
    assert [x["NetworkInterfaceId"] for x in f] == [eni_id]
    with pytest.raises(ClientError) as e:
        ec2.delete_network_interface(NetworkInterfaceId=eni_id)
    assert error_code(e) == "OperationNotPermitted"
    with pytest.raises(ClientError) as e:
        ec2.modify_network_interface_attribute(NetworkInterfaceId=eni_id,
                                               SourceDestCheck={"Value": True})
    assert error_code(e) == "OperationNotPermitted"
    # DescribeAddresses shows the association with the gateway's ENI.
    got = ec2.describe_addresses(AllocationIds=[a["AllocationId"]])["Addresses"][0]
    assert got["NetworkInterfaceId"] == eni_id
    assert got["PrivateIpAddress"] == addr["PrivateIp"]
    assert "InstanceId" not in got
    # (AssociationId, IsPrimary and Status of the address are sent too; this
    # botocore's model predates them.)
    # The gateway's EIP cannot be released, disassociated or moved.
    with pytest.raises(ClientError) as e:
        ec2.release_address(AllocationId=a["AllocationId"])
    assert error_code(e) == "InvalidIPAddress.InUse"
    with pytest.raises(ClientError) as e:
        ec2.disassociate_address(AssociationId=got["AssociationId"])
    assert error_code(e) == "OperationNotPermitted"
    # ClientToken: the same request answers the same gateway.
    again = ec2.create_nat_gateway(SubnetId=sn, AllocationId=a["AllocationId"],
                                   ClientToken="tok-1")["NatGateway"]
    assert again["NatGatewayId"] == nid
    assert len(ec2.describe_nat_gateways()["NatGateways"]) == 1
    sn2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    with pytest.raises(ClientError) as e:
        ec2.create_nat_gateway(SubnetId=sn2, AllocationId=a["AllocationId"], ClientToken="tok-1")
    assert error_code(e) == "IdempotentParameterMismatch"


def test_private_gateway_and_chosen_ip(ec2):
    vpc, sn = public_vpc(ec2, igw=False)
    g = ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private",
                               PrivateIpAddress="10.0.1.77")["NatGateway"]
    assert g["ConnectivityType"] == "private"
    assert "AllocationId" not in g["NatGatewayAddresses"][0]
    d = natgw(ec2, g["NatGatewayId"])
    assert d["State"] == "available"
    addr = d["NatGatewayAddresses"][0]
    assert addr["PrivateIp"] == "10.0.1.77"
    assert "PublicIp" not in addr and "AllocationId" not in addr
    eni = ec2.describe_network_interfaces(
        NetworkInterfaceIds=[addr["NetworkInterfaceId"]])["NetworkInterfaces"][0]
    assert "Association" not in eni
    with pytest.raises(ClientError) as e:
        ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private",
                               PrivateIpAddress="10.0.1.77")
    assert error_code(e) == "InvalidIPAddress.InUse"


def test_create_errors(ec2):
    vpc, sn = public_vpc(ec2)
    a = ec2.allocate_address()["AllocationId"]
    cases = [
        (dict(SubnetId="subnet-00000000000000000", AllocationId=a), "InvalidSubnetID.NotFound"),
        (dict(SubnetId="sn-1", AllocationId=a), "InvalidSubnetID.Malformed"),
        (dict(SubnetId=sn, AllocationId="eipalloc-00000000000000000"),
         "InvalidAllocationID.NotFound"),
        (dict(SubnetId=sn, AllocationId="alloc-1"), "InvalidAllocationID.Malformed"),
        (dict(SubnetId=sn), "MissingParameter"),
        (dict(SubnetId=sn, AllocationId=a, ConnectivityType="private"),
         "InvalidParameterCombination"),
        (dict(SubnetId=sn, AllocationId=a, ConnectivityType="sideways"), "InvalidParameterValue"),
        (dict(SubnetId=sn, AllocationId=a, PrivateIpAddress="10.0.9.9"), "InvalidParameterValue"),
    ]
    for kw, code in cases:
        with pytest.raises(ClientError) as e:
            ec2.create_nat_gateway(**kw)
        assert error_code(e) == code, kw
    assert ec2.describe_nat_gateways()["NatGateways"] == []


def test_failed_gateways(ec2):
    """NAT-6: an EIP associated elsewhere or a VPC without an internet
    gateway fail the gateway, not the call (as AWS reports them)."""
    vpc, sn = public_vpc(ec2)
    ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]["InstanceId"]
    a = ec2.allocate_address()
    ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=iid)
    enis_before = len(ec2.describe_network_interfaces()["NetworkInterfaces"])
    g = ec2.create_nat_gateway(SubnetId=sn, AllocationId=a["AllocationId"])["NatGateway"]
    assert g["State"] == "pending"
    d = natgw(ec2, g["NatGatewayId"])
    assert d["State"] == "failed"
    assert d["FailureCode"] == "Resource.AlreadyAssociated"
    assert a["AllocationId"] in d["FailureMessage"]
    assert "DeleteTime" in d
    assert "NetworkInterfaceId" not in d["NatGatewayAddresses"][0]
    # Nothing else changed: no ENI, the EIP still on the instance.
    assert len(ec2.describe_network_interfaces()["NetworkInterfaces"]) == enis_before
    got = ec2.describe_addresses(AllocationIds=[a["AllocationId"]])["Addresses"][0]
    assert got["InstanceId"] == iid
    # A failed gateway is no route target and does not block the subnet's VPC.
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    with pytest.raises(ClientError) as e:
        ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0",
                         NatGatewayId=g["NatGatewayId"])
    assert error_code(e) == "InvalidNatGatewayID.NotFound"
    # No internet gateway: Gateway.NotAttached.
    vpc2, sn2 = public_vpc(ec2, cidr="10.8.0.0/16", subnet="10.8.0.0/24", igw=False)
    b = ec2.allocate_address()["AllocationId"]
    g2 = ec2.create_nat_gateway(SubnetId=sn2, AllocationId=b)["NatGateway"]["NatGatewayId"]
    d2 = natgw(ec2, g2)
    assert d2["State"] == "failed" and d2["FailureCode"] == "Gateway.NotAttached"
    assert vpc2 in d2["FailureMessage"]
    f = ec2.describe_nat_gateways(Filters=[{"Name": "state", "Values": ["failed"]}])["NatGateways"]
    assert sorted(x["NatGatewayId"] for x in f) == sorted([g["NatGatewayId"], g2])
    ec2.delete_subnet(SubnetId=sn2)  # a failed gateway holds nothing
    # The waiter gives up on a failed gateway.
    with pytest.raises(Exception):
        ec2.get_waiter("nat_gateway_available").wait(
            NatGatewayIds=[g2], WaiterConfig={"Delay": 1, "MaxAttempts": 2})


def test_delete_route_blackhole_and_dependencies(ec2):
    vpc, sn = public_vpc(ec2)
    priv = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    a = ec2.allocate_address()
    nid = ec2.create_nat_gateway(SubnetId=sn, AllocationId=a["AllocationId"])["NatGateway"]["NatGatewayId"]
    ec2.get_waiter("nat_gateway_available").wait(NatGatewayIds=[nid])
    eni_id = natgw(ec2, nid)["NatGatewayAddresses"][0]["NetworkInterfaceId"]
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=priv)
    ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nid)
    route = [r for r in ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]
             if r["DestinationCidrBlock"] == "0.0.0.0/0"][0]
    assert route["NatGatewayId"] == nid and route["State"] == "active"
    # A gateway of another VPC is refused.
    other = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    ortb = ec2.create_route_table(VpcId=other)["RouteTable"]["RouteTableId"]
    with pytest.raises(ClientError) as e:
        ec2.create_route(RouteTableId=ortb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nid)
    assert error_code(e) == "InvalidParameterValue"
    for kw, code in [(dict(NatGatewayId="nat-00000000000000000"), "InvalidNatGatewayID.NotFound"),
                     (dict(NatGatewayId="gw-1"), "NatGatewayMalformed")]:
        with pytest.raises(ClientError) as e:
            ec2.create_route(RouteTableId=rtb, DestinationCidrBlock="10.50.0.0/16", **kw)
        assert error_code(e) == code
    # Dependencies: the subnet, the VPC and the internet gateway.
    with pytest.raises(ClientError) as e:
        ec2.delete_subnet(SubnetId=sn)
    assert error_code(e) == "DependencyViolation"
    igw = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [vpc]}])[
        "InternetGateways"][0]["InternetGatewayId"]
    with pytest.raises(ClientError) as e:
        ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert error_code(e) == "DependencyViolation"  # IGW-4: the gateway's EIP is mapped
    # Delete.
    with pytest.raises(ClientError) as e:
        ec2.delete_nat_gateway(NatGatewayId=nid, DryRun=True)
    assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    assert natgw(ec2, nid)["State"] == "available"
    assert ec2.delete_nat_gateway(NatGatewayId=nid)["NatGatewayId"] == nid
    d = natgw(ec2, nid)
    assert d["State"] == "deleted" and "DeleteTime" in d  # stays visible (NAT-3)
    ec2.get_waiter("nat_gateway_deleted").wait(NatGatewayIds=[nid])
    route = [r for r in ec2.describe_route_tables(RouteTableIds=[rtb])["RouteTables"][0]["Routes"]
             if r["DestinationCidrBlock"] == "0.0.0.0/0"][0]
    assert route["State"] == "blackhole"  # NAT-4
    f = ec2.describe_route_tables(Filters=[{"Name": "route.state", "Values": ["blackhole"]}])
    assert [t["RouteTableId"] for t in f["RouteTables"]] == [rtb]
    # The ENI is gone; the EIP is disassociated, not released.
    with pytest.raises(ClientError) as e:
        ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])
    assert error_code(e) == "InvalidNetworkInterfaceID.NotFound"
    got = ec2.describe_addresses(AllocationIds=[a["AllocationId"]])["Addresses"][0]
    assert "AssociationId" not in got and "NetworkInterfaceId" not in got
    # Deleting again is harmless; a deleted gateway is no route target.
    ec2.delete_nat_gateway(NatGatewayId=nid)
    with pytest.raises(ClientError) as e:
        ec2.replace_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0", NatGatewayId=nid)
    assert error_code(e) == "InvalidNatGatewayID.NotFound"
    ec2.delete_route(RouteTableId=rtb, DestinationCidrBlock="0.0.0.0/0")
    # Nothing holds the subnet or the internet gateway any more.
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.delete_subnet(SubnetId=sn)
    ec2.release_address(AllocationId=a["AllocationId"])


def test_delete_vpc_blocked(ec2):
    vpc, sn = public_vpc(ec2, igw=False)
    nid = ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private")["NatGateway"]["NatGatewayId"]
    with pytest.raises(ClientError) as e:
        ec2.delete_vpc(VpcId=vpc)
    assert error_code(e) == "DependencyViolation"
    ec2.delete_nat_gateway(NatGatewayId=nid)
    ec2.delete_subnet(SubnetId=sn)
    ec2.delete_vpc(VpcId=vpc)
    # The deleted gateway is still listed, with its vanished subnet.
    assert natgw(ec2, nid)["State"] == "deleted"


def test_describe_filters_paging_and_errors(ec2):
    vpc, sn = public_vpc(ec2, igw=False)
    sn2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24")["Subnet"]["SubnetId"]
    ids = []
    for i in range(6):
        ids.append(ec2.create_nat_gateway(
            SubnetId=sn if i < 3 else sn2, ConnectivityType="private",
            TagSpecifications=[{"ResourceType": "natgateway",
                                "Tags": [{"Key": "n", "Value": str(i)}]}])["NatGateway"]["NatGatewayId"])
    all_ = ec2.describe_nat_gateways()["NatGateways"]
    assert [g["NatGatewayId"] for g in all_] == ids
    f = ec2.describe_nat_gateways(Filters=[{"Name": "subnet-id", "Values": [sn2]}])["NatGateways"]
    assert [g["NatGatewayId"] for g in f] == ids[3:]
    f = ec2.describe_nat_gateways(Filter=[{"Name": "vpc-id", "Values": [vpc]},
                                          {"Name": "tag:n", "Values": ["1", "4"]}])["NatGateways"]
    assert [g["NatGatewayId"] for g in f] == [ids[1], ids[4]]
    f = ec2.describe_nat_gateways(Filter=[{"Name": "nat-gateway-id", "Values": [ids[2]]},
                                          {"Name": "state", "Values": ["available"]}])["NatGateways"]
    assert [g["NatGatewayId"] for g in f] == [ids[2]]
    page = ec2.describe_nat_gateways(MaxResults=5)
    assert len(page["NatGateways"]) == 5 and page["NextToken"]
    rest = ec2.describe_nat_gateways(MaxResults=5, NextToken=page["NextToken"])
    assert [g["NatGatewayId"] for g in rest["NatGateways"]] == ids[5:]
    assert "NextToken" not in rest
    pages = ec2.get_paginator("describe_nat_gateways").paginate(PaginationConfig={"PageSize": 5})
    assert [g["NatGatewayId"] for p in pages for g in p["NatGateways"]] == ids
    for kw, code in [
        (dict(NatGatewayIds=["nat-00000000000000000"]), "NatGatewayNotFound"),
        (dict(NatGatewayIds=["natgw-1"]), "NatGatewayMalformed"),
        (dict(Filter=[{"Name": "bogus", "Values": ["x"]}]), "InvalidParameterValue"),
        (dict(MaxResults=1001), "InvalidParameterValue"),
        (dict(NextToken="garbage"), "InvalidNextToken"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.describe_nat_gateways(**kw)
        assert error_code(e) == code, kw
    for kw, code in [(dict(NatGatewayId="nat-00000000000000000"), "NatGatewayNotFound"),
                     (dict(NatGatewayId="x-1"), "NatGatewayMalformed")]:
        with pytest.raises(ClientError) as e:
            ec2.delete_nat_gateway(**kw)
        assert error_code(e) == code
    with pytest.raises(ClientError) as e:
        ec2.describe_nat_gateways(DryRun=True)
    assert error_code(e) == "DryRunOperation"
    ec2.create_tags(Resources=[ids[0]], Tags=[{"Key": "extra", "Value": "1"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [ids[0]]}])["Tags"]
    assert {t["Key"] for t in tags} == {"n", "extra"}
    assert tags[0]["ResourceType"] == "natgateway"


def test_limit_per_az(ec2):
    vpc, sn = public_vpc(ec2, igw=False)
    az = ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]["AvailabilityZone"]
    zones = [z["ZoneName"] for z in ec2.describe_availability_zones()["AvailabilityZones"]]
    other_az = [z for z in zones if z != az][0]
    sn_other = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.9.0/24",
                                 AvailabilityZone=other_az)["Subnet"]["SubnetId"]
    ids = [ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private")["NatGateway"]["NatGatewayId"]
           for _ in range(5)]
    with pytest.raises(ClientError) as e:
        ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private")
    assert error_code(e) == "NatGatewayLimitExceeded"
    # Another zone has its own quota; a deleted gateway no longer counts.
    ec2.create_nat_gateway(SubnetId=sn_other, ConnectivityType="private")
    ec2.delete_nat_gateway(NatGatewayId=ids[0])
    ec2.create_nat_gateway(SubnetId=sn, ConnectivityType="private")


def test_dry_run_create(ec2):
    vpc, sn = public_vpc(ec2)
    a = ec2.allocate_address()["AllocationId"]
    with pytest.raises(ClientError) as e:
        ec2.create_nat_gateway(SubnetId=sn, AllocationId=a, DryRun=True)
    assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    with pytest.raises(ClientError) as e:  # validation first
        ec2.create_nat_gateway(SubnetId="subnet-00000000000000000", AllocationId=a, DryRun=True)
    assert error_code(e) == "InvalidSubnetID.NotFound"
    assert ec2.describe_nat_gateways()["NatGateways"] == []
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    assert "AssociationId" not in ec2.describe_addresses()["Addresses"][0]


def test_aws_cli(daemon):
    vpc = daemon.aws("ec2", "create-vpc", "--cidr-block", "10.7.0.0/16")["Vpc"]["VpcId"]
    sn = daemon.aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block",
                    "10.7.0.0/24")["Subnet"]["SubnetId"]
    igw = daemon.aws("ec2", "create-internet-gateway")["InternetGateway"]["InternetGatewayId"]
    daemon.aws("ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc)
    alloc = daemon.aws("ec2", "allocate-address", "--domain", "vpc")["AllocationId"]
    g = daemon.aws("ec2", "create-nat-gateway", "--subnet-id", sn,
                   "--allocation-id", alloc)["NatGateway"]
    assert g["State"] == "pending"
    nid = g["NatGatewayId"]
    daemon.aws("ec2", "wait", "nat-gateway-available", "--nat-gateway-ids", nid)
    got = daemon.aws("ec2", "describe-nat-gateways", "--nat-gateway-ids", nid)["NatGateways"][0]
    assert got["State"] == "available"
    got = daemon.aws("ec2", "describe-nat-gateways", "--filter", "Name=vpc-id,Values=" + vpc)
    assert [x["NatGatewayId"] for x in got["NatGateways"]] == [nid]
    rtb = daemon.aws("ec2", "create-route-table", "--vpc-id", vpc)["RouteTable"]["RouteTableId"]
    daemon.aws("ec2", "create-route", "--route-table-id", rtb, "--destination-cidr-block",
               "0.0.0.0/0", "--nat-gateway-id", nid)
    assert daemon.aws("ec2", "delete-nat-gateway", "--nat-gateway-id", nid)["NatGatewayId"] == nid
    daemon.aws("ec2", "wait", "nat-gateway-deleted", "--nat-gateway-ids", nid)
    rc, out, err = daemon.aws("ec2", "describe-nat-gateways", "--nat-gateway-ids",
                              "nat-00000000000000000", check=False)
    assert rc != 0 and "NatGatewayNotFound" in err
