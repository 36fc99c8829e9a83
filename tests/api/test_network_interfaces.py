# SPDX-License-Identifier: MIT
"""Network interfaces through the API alone (spec §6, SG-16): Create,
Describe (instances' primary ENIs included), Attach, Detach, Delete, the
attributes, the limits, DryRun and the instance paths that share the rules."""
import re

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_code

AMI = "ami-0de12b0000c0ffee1"


def vpc_subnet(ec2, cidr="10.0.0.0/16", subnet="10.0.1.0/24", az=None, public=False):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    kw = {"AvailabilityZone": az} if az else {}
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet, **kw)["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    return vpc, sn


def run(ec2, sn, itype="t3.small", **kw):
    return ec2.run_instances(ImageId=AMI, InstanceType=itype, MinCount=1, MaxCount=1,
                             SubnetId=sn, **kw)["Instances"][0]


def eni(ec2, eni_id):
    return ec2.describe_network_interfaces(NetworkInterfaceIds=[eni_id])["NetworkInterfaces"][0]


def instance(ec2, iid):
    return ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]


def new_group(ec2, vpc, name):
    try:
        return ec2.create_security_group(VpcId=vpc, GroupName=name,
                                         Description="test group")["GroupId"]
    except ClientError as e:
        if error_code_of(e) == "InvalidAction":
            pytest.skip("CreateSecurityGroup is not served by this build")
        raise


def raw_client(daemon):
    """A client that skips botocore's own parameter checks."""
    return boto3.client("ec2", endpoint_url=daemon.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(parameter_validation=False,
                                                      retries={"max_attempts": 0}))


def error_code_of(e):
    return e.response["Error"]["Code"]


def fails(code, fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    assert error_code(e) == code, e.value.response["Error"]
    return e


def test_create_shape_and_defaults(ec2):
    vpc, sn = vpc_subnet(ec2)
    az = ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]["AvailabilityZone"]
    before = ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]["AvailableIpAddressCount"]
    r = ec2.create_network_interface(
        SubnetId=sn, Description="my eni",
        TagSpecifications=[{"ResourceType": "network-interface",
                            "Tags": [{"Key": "Name", "Value": "e1"}]}])
    ni = r["NetworkInterface"]
    assert re.fullmatch(r"eni-[0-9a-f]{17}", ni["NetworkInterfaceId"])
    assert ni["SubnetId"] == sn and ni["VpcId"] == vpc and ni["AvailabilityZone"] == az
    assert ni["Description"] == "my eni"
    assert ni["Status"] == "available"
    assert ni["InterfaceType"] == "interface"
    assert ni["RequesterManaged"] is False
    assert ni["SourceDestCheck"] is True
    assert "Attachment" not in ni and "Association" not in ni
    assert len(ni["Groups"]) == 1 and ni["Groups"][0]["GroupName"] == "default"
    assert ni["Groups"][0]["GroupId"].startswith("sg-")
    assert ni["PrivateIpAddress"] == "10.0.1.4"  # SUB-5: .0-.3 are AWS's
    assert ni["PrivateIpAddresses"] == [{"PrivateIpAddress": "10.0.1.4", "Primary": True,
                                         "PrivateDnsName": "ip-10-0-1-4.ec2.internal"}]
    assert ni["PrivateDnsName"] == "ip-10-0-1-4.ec2.internal"
    assert re.fullmatch(r"0e(:[0-9a-f]{2}){5}", ni["MacAddress"])
    assert ni["OwnerId"]
    assert ni["TagSet"] == [{"Key": "Name", "Value": "e1"}]
    after = ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]["AvailableIpAddressCount"]
    assert after == before - 1
    # The next one takes the next free address; an instance after it too.
    ni2 = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]
    assert ni2["PrivateIpAddress"] == "10.0.1.5" and ni2["Description"] == ""
    assert run(ec2, sn)["PrivateIpAddress"] == "10.0.1.6"
    assert eni(ec2, ni["NetworkInterfaceId"]) == ni
    # A subnet with an ENI cannot go.
    fails("DependencyViolation", ec2.delete_subnet, SubnetId=sn)
    assert ec2.delete_network_interface(NetworkInterfaceId=ni["NetworkInterfaceId"])
    fails("InvalidNetworkInterfaceID.NotFound", ec2.describe_network_interfaces,
          NetworkInterfaceIds=[ni["NetworkInterfaceId"]])
    fails("InvalidNetworkInterfaceID.NotFound", ec2.delete_network_interface,
          NetworkInterfaceId=ni["NetworkInterfaceId"])
    # Its address is free again.
    assert ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["PrivateIpAddress"] \
        == "10.0.1.4"


