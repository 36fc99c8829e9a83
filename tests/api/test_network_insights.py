# SPDX-License-Identifier: MIT
"""Reachability Analyzer through the API (issue 8): Create/Describe/Delete
NetworkInsightsPath and Start/Describe/Delete NetworkInsightsAnalysis over
the seed topology (a bastion admitting SSH from one /32, a private
instance admitting SSH only from the bastion's group), driven by boto3 and
the Debian aws CLI.  The verdicts come from the analyzer (analyze/), whose
agreement with real packets is tested in tests/net/analyze."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code

AMI = "ami-0de12b0000c0ffee1"
MY_IP = "192.0.2.1"


def seed(ec2):
    """The seed article's VPC, minus the NAT: returns a dict of IDs."""
    t = {}
    t["vpc"] = vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    t["pub"] = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24")["Subnet"]["SubnetId"]
    t["prv"] = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    t["igw"] = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=t["igw"], VpcId=vpc)
    t["rtb"] = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=t["rtb"], DestinationCidrBlock="0.0.0.0/0",
                     GatewayId=t["igw"])
    ec2.associate_route_table(RouteTableId=t["rtb"], SubnetId=t["pub"])
    t["bsg"] = ec2.create_security_group(GroupName="bastion", Description="Bastion",
                                         VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=t["bsg"], IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": f"{MY_IP}/32"}]}])
    t["psg"] = ec2.create_security_group(GroupName="private", Description="Private",
                                         VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_ingress(GroupId=t["psg"], IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "UserIdGroupPairs": [{"GroupId": t["bsg"]}]}])
    t["bastion"] = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, NetworkInterfaces=[{
        "DeviceIndex": 0, "SubnetId": t["pub"], "Groups": [t["bsg"]],
        "AssociatePublicIpAddress": True}])["Instances"][0]["InstanceId"]
    t["private"] = ec2.run_instances(ImageId=AMI, MinCount=1, MaxCount=1, SubnetId=t["prv"],
                                     SecurityGroupIds=[t["psg"]])["Instances"][0]["InstanceId"]
    return t


def analyse(ec2, path_id, **kw):
    a = ec2.start_network_insights_analysis(NetworkInsightsPathId=path_id, **kw)
    aid = a["NetworkInsightsAnalysis"]["NetworkInsightsAnalysisId"]
    (got,) = ec2.describe_network_insights_analyses(
        NetworkInsightsAnalysisIds=[aid])["NetworkInsightsAnalyses"]
    return a["NetworkInsightsAnalysis"], got


def ids(components):
    return [c["Component"]["Id"] for c in components]


def test_bastion_to_private_ssh_found_with_aws_cli(daemon, ec2):
    t = seed(ec2)
    r = daemon.aws("ec2", "create-network-insights-path", "--source", t["bastion"],
                   "--destination", t["private"], "--protocol", "tcp",
                   "--destination-port", "22")
    p = r["NetworkInsightsPath"]
    pid = p["NetworkInsightsPathId"]
    assert pid.startswith("nip-") and len(pid) == 21
    assert p["Source"] == t["bastion"] and p["Destination"] == t["private"]
    assert p["Protocol"] == "tcp" and p["DestinationPort"] == 22
    assert p["NetworkInsightsPathArn"].endswith(f":network-insights-path/{pid}")
    assert p["SourceArn"].endswith(f":instance/{t['bastion']}")

    a = daemon.aws("ec2", "start-network-insights-analysis",
                   "--network-insights-path-id", pid)["NetworkInsightsAnalysis"]
    aid = a["NetworkInsightsAnalysisId"]
    assert aid.startswith("nia-") and len(aid) == 21
    # AWS analyses asynchronously: Start answers while it runs.
    assert a["Status"] == "running" and a["NetworkInsightsPathId"] == pid
    (got,) = daemon.aws("ec2", "describe-network-insights-analyses",
                        "--network-insights-analysis-ids", aid)["NetworkInsightsAnalyses"]
    assert got["Status"] == "succeeded"
    assert got["NetworkPathFound"] is True
    assert got["Explanations"] == []
    fwd = got["ForwardPathComponents"]
    assert [c["SequenceNumber"] for c in fwd] == list(range(1, len(fwd) + 1))
    order = ids(fwd)
    assert order[0] == t["bastion"] and order[-1] == t["private"]
    # The bastion's group lets it out before the private group lets it in.
    assert order.index(t["bsg"]) < order.index(t["psg"])
    assert t["rtb"] in order  # the public subnet's table decides the first hop
    psg = next(c for c in fwd if c["Component"]["Id"] == t["psg"])
    assert psg["SecurityGroupRule"] == {"Direction": "ingress", "SecurityGroupId": t["bsg"],
                                        "PortRange": {"From": 22, "To": 22},
                                        "Protocol": "tcp"}
    assert psg["Vpc"]["Id"] == t["vpc"]
    route = next(c for c in fwd if "RouteTableRoute" in c)
    assert route["RouteTableRoute"]["DestinationCidr"] == "10.0.0.0/16"
    assert route["RouteTableRoute"]["GatewayId"] == "local"
    acl = next(c for c in fwd if "AclRule" in c)
    assert acl["AclRule"]["RuleNumber"] == 100 and acl["AclRule"]["RuleAction"] == "allow"
    first = fwd[0]
    assert first["Subnet"]["Id"] == t["pub"]
    hdr = first["OutboundHeader"]
    assert hdr["DestinationPortRanges"] == [{"From": 22, "To": 22}]
    assert hdr["Protocol"] == "6"
    ret = got["ReturnPathComponents"]
    assert ids(ret)[0] == t["private"] and ids(ret)[-1] == t["bastion"]


