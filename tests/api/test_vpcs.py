# SPDX-License-Identifier: MIT
"""VPCs (spec §1) through boto3 and the aws CLI: shapes, CIDR rules, the
default VPC, attributes, secondary blocks, filters, paging, errors."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status


def test_default_vpc_of_a_new_account(ec2):
    vpcs = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    assert len(vpcs) == 1
    v = vpcs[0]
    assert v["CidrBlock"] == "172.31.0.0/16" and v["IsDefault"] is True and v["State"] == "available"
    subnets = ec2.describe_subnets(Filters=[{"Name": "vpc-id", "Values": [v["VpcId"]]}])["Subnets"]
    assert sorted(s["CidrBlock"] for s in subnets) == ["172.31.%d.0/20" % (16 * i) for i in range(6)]
    assert sorted(s["AvailabilityZone"] for s in subnets) == ["us-east-1" + c for c in "abcdef"]
    assert all(s["DefaultForAz"] and s["MapPublicIpOnLaunch"] for s in subnets)
    igws = ec2.describe_internet_gateways(Filters=[{"Name": "attachment.vpc-id", "Values": [v["VpcId"]]}])
    assert len(igws["InternetGateways"]) == 1
    main = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [v["VpcId"]]},
                                              {"Name": "association.main", "Values": ["true"]}])
    routes = {r["DestinationCidrBlock"]: r["GatewayId"] for r in main["RouteTables"][0]["Routes"]}
    assert routes == {"172.31.0.0/16": "local", "0.0.0.0/0": igws["InternetGateways"][0]["InternetGatewayId"]}
    assert ec2.describe_vpc_attribute(VpcId=v["VpcId"], Attribute="enableDnsHostnames")[
        "EnableDnsHostnames"]["Value"] is True
    with pytest.raises(ClientError) as e:
        ec2.create_default_vpc()
    assert error_code(e) == "DefaultVpcAlreadyExists"


def test_create_vpc_shape_and_canonical_cidr(ec2):
    v = ec2.create_vpc(CidrBlock="10.0.0.18/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "My Test VPC"}]}])["Vpc"]
    assert v["VpcId"].startswith("vpc-") and len(v["VpcId"]) == 21
    assert v["CidrBlock"] == "10.0.0.0/16"
    assert v["State"] == "pending"
    assert v["InstanceTenancy"] == "default" and v["IsDefault"] is False
    assert v["OwnerId"] == "123456789012" and v["DhcpOptionsId"].startswith("dopt-")
    assert v["CidrBlockAssociationSet"][0]["CidrBlockState"]["State"] == "associated"
    assert v["Tags"] == [{"Key": "Name", "Value": "My Test VPC"}]
    ec2.get_waiter("vpc_available").wait(VpcIds=[v["VpcId"]])
    ec2.get_waiter("vpc_exists").wait(VpcIds=[v["VpcId"]])
    got = ec2.describe_vpcs(VpcIds=[v["VpcId"]])["Vpcs"][0]
    assert got["State"] == "available"
    # VPC-4: main route table with the local route, default security group.
    rts = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [v["VpcId"]]}])["RouteTables"]
    assert len(rts) == 1 and rts[0]["Associations"][0]["Main"] is True
    assert rts[0]["Routes"] == [{"DestinationCidrBlock": "10.0.0.0/16", "GatewayId": "local",
                                 "Origin": "CreateRouteTable", "State": "active"}]


@pytest.mark.parametrize("cidr,code", [
    ("10.0.0.0/15", "InvalidVpc.Range"),
    ("10.0.0.0/29", "InvalidVpc.Range"),
    ("169.254.0.0/16", "InvalidVpc.Range"),
    ("10.0.0.0", "InvalidParameterValue"),
    ("10.1/16", "InvalidParameterValue"),
    ("300.0.0.0/16", "InvalidParameterValue"),
])
def test_create_vpc_errors(ec2, cidr, code):
    with pytest.raises(ClientError) as e:
        ec2.create_vpc(CidrBlock=cidr)
    assert error_code(e) == code
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1  # nothing half-written


def test_vpc_limit(ec2):
    for i in range(4):  # the default VPC is the fifth
        ec2.create_vpc(CidrBlock="10.%d.0.0/16" % i)
    with pytest.raises(ClientError) as e:
        ec2.create_vpc(CidrBlock="10.9.0.0/16")
    assert error_code(e) == "VpcLimitExceeded"


def test_delete_vpc_dependencies(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    for fix in (lambda: ec2.delete_subnet(SubnetId=sn),
                lambda: ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)):
        with pytest.raises(ClientError) as e:
            ec2.delete_vpc(VpcId=vpc)
        assert error_code(e) == "DependencyViolation"
        fix()
    ec2.delete_vpc(VpcId=vpc)
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=[vpc])
    assert error_code(e) == "InvalidVpcID.NotFound"
    # The main route table went with it (VPC-11).
    assert ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"] == []


def test_id_errors(ec2):
    with pytest.raises(ClientError) as e:
        ec2.delete_vpc(VpcId="notavpc")
    assert error_code(e) == "InvalidVpcID.Malformed"
    with pytest.raises(ClientError) as e:
        ec2.delete_vpc(VpcId="vpc-0")
    assert error_code(e) == "InvalidVpcID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(VpcIds=["subnet-00000000000000000"])
    assert error_code(e) == "InvalidVpcID.Malformed"


def test_attributes(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsSupport")["EnableDnsSupport"]["Value"] is True
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"] is False
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    assert ec2.describe_vpc_attribute(VpcId=vpc, Attribute="enableDnsHostnames")["EnableDnsHostnames"]["Value"] is True
    with pytest.raises(ClientError) as e:
        ec2.describe_vpc_attribute(VpcId=vpc, Attribute="bogus")
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": False})
    assert error_code(e) == "InvalidParameterValue"  # hostnames need DNS support


def test_secondary_blocks(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    a = ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock="10.1.0.0/16")["CidrBlockAssociation"]
    assert a["CidrBlock"] == "10.1.0.0/16" and a["AssociationId"].startswith("vpc-cidr-assoc-")
    rt = ec2.describe_route_tables(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["RouteTables"][0]
    assert {r["DestinationCidrBlock"] for r in rt["Routes"]} == {"10.0.0.0/16", "10.1.0.0/16"}
    for cidr, code in [("10.0.128.0/17", "InvalidParameterValue"),  # overlaps
                       ("192.168.0.0/16", "InvalidVpc.Range"),      # other RFC 1918 range
                       ("10.2.0.0/29", "InvalidVpc.Range")]:
        with pytest.raises(ClientError) as e:
            ec2.associate_vpc_cidr_block(VpcId=vpc, CidrBlock=cidr)
        assert error_code(e) == code, cidr
    primary = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["CidrBlockAssociationSet"][0]["AssociationId"]
    with pytest.raises(ClientError) as e:
        ec2.disassociate_vpc_cidr_block(AssociationId=primary)
    assert error_code(e) == "OperationNotPermitted"
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.0.0/24")["Subnet"]["SubnetId"]
    with pytest.raises(ClientError) as e:
        ec2.disassociate_vpc_cidr_block(AssociationId=a["AssociationId"])
    assert error_code(e) == "InvalidParameterValue"  # a subnet still uses it
    ec2.delete_subnet(SubnetId=sn)
    ec2.disassociate_vpc_cidr_block(AssociationId=a["AssociationId"])
    v = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]
    assert [x["CidrBlock"] for x in v["CidrBlockAssociationSet"]] == ["10.0.0.0/16"]
    with pytest.raises(ClientError) as e:
        ec2.disassociate_vpc_cidr_block(AssociationId="vpc-cidr-assoc-00000000000000000")
    assert error_code(e) == "InvalidVpcCidrBlockAssociationID.NotFound"


def test_filters_and_paging(ec2):
    ids = []
    for i in range(3):
        ids.append(ec2.create_vpc(CidrBlock="10.%d.0.0/16" % i, TagSpecifications=[
            {"ResourceType": "vpc", "Tags": [{"Key": "env", "Value": "prod" if i else "dev"}]}])["Vpc"]["VpcId"])

    def ids_of(**kw):
        return sorted(v["VpcId"] for v in ec2.describe_vpcs(**kw)["Vpcs"])

    assert ids_of(Filters=[{"Name": "tag:env", "Values": ["prod"]}]) == sorted(ids[1:])
    assert ids_of(Filters=[{"Name": "tag:env", "Values": ["p*"]}]) == sorted(ids[1:])
    assert ids_of(Filters=[{"Name": "tag-key", "Values": ["env"]}]) == sorted(ids)
    assert ids_of(Filters=[{"Name": "cidr", "Values": ["10.1.0.0/16"]}]) == [ids[1]]
    assert ids_of(Filters=[{"Name": "cidr", "Values": ["10.?.0.0/16"]}]) == sorted(ids)
    assert ids_of(Filters=[{"Name": "tag:env", "Values": ["dev", "prod"]},
                           {"Name": "cidr-block-association.cidr-block", "Values": ["10.2.0.0/16"]}]) == [ids[2]]
    assert ids_of(Filters=[{"Name": "state", "Values": ["pending"]}]) == []
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(Filters=[{"Name": "no-such-filter", "Values": ["x"]}])
    assert error_code(e) == "InvalidParameterValue"
    # Pages of 5 over 4 VPCs (3 + default): one page, no token.
    page = ec2.describe_vpcs(MaxResults=5)
    assert len(page["Vpcs"]) == 4 and "NextToken" not in page
    with pytest.raises(ClientError) as e:
        ec2.describe_vpcs(MaxResults=5, NextToken="garbage")
    assert error_code(e) == "InvalidNextToken"
    seen = [v["SubnetId"] for p in ec2.get_paginator("describe_subnets").paginate(PaginationConfig={"PageSize": 5})
            for v in p["Subnets"]]
    assert len(seen) == len(set(seen)) == 6  # two pages of default subnets


def test_dry_run(ec2):
    with pytest.raises(ClientError) as e:
        ec2.create_vpc(CidrBlock="10.0.0.0/16", DryRun=True)
    assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    assert len(ec2.describe_vpcs()["Vpcs"]) == 1
    with pytest.raises(ClientError) as e:  # validation comes first
        ec2.create_vpc(CidrBlock="10.0.0.0/8", DryRun=True)
    assert error_code(e) == "InvalidVpc.Range"


def test_cli_create_and_describe(daemon):
    out = daemon.aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--tag-specifications",
                     "ResourceType=vpc,Tags=[{Key=Name,Value=My Test VPC}]")
    vpc = out["Vpc"]
    for field in ("VpcId", "State", "CidrBlock", "CidrBlockAssociationSet", "IsDefault", "OwnerId",
                  "InstanceTenancy", "DhcpOptionsId", "Tags"):
        assert field in vpc
    got = daemon.aws("ec2", "describe-vpcs", "--filters", "Name=tag:Name,Values=My Test VPC")
    assert [v["VpcId"] for v in got["Vpcs"]] == [vpc["VpcId"]]
    rc, _, err = daemon.aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/29", check=False)
    assert rc != 0 and "InvalidVpc.Range" in err