def test_create_errors_and_explicit_address(ec2, daemon):
    vpc, sn = vpc_subnet(ec2)
    _, other_sn = vpc_subnet(ec2, "10.1.0.0/16", "10.1.1.0/24")
    ni = ec2.create_network_interface(SubnetId=sn, PrivateIpAddress="10.0.1.77")
    assert ni["NetworkInterface"]["PrivateIpAddress"] == "10.0.1.77"
    fails("InvalidIPAddress.InUse", ec2.create_network_interface, SubnetId=sn,
          PrivateIpAddress="10.0.1.77")
    fails("InvalidParameterValue", ec2.create_network_interface, SubnetId=sn,
          PrivateIpAddress="10.0.2.5")
    fails("InvalidParameterValue", ec2.create_network_interface, SubnetId=sn,
          PrivateIpAddress="10.0.1.2")  # reserved for DNS
    fails("InvalidParameterValue", ec2.create_network_interface, SubnetId=sn,
          PrivateIpAddress="10.0.1")
    raw = raw_client(daemon)
    fails("MissingParameter", raw.create_network_interface)
    fails("InvalidSubnetID.Malformed", ec2.create_network_interface, SubnetId="vpc-123")
    fails("InvalidSubnetID.NotFound", ec2.create_network_interface,
          SubnetId="subnet-00000000000000000")
    fails("InvalidGroupId.Malformed", ec2.create_network_interface, SubnetId=sn,
          Groups=["vpc-1"])
    fails("InvalidGroup.NotFound", ec2.create_network_interface, SubnetId=sn,
          Groups=["sg-00000000000000000"])
    # A group of another VPC is not one this ENI may have (SG-2).
    foreign = eni(ec2, ec2.create_network_interface(SubnetId=other_sn)
                  ["NetworkInterface"]["NetworkInterfaceId"])["Groups"][0]["GroupId"]
    fails("InvalidGroup.NotFound", ec2.create_network_interface, SubnetId=sn, Groups=[foreign])
    # SG-16: five groups at most.
    fails("SecurityGroupsPerInterfaceLimitExceeded", ec2.create_network_interface, SubnetId=sn,
          Groups=["sg-0000000000000000%d" % i for i in range(6)])
    # A repeated group counts once.
    dflt = ni["NetworkInterface"]["Groups"][0]["GroupId"]
    r = ec2.create_network_interface(SubnetId=sn, Groups=[dflt] * 6)["NetworkInterface"]
    assert [g["GroupId"] for g in r["Groups"]] == [dflt]
    fails("InvalidParameterValue", ec2.create_network_interface, SubnetId=sn,
          TagSpecifications=[{"ResourceType": "instance", "Tags": [{"Key": "a", "Value": "b"}]}])
    fails("InvalidParameterValue", ec2.create_network_interface, SubnetId=sn,
          Description="x" * 256)
    fails("UnsupportedOperation", ec2.create_network_interface, SubnetId=sn,
          SecondaryPrivateIpAddressCount=2)
    # Nothing above left an interface behind.
    assert len(ec2.describe_network_interfaces()["NetworkInterfaces"]) == 3


def test_create_dry_run_and_client_token(ec2):
    _, sn = vpc_subnet(ec2)
    fails("DryRunOperation", ec2.create_network_interface, SubnetId=sn, DryRun=True)
    fails("InvalidSubnetID.NotFound", ec2.create_network_interface,
          SubnetId="subnet-00000000000000000", DryRun=True)
    assert ec2.describe_network_interfaces()["NetworkInterfaces"] == []
    a = ec2.create_network_interface(SubnetId=sn, ClientToken="tok-1")
    b = ec2.create_network_interface(SubnetId=sn, ClientToken="tok-1")
    assert a["ClientToken"] == "tok-1"
    assert a["NetworkInterface"]["NetworkInterfaceId"] == b["NetworkInterface"]["NetworkInterfaceId"]
    c = ec2.create_network_interface(SubnetId=sn, ClientToken="tok-2")
    assert c["NetworkInterface"]["NetworkInterfaceId"] != a["NetworkInterface"]["NetworkInterfaceId"]
    assert len(ec2.describe_network_interfaces()["NetworkInterfaces"]) == 2