def test_internet_gateway_to_private_not_found(ec2):
    t = seed(ec2)
    pid = ec2.create_network_insights_path(
        Source=t["igw"], Destination=t["private"], Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    _, got = analyse(ec2, pid)
    assert got["Status"] == "succeeded" and got["NetworkPathFound"] is False
    (x,) = got["Explanations"]
    # The private instance has no public address the gateway could map.
    assert x["ExplanationCode"] == "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
    assert x["InternetGateway"]["Id"] == t["igw"] and x["Vpc"]["Id"] == t["vpc"]


def test_internet_gateway_to_bastion_names_the_group(ec2):
    t = seed(ec2)
    # From anywhere but My IP the bastion's group stops it …
    pid = ec2.create_network_insights_path(
        Source=t["igw"], Destination=t["bastion"], Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    _, got = analyse(ec2, pid)
    assert got["NetworkPathFound"] is False
    (x,) = got["Explanations"]
    assert x["ExplanationCode"] == "ENI_SG_RULES_MISMATCH"
    assert x["Direction"] == "ingress"
    assert x["SecurityGroup"]["Id"] == t["bsg"]
    assert [g["Id"] for g in x["SecurityGroups"]] == [t["bsg"]]
    assert x["NetworkInterface"]["Id"].startswith("eni-")
    # … and from My IP it gets through.
    pid = ec2.create_network_insights_path(
        Source=t["igw"], SourceIp=MY_IP, Destination=t["bastion"], Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]
    assert pid["SourceIp"] == MY_IP
    _, got = analyse(ec2, pid["NetworkInsightsPathId"])
    assert got["NetworkPathFound"] is True
    assert ids(got["ForwardPathComponents"])[0] == t["igw"]


def test_result_kept_after_network_changes(ec2):
    t = seed(ec2)
    pid = ec2.create_network_insights_path(
        Source=t["bastion"], Destination=t["private"], Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    _, before = analyse(ec2, pid)
    assert before["NetworkPathFound"] is True
    ec2.revoke_security_group_ingress(GroupId=t["psg"], IpPermissions=[{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "UserIdGroupPairs": [{"GroupId": t["bsg"]}]}])
    (again,) = ec2.describe_network_insights_analyses(
        NetworkInsightsAnalysisIds=[before["NetworkInsightsAnalysisId"]])[
            "NetworkInsightsAnalyses"]
    assert again == before
    # A new analysis sees the change and names the private group.
    _, after = analyse(ec2, pid)
    assert after["NetworkPathFound"] is False
    (x,) = after["Explanations"]
    assert x["ExplanationCode"] == "ENI_SG_RULES_MISMATCH"
    assert x["SecurityGroup"]["Id"] == t["psg"]
    # Describe by path lists both, oldest first.
    listed = ec2.describe_network_insights_analyses(NetworkInsightsPathId=pid)[
        "NetworkInsightsAnalyses"]
    assert [a["NetworkPathFound"] for a in listed] == [True, False]


def test_analysis_fails_when_an_end_is_gone(ec2):
    t = seed(ec2)
    eni = ec2.create_network_interface(SubnetId=t["prv"], Groups=[t["psg"]])[
        "NetworkInterface"]["NetworkInterfaceId"]
    pid = ec2.create_network_insights_path(
        Source=t["bastion"], Destination=eni, Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    started, got = analyse(ec2, pid)
    assert started["Status"] == "running"
    assert got["Status"] == "failed" and got["StatusMessage"]
    assert "NetworkPathFound" not in got
    assert ec2.describe_network_insights_analyses(
        Filters=[{"Name": "status", "Values": ["failed"]}])["NetworkInsightsAnalyses"] == [got]


def test_any_port_when_none_given(ec2):
    t = seed(ec2)
    p = ec2.create_network_insights_path(Source=t["bastion"], Destination=t["private"],
                                         Protocol="tcp")["NetworkInsightsPath"]
    assert "DestinationPort" not in p
    _, got = analyse(ec2, p["NetworkInsightsPathId"])
    assert got["NetworkPathFound"] is True
    hdr = got["ForwardPathComponents"][0]["OutboundHeader"]
    assert hdr["DestinationPortRanges"] == [{"From": 22, "To": 22}]


@pytest.mark.parametrize("kw,code", [
    (dict(Source="i-0123456789abcdef0"), "InvalidInstanceID.NotFound"),
    (dict(Destination="eni-0123456789abcdef0"), "InvalidNetworkInterfaceID.NotFound"),
    (dict(Source="igw-0123456789abcdef0"), "InvalidInternetGatewayID.NotFound"),
    (dict(Source="bogus"), "InvalidParameterValue"),
    (dict(Protocol="icmp"), "InvalidParameterValue"),
    (dict(DestinationPort=65536), "InvalidParameterValue"),
    (dict(SourceIp="10.0.0.300"), "InvalidParameterValue"),
])
def test_create_path_errors(ec2, kw, code):
    t = seed(ec2)
    args = dict(Source=t["bastion"], Destination=t["private"], Protocol="tcp")
    args.update(kw)
    with pytest.raises(ClientError) as e:
        ec2.create_network_insights_path(**args)
    assert error_code(e) == code
    assert ec2.describe_network_insights_paths()["NetworkInsightsPaths"] == []


def test_cli_missing_protocol_and_bad_port(daemon, ec2):
    t = seed(ec2)
    # The CLI itself insists on --protocol; the raw request gets MissingParameter.
    rc, _, err = daemon.aws("ec2", "create-network-insights-path", "--source", t["bastion"],
                            "--destination", t["private"], check=False)
    assert rc != 0 and "--protocol" in err
    rc, _, err = daemon.aws("ec2", "create-network-insights-path", "--source", t["bastion"],
                            "--destination", t["private"], "--protocol", "tcp",
                            "--destination-port", "70000", check=False)
    assert rc != 0 and "InvalidParameterValue" in err


def test_missing_protocol_raw(daemon, ec2):
    import rawreq
    t = seed(ec2)
    status, body = rawreq.send(daemon.port, (
        "Action=CreateNetworkInsightsPath&Version=2016-11-15&ClientToken=t1"
        f"&Source={t['bastion']}&Destination={t['private']}"))
    assert status == 400
    assert "<Code>MissingParameter</Code>" in body and "Protocol" in body


def test_start_and_delete_errors(ec2):
    t = seed(ec2)
    for bad in ("nip-0123456789abcdef0", "nope"):
        with pytest.raises(ClientError) as e:
            ec2.start_network_insights_analysis(NetworkInsightsPathId=bad)
        assert error_code(e) == "InvalidNetworkInsightsPathId.NotFound"
        with pytest.raises(ClientError) as e:
            ec2.delete_network_insights_path(NetworkInsightsPathId=bad)
        assert error_code(e) == "InvalidNetworkInsightsPathId.NotFound"
    with pytest.raises(ClientError) as e:
        ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId="nia-0123456789abcdef0")
    assert error_code(e) == "InvalidNetworkInsightsAnalysisId.NotFound"
    pid = ec2.create_network_insights_path(
        Source=t["bastion"], Destination=t["private"], Protocol="tcp",
        DestinationPort=22)["NetworkInsightsPath"]["NetworkInsightsPathId"]
    a, _ = analyse(ec2, pid)
    # A path with analyses stays until they are gone (AWS).
    with pytest.raises(ClientError) as e:
        ec2.delete_network_insights_path(NetworkInsightsPathId=pid)
    assert error_code(e) == "AnalysisExistsForNetworkInsightsPath"
    aid = a["NetworkInsightsAnalysisId"]
    r = ec2.delete_network_insights_analysis(NetworkInsightsAnalysisId=aid)
    assert r["NetworkInsightsAnalysisId"] == aid
    r = ec2.delete_network_insights_path(NetworkInsightsPathId=pid)
    assert r["NetworkInsightsPathId"] == pid
    assert ec2.describe_network_insights_paths()["NetworkInsightsPaths"] == []
    assert ec2.describe_network_insights_analyses()["NetworkInsightsAnalyses"] == []
    with pytest.raises(ClientError) as e:
        ec2.describe_network_insights_paths(NetworkInsightsPathIds=[pid])
    assert error_code(e) == "InvalidNetworkInsightsPathId.NotFound"


def test_dry_run_writes_nothing(ec2):
    t = seed(ec2)
    with pytest.raises(ClientError) as e:
        ec2.create_network_insights_path(Source=t["bastion"], Destination=t["private"],
                                         Protocol="tcp", DryRun=True)
    assert error_code(e) == "DryRunOperation"
    assert ec2.describe_network_insights_paths()["NetworkInsightsPaths"] == []


def test_tags(daemon, ec2):
    t = seed(ec2)
    p = ec2.create_network_insights_path(
        Source=t["bastion"], Destination=t["private"], Protocol="tcp",
        TagSpecifications=[{"ResourceType": "network-insights-path",
                            "Tags": [{"Key": "Name", "Value": "ssh-jump"}]}])[
        "NetworkInsightsPath"]
    pid = p["NetworkInsightsPathId"]
    assert p["Tags"] == [{"Key": "Name", "Value": "ssh-jump"}]
    a, _ = analyse(ec2, pid, TagSpecifications=[{
        "ResourceType": "network-insights-analysis", "Tags": [{"Key": "run", "Value": "1"}]}])
    aid = a["NetworkInsightsAnalysisId"]
    assert a["Tags"] == [{"Key": "run", "Value": "1"}]
    daemon.aws("ec2", "create-tags", "--resources", pid, aid, "--tags", "Key=team,Value=net")
    tags = ec2.describe_tags(Filters=[{"Name": "key", "Values": ["team"]}])["Tags"]
    assert sorted((x["ResourceId"], x["ResourceType"]) for x in tags) == sorted([
        (pid, "network-insights-path"), (aid, "network-insights-analysis")])
    got = ec2.describe_network_insights_paths(
        Filters=[{"Name": "tag:Name", "Values": ["ssh-jump"]}])["NetworkInsightsPaths"]
    assert [x["NetworkInsightsPathId"] for x in got] == [pid]
    with pytest.raises(ClientError) as e:
        ec2.create_network_insights_path(
            Source=t["bastion"], Destination=t["private"], Protocol="tcp",
            TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}])
    assert error_code(e) == "InvalidParameterValue"


def test_describe_filters_and_paging(ec2):
    t = seed(ec2)
    p1 = ec2.create_network_insights_path(Source=t["bastion"], Destination=t["private"],
                                          Protocol="tcp", DestinationPort=22)
    p2 = ec2.create_network_insights_path(Source=t["igw"], Destination=t["private"],
                                          Protocol="udp", DestinationPort=53)
    p1 = p1["NetworkInsightsPath"]["NetworkInsightsPathId"]
    p2 = p2["NetworkInsightsPath"]["NetworkInsightsPathId"]

    def paths(**kw):
        return [x["NetworkInsightsPathId"] for x in
                ec2.describe_network_insights_paths(**kw)["NetworkInsightsPaths"]]

    assert paths() == [p1, p2]
    assert paths(Filters=[{"Name": "source", "Values": [t["igw"]]}]) == [p2]
    assert paths(Filters=[{"Name": "destination", "Values": [t["private"]]}]) == [p1, p2]
    assert paths(Filters=[{"Name": "protocol", "Values": ["tcp"]}]) == [p1]
    assert paths(NetworkInsightsPathIds=[p2]) == [p2]
    page = ec2.describe_network_insights_paths(MaxResults=1)
    assert [x["NetworkInsightsPathId"] for x in page["NetworkInsightsPaths"]] == [p1]
    assert paths(MaxResults=1, NextToken=page["NextToken"]) == [p2]
    with pytest.raises(ClientError) as e:
        ec2.describe_network_insights_paths(Filters=[{"Name": "colour", "Values": ["x"]}])
    assert error_code(e) == "InvalidParameterValue"

    a1, _ = analyse(ec2, p1)
    a2, _ = analyse(ec2, p2)
    a1, a2 = a1["NetworkInsightsAnalysisId"], a2["NetworkInsightsAnalysisId"]

    def analyses(**kw):
        return [x["NetworkInsightsAnalysisId"] for x in
                ec2.describe_network_insights_analyses(**kw)["NetworkInsightsAnalyses"]]

    assert analyses() == [a1, a2]
    assert analyses(Filters=[{"Name": "path-found", "Values": ["true"]}]) == [a1]
    assert analyses(Filters=[{"Name": "path-found", "Values": ["false"]}]) == [a2]
    assert analyses(Filters=[{"Name": "status", "Values": ["succeeded"]}]) == [a1, a2]
    assert analyses(NetworkInsightsPathId=p2) == [a2]


def test_client_token_replays(ec2):
    t = seed(ec2)
    args = dict(Source=t["bastion"], Destination=t["private"], Protocol="tcp", ClientToken="x1")
    p1 = ec2.create_network_insights_path(**args)["NetworkInsightsPath"]
    p2 = ec2.create_network_insights_path(**args)["NetworkInsightsPath"]
    assert p1 == p2
    assert len(ec2.describe_network_insights_paths()["NetworkInsightsPaths"]) == 1
    with pytest.raises(ClientError) as e:
        ec2.create_network_insights_path(**dict(args, Protocol="udp"))
    assert error_code(e) == "IdempotentParameterMismatch"
