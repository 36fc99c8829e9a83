# SPDX-License-Identifier: MIT
"""State survives restarts (SQLite, one transaction per call): a clean
stop, a kill -9, and no second default VPC."""
import signal

from conftest import Daemon


def snapshot(ec2):
    return (sorted((v["VpcId"], v["CidrBlock"], str(v.get("Tags"))) for v in ec2.describe_vpcs()["Vpcs"]),
            sorted(s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]),
            sorted(g["InternetGatewayId"] for g in ec2.describe_internet_gateways()["InternetGateways"]))


def test_restart_keeps_state(state_dir):
    d = Daemon(state_dir).start()
    ec2 = d.client()
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16", TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": "kept"}]}])["Vpc"]["VpcId"]
    ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    before = snapshot(ec2)
    assert d.stop() == 0
    d.start()
    assert snapshot(d.client()) == before
    # kill -9 right after an answered call: the call is there.
    vpc2 = d.client().create_vpc(CidrBlock="10.9.0.0/16")["Vpc"]["VpcId"]
    d.stop(signal.SIGKILL)
    d.start()
    ec2 = d.client()
    assert vpc2 in [v["VpcId"] for v in ec2.describe_vpcs()["Vpcs"]]
    assert len(ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]) == 1
    d.stop()
