# SPDX-License-Identifier: MIT
"""Instances through the API alone (the data plane is off here; tests/net
proves the sandboxes, packets and metadata): RunInstances and its errors,
the lifecycle, DescribeInstances filters and reservations, attributes."""
import base64

import pytest
from botocore.exceptions import ClientError

from conftest import error_code

AMI = "ami-0de12b0000c0ffee1"


def vpc_subnet(ec2, cidr="10.0.0.0/16", subnet="10.0.1.0/24", public=False):
    vpc = ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock=subnet)["Subnet"]["SubnetId"]
    if public:
        ec2.modify_subnet_attribute(SubnetId=sn, MapPublicIpOnLaunch={"Value": True})
    return vpc, sn


def test_describe_images_lists_the_debian_image(ec2):
    images = ec2.describe_images()["Images"]
    assert [i["ImageId"] for i in images] == [AMI]
    assert images[0]["State"] == "available"
    assert images[0]["Name"] == "debian-12-localvpc"
    assert ec2.describe_images(Owners=["self"])["Images"] == []
    assert len(ec2.describe_images(Filters=[{"Name": "name", "Values": ["debian-*"]}])["Images"]) == 1
    with pytest.raises(ClientError) as e:
        ec2.describe_images(ImageIds=["ami-00000000000000000"])
    assert error_code(e) == "InvalidAMIID.NotFound"


def test_describe_instance_types(ec2):
    types = ec2.describe_instance_types(InstanceTypes=["t3.micro"])["InstanceTypes"]
    assert types[0]["InstanceType"] == "t3.micro"
    assert types[0]["VCpuInfo"]["DefaultVCpus"] == 2
    assert types[0]["MemoryInfo"]["SizeInMiB"] == 1024
    with pytest.raises(ClientError) as e:
        ec2.describe_instance_types(InstanceTypes=["x9.mega"])
    assert error_code(e) == "InvalidParameterValue"


def test_run_instances_shape_and_addresses(ec2):
    vpc, sn = vpc_subnet(ec2)
    r = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=2, MaxCount=2,
                          SubnetId=sn, TagSpecifications=[{"ResourceType": "instance",
                                                           "Tags": [{"Key": "Name", "Value": "web"}]}])
    assert r["ReservationId"].startswith("r-")
    insts = r["Instances"]
    assert len(insts) == 2
    for i, inst in enumerate(insts):
        assert inst["InstanceId"].startswith("i-") and len(inst["InstanceId"]) == 19
        assert inst["State"] == {"Code": 0, "Name": "pending"}
        assert inst["SubnetId"] == sn and inst["VpcId"] == vpc
        assert inst["AmiLaunchIndex"] == i
        assert inst["Tags"] == [{"Key": "Name", "Value": "web"}]
        assert "PublicIpAddress" not in inst
        eni = inst["NetworkInterfaces"][0]
        assert eni["NetworkInterfaceId"].startswith("eni-")
        assert eni["Attachment"]["DeviceIndex"] == 0
        assert eni["MacAddress"].startswith("0e:")
        assert inst["SourceDestCheck"] is True
        assert len(inst["SecurityGroups"]) == 1  # the VPC's default group
    ips = sorted(i["PrivateIpAddress"] for i in insts)
    # SUB-5: never .0-.3 or the last address; distinct.
    assert len(set(ips)) == 2
    for ip in ips:
        last = int(ip.split(".")[-1])
        assert ip.startswith("10.0.1.") and 4 <= last <= 254
    assert insts[0]["PrivateDnsName"] == "ip-%s.ec2.internal" % insts[0]["PrivateIpAddress"].replace(".", "-")
    sub = ec2.describe_subnets(SubnetIds=[sn])["Subnets"][0]
    assert sub["AvailableIpAddressCount"] == 249  # SUB-6
    # One reservation holds both instances.
    res = ec2.describe_instances(InstanceIds=[i["InstanceId"] for i in insts])["Reservations"]
    assert len(res) == 1 and len(res[0]["Instances"]) == 2
    assert res[0]["Instances"][0]["State"]["Name"] == "running"
    with pytest.raises(ClientError) as e:
        ec2.delete_subnet(SubnetId=sn)
    assert error_code(e) == "DependencyViolation"


def test_public_ip_from_subnet_attribute_or_request(ec2):
    vpc, sn = vpc_subnet(ec2, public=True)
    a = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]
    assert a["PublicIpAddress"].startswith("198.1")  # the emulated pool 198.18.0.0/15
    assert a["PublicDnsName"] == "ec2-%s.compute-1.amazonaws.com" % a["PublicIpAddress"].replace(".", "-")
    b = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, NetworkInterfaces=[{
        "DeviceIndex": 0, "SubnetId": sn, "AssociatePublicIpAddress": False}])["Instances"][0]
    assert "PublicIpAddress" not in b
    assert a["PublicIpAddress"] != b.get("PublicIpAddress")