def test_instances_primary_eni_is_listed(ec2):
    vpc, sn = vpc_subnet(ec2, public=True)
    inst = run(ec2, sn)
    iid = inst["InstanceId"]
    enis = ec2.describe_network_interfaces(
        Filters=[{"Name": "attachment.instance-id", "Values": [iid]}])["NetworkInterfaces"]
    assert len(enis) == 1
    ni = enis[0]
    assert ni["NetworkInterfaceId"] == inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    assert ni["Status"] == "in-use"
    att = ni["Attachment"]
    assert re.fullmatch(r"eni-attach-[0-9a-f]{17}", att["AttachmentId"])
    assert att["AttachmentId"] == inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"]
    assert att["DeviceIndex"] == 0 and att["Status"] == "attached"
    assert att["DeleteOnTermination"] is True and att["InstanceId"] == iid
    assert att["InstanceOwnerId"] == ni["OwnerId"] and "AttachTime" in att
    pub = inst["PublicIpAddress"]
    assert ni["Association"]["PublicIp"] == pub
    assert ni["Association"]["IpOwnerId"] == "amazon"
    assert ni["Association"]["PublicDnsName"] == "ec2-%s.compute-1.amazonaws.com" % pub.replace(".", "-")
    assert ni["PrivateIpAddresses"][0]["Association"]["PublicIp"] == pub
    assert ni["Groups"][0]["GroupName"] == "default"
    assert ni["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert ni["PrivateDnsName"] == inst["PrivateDnsName"]
    assert ni["MacAddress"] == inst["NetworkInterfaces"][0]["MacAddress"]
    assert ni["SourceDestCheck"] is True and ni["RequesterManaged"] is False
    assert ni["AvailabilityZone"] == inst["Placement"]["AvailabilityZone"]
    assert ni["InterfaceType"] == "interface" and ni["VpcId"] == vpc
    # The instance's primary ENI cannot be deleted while attached.
    fails("InvalidNetworkInterface.InUse", ec2.delete_network_interface,
          NetworkInterfaceId=ni["NetworkInterfaceId"])
    fails("OperationNotPermitted", ec2.detach_network_interface,
          AttachmentId=att["AttachmentId"])


def test_describe_filters_and_pages(ec2, daemon):
    vpc, sn = vpc_subnet(ec2)
    vpc2, sn2 = vpc_subnet(ec2, "10.1.0.0/16", "10.1.1.0/24", az="us-east-1b")
    ids = [ec2.create_network_interface(SubnetId=sn, Description="d%d" % i)
           ["NetworkInterface"]["NetworkInterfaceId"] for i in range(5)]
    other = ec2.create_network_interface(
        SubnetId=sn2, TagSpecifications=[{"ResourceType": "network-interface",
                                          "Tags": [{"Key": "role", "Value": "nat"}]}]
    )["NetworkInterface"]
    inst = run(ec2, sn)
    prim = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    ec2.modify_network_interface_attribute(NetworkInterfaceId=ids[1],
                                           SourceDestCheck={"Value": False})

    def q(name, *values):
        r = ec2.describe_network_interfaces(Filters=[{"Name": name, "Values": list(values)}])
        return sorted(n["NetworkInterfaceId"] for n in r["NetworkInterfaces"])

    assert q("vpc-id", vpc) == sorted(ids + [prim])
    assert q("subnet-id", sn2) == [other["NetworkInterfaceId"]]
    assert q("availability-zone", "us-east-1b") == [other["NetworkInterfaceId"]]
    assert q("status", "in-use") == [prim]
    assert q("status", "available") == sorted(ids + [other["NetworkInterfaceId"]])
    assert q("private-ip-address", "10.0.1.4") == [ids[0]]
    assert q("addresses.private-ip-address", "10.0.1.5") == [ids[1]]
    assert q("description", "d3") == [ids[3]]
    assert q("description", "d*") == sorted(ids)
    assert q("source-dest-check", "false") == [ids[1]]
    assert q("network-interface-id", ids[2], ids[4]) == sorted([ids[2], ids[4]])
    assert q("attachment.instance-id", inst["InstanceId"]) == [prim]
    assert q("attachment.device-index", "0") == [prim]
    assert q("attachment.attachment-id",
             inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"]) == [prim]
    assert q("interface-type", "interface") == sorted(ids + [prim, other["NetworkInterfaceId"]])
    assert q("requester-managed", "true") == []
    assert q("mac-address", other["MacAddress"]) == [other["NetworkInterfaceId"]]
    assert q("owner-id", other["OwnerId"]) == sorted(ids + [prim, other["NetworkInterfaceId"]])
    assert q("group-id", other["Groups"][0]["GroupId"]) == [other["NetworkInterfaceId"]]
    assert q("group-name", "default") == sorted(ids + [prim, other["NetworkInterfaceId"]])
    assert q("tag:role", "nat") == [other["NetworkInterfaceId"]]
    assert q("tag-key", "role") == [other["NetworkInterfaceId"]]
    # Filters AND, values OR.
    r = ec2.describe_network_interfaces(Filters=[
        {"Name": "vpc-id", "Values": [vpc, vpc2]}, {"Name": "status", "Values": ["in-use"]}])
    assert [n["NetworkInterfaceId"] for n in r["NetworkInterfaces"]] == [prim]
    fails("InvalidParameterValue", ec2.describe_network_interfaces,
          Filters=[{"Name": "bogus", "Values": ["x"]}])
    fails("InvalidNetworkInterfaceId.Malformed", ec2.describe_network_interfaces,
          NetworkInterfaceIds=["vpc-0123"])
    fails("InvalidNetworkInterfaceID.NotFound", ec2.describe_network_interfaces,
          NetworkInterfaceIds=[ids[0], "eni-00000000000000000"])
    # Pages of five in creation order, then the rest without a token.
    p1 = ec2.describe_network_interfaces(MaxResults=5)
    assert len(p1["NetworkInterfaces"]) == 5 and p1["NextToken"]
    p2 = ec2.describe_network_interfaces(MaxResults=5, NextToken=p1["NextToken"])
    assert "NextToken" not in p2
    got = [n["NetworkInterfaceId"] for n in p1["NetworkInterfaces"] + p2["NetworkInterfaces"]]
    assert got == ids + [other["NetworkInterfaceId"], prim]
    raw = raw_client(daemon)
    fails("InvalidParameterValue", raw.describe_network_interfaces, MaxResults=4)
    fails("InvalidParameterValue", raw.describe_network_interfaces, MaxResults=1001)
    fails("InvalidParameterCombination", ec2.describe_network_interfaces,
          NetworkInterfaceIds=[prim], MaxResults=5)
    fails("InvalidNextToken", ec2.describe_network_interfaces, NextToken="junk")
    fails("DryRunOperation", ec2.describe_network_interfaces, DryRun=True)


def test_attach_detach_delete_lifecycle(ec2, daemon):
    vpc, sn = vpc_subnet(ec2)
    inst = run(ec2, sn, itype="t3.small")  # three interfaces at most
    iid = inst["InstanceId"]
    a = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    b = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    c = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    fails("DryRunOperation", ec2.attach_network_interface, NetworkInterfaceId=a,
          InstanceId=iid, DeviceIndex=1, DryRun=True)
    assert eni(ec2, a)["Status"] == "available"
    r = ec2.attach_network_interface(NetworkInterfaceId=a, InstanceId=iid, DeviceIndex=1)
    att = r["AttachmentId"]
    assert re.fullmatch(r"eni-attach-[0-9a-f]{17}", att)
    ni = eni(ec2, a)
    assert ni["Status"] == "in-use"
    assert ni["Attachment"]["AttachmentId"] == att
    assert ni["Attachment"]["DeviceIndex"] == 1
    assert ni["Attachment"]["InstanceId"] == iid
    assert ni["Attachment"]["DeleteOnTermination"] is False
    assert ni["Attachment"]["Status"] == "attached"
    nis = instance(ec2, iid)["NetworkInterfaces"]
    assert [n["Attachment"]["DeviceIndex"] for n in nis] == [0, 1]
    assert nis[1]["NetworkInterfaceId"] == a and nis[1]["Attachment"]["AttachmentId"] == att
    # The instance filter network-interface.* sees the secondary too.
    res = ec2.describe_instances(Filters=[{"Name": "network-interface.network-interface-id",
                                           "Values": [a]}])["Reservations"]
    assert res[0]["Instances"][0]["InstanceId"] == iid
    # Errors of attach.
    fails("InvalidNetworkInterface.InUse", ec2.attach_network_interface, NetworkInterfaceId=a,
          InstanceId=iid, DeviceIndex=2)
    fails("InvalidParameterValue", ec2.attach_network_interface, NetworkInterfaceId=b,
          InstanceId=iid, DeviceIndex=1)
    fails("InvalidParameterValue", ec2.attach_network_interface, NetworkInterfaceId=b,
          InstanceId=iid, DeviceIndex=0)
    fails("InvalidNetworkInterfaceID.NotFound", ec2.attach_network_interface,
          NetworkInterfaceId="eni-00000000000000000", InstanceId=iid, DeviceIndex=2)
    fails("InvalidNetworkInterfaceId.Malformed", ec2.attach_network_interface,
          NetworkInterfaceId="subnet-1", InstanceId=iid, DeviceIndex=2)
    fails("InvalidInstanceID.NotFound", ec2.attach_network_interface, NetworkInterfaceId=b,
          InstanceId="i-00000000000000000", DeviceIndex=2)
    fails("InvalidInstanceID.Malformed", ec2.attach_network_interface, NetworkInterfaceId=b,
          InstanceId="x-1", DeviceIndex=2)
    fails("InvalidParameterValue", ec2.attach_network_interface, NetworkInterfaceId=b,
          InstanceId=iid, DeviceIndex=-1)
    raw = raw_client(daemon)
    fails("MissingParameter", raw.attach_network_interface, NetworkInterfaceId=b, InstanceId=iid)
    fails("MissingParameter", raw.detach_network_interface)
    ec2.attach_network_interface(NetworkInterfaceId=b, InstanceId=iid, DeviceIndex=2)
    fails("AttachmentLimitExceeded", ec2.attach_network_interface, NetworkInterfaceId=c,
          InstanceId=iid, DeviceIndex=3)
    # Delete while attached; detach; the primary stays.
    fails("InvalidNetworkInterface.InUse", ec2.delete_network_interface, NetworkInterfaceId=a)
    fails("OperationNotPermitted", ec2.detach_network_interface,
          AttachmentId=inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"])
    fails("InvalidAttachmentID.NotFound", ec2.detach_network_interface,
          AttachmentId="eni-attach-00000000000000000")
    fails("InvalidNetworkInterfaceAttachmentId.Malformed", ec2.detach_network_interface,
          AttachmentId=a)
    fails("DryRunOperation", ec2.detach_network_interface, AttachmentId=att, DryRun=True)
    assert eni(ec2, a)["Status"] == "in-use"
    ec2.detach_network_interface(AttachmentId=att, Force=True)
    ni = eni(ec2, a)
    assert ni["Status"] == "available" and "Attachment" not in ni
    fails("InvalidAttachmentID.NotFound", ec2.detach_network_interface, AttachmentId=att)
    assert [n["NetworkInterfaceId"] for n in instance(ec2, iid)["NetworkInterfaces"]] == \
        [inst["NetworkInterfaces"][0]["NetworkInterfaceId"], b]
    # A detached ENI attaches again at the free index, with a new attachment.
    att2 = ec2.attach_network_interface(NetworkInterfaceId=c, InstanceId=iid,
                                        DeviceIndex=1)["AttachmentId"]
    assert att2 != att
    fails("DryRunOperation", ec2.delete_network_interface, NetworkInterfaceId=a, DryRun=True)
    ec2.delete_network_interface(NetworkInterfaceId=a)
    fails("InvalidNetworkInterfaceID.NotFound", ec2.delete_network_interface,
          NetworkInterfaceId=a)
    fails("InvalidNetworkInterfaceId.Malformed", ec2.delete_network_interface,
          NetworkInterfaceId="igw-1")


def test_attach_needs_same_zone_vpc_and_a_live_instance(ec2):
    vpc, sn_a = vpc_subnet(ec2, az="us-east-1a")
    sn_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.2.0/24",
                             AvailabilityZone="us-east-1b")["Subnet"]["SubnetId"]
    _, sn_other = vpc_subnet(ec2, "10.1.0.0/16", "10.1.1.0/24", az="us-east-1a")
    iid = run(ec2, sn_a)["InstanceId"]
    in_b = ec2.create_network_interface(SubnetId=sn_b)["NetworkInterface"]["NetworkInterfaceId"]
    in_other = ec2.create_network_interface(SubnetId=sn_other)["NetworkInterface"]["NetworkInterfaceId"]
    fails("InvalidParameterCombination", ec2.attach_network_interface,
          NetworkInterfaceId=in_b, InstanceId=iid, DeviceIndex=1)
    fails("InvalidParameterCombination", ec2.attach_network_interface,
          NetworkInterfaceId=in_other, InstanceId=iid, DeviceIndex=1)
    # Another subnet of the same zone is fine; a stopped instance too.
    sn_a2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.3.0/24",
                              AvailabilityZone="us-east-1a")["Subnet"]["SubnetId"]
    ok = ec2.create_network_interface(SubnetId=sn_a2)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.stop_instances(InstanceIds=[iid])
    ec2.attach_network_interface(NetworkInterfaceId=ok, InstanceId=iid, DeviceIndex=1)
    ec2.terminate_instances(InstanceIds=[iid])
    late = ec2.create_network_interface(SubnetId=sn_a)["NetworkInterface"]["NetworkInterfaceId"]
    fails("IncorrectInstanceState", ec2.attach_network_interface, NetworkInterfaceId=late,
          InstanceId=iid, DeviceIndex=1)


def test_terminate_deletes_or_detaches(ec2):
    _, sn = vpc_subnet(ec2)
    inst = run(ec2, sn, itype="t3.small")
    iid = inst["InstanceId"]
    prim = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    keep = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    gone = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    ec2.attach_network_interface(NetworkInterfaceId=keep, InstanceId=iid, DeviceIndex=1)
    att = ec2.attach_network_interface(NetworkInterfaceId=gone, InstanceId=iid,
                                       DeviceIndex=2)["AttachmentId"]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=gone, Attachment={"AttachmentId": att, "DeleteOnTermination": True})
    assert eni(ec2, gone)["Attachment"]["DeleteOnTermination"] is True
    ec2.terminate_instances(InstanceIds=[iid])
    left = ec2.describe_network_interfaces()["NetworkInterfaces"]
    assert [n["NetworkInterfaceId"] for n in left] == [keep]
    assert left[0]["Status"] == "available" and "Attachment" not in left[0]
    assert prim not in [n["NetworkInterfaceId"] for n in left]


