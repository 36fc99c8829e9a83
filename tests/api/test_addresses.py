# SPDX-License-Identifier: MIT
"""Elastic IPs through the API alone (spec §12): Allocate, Associate,
Disassociate, Release, Describe; the EIP replacing an instance's
auto-assigned public IP, surviving stop/start, leaving on terminate; the
limit, re-association, DryRun, the aws CLI forms and IGW-4."""
import ipaddress

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

AMI = "ami-0de12b0000c0ffee1"
POOL = ipaddress.ip_network("198.18.0.0/15")


def public_vpc(ec2, cidr="10.0.0.0/16", subnet="10.0.1.0/24", public=True):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet)["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    return vpc, sn, igw


def run(ec2, sn, **kw):
    return ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, **kw)["Instances"][0]


def instance(ec2, iid):
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]


def address(ec2, alloc):
    return ec2.describe_addresses(AllocationIds=[alloc])["Addresses"][0]


def test_allocate_shape_and_describe(ec2):
    a = ec2.allocate_address(Domain="vpc", TagSpecifications=[
        {"ResourceType": "elastic-ip", "Tags": [{"Key": "Name", "Value": "web"}]}])
    assert a["AllocationId"].startswith("eipalloc-") and len(a["AllocationId"]) == 26
    assert a["Domain"] == "vpc"
    assert a["PublicIpv4Pool"] == "amazon"
    assert a["NetworkBorderGroup"] == "us-east-1"
    assert ipaddress.ip_address(a["PublicIp"]) in POOL
    got = address(ec2, a["AllocationId"])
    assert got["PublicIp"] == a["PublicIp"] and got["Domain"] == "vpc"
    assert got["Tags"] == [{"Key": "Name", "Value": "web"}]
    assert got["NetworkBorderGroup"] == "us-east-1" and got["PublicIpv4Pool"] == "amazon"
    for k in ("AssociationId", "InstanceId", "NetworkInterfaceId", "PrivateIpAddress"):
        assert k not in got
    # Without Domain as well (VPC-only accounts).
    b = ec2.allocate_address()
    assert b["Domain"] == "vpc" and b["PublicIp"] != a["PublicIp"]
    assert len(ec2.describe_addresses()["Addresses"]) == 2
    by_ip = ec2.describe_addresses(PublicIps=[b["PublicIp"]])["Addresses"]
    assert [x["AllocationId"] for x in by_ip] == [b["AllocationId"]]
    f = ec2.describe_addresses(Filters=[{"Name": "tag:Name", "Values": ["web"]}])["Addresses"]
    assert [x["AllocationId"] for x in f] == [a["AllocationId"]]
    f = ec2.describe_addresses(Filters=[{"Name": "public-ip", "Values": [b["PublicIp"]]},
                                        {"Name": "domain", "Values": ["vpc"]}])["Addresses"]
    assert [x["AllocationId"] for x in f] == [b["AllocationId"]]
    # Taggable afterwards, and DescribeTags knows the type.
    ec2.create_tags(Resources=[b["AllocationId"]], Tags=[{"Key": "k", "Value": "v"}])
    tags = ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [b["AllocationId"]]}])["Tags"]
    assert tags[0]["ResourceType"] == "elastic-ip"


