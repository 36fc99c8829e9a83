# SPDX-License-Identifier: MIT
"""VPC Flow Logs through the API alone (issue 8): CreateFlowLogs for a VPC,
a subnet or an ENI with each traffic type and both destinations,
AWS's per-resource Unsuccessful items (unknown resources, duplicates),
DescribeFlowLogs with IDs, filters and paging, DeleteFlowLogs with
Unsuccessful for unknown IDs, ClientToken replay, DryRun, each error,
and the aws CLI forms.  Records on real packets: tests/net/analyze."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

ROLE = "arn:aws:iam::123456789012:role/flow-logs"
V2 = ("${version} ${account-id} ${interface-id} ${srcaddr} ${dstaddr} ${srcport} "
      "${dstport} ${protocol} ${packets} ${bytes} ${start} ${end} ${action} ${log-status}")


def vpc_subnet(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    return vpc, sn


def s3_log(ec2, rid, rtype="VPC", traffic="ALL", dest="arn:aws:s3:::my-bucket/logs", **kw):
    return ec2.create_flow_logs(ResourceIds=[rid], ResourceType=rtype, TrafficType=traffic,
                                LogDestinationType="s3", LogDestination=dest, **kw)


def test_create_s3_shape_and_describe(ec2):
    vpc, _ = vpc_subnet(ec2)
    r = s3_log(ec2, vpc, traffic="REJECT",
               TagSpecifications=[{"ResourceType": "vpc-flow-log",
                                   "Tags": [{"Key": "Name", "Value": "fl"}]}])
    assert r["Unsuccessful"] == []
    (fid,) = r["FlowLogIds"]
    assert fid.startswith("fl-") and len(fid) == 20
    (f,) = ec2.describe_flow_logs(FlowLogIds=[fid])["FlowLogs"]
    assert f["FlowLogId"] == fid and f["ResourceId"] == vpc
    assert f["TrafficType"] == "REJECT"
    assert f["LogDestinationType"] == "s3"
    assert f["LogDestination"] == "arn:aws:s3:::my-bucket/logs"
    assert f["LogFormat"] == V2
    assert f["MaxAggregationInterval"] == 600
    assert f["FlowLogStatus"] == "ACTIVE" and f["DeliverLogsStatus"] == "SUCCESS"
    assert f["Tags"] == [{"Key": "Name", "Value": "fl"}]
    assert "LogGroupName" not in f and "DeliverLogsPermissionArn" not in f
    assert f["DestinationOptions"]["FileFormat"] == "plain-text"
    assert f["CreationTime"].year >= 2024


def test_create_cloudwatch_subnet_and_eni(ec2):
    vpc, sn = vpc_subnet(ec2)
    eni = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    r = ec2.create_flow_logs(ResourceIds=[sn], ResourceType="Subnet", TrafficType="ACCEPT",
                             LogGroupName="vpc/flows", DeliverLogsPermissionArn=ROLE,
                             MaxAggregationInterval=60)
    (f,) = ec2.describe_flow_logs(FlowLogIds=r["FlowLogIds"])["FlowLogs"]
    assert f["LogDestinationType"] == "cloud-watch-logs"
    assert f["LogGroupName"] == "vpc/flows"
    assert f["LogDestination"] == "arn:aws:logs:us-east-1:123456789012:log-group:vpc/flows"
    assert f["DeliverLogsPermissionArn"] == ROLE
    assert f["MaxAggregationInterval"] == 60 and f["TrafficType"] == "ACCEPT"
    # The log group as an ARN, for an ENI.
    r = ec2.create_flow_logs(
        ResourceIds=[eni], ResourceType="NetworkInterface", TrafficType="ALL",
        LogDestinationType="cloud-watch-logs",
        LogDestination="arn:aws:logs:us-east-1:123456789012:log-group:eni-logs:*",
        DeliverLogsPermissionArn=ROLE)
    (f,) = ec2.describe_flow_logs(FlowLogIds=r["FlowLogIds"])["FlowLogs"]
    assert f["ResourceId"] == eni and f["LogGroupName"] == "eni-logs"


def test_unsuccessful_unknown_resource_and_duplicate(ec2):
    vpc, sn = vpc_subnet(ec2)
    r = ec2.create_flow_logs(ResourceIds=[vpc, "vpc-0123456789abcdef0"], ResourceType="VPC",
                             TrafficType="ALL", LogDestinationType="s3",
                             LogDestination="arn:aws:s3:::bucket")
    assert len(r["FlowLogIds"]) == 1
    (u,) = r["Unsuccessful"]
    assert u["ResourceId"] == "vpc-0123456789abcdef0"
    assert u["Error"]["Code"] == "InvalidVpcID.NotFound"
    assert "vpc-0123456789abcdef0" in u["Error"]["Message"]
    # Same resource, traffic type and destination: FlowLogAlreadyExists.
    r = s3_log(ec2, vpc, dest="arn:aws:s3:::bucket")
    assert r["FlowLogIds"] == []
    (u,) = r["Unsuccessful"]
    assert u["Error"]["Code"] == "FlowLogAlreadyExists"
    assert u["Error"]["Message"] == ("Error. There is an existing Flow Log with the same "
                                     "configuration and log destination.")
    # Another traffic type is another flow log.
    assert len(s3_log(ec2, vpc, traffic="ACCEPT", dest="arn:aws:s3:::bucket")["FlowLogIds"]) == 1
    r = ec2.create_flow_logs(ResourceIds=["subnet-0123456789abcdef0"], ResourceType="Subnet",
                             TrafficType="ALL", LogGroupName="g", DeliverLogsPermissionArn=ROLE)
    assert r["Unsuccessful"][0]["Error"]["Code"] == "InvalidSubnetID.NotFound"
    r = ec2.create_flow_logs(ResourceIds=["eni-0123456789abcdef0"],
                             ResourceType="NetworkInterface", TrafficType="ALL",
                             LogGroupName="g", DeliverLogsPermissionArn=ROLE)
    assert r["Unsuccessful"][0]["Error"]["Code"] == "InvalidNetworkInterfaceID.NotFound"
    # A subnet ID given as a VPC is not a VPC.
    r = s3_log(ec2, sn, rtype="VPC")
    assert r["Unsuccessful"][0]["Error"]["Code"] == "InvalidVpcID.NotFound"


@pytest.mark.parametrize("kw,code", [
    (dict(TrafficType="SOME"), "InvalidParameterValue"),
    (dict(ResourceType="TransitGateway"), "InvalidParameterValue"),
    (dict(LogDestinationType="kinesis-data-firehose"), "InvalidParameterValue"),
    (dict(LogDestination="my-bucket"), "InvalidParameter"),
    (dict(LogDestination="arn:aws:s3:::b"), "InvalidParameter"),
    (dict(LogDestination="arn:aws:s3:::bucket/AWSLogs"), "InvalidParameter"),
    (dict(DeliverLogsPermissionArn=ROLE), "InvalidParameter"),
    (dict(LogGroupName="g"), "InvalidParameter"),
    (dict(MaxAggregationInterval=120), "InvalidParameter"),
    (dict(LogFormat="${version} ${vpc-idx}"), "InvalidParameter"),
    (dict(LogFormat="version srcaddr"), "InvalidParameter"),
    (dict(TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}]),
     "InvalidParameterValue"),
])
def test_create_s3_errors(ec2, kw, code):
    vpc, _ = vpc_subnet(ec2)
    args = dict(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL",
                LogDestinationType="s3", LogDestination="arn:aws:s3:::my-bucket")
    args.update(kw)
    with pytest.raises(ClientError) as e:
        ec2.create_flow_logs(**args)
    assert error_code(e) == code and http_status(e) == 400
    assert ec2.describe_flow_logs()["FlowLogs"] == []


@pytest.mark.parametrize("kw,code", [
    (dict(), "InvalidParameter"),  # no DeliverLogsPermissionArn
    (dict(DeliverLogsPermissionArn=ROLE, LogGroupName=None), "MissingParameter"),
    (dict(DeliverLogsPermissionArn=ROLE, LogGroupName="../../etc"), "InvalidParameter"),
    (dict(DeliverLogsPermissionArn=ROLE,
          LogDestination="arn:aws:logs:us-east-1:123456789012:log-group:x"),
     "InvalidParameterCombination"),
    (dict(DeliverLogsPermissionArn="role"), "InvalidParameter"),
])
def test_create_cloudwatch_errors(ec2, kw, code):
    vpc, _ = vpc_subnet(ec2)
    args = dict(ResourceIds=[vpc], ResourceType="VPC", TrafficType="ALL", LogGroupName="g")
    args.update(kw)
    args = {k: v for k, v in args.items() if v is not None}
    with pytest.raises(ClientError) as e:
        ec2.create_flow_logs(**args)
    assert error_code(e) == code


def test_missing_traffic_type_and_dry_run(ec2):
    vpc, _ = vpc_subnet(ec2)
    with pytest.raises(ClientError) as e:
        ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", LogDestinationType="s3",
                             LogDestination="arn:aws:s3:::my-bucket")
    assert error_code(e) == "MissingParameter"
    with pytest.raises(ClientError) as e:
        s3_log(ec2, vpc, DryRun=True)
    assert error_code(e) == "DryRunOperation" and http_status(e) == 412
    assert ec2.describe_flow_logs()["FlowLogs"] == []


def test_custom_format_of_v2_fields(ec2):
    vpc, _ = vpc_subnet(ec2)
    fmt = "${srcaddr} ${dstaddr} ${action}"
    r = s3_log(ec2, vpc, LogFormat=fmt)
    assert ec2.describe_flow_logs(FlowLogIds=r["FlowLogIds"])["FlowLogs"][0]["LogFormat"] == fmt


def test_client_token_replays(ec2):
    vpc, sn = vpc_subnet(ec2)
    a = ec2.create_flow_logs(ResourceIds=[vpc, sn], ResourceType="VPC", TrafficType="ALL",
                             LogDestinationType="s3", LogDestination="arn:aws:s3:::bucket",
                             ClientToken="tok-1")
    assert a["ClientToken"] == "tok-1" and len(a["FlowLogIds"]) == 1
    b = ec2.create_flow_logs(ResourceIds=[vpc, sn], ResourceType="VPC", TrafficType="ALL",
                             LogDestinationType="s3", LogDestination="arn:aws:s3:::bucket",
                             ClientToken="tok-1")
    assert b["FlowLogIds"] == a["FlowLogIds"] and b["Unsuccessful"] == []
    assert len(ec2.describe_flow_logs()["FlowLogs"]) == 1
    with pytest.raises(ClientError) as e:
        ec2.create_flow_logs(ResourceIds=[vpc], ResourceType="VPC", TrafficType="REJECT",
                             LogDestinationType="s3", LogDestination="arn:aws:s3:::bucket",
                             ClientToken="tok-1")
    assert error_code(e) == "IdempotentParameterMismatch"


def test_describe_filters_and_paging(ec2):
    vpc, sn = vpc_subnet(ec2)
    f1 = s3_log(ec2, vpc, traffic="REJECT")["FlowLogIds"][0]
    f2 = ec2.create_flow_logs(ResourceIds=[sn], ResourceType="Subnet", TrafficType="ALL",
                              LogGroupName="grp", DeliverLogsPermissionArn=ROLE,
                              TagSpecifications=[{"ResourceType": "vpc-flow-log",
                                                  "Tags": [{"Key": "k", "Value": "v"}]}]
                              )["FlowLogIds"][0]
    f3 = s3_log(ec2, sn, rtype="Subnet", traffic="ACCEPT")["FlowLogIds"][0]

    def ids(**kw):
        return [f["FlowLogId"] for f in ec2.describe_flow_logs(**kw)["FlowLogs"]]

    assert ids() == [f1, f2, f3]
    assert ids(Filters=[{"Name": "resource-id", "Values": [sn]}]) == [f2, f3]
    assert ids(Filters=[{"Name": "traffic-type", "Values": ["REJECT"]}]) == [f1]
    assert ids(Filters=[{"Name": "log-destination-type", "Values": ["s3"]}]) == [f1, f3]
    assert ids(Filters=[{"Name": "flow-log-id", "Values": [f2]}]) == [f2]
    assert ids(Filters=[{"Name": "log-group-name", "Values": ["grp"]}]) == [f2]
    assert ids(Filters=[{"Name": "deliver-log-status", "Values": ["SUCCESS"]}]) == [f1, f2, f3]
    assert ids(Filters=[{"Name": "tag:k", "Values": ["v"]}]) == [f2]
    assert ids(FlowLogIds=[f3, "fl-0123456789abcdef0"]) == [f3]
    with pytest.raises(ClientError) as e:
        ec2.describe_flow_logs(Filters=[{"Name": "bogus", "Values": ["x"]}])
    assert error_code(e) == "InvalidParameterValue"
    p1 = ec2.describe_flow_logs(MaxResults=2)
    assert [f["FlowLogId"] for f in p1["FlowLogs"]] == [f1, f2]
    p2 = ec2.describe_flow_logs(MaxResults=2, NextToken=p1["NextToken"])
    assert [f["FlowLogId"] for f in p2["FlowLogs"]] == [f3] and "NextToken" not in p2


def test_delete_and_unsuccessful(ec2):
    vpc, _ = vpc_subnet(ec2)
    fid = s3_log(ec2, vpc)["FlowLogIds"][0]
    with pytest.raises(ClientError) as e:
        ec2.delete_flow_logs(FlowLogIds=[fid], DryRun=True)
    assert error_code(e) == "DryRunOperation"
    r = ec2.delete_flow_logs(FlowLogIds=[fid, "fl-0123456789abcdef0"])
    (u,) = r["Unsuccessful"]
    assert u["ResourceId"] == "fl-0123456789abcdef0"
    assert u["Error"]["Code"] == "InvalidFlowLogId.NotFound"
    assert u["Error"]["Message"] == ("These flow log ids in the input list are not found: "
                                     "[TotalCount: 1] fl-0123456789abcdef0")
    assert ec2.describe_flow_logs()["FlowLogs"] == []
    r = ec2.delete_flow_logs(FlowLogIds=[fid])
    assert r["Unsuccessful"][0]["ResourceId"] == fid
    # The same configuration can be created again once deleted.
    assert len(s3_log(ec2, vpc)["FlowLogIds"]) == 1


def test_aws_cli(daemon, ec2):
    vpc, sn = vpc_subnet(ec2)
    out = daemon.aws("ec2", "create-flow-logs", "--resource-type", "Subnet", "--resource-ids",
                     sn, "--traffic-type", "REJECT", "--log-destination-type", "s3",
                     "--log-destination", "arn:aws:s3:::cli-bucket/p",
                     "--max-aggregation-interval", "60")
    (fid,) = out["FlowLogIds"]
    out = daemon.aws("ec2", "describe-flow-logs", "--filter", f"Name=resource-id,Values={sn}")
    (f,) = out["FlowLogs"]
    assert f["FlowLogId"] == fid and f["TrafficType"] == "REJECT"
    out = daemon.aws("ec2", "create-flow-logs", "--resource-type", "VPC", "--resource-ids",
                     "vpc-0123456789abcdef0", "--traffic-type", "ALL",
                     "--log-group-name", "g", "--deliver-logs-permission-arn", ROLE)
    assert out["Unsuccessful"][0]["Error"]["Code"] == "InvalidVpcID.NotFound"
    rc, _, err = daemon.aws("ec2", "create-flow-logs", "--resource-type", "VPC",
                            "--resource-ids", vpc, "--traffic-type", "ALL",
                            "--log-destination-type", "s3", "--log-destination", "bucket",
                            check=False)
    assert rc != 0 and "InvalidParameter" in err
    out = daemon.aws("ec2", "delete-flow-logs", "--flow-log-ids", fid)
    assert out["Unsuccessful"] == []


def test_flow_logs_of_deleted_resources_go(ec2):
    """AWS: flow logs of a deleted VPC (or subnet, ENI) are removed."""
    vpc, sn = vpc_subnet(ec2)
    eni = ec2.create_network_interface(SubnetId=sn)["NetworkInterface"]["NetworkInterfaceId"]
    keep = s3_log(ec2, vpc)["FlowLogIds"][0]
    s3_log(ec2, eni, rtype="NetworkInterface")
    s3_log(ec2, sn, rtype="Subnet")
    assert len(ec2.describe_flow_logs()["FlowLogs"]) == 3
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    ec2.delete_subnet(SubnetId=sn)
    assert [f["FlowLogId"] for f in ec2.describe_flow_logs()["FlowLogs"]] == [keep]