def test_primary_eni_kept_when_delete_on_termination_is_off(ec2):
    _, sn = vpc_subnet(ec2, public=True)
    inst = run(ec2, sn)
    prim = inst["NetworkInterfaces"][0]
    ec2.modify_network_interface_attribute(
        NetworkInterfaceId=prim["NetworkInterfaceId"],
        Attachment={"AttachmentId": prim["Attachment"]["AttachmentId"],
                    "DeleteOnTermination": False})
    got = instance(ec2, inst["InstanceId"])["NetworkInterfaces"][0]
    assert got["Attachment"]["DeleteOnTermination"] is False
    ec2.terminate_instances(InstanceIds=[inst["InstanceId"]])
    ni = eni(ec2, prim["NetworkInterfaceId"])
    assert ni["Status"] == "available" and ni["PrivateIpAddress"] == inst["PrivateIpAddress"]
    assert "Association" not in ni  # the auto-assigned public IPv4 went with the instance
    ec2.delete_network_interface(NetworkInterfaceId=prim["NetworkInterfaceId"])


def test_modify_source_dest_check_of_the_primary(ec2, daemon):
    _, sn = vpc_subnet(ec2)
    inst = run(ec2, sn)
    iid = inst["InstanceId"]
    prim = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    fails("DryRunOperation", ec2.modify_network_interface_attribute, NetworkInterfaceId=prim,
          SourceDestCheck={"Value": False}, DryRun=True)
    assert instance(ec2, iid)["SourceDestCheck"] is True
    ec2.modify_network_interface_attribute(NetworkInterfaceId=prim,
                                           SourceDestCheck={"Value": False})
    got = instance(ec2, iid)
    assert got["SourceDestCheck"] is False
    assert got["NetworkInterfaces"][0]["SourceDestCheck"] is False
    assert eni(ec2, prim)["SourceDestCheck"] is False
    a = ec2.describe_network_interface_attribute(NetworkInterfaceId=prim,
                                                 Attribute="sourceDestCheck")
    assert a["NetworkInterfaceId"] == prim and a["SourceDestCheck"] == {"Value": False}
    # The aws CLI form.
    daemon.aws("ec2", "modify-network-interface-attribute", "--network-interface-id", prim,
               "--source-dest-check")
    assert instance(ec2, iid)["SourceDestCheck"] is True
    daemon.aws("ec2", "modify-network-interface-attribute", "--network-interface-id", prim,
               "--no-source-dest-check")
    assert instance(ec2, iid)["SourceDestCheck"] is False
    out = daemon.aws("ec2", "describe-network-interfaces", "--network-interface-ids", prim)
    assert out["NetworkInterfaces"][0]["SourceDestCheck"] is False