def test_allocate_specific_address_and_errors(ec2):
    a = ec2.allocate_address(Domain="vpc", Address="198.18.10.10")
    assert a["PublicIp"] == "198.18.10.10"
    for extra, code in [
        (dict(Address="198.18.10.10"), "InvalidIPAddress.InUse"),
        (dict(Address="203.0.113.5"), "InvalidAddress.NotFound"),
        (dict(Address="not-an-ip"), "InvalidAddress.Malformed"),
        (dict(Domain="standard"), "InvalidParameterValue"),
        (dict(PublicIpv4Pool="ipv4pool-ec2-0123456789abcdef0"), "InvalidParameterValue"),
        (dict(NetworkBorderGroup="eu-west-1"), "InvalidParameterValue"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.allocate_address(**extra)
        assert error_code(e) == code, extra
    assert len(ec2.describe_addresses()["Addresses"]) == 1


def test_eips_and_auto_assigned_ips_never_collide(ec2):
    vpc, sn, _ = public_vpc(ec2)
    a = run(ec2, sn)["PublicIpAddress"]
    with pytest.raises(ClientError) as e:
        ec2.allocate_address(Address=a)
    assert error_code(e) == "InvalidIPAddress.InUse"
    eips = {ec2.allocate_address()["PublicIp"] for _ in range(3)}
    assert a not in eips
    b = run(ec2, sn)["PublicIpAddress"]
    assert b not in eips and b != a


def test_address_limit(ec2):
    for _ in range(5):
        ec2.allocate_address(Domain="vpc")
    with pytest.raises(ClientError) as e:
        ec2.allocate_address(Domain="vpc")
    assert error_code(e) == "AddressLimitExceeded"
    assert len(ec2.describe_addresses()["Addresses"]) == 5
    # Releasing one makes room again.
    ec2.release_address(AllocationId=ec2.describe_addresses()["Addresses"][0]["AllocationId"])
    ec2.allocate_address(Domain="vpc")


def test_associate_replaces_auto_public_ip(ec2):
    vpc, sn, _ = public_vpc(ec2)
    inst = run(ec2, sn)
    iid, auto = inst["InstanceId"], inst["PublicIpAddress"]
    eni = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    a = ec2.allocate_address(Domain="vpc")
    assoc = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=iid)["AssociationId"]
    assert assoc.startswith("eipassoc-")
    got = address(ec2, a["AllocationId"])
    assert got["AssociationId"] == assoc
    assert got["InstanceId"] == iid
    assert got["NetworkInterfaceId"] == eni
    assert got["NetworkInterfaceOwnerId"] == "123456789012"
    assert got["PrivateIpAddress"] == inst["PrivateIpAddress"]
    now = instance(ec2, iid)
    assert now["PublicIpAddress"] == a["PublicIp"]
    assert now["NetworkInterfaces"][0]["Association"]["IpOwnerId"] == "123456789012"
    ni = ec2.describe_network_interfaces(NetworkInterfaceIds=[eni])["NetworkInterfaces"][0]
    assert ni["Association"]["PublicIp"] == a["PublicIp"]
    assert ni["Association"]["IpOwnerId"] == "123456789012"
    assert ni["Association"]["AllocationId"] == a["AllocationId"]
    assert ni["Association"]["AssociationId"] == assoc
    # The auto-assigned address went back to the pool: a new allocation may take it.
    assert ec2.allocate_address(Address=auto)["PublicIp"] == auto
    # Filters on the association.
    for name, value in [("association-id", assoc), ("instance-id", iid),
                        ("network-interface-id", eni),
                        ("network-interface-owner-id", "123456789012"),
                        ("private-ip-address", inst["PrivateIpAddress"]),
                        ("allocation-id", a["AllocationId"])]:
        f = ec2.describe_addresses(Filters=[{"Name": name, "Values": [value]}])["Addresses"]
        assert [x["AllocationId"] for x in f] == [a["AllocationId"]], name
    f = ec2.describe_instances(Filters=[{"Name": "ip-address", "Values": [a["PublicIp"]]}])
    assert f["Reservations"][0]["Instances"][0]["InstanceId"] == iid
    # Disassociate: a new, different auto-assigned address (EIP-6).
    ec2.disassociate_address(AssociationId=assoc)
    after = instance(ec2, iid)
    assert after["PublicIpAddress"] not in (a["PublicIp"], None)
    assert after["PublicIpAddress"] != auto
    assert after["NetworkInterfaces"][0]["Association"]["IpOwnerId"] == "amazon"
    assert "AssociationId" not in address(ec2, a["AllocationId"])
    with pytest.raises(ClientError) as e:
        ec2.disassociate_address(AssociationId=assoc)
    assert error_code(e) == "InvalidAssociationID.NotFound"


def test_disassociate_without_auto_ip_leaves_none(ec2):
    vpc, sn, _ = public_vpc(ec2, public=False)
    inst = run(ec2, sn)
    assert "PublicIpAddress" not in inst
    a = ec2.allocate_address()
    eni = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assoc = ec2.associate_address(AllocationId=a["AllocationId"], NetworkInterfaceId=eni,
                                  PrivateIpAddress=inst["PrivateIpAddress"])["AssociationId"]
    assert instance(ec2, inst["InstanceId"])["PublicIpAddress"] == a["PublicIp"]
    ec2.disassociate_address(AssociationId=assoc)
    assert "PublicIpAddress" not in instance(ec2, inst["InstanceId"])


def test_eip_survives_stop_start_and_leaves_on_terminate(ec2):
    vpc, sn, _ = public_vpc(ec2)
    iid = run(ec2, sn)["InstanceId"]
    a = ec2.allocate_address()
    ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=iid)
    ec2.stop_instances(InstanceIds=[iid])
    stopped = instance(ec2, iid)
    assert stopped["State"]["Name"] == "stopped"
    assert stopped["PublicIpAddress"] == a["PublicIp"]  # EIP-10
    ec2.start_instances(InstanceIds=[iid])
    assert instance(ec2, iid)["PublicIpAddress"] == a["PublicIp"]
    assert address(ec2, a["AllocationId"])["InstanceId"] == iid
    ec2.terminate_instances(InstanceIds=[iid])
    got = address(ec2, a["AllocationId"])  # the allocation stays
    for k in ("AssociationId", "InstanceId", "NetworkInterfaceId"):
        assert k not in got
    ec2.release_address(AllocationId=a["AllocationId"])
    assert ec2.describe_addresses()["Addresses"] == []