def test_explicit_private_ip_and_errors(ec2):
    vpc, sn = vpc_subnet(ec2)
    inst = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn,
                             PrivateIpAddress="10.0.1.50")["Instances"][0]
    assert inst["PrivateIpAddress"] == "10.0.1.50"
    cases = [
        (dict(PrivateIpAddress="10.0.1.50"), "InvalidIPAddress.InUse"),
        (dict(PrivateIpAddress="10.0.2.5"), "InvalidParameterValue"),
        (dict(PrivateIpAddress="10.0.1.1"), "InvalidParameterValue"),
        (dict(ImageId="ami-00000000000000001"), "InvalidAMIID.NotFound"),
        (dict(ImageId="notanami"), "InvalidAMIID.Malformed"),
        (dict(InstanceType="x9.mega"), "InvalidParameterValue"),
        (dict(SubnetId="subnet-00000000000000000"), "InvalidSubnetID.NotFound"),
        (dict(SecurityGroupIds=["sg-00000000000000000"]), "InvalidGroup.NotFound"),
        (dict(MinCount=3, MaxCount=2), "InvalidParameterValue"),
    ]
    for extra, code in cases:
        args = dict(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn)
        args.update(extra)
        with pytest.raises(ClientError) as e:
            ec2.run_instances(**args)
        assert error_code(e) == code, (extra, e.value.response)
    # Nothing of the failed calls was kept.
    assert len(ec2.describe_instances()["Reservations"]) == 1


def test_user_data_limit(daemon, ec2):
    vpc, sn = vpc_subnet(ec2)
    too_big = base64.b64encode(b"x" * 16385).decode()
    with pytest.raises(ClientError) as e:
        ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, UserData=too_big)
    assert error_code(e) == "InvalidParameterValue"


def test_default_subnet_when_none_given(ec2):
    inst = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1)["Instances"][0]
    sub = ec2.describe_subnets(SubnetIds=[inst["SubnetId"]])["Subnets"][0]
    assert sub["DefaultForAz"] is True
    assert inst["PublicIpAddress"]  # default subnets map public IPs
    assert inst["InstanceType"] == "m1.small"  # AWS's default type


def test_lifecycle(ec2):
    vpc, sn = vpc_subnet(ec2, public=True)
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]["InstanceId"]
    first_ip = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]["PublicIpAddress"]
    ch = ec2.stop_instances(InstanceIds=[iid])["StoppingInstances"][0]
    assert ch["PreviousState"]["Name"] == "running" and ch["CurrentState"]["Name"] == "stopping"
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert inst["State"] == {"Code": 80, "Name": "stopped"}
    assert "PublicIpAddress" not in inst  # released on stop
    assert inst["PrivateIpAddress"]  # kept (SUB-12)
    ec2.get_waiter("instance_stopped").wait(InstanceIds=[iid])
    ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "t3.small"})
    ch = ec2.start_instances(InstanceIds=[iid])["StartingInstances"][0]
    assert ch["CurrentState"]["Name"] == "pending" and ch["PreviousState"]["Name"] == "stopped"
    ec2.get_waiter("instance_running").wait(InstanceIds=[iid])
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert inst["InstanceType"] == "t3.small"
    assert inst["PublicIpAddress"]  # a public IPv4 again
    ec2.reboot_instances(InstanceIds=[iid])
    status = ec2.describe_instance_status(InstanceIds=[iid])["InstanceStatuses"][0]
    assert status["InstanceState"]["Name"] == "running"
    assert status["InstanceStatus"]["Status"] == "ok"
    with pytest.raises(ClientError) as e:
        ec2.modify_instance_attribute(InstanceId=iid, InstanceType={"Value": "t3.large"})
    assert error_code(e) == "IncorrectInstanceState"
    ch = ec2.terminate_instances(InstanceIds=[iid])["TerminatingInstances"][0]
    assert ch["CurrentState"]["Name"] == "shutting-down"
    ec2.get_waiter("instance_terminated").wait(InstanceIds=[iid])
    with pytest.raises(ClientError) as e:
        ec2.start_instances(InstanceIds=[iid])
    assert error_code(e) == "IncorrectInstanceState"
    # The terminated instance's addresses are free again; the subnet can go.
    ec2.delete_subnet(SubnetId=sn)
    assert first_ip