def test_modify_groups(ec2):
    vpc, sn = vpc_subnet(ec2)
    vpc2, _ = vpc_subnet(ec2, "10.1.0.0/16", "10.1.1.0/24")
    inst = run(ec2, sn)
    prim = inst["NetworkInterfaces"][0]["NetworkInterfaceId"]
    dflt = inst["SecurityGroups"][0]["GroupId"]
    web = new_group(ec2, vpc, "web")
    foreign = new_group(ec2, vpc2, "elsewhere")
    fails("DryRunOperation", ec2.modify_network_interface_attribute, NetworkInterfaceId=prim,
          Groups=[web], DryRun=True)
    ec2.modify_network_interface_attribute(NetworkInterfaceId=prim, Groups=[web, dflt, web])
    assert sorted(g["GroupId"] for g in eni(ec2, prim)["Groups"]) == sorted([web, dflt])
    names = sorted(g["GroupName"] for g in eni(ec2, prim)["Groups"])
    assert names == ["default", "web"]
    got = instance(ec2, inst["InstanceId"])
    assert sorted(g["GroupId"] for g in got["SecurityGroups"]) == sorted([web, dflt])
    a = ec2.describe_network_interface_attribute(NetworkInterfaceId=prim, Attribute="groupSet")
    assert sorted(g["GroupId"] for g in a["Groups"]) == sorted([web, dflt])
    fails("InvalidGroup.NotFound", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=prim, Groups=[foreign])
    fails("InvalidGroup.NotFound", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=prim, Groups=["sg-00000000000000000"])
    fails("InvalidGroupId.Malformed", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=prim, Groups=["subnet-1"])
    six = [new_group(ec2, vpc, "g%d" % i) for i in range(5)] + [web]
    fails("SecurityGroupsPerInterfaceLimitExceeded", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=prim, Groups=six)
    ec2.modify_network_interface_attribute(NetworkInterfaceId=prim, Groups=six[:5])
    assert len(eni(ec2, prim)["Groups"]) == 5
    # The instance paths: ModifyInstanceAttribute and RunInstances.
    fails("SecurityGroupsPerInstanceLimitExceeded", ec2.modify_instance_attribute,
          InstanceId=inst["InstanceId"], Groups=six)
    fails("SecurityGroupsPerInstanceLimitExceeded", ec2.run_instances, ImageId=AMI,
          MinCount=1, MaxCount=1, SubnetId=sn, SecurityGroupIds=six)
    fails("SecurityGroupsPerInstanceLimitExceeded", ec2.run_instances, ImageId=AMI,
          MinCount=1, MaxCount=1, SubnetId=sn, SecurityGroups=["g0", "g1", "g2", "g3", "g4",
                                                               "web"])
    two = run(ec2, sn, SecurityGroupIds=[web, web], SecurityGroups=["web", "default"])
    assert sorted(g["GroupId"] for g in two["SecurityGroups"]) == sorted([web, dflt])
    assert sorted(g["GroupName"] for g in two["SecurityGroups"]) == ["default", "web"]
    ec2.modify_instance_attribute(InstanceId=two["InstanceId"], Groups=[web, web])
    assert [g["GroupId"] for g in instance(ec2, two["InstanceId"])["SecurityGroups"]] == [web]


