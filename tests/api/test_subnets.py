# SPDX-License-Identifier: MIT
"""Subnets (spec §2): ranges, conflicts, reserved addresses, attributes."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code


@pytest.fixture
def vpc(ec2):
    return ec2.create_vpc(CidrBlock="10.2.0.0/20")["Vpc"]["VpcId"]


def test_create_subnet_shape(ec2, vpc):
    s = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.0/24", AvailabilityZone="us-east-1b",
                          TagSpecifications=[{"ResourceType": "subnet",
                                              "Tags": [{"Key": "Name", "Value": "Public Subnet"}]}])["Subnet"]
    assert s["SubnetId"].startswith("subnet-")
    assert s["AvailabilityZone"] == "us-east-1b" and s["AvailabilityZoneId"] == "use1-az2"
    assert s["AvailableIpAddressCount"] == 251
    assert s["MapPublicIpOnLaunch"] is False and s["DefaultForAz"] is False
    assert s["SubnetArn"] == "arn:aws:ec2:us-east-1:123456789012:subnet/" + s["SubnetId"]
    ec2.get_waiter("subnet_available").wait(SubnetIds=[s["SubnetId"]])
    small = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/28")["Subnet"]
    assert small["AvailableIpAddressCount"] == 11


@pytest.mark.parametrize("cidr,code", [
    ("10.1.0.0/24", "InvalidSubnet.Range"),     # outside the VPC
    ("10.2.0.0/19", "InvalidSubnet.Range"),     # larger than the VPC
    ("10.2.0.0/29", "InvalidSubnet.Range"),     # smaller than /28
    ("garbage", "InvalidParameterValue"),
])
def test_create_subnet_errors(ec2, vpc, cidr, code):
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId=vpc, CidrBlock=cidr)
    assert error_code(e) == code


def test_conflict_and_whole_vpc(ec2, vpc):
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.0/24")
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.128/26")
    assert error_code(e) == "InvalidSubnet.Conflict"
    other = ec2.create_vpc(CidrBlock="10.3.0.0/24")["Vpc"]["VpcId"]
    whole = ec2.create_subnet(VpcId=other, CidrBlock="10.3.0.0/24")["Subnet"]
    assert whole["CidrBlock"] == "10.3.0.0/24"


def test_bad_az_and_vpc(ec2, vpc):
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.0/24", AvailabilityZone="us-east-1z")
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        ec2.create_subnet(VpcId="vpc-00000000000000000", CidrBlock="10.2.0.0/24")
    assert error_code(e) == "InvalidVpcID.NotFound"


def test_modify_and_delete(ec2, vpc):
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.0.0/24")["Subnet"]["SubnetId"]
    ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    assert ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]["MapPublicIpOnLaunch"] is True
    got = ec2.describe_subnets(Filters=[{"Name": "map-public-ip-on-launch", "Values": ["true"]},
                                        {"Name": "vpc-id", "Values": [vpc]}])["Subnets"]
    assert [s["SubnetId"] for s in got] == [sn]
    ec2.delete_subnet(SubnetId=sn)
    with pytest.raises(ClientError) as e:
        ec2.delete_subnet(SubnetId=sn)
    assert error_code(e) == "InvalidSubnetID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.delete_subnet(SubnetId="vpc-123")
    assert error_code(e) == "InvalidSubnetID.Malformed"


def test_default_subnet(ec2):
    with pytest.raises(ClientError) as e:
        ec2.create_default_subnet(AvailabilityZone="us-east-1a")
    assert error_code(e) == "DefaultSubnetAlreadyExistsInAvailabilityZone"