def test_describe_filters_and_errors(ec2):
    vpc, sn = vpc_subnet(ec2)
    a = ec2.run_instances(ImageId=AMI, InstanceType="t3.micro", MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]
    b = ec2.run_instances(ImageId=AMI, InstanceType="t3.small", MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]
    ec2.stop_instances(InstanceIds=[b["InstanceId"]])

    def ids(filters):
        return sorted(i["InstanceId"] for r in ec2.describe_instances(Filters=filters)["Reservations"]
                      for i in r["Instances"])

    assert ids([{"Name": "instance-type", "Values": ["t3.micro"]}]) == [a["InstanceId"]]
    assert ids([{"Name": "instance-state-name", "Values": ["stopped"]}]) == [b["InstanceId"]]
    assert ids([{"Name": "private-ip-address", "Values": [a["PrivateIpAddress"]]}]) == [a["InstanceId"]]
    assert ids([{"Name": "vpc-id", "Values": [vpc]}]) == sorted([a["InstanceId"], b["InstanceId"]])
    with pytest.raises(ClientError) as e:
        ec2.describe_instances(InstanceIds=["i-00000000000000000"])
    assert error_code(e) == "InvalidInstanceID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.describe_instances(InstanceIds=["vpc-00000000000000000"])
    assert error_code(e) == "InvalidInstanceID.Malformed"
    with pytest.raises(ClientError) as e:
        ec2.describe_instances(Filters=[{"Name": "bogus", "Values": ["x"]}])
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        ec2.describe_instances(InstanceIds=[a["InstanceId"]], MaxResults=5)
    assert error_code(e) == "InvalidParameterCombination"


def test_source_dest_check(ec2):
    vpc, sn = vpc_subnet(ec2)
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn)["Instances"][0]["InstanceId"]
    ec2.modify_instance_attribute(InstanceId=iid, SourceDestCheck={"Value": False})
    inst = ec2.describe_instances(InstanceIds=[iid])["Reservations"][0]["Instances"][0]
    assert inst["SourceDestCheck"] is False
    assert inst["NetworkInterfaces"][0]["SourceDestCheck"] is False


def test_client_token_is_idempotent(ec2):
    vpc, sn = vpc_subnet(ec2)
    a = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, ClientToken="tok-1")
    b = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, ClientToken="tok-1")
    assert a["Instances"][0]["InstanceId"] == b["Instances"][0]["InstanceId"]
    assert len(ec2.describe_instances()["Reservations"]) == 1


def test_dry_run_launches_nothing(ec2):
    vpc, sn = vpc_subnet(ec2)
    with pytest.raises(ClientError) as e:
        ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert ec2.describe_instances()["Reservations"] == []


def test_run_instances_through_the_cli(daemon):
    vpc = daemon.aws("ec2", "create-vpc", "--cidr-block", "10.5.0.0/16")["Vpc"]["VpcId"]
    sn = daemon.aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.5.0.0/24")["Subnet"]["SubnetId"]
    out = daemon.aws("ec2", "run-instances", "--image-id", AMI, "--count", "1",
                     "--instance-type", "t2.micro", "--subnet-id", sn,
                     "--user-data", "#!/bin/sh\necho hi")
    inst = out["Instances"][0]
    assert inst["State"]["Name"] == "pending"
    got = daemon.aws("ec2", "describe-instances", "--instance-ids", inst["InstanceId"],
                     "--query", "Reservations[0].Instances[0].State.Name")
    assert got == "running"


def test_describe_instance_attribute(ec2, daemon):
    vpc, sn = vpc_subnet(ec2)
    sg = ec2.create_security_group(GroupName="web", Description="d", VpcId=vpc)["GroupId"]
    iid = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=sn, SecurityGroupIds=[sg],
                            UserData="#!/bin/sh\necho hi\n")["Instances"][0]["InstanceId"]
    get = lambda a: ec2.describe_instance_attribute(InstanceId=iid, Attribute=a)
    assert get("sourceDestCheck")["SourceDestCheck"] == {"Value": True}
    ec2.modify_instance_attribute(InstanceId=iid, SourceDestCheck={"Value": False})
    assert get("sourceDestCheck")["SourceDestCheck"] == {"Value": False}
    assert get("instanceType")["InstanceType"] == {"Value": "m1.small"}  # AWS's default type
    assert base64.b64decode(get("userData")["UserData"]["Value"]) == b"#!/bin/sh\necho hi\n"
    assert get("groupSet")["Groups"] == [{"GroupId": sg, "GroupName": "web"}]
    assert get("disableApiTermination")["DisableApiTermination"] == {"Value": False}
    assert get("instanceInitiatedShutdownBehavior")["InstanceInitiatedShutdownBehavior"] == {"Value": "stop"}
    assert get("instanceType")["InstanceId"] == iid
    # The aws CLI, as the walkthrough calls it.
    assert daemon.aws("ec2", "describe-instance-attribute", "--instance-id", iid, "--attribute",
                      "sourceDestCheck", "--query", "SourceDestCheck.Value") is False
    with pytest.raises(ClientError) as e:
        get("nonsense")
    assert error_code(e) == "InvalidParameterValue"
    with pytest.raises(ClientError) as e:
        ec2.describe_instance_attribute(InstanceId="i-0123456789abcdef0", Attribute="instanceType")
    assert error_code(e) == "InvalidInstanceID.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.describe_instance_attribute(InstanceId=iid, Attribute="instanceType", DryRun=True)
    assert error_code(e) == "DryRunOperation"