def test_modify_attribute_errors_and_description(ec2):
    _, sn = vpc_subnet(ec2)
    ni = ec2.create_network_interface(SubnetId=sn, Description="old")["NetworkInterface"]
    nid = ni["NetworkInterfaceId"]
    fails("InvalidParameterCombination", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=nid)
    fails("InvalidParameterCombination", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=nid, SourceDestCheck={"Value": False}, Description={"Value": "x"})
    fails("MissingParameter", ec2.modify_network_interface_attribute, NetworkInterfaceId=nid,
          Attachment={"DeleteOnTermination": True})
    fails("InvalidAttachmentID.NotFound", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=nid, Attachment={"AttachmentId": "eni-attach-00000000000000000",
                                              "DeleteOnTermination": True})
    fails("InvalidNetworkInterfaceID.NotFound", ec2.modify_network_interface_attribute,
          NetworkInterfaceId="eni-00000000000000000", SourceDestCheck={"Value": False})
    fails("InvalidNetworkInterfaceId.Malformed", ec2.modify_network_interface_attribute,
          NetworkInterfaceId="sg-1", SourceDestCheck={"Value": False})
    fails("DryRunOperation", ec2.modify_network_interface_attribute, NetworkInterfaceId=nid,
          Description={"Value": "new"}, DryRun=True)
    assert eni(ec2, nid)["Description"] == "old"
    ec2.modify_network_interface_attribute(NetworkInterfaceId=nid, Description={"Value": "new"})
    assert eni(ec2, nid)["Description"] == "new"
    a = ec2.describe_network_interface_attribute(NetworkInterfaceId=nid, Attribute="description")
    assert a["Description"] == {"Value": "new"}
    a = ec2.describe_network_interface_attribute(NetworkInterfaceId=nid, Attribute="attachment")
    assert "Attachment" not in a
    fails("InvalidParameterValue", ec2.describe_network_interface_attribute,
          NetworkInterfaceId=nid, Attribute="bogus")
    fails("InvalidNetworkInterfaceID.NotFound", ec2.describe_network_interface_attribute,
          NetworkInterfaceId="eni-00000000000000000", Attribute="description")
    inst = run(ec2, sn)
    att = ec2.attach_network_interface(NetworkInterfaceId=nid, InstanceId=inst["InstanceId"],
                                       DeviceIndex=1)["AttachmentId"]
    a = ec2.describe_network_interface_attribute(NetworkInterfaceId=nid, Attribute="attachment")
    assert a["Attachment"]["AttachmentId"] == att and a["Attachment"]["DeviceIndex"] == 1
    # Another ENI's attachment is not this one's.
    other = inst["NetworkInterfaces"][0]["Attachment"]["AttachmentId"]
    fails("InvalidAttachmentID.NotFound", ec2.modify_network_interface_attribute,
          NetworkInterfaceId=nid, Attachment={"AttachmentId": other, "DeleteOnTermination": True})


