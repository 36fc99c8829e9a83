# SPDX-License-Identifier: MIT
"""Internet gateways (spec §5), tags (API-23..26) and regions/AZs."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code


def test_igw_lifecycle(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    g = ec2.create_internet_gateway(TagSpecifications=[
        {"ResourceType": "internet-gateway", "Tags": [{"Key": "Name", "Value": "Public Subnet Gateway"}]}])
    igw = g["InternetGateway"]["InternetGatewayId"]
    assert g["InternetGateway"]["Attachments"] == []
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    att = ec2.describe_internet_gateways(InternetGatewayIds=[igw])["InternetGateways"][0]["Attachments"]
    assert att == [{"State": "available", "VpcId": vpc}]  # IGW-2: "available"
    with pytest.raises(ClientError) as e:
        ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert error_code(e) == "Resource.AlreadyAssociated"
    other = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    with pytest.raises(ClientError) as e:
        ec2.attach_internet_gateway(InternetGatewayId=other, VpcId=vpc)
    assert error_code(e) == "Resource.AlreadyAssociated"
    with pytest.raises(ClientError) as e:
        ec2.delete_internet_gateway(InternetGatewayId=igw)
    assert error_code(e) == "DependencyViolation"
    with pytest.raises(ClientError) as e:
        ec2.detach_internet_gateway(InternetGatewayId=other, VpcId=vpc)
    assert error_code(e) == "Gateway.NotAttached"
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.delete_internet_gateway(InternetGatewayId=igw)
    with pytest.raises(ClientError) as e:
        ec2.describe_internet_gateways(InternetGatewayIds=[igw])
    assert error_code(e) == "InvalidInternetGatewayID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.delete_internet_gateway(InternetGatewayId="gw-1")
    assert error_code(e) == "InvalidInternetGatewayId.Malformed"


def test_igw_limit(ec2):
    for _ in range(4):  # the default VPC's gateway is the fifth
        ec2.create_internet_gateway()
    with pytest.raises(ClientError) as e:
        ec2.create_internet_gateway()
    assert error_code(e) == "InternetGatewayLimitExceeded"


def test_tags(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}])
    ec2.create_tags(Resources=[vpc], Tags=[{"Key": "a", "Value": "9"}])  # overwrites
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [vpc]}])["Tags"]
    assert [(t["Key"], t["Value"], t["ResourceType"]) for t in tags] == [("a", "9", "vpc"), ("b", "2", "vpc")]
    ec2.delete_tags(Resources=[vpc], Tags=[{"Key": "b", "Value": "wrong"}])  # value must match
    ec2.delete_tags(Resources=[vpc], Tags=[{"Key": "a"}])  # any value
    tags = ec2.describe_vpcs(VpcIds=[vpc])["Vpcs"][0]["Tags"]
    assert tags == [{"Key": "b", "Value": "2"}]
    for args, code in [
        (dict(Resources=["vpc-00000000000000000"], Tags=[{"Key": "k", "Value": "v"}]), "InvalidID"),
        (dict(Resources=[vpc], Tags=[{"Key": "aws:x", "Value": "v"}]), "InvalidTagKey.Malformed"),
        (dict(Resources=[vpc], Tags=[{"Key": "k%d" % i, "Value": "v"} for i in range(50)]), "TagLimitExceeded"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.create_tags(**args)
        assert error_code(e) == code
    with pytest.raises(ClientError) as e:
        ec2.create_vpc(CidrBlock="10.1.0.0/16", TagSpecifications=[
            {"ResourceType": "subnet", "Tags": [{"Key": "k", "Value": "v"}]}])
    assert error_code(e) == "InvalidParameterValue"


def test_regions_and_zones(ec2):
    regions = {r["RegionName"]: r["Endpoint"] for r in ec2.describe_regions()["Regions"]}
    assert regions["eu-west-1"] == "ec2.eu-west-1.amazonaws.com" and len(regions) >= 17
    zones = ec2.describe_availability_zones()["AvailabilityZones"]
    assert [(z["ZoneName"], z["ZoneId"], z["State"]) for z in zones][:2] == [
        ("us-east-1a", "use1-az1", "available"), ("us-east-1b", "use1-az2", "available")]
    assert len(zones) == 6
    one = ec2.describe_availability_zones(ZoneNames=["us-east-1c"])["AvailabilityZones"]
    assert [z["ZoneId"] for z in one] == ["use1-az3"]
    attrs = {a["AttributeName"]: a["AttributeValues"][0]["AttributeValue"]
             for a in ec2.describe_account_attributes()["AccountAttributes"]}
    assert attrs["supported-platforms"] == "VPC" and attrs["default-vpc"].startswith("vpc-")