def test_reassociation(ec2):
    vpc, sn, _ = public_vpc(ec2)
    i1, i2 = run(ec2, sn)["InstanceId"], run(ec2, sn)["InstanceId"]
    a = ec2.allocate_address()
    first = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=i1)["AssociationId"]
    # The same association again is idempotent.
    again = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=i1)["AssociationId"]
    assert again == first
    for kw in ({}, {"AllowReassociation": False}):
        with pytest.raises(ClientError) as e:
            ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=i2, **kw)
        assert error_code(e) == "Resource.AlreadyAssociated"
    moved = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=i2,
                                  AllowReassociation=True)["AssociationId"]
    assert moved != first
    assert address(ec2, a["AllocationId"])["InstanceId"] == i2
    assert instance(ec2, i2)["PublicIpAddress"] == a["PublicIp"]
    # i1 had an auto-assigned IP before: it gets a new one.
    p1 = instance(ec2, i1).get("PublicIpAddress")
    assert p1 and p1 != a["PublicIp"]
    # EIP-4: a second EIP on i2 takes the place of the first, which stays allocated.
    b = ec2.allocate_address()
    ec2.associate_address(AllocationId=b["AllocationId"], InstanceId=i2)
    assert instance(ec2, i2)["PublicIpAddress"] == b["PublicIp"]
    assert "AssociationId" not in address(ec2, a["AllocationId"])
    # PublicIp forms.
    ec2.associate_address(PublicIp=a["PublicIp"], InstanceId=i1)
    assert instance(ec2, i1)["PublicIpAddress"] == a["PublicIp"]
    ec2.disassociate_address(PublicIp=a["PublicIp"])
    assert "AssociationId" not in address(ec2, a["AllocationId"])


def test_associate_errors(ec2):
    vpc, sn, _ = public_vpc(ec2)
    inst = run(ec2, sn)
    iid, eni = inst["InstanceId"], inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    a = ec2.allocate_address()["AllocationId"]
    cases = [
        (dict(AllocationId="eipalloc-00000000000000000", InstanceId=iid),
         "InvalidAllocationID.NotFound"),
        (dict(AllocationId="alloc-1", InstanceId=iid), "InvalidAllocationID.Malformed"),
        (dict(AllocationId=a, InstanceId="i-00000000000000000"), "InvalidInstanceID.NotFound"),
        (dict(AllocationId=a, InstanceId="vm-1"), "InvalidInstanceID.Malformed"),
        (dict(AllocationId=a, NetworkInterfaceId="eni-00000000000000000"),
         "InvalidNetworkInterfaceID.NotFound"),
        (dict(AllocationId=a, InstanceId=iid, NetworkInterfaceId=eni),
         "InvalidParameterCombination"),
        (dict(AllocationId=a), "MissingParameter"),
        (dict(AllocationId=a, NetworkInterfaceId=eni, PrivateIpAddress="10.0.1.200"),
         "InvalidParameterValue"),
        (dict(PublicIp="203.0.113.9", InstanceId=iid), "InvalidAddress.NotFound"),
    ]
    for kw, code in cases:
        with pytest.raises(ClientError) as e:
            ec2.associate_address(**kw)
        assert error_code(e) == code, kw
    # EIP-5: no internet gateway, no Elastic IP.
    vpc2 = ec2.create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    sn2 = ec2.create_subnet(VpcId=vpc2, CidrBlock="10.9.0.0/24")["Subnet"]["SubnetId"]
    with pytest.raises(ClientError) as e:
        ec2.associate_address(AllocationId=a, InstanceId=run(ec2, sn2)["InstanceId"])
    assert error_code(e) == "Gateway.NotAttached"
    assert "AssociationId" not in address(ec2, a)