def test_instance_attribute_with_several_interfaces(ec2):
    _, sn = vpc_subnet(ec2)
    inst = run(ec2, sn)
    iid = inst["InstanceId"]
    dflt = inst["SecurityGroups"][0]["GroupId"]
    nid = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    att = ec2.attach_network_interface(NetworkInterfaceId=nid, InstanceId=iid,
                                       DeviceIndex=1)["AttachmentId"]
    # ENI-5: with two interfaces the instance form is refused (real-AWS test).
    fails("InvalidInstanceID", ec2.modify_instance_attribute, InstanceId=iid,
          SourceDestCheck={"Value": False})
    fails("InvalidInstanceID", ec2.modify_instance_attribute, InstanceId=iid,
          Attribute="sourceDestCheck", Value="false")
    fails("InvalidInstanceID", ec2.modify_instance_attribute, InstanceId=iid,
          Groups=["sg-00000000000000000"])
    assert instance(ec2, iid)["SourceDestCheck"] is True
    ec2.detach_network_interface(AttachmentId=att)
    ec2.modify_instance_attribute(InstanceId=iid, SourceDestCheck={"Value": False})
    ec2.modify_instance_attribute(InstanceId=iid, Groups=[dflt])
    assert instance(ec2, iid)["SourceDestCheck"] is False


def test_tags_and_restart_keep_interfaces(state_dir):
    from conftest import Daemon
    d = Daemon(state_dir).start()
    try:
        ec2 = d.client()
        _, sn = vpc_subnet(ec2)
        iid = run(ec2, sn)["InstanceId"]
        nid = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
        ec2.create_tags(Resources=[nid], Tags=[{"Key": "k", "Value": "v"}])
        ec2.attach_network_interface(NetworkInterfaceId=nid, InstanceId=iid, DeviceIndex=1)
        ec2.modify_network_interface_attribute(NetworkInterfaceId=nid,
                                               SourceDestCheck={"Value": False})
        before = ec2.describe_network_interfaces()["NetworkInterfaces"]
        assert eni(ec2, nid)["TagSet"] == [{"Key": "k", "Value": "v"}]
        assert d.stop() == 0
        d.start()
        assert d.client().describe_network_interfaces()["NetworkInterfaces"] == before
    finally:
        d.stop()