def test_release_and_disassociate_errors(ec2):
    vpc, sn, _ = public_vpc(ec2)
    iid = run(ec2, sn)["InstanceId"]
    a = ec2.allocate_address()
    assoc = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=iid)["AssociationId"]
    with pytest.raises(ClientError) as e:
        ec2.release_address(AllocationId=a["AllocationId"])
    assert error_code(e) == "InvalidIPAddress.InUse"
    for kw, code in [
        (dict(AllocationId="eipalloc-00000000000000000"), "InvalidAllocationID.NotFound"),
        (dict(AllocationId="x-1"), "InvalidAllocationID.Malformed"),
        (dict(AllocationId=a["AllocationId"], PublicIp=a["PublicIp"]),
         "InvalidParameterCombination"),
        ({}, "MissingParameter"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.release_address(**kw)
        assert error_code(e) == code, kw
    for kw, code in [
        (dict(AssociationId="eipassoc-00000000000000000"), "InvalidAssociationID.NotFound"),
        (dict(AssociationId="assoc-1"), "InvalidAssociationID.Malformed"),
        ({}, "MissingParameter"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.disassociate_address(**kw)
        assert error_code(e) == code, kw
    ec2.disassociate_address(AssociationId=assoc)
    ec2.release_address(AllocationId=a["AllocationId"])
    with pytest.raises(ClientError) as e:
        ec2.describe_addresses(AllocationIds=[a["AllocationId"]])
    assert error_code(e) == "InvalidAllocationID.NotFound"


def test_describe_errors(ec2):
    for kw, code in [
        (dict(AllocationIds=["eipalloc-00000000000000000"]), "InvalidAllocationID.NotFound"),
        (dict(AllocationIds=["nope"]), "InvalidAllocationID.Malformed"),
        (dict(PublicIps=["198.18.99.99"]), "InvalidAddress.NotFound"),
        (dict(PublicIps=["x"]), "InvalidAddress.Malformed"),
        (dict(Filters=[{"Name": "bogus", "Values": ["1"]}]), "InvalidParameterValue"),
    ]:
        with pytest.raises(ClientError) as e:
            ec2.describe_addresses(**kw)
        assert error_code(e) == code, kw


def test_dry_run(ec2):
    vpc, sn, _ = public_vpc(ec2)
    iid = run(ec2, sn)["InstanceId"]
    with pytest.raises(ClientError) as e:
        ec2.allocate_address(Domain="vpc", DryRun=True)
    assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    assert ec2.describe_addresses()["Addresses"] == []
    a = ec2.allocate_address()["AllocationId"]
    with pytest.raises(ClientError) as e:
        ec2.associate_address(AllocationId=a, InstanceId=iid, DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert "AssociationId" not in address(ec2, a)
    with pytest.raises(ClientError) as e:  # validation first
        ec2.associate_address(AllocationId="eipalloc-00000000000000000", InstanceId=iid,
                              DryRun=True)
    assert error_code(e) == "InvalidAllocationID.NotFound"
    assoc = ec2.associate_address(AllocationId=a, InstanceId=iid)["AssociationId"]
    with pytest.raises(ClientError) as e:
        ec2.disassociate_address(AssociationId=assoc, DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert address(ec2, a)["AssociationId"] == assoc
    ec2.disassociate_address(AssociationId=assoc)
    with pytest.raises(ClientError) as e:
        ec2.release_address(AllocationId=a, DryRun=True)
    assert error_code(e) == "DryRunOperation"
    with pytest.raises(ClientError) as e:
        ec2.describe_addresses(DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert len(ec2.describe_addresses()["Addresses"]) == 1


def test_detach_igw_with_mapped_addresses(ec2):
    vpc, sn, igw = public_vpc(ec2, public=False)
    iid = run(ec2, sn)["InstanceId"]
    a = ec2.allocate_address()
    assoc = ec2.associate_address(AllocationId=a["AllocationId"], InstanceId=iid)["AssociationId"]
    with pytest.raises(ClientError) as e:
        ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert error_code(e) == "DependencyViolation"  # IGW-4
    ec2.disassociate_address(AssociationId=assoc)
    ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    # An auto-assigned public IP blocks it too.
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    run(ec2, sn)
    with pytest.raises(ClientError) as e:
        ec2.detach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    assert error_code(e) == "DependencyViolation"


def test_aws_cli(daemon):
    a = daemon.aws("ec2", "allocate-address", "--domain", "vpc")
    assert a["Domain"] == "vpc" and a["AllocationId"].startswith("eipalloc-")
    vpc = daemon.aws("ec2", "describe-vpcs", "--filters", "Name=is-default,Values=true")["Vpcs"][0]["VpcId"]
    inst = daemon.aws("ec2", "run-instances", "--image-id", AMI, "--count", "1")["Instances"][0]
    assert inst["VpcId"] == vpc
    assoc = daemon.aws("ec2", "associate-address", "--allocation-id", a["AllocationId"],
                       "--instance-id", inst["InstanceId"])["AssociationId"]
    got = daemon.aws("ec2", "describe-addresses", "--allocation-ids", a["AllocationId"])["Addresses"][0]
    assert got["AssociationId"] == assoc and got["InstanceId"] == inst["InstanceId"]
    got = daemon.aws("ec2", "describe-addresses", "--filters", "Name=domain,Values=vpc")["Addresses"]
    assert len(got) == 1
    daemon.aws("ec2", "disassociate-address", "--association-id", assoc)
    daemon.aws("ec2", "release-address", "--allocation-id", a["AllocationId"])
    assert daemon.aws("ec2", "describe-addresses")["Addresses"] == []
    rc, out, err = daemon.aws("ec2", "release-address", "--allocation-id", a["AllocationId"],
                              check=False)
    assert rc != 0 and "InvalidAllocationID.NotFound" in err
