# SPDX-License-Identifier: MIT
"""Security groups (spec §7): groups, rules, merged IpPermissions,
DescribeSecurityGroupRules, the aws CLI forms and the seed's three groups."""
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

ACCOUNT = "123456789012"


def fails(code, fn, **kw):
    with pytest.raises(ClientError) as e:
        fn(**kw)
    assert error_code(e) == code, e.value.response["Error"]
    return e


def new_vpc(ec2, cidr="10.0.0.0/16"):
    return ec2.create_vpc(CidrBlock=cidr)["Vpc"]["VpcId"]


def default_group(ec2, vpc):
    return ec2.describe_security_groups(Filters=[
        {"Name": "vpc-id", "Values": [vpc]}, {"Name": "group-name", "Values": ["default"]}])[
        "SecurityGroups"][0]


def group(ec2, sg):
    return ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]


def rules_of(ec2, sg):
    return ec2.describe_security_group_rules(
        Filters=[{"Name": "group-id", "Values": [sg]}])["SecurityGroupRules"]


ALL_OUT = {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [],
           "PrefixListIds": [], "UserIdGroupPairs": []}


def test_default_group_rules(ec2):
    vpc = new_vpc(ec2)
    g = default_group(ec2, vpc)
    sg = g["GroupId"]
    assert sg.startswith("sg-")
    assert g["Description"] == "default VPC security group"
    assert g["OwnerId"] == ACCOUNT
    # SG-3: inbound all from itself, outbound all to 0.0.0.0/0; no ports shown.
    assert g["IpPermissions"] == [{
        "IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
        "UserIdGroupPairs": [{"GroupId": sg, "UserId": ACCOUNT}]}]
    assert g["IpPermissionsEgress"] == [ALL_OUT]
    rules = rules_of(ec2, sg)
    assert len(rules) == 2
    assert all(r["SecurityGroupRuleId"].startswith("sgr-") for r in rules)
    ing = [r for r in rules if not r["IsEgress"]][0]
    assert ing["ReferencedGroupInfo"] == {"GroupId": sg, "UserId": ACCOUNT}
    assert (ing["IpProtocol"], ing["FromPort"], ing["ToPort"]) == ("-1", -1, -1)
    eg = [r for r in rules if r["IsEgress"]][0]
    assert eg["CidrIpv4"] == "0.0.0.0/0" and eg["GroupOwnerId"] == ACCOUNT
    fails("CannotDelete", ec2.delete_security_group, GroupId=sg)
    # The default VPC has its default group too.
    dvpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    assert default_group(ec2, dvpc["VpcId"])["GroupName"] == "default"


def test_create_describe_delete(ec2):
    vpc = new_vpc(ec2)
    r = ec2.create_security_group(GroupName="web  ", Description="Web servers", VpcId=vpc,
                                  TagSpecifications=[{"ResourceType": "security-group",
                                                      "Tags": [{"Key": "Name", "Value": "w"}]}])
    sg = r["GroupId"]
    assert r["Tags"] == [{"Key": "Name", "Value": "w"}]
    g = group(ec2, sg)
    assert g["GroupName"] == "web"  # SG-1: trailing spaces trimmed
    assert g["Description"] == "Web servers" and g["VpcId"] == vpc
    assert g["IpPermissions"] == []
    assert g["IpPermissionsEgress"] == [ALL_OUT]  # SG-4
    assert g["Tags"] == [{"Key": "Name", "Value": "w"}]
    assert len(rules_of(ec2, sg)) == 1
    for name, vals, hit in [("group-name", ["web"], True), ("group-name", ["w?b"], True),
                            ("description", ["Web*"], True), ("vpc-id", [vpc], True),
                            ("owner-id", [ACCOUNT], True), ("tag:Name", ["w"], True),
                            ("group-id", [sg], True), ("group-name", ["db"], False),
                            ("egress.ip-permission.cidr", ["0.0.0.0/0"], True),
                            ("egress.ip-permission.protocol", ["-1"], True),
                            ("ip-permission.cidr", ["0.0.0.0/0"], False)]:
        got = ec2.describe_security_groups(Filters=[{"Name": name, "Values": vals}])
        ids = [x["GroupId"] for x in got["SecurityGroups"]]
        assert (sg in ids) == hit, (name, vals)
    fails("InvalidParameterValue", ec2.describe_security_groups,
          Filters=[{"Name": "bogus", "Values": ["x"]}])
    # Groups of a non-default VPC are not found by name (GroupName.N is default-VPC only).
    fails("InvalidGroup.NotFound", ec2.describe_security_groups, GroupNames=["web"])
    ec2.delete_security_group(GroupId=sg)
    fails("InvalidGroup.NotFound", ec2.describe_security_groups, GroupIds=[sg])
    fails("InvalidGroup.NotFound", ec2.delete_security_group, GroupId=sg)
    fails("InvalidGroupId.Malformed", ec2.delete_security_group, GroupId="xyz-1")
    fails("InvalidGroupId.Malformed", ec2.describe_security_groups, GroupIds=["xyz-1"])
    # The rules and tags went with the group.
    assert rules_of(ec2, sg) == []
    assert ec2.describe_tags(Filters=[{"Name": "resource-id", "Values": [sg]}])["Tags"] == []


def test_default_vpc_and_names(ec2):
    r = ec2.create_security_group(GroupName="app", Description="d")  # default VPC
    dvpc = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"][0]
    g = ec2.describe_security_groups(GroupNames=["app"])["SecurityGroups"][0]
    assert g["GroupId"] == r["GroupId"] and g["VpcId"] == dvpc["VpcId"]
    fails("InvalidGroup.NotFound", ec2.describe_security_groups, GroupNames=["nope"])
    d = ec2.describe_security_groups(GroupNames=["default"])["SecurityGroups"]
    assert [x["VpcId"] for x in d] == [dvpc["VpcId"]]
    ec2.get_waiter("security_group_exists").wait(GroupIds=[r["GroupId"]])
    ec2.delete_security_group(GroupName="app")
    fails("InvalidGroup.NotFound", ec2.delete_security_group, GroupName="app")


def test_create_errors(ec2):
    vpc = new_vpc(ec2)
    ec2.create_security_group(GroupName="Web", Description="d", VpcId=vpc)
    for kw, code in [
        (dict(GroupName="web", Description="d", VpcId=vpc), "InvalidGroup.Duplicate"),
        (dict(GroupName="WEB ", Description="d", VpcId=vpc), "InvalidGroup.Duplicate"),
        (dict(GroupName="default", Description="d", VpcId=vpc), "InvalidParameterValue"),
        (dict(GroupName="sg-123", Description="d", VpcId=vpc), "InvalidParameterValue"),
        (dict(GroupName="bad\u00e9", Description="d", VpcId=vpc), "InvalidParameterValue"),
        (dict(GroupName="x" * 256, Description="d", VpcId=vpc), "InvalidParameterValue"),
        (dict(GroupName="ok", Description="tab\there", VpcId=vpc), "InvalidParameterValue"),
        (dict(GroupName="", Description="d", VpcId=vpc), "MissingParameter"),
        (dict(GroupName="ok", Description="", VpcId=vpc), "MissingParameter"),
        (dict(GroupName="ok", Description="d", VpcId="vpc-00000000000000000"),
         "InvalidVpcID.NotFound"),
        (dict(GroupName="ok", Description="d", VpcId="subnet-1"), "InvalidVpcID.Malformed"),
        (dict(GroupName="ok", Description="d", VpcId=vpc,
              TagSpecifications=[{"ResourceType": "vpc", "Tags": [{"Key": "k", "Value": "v"}]}]),
         "InvalidParameterValue"),
    ]:
        fails(code, ec2.create_security_group, **kw)
    # The same name in another VPC is fine, and every allowed character too.
    other = new_vpc(ec2, "10.1.0.0/16")
    ec2.create_security_group(GroupName="Web", Description="d", VpcId=other)
    ec2.create_security_group(GroupName="a-Z 0._-:/()#,@[]+=&;{}!$*", Description="d", VpcId=vpc)


def test_dry_run(ec2):
    vpc = new_vpc(ec2)
    e = fails("DryRunOperation", ec2.create_security_group, GroupName="x", Description="d",
              VpcId=vpc, DryRun=True)
    assert http_status(e) == 412
    assert len(ec2.describe_security_groups(Filters=[{"Name": "vpc-id", "Values": [vpc]}])[
        "SecurityGroups"]) == 1
    fails("InvalidParameterValue", ec2.create_security_group, GroupName="default ",
          Description="d", VpcId=vpc, DryRun=True)  # validation first
    sg = ec2.create_security_group(GroupName="x", Description="d", VpcId=vpc)["GroupId"]
    perm = [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}]
    fails("DryRunOperation", ec2.authorize_security_group_ingress, GroupId=sg,
          IpPermissions=perm, DryRun=True)
    assert group(ec2, sg)["IpPermissions"] == []
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perm)
    fails("InvalidPermission.Duplicate", ec2.authorize_security_group_ingress, GroupId=sg,
          IpPermissions=perm, DryRun=True)  # validation first
    fails("DryRunOperation", ec2.revoke_security_group_ingress, GroupId=sg,
          IpPermissions=perm, DryRun=True)
    fails("DryRunOperation", ec2.delete_security_group, GroupId=sg, DryRun=True)
    fails("DryRunOperation", ec2.describe_security_groups, DryRun=True)
    fails("DryRunOperation", ec2.describe_security_group_rules, DryRun=True)
    assert len(group(ec2, sg)["IpPermissions"]) == 1


def test_authorize_merged_and_rules(ec2):
    vpc = new_vpc(ec2)
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    peer = ec2.create_security_group(GroupName="b", Description="d", VpcId=vpc)["GroupId"]
    r = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "10.0.0.0/24", "Description": "office"},
                      {"CidrIp": "192.0.2.7/24"}],
         "UserIdGroupPairs": [{"GroupId": peer, "Description": "peers"}]},
        {"IpProtocol": "6", "FromPort": 80, "ToPort": 443, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "icmp", "FromPort": -1, "ToPort": 5, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "47", "FromPort": 5, "ToPort": 9, "IpRanges": [{"CidrIp": "0.0.0.0/0"}]},
        {"IpProtocol": "all", "IpRanges": [{"CidrIp": "10.9.0.0/16"}]},
    ], TagSpecifications=[{"ResourceType": "security-group-rule",
                           "Tags": [{"Key": "k", "Value": "v"}]}])
    assert r["Return"] is True
    new = r["SecurityGroupRules"]
    assert len(new) == 7
    assert all(x["GroupId"] == sg and x["IsEgress"] is False and x["GroupOwnerId"] == ACCOUNT
               and x["Tags"] == [{"Key": "k", "Value": "v"}] for x in new)
    assert new[0]["CidrIpv4"] == "10.0.0.0/24" and new[0]["Description"] == "office"
    assert new[1]["CidrIpv4"] == "192.0.2.0/24"  # GEN-5 canonical
    assert new[2]["ReferencedGroupInfo"] == {"GroupId": peer, "UserId": ACCOUNT}
    assert (new[3]["IpProtocol"], new[3]["FromPort"], new[3]["ToPort"]) == ("tcp", 80, 443)
    assert (new[4]["IpProtocol"], new[4]["FromPort"], new[4]["ToPort"]) == ("icmp", -1, -1)
    assert (new[5]["IpProtocol"], new[5]["FromPort"], new[5]["ToPort"]) == ("47", -1, -1)
    assert new[6]["IpProtocol"] == "-1"
    perms = group(ec2, sg)["IpPermissions"]
    assert perms[0] == {
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "10.0.0.0/24", "Description": "office"},
                     {"CidrIp": "192.0.2.0/24"}],
        "Ipv6Ranges": [], "PrefixListIds": [],
        "UserIdGroupPairs": [{"Description": "peers", "GroupId": peer, "UserId": ACCOUNT}]}
    assert [(p["IpProtocol"], p.get("FromPort"), p.get("ToPort")) for p in perms] == [
        ("tcp", 22, 22), ("tcp", 80, 443), ("icmp", -1, -1), ("47", None, None), ("-1", None, None)]
    # DescribeSecurityGroupRules: IDs, filters, pages.
    ids = [x["SecurityGroupRuleId"] for x in new]
    one = ec2.describe_security_group_rules(SecurityGroupRuleIds=[ids[2]])["SecurityGroupRules"]
    assert one == [new[2]]
    got = ec2.describe_security_group_rules(
        Filters=[{"Name": "security-group-rule-id", "Values": ids[:2]}])["SecurityGroupRules"]
    assert [x["SecurityGroupRuleId"] for x in got] == ids[:2]
    assert len(ec2.describe_security_group_rules(
        Filters=[{"Name": "tag:k", "Values": ["v"]}])["SecurityGroupRules"]) == 7
    seen, token = [], None
    while True:
        kw = {"Filters": [{"Name": "group-id", "Values": [sg]}], "MaxResults": 5}
        if token:
            kw["NextToken"] = token
        page = ec2.describe_security_group_rules(**kw)
        seen += [x["SecurityGroupRuleId"] for x in page["SecurityGroupRules"]]
        token = page.get("NextToken")
        if not token:
            break
    assert len(seen) == 8 and len(set(seen)) == 8
    fails("InvalidSecurityGroupRuleId.NotFound", ec2.describe_security_group_rules,
          SecurityGroupRuleIds=["sgr-00000000000000000"])
    fails("InvalidSecurityGroupRuleId.Malformed", ec2.describe_security_group_rules,
          SecurityGroupRuleIds=["sg-00000000000000000"])
    fails("InvalidNextToken", ec2.describe_security_group_rules, NextToken="bogus")
    # ip-permission filters see the rules.
    for name, vals, hit in [("ip-permission.from-port", ["80"], True),
                            ("ip-permission.group-id", [peer], True),
                            ("ip-permission.group-name", ["b"], True),
                            ("ip-permission.user-id", [ACCOUNT], True),
                            ("ip-permission.protocol", ["icmp"], True),
                            ("ip-permission.cidr", ["10.0.0.0/24"], True),
                            ("ip-permission.to-port", ["8080"], False)]:
        ids_ = [x["GroupId"] for x in ec2.describe_security_groups(
            Filters=[{"Name": name, "Values": vals}])["SecurityGroups"]]
        assert (sg in ids_) == hit, name
    # Referenced group cannot go while referenced.
    fails("DependencyViolation", ec2.delete_security_group, GroupId=peer)


def test_authorize_errors(ec2):
    vpc = new_vpc(ec2)
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    other_vpc = new_vpc(ec2, "10.1.0.0/16")
    foreign = ec2.create_security_group(GroupName="f", Description="d",
                                        VpcId=other_vpc)["GroupId"]

    def perm(**kw):
        p = {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
             "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}
        p.update(kw)
        return [p]

    for perms, code in [
        (perm(FromPort=23, ToPort=22), "InvalidParameterValue"),
        (perm(FromPort=0, ToPort=65536), "InvalidParameterValue"),
        (perm(FromPort=-1, ToPort=-1), "InvalidParameterValue"),
        (perm(IpProtocol="bogus"), "InvalidParameterValue"),
        (perm(IpProtocol="256"), "InvalidParameterValue"),
        (perm(IpProtocol="icmp", FromPort=300, ToPort=0), "InvalidParameterValue"),
        (perm(IpRanges=[{"CidrIp": "10.0.0.0/33"}]), "InvalidParameterValue"),
        (perm(IpRanges=[{"CidrIp": "1.2.3.4/32", "Description": "bad\tdesc"}]),
         "InvalidParameterValue"),
        (perm(IpRanges=[], UserIdGroupPairs=[{"GroupId": "sg-00000000000000000"}]),
         "InvalidGroup.NotFound"),
        (perm(IpRanges=[], UserIdGroupPairs=[{"GroupId": foreign}]), "InvalidGroup.NotFound"),
        (perm(IpRanges=[], UserIdGroupPairs=[{"GroupId": "vpc-1"}]), "InvalidGroupId.Malformed"),
        (perm(IpRanges=[], UserIdGroupPairs=[{"GroupName": "nope"}]), "InvalidGroup.NotFound"),
        (perm(IpRanges=[], PrefixListIds=[{"PrefixListId": "pl-00000000"}]),
         "InvalidPrefixListID.NotFound"),
        (perm(IpRanges=[], PrefixListIds=[{"PrefixListId": "x-1"}]),
         "InvalidPrefixListId.Malformed"),
        (perm(Ipv6Ranges=[{"CidrIpv6": "::/0"}]), "UnsupportedOperation"),
        (perm(IpRanges=[]), "MissingParameter"),
    ]:
        fails(code, ec2.authorize_security_group_ingress, GroupId=sg, IpPermissions=perms)
    assert group(ec2, sg)["IpPermissions"] == []
    fails("InvalidGroup.NotFound", ec2.authorize_security_group_ingress,
          GroupId="sg-00000000000000000", IpPermissions=perm())
    fails("InvalidGroupId.Malformed", ec2.authorize_security_group_ingress,
          GroupId="x-1", IpPermissions=perm())
    # Atomic: one duplicate refuses the whole call.
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=perm())
    fails("InvalidPermission.Duplicate", ec2.authorize_security_group_ingress, GroupId=sg,
          IpPermissions=perm(IpRanges=[{"CidrIp": "10.5.0.0/16"}, {"CidrIp": "192.0.2.1/32",
                                                                  "Description": "other"}]))
    assert len(group(ec2, sg)["IpPermissions"][0]["IpRanges"]) == 1
    fails("InvalidPermission.Duplicate", ec2.authorize_security_group_egress, GroupId=sg,
          IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    fails("InvalidPermission.Duplicate", ec2.authorize_security_group_ingress, GroupId=sg,
          IpPermissions=perm(IpRanges=[{"CidrIp": "10.6.0.0/16"}, {"CidrIp": "10.6.0.0/16"}]))
    # "6" is tcp: the same rule.
    fails("InvalidPermission.Duplicate", ec2.authorize_security_group_ingress, GroupId=sg,
          IpPermissions=perm(IpProtocol="6"))


def test_rules_limit(ec2):
    vpc = new_vpc(ec2)
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    ranges = [{"CidrIp": f"10.0.{i}.0/24"} for i in range(60)]
    ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "IpRanges": ranges}])
    fails("RulesPerSecurityGroupLimitExceeded", ec2.authorize_security_group_ingress,
          GroupId=sg, IpPermissions=[{"IpProtocol": "tcp", "FromPort": 2, "ToPort": 2,
                                      "IpRanges": [{"CidrIp": "10.1.0.0/24"}]}])
    # Egress counts separately: 1 there already, 59 more fit.
    ec2.authorize_security_group_egress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 1, "ToPort": 1, "IpRanges": ranges[:59]}])
    fails("RulesPerSecurityGroupLimitExceeded", ec2.authorize_security_group_egress,
          GroupId=sg, IpPermissions=[{"IpProtocol": "udp", "FromPort": 2, "ToPort": 2,
                                      "IpRanges": [{"CidrIp": "10.1.0.0/24"}]}])


def test_revoke(ec2):
    vpc = new_vpc(ec2)
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    peer = ec2.create_security_group(GroupName="b", Description="d", VpcId=vpc)["GroupId"]
    new = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "192.0.2.1/32", "Description": "me"}, {"CidrIp": "10.0.0.0/8"}],
         "UserIdGroupPairs": [{"GroupId": peer}]}])["SecurityGroupRules"]
    # By ID.
    r = ec2.revoke_security_group_ingress(GroupId=sg,
                                          SecurityGroupRuleIds=[new[1]["SecurityGroupRuleId"]])
    assert r["Return"] is True and "UnknownIpPermissions" not in r
    fails("InvalidSecurityGroupRuleId.NotFound", ec2.revoke_security_group_ingress, GroupId=sg,
          SecurityGroupRuleIds=[new[1]["SecurityGroupRuleId"]])
    # An egress rule's ID is not an ingress rule.
    out = rules_of(ec2, sg)
    eg = [x for x in out if x["IsEgress"]][0]["SecurityGroupRuleId"]
    fails("InvalidSecurityGroupRuleId.NotFound", ec2.revoke_security_group_ingress, GroupId=sg,
          SecurityGroupRuleIds=[eg])
    fails("InvalidSecurityGroupRuleId.Malformed", ec2.revoke_security_group_ingress, GroupId=sg,
          SecurityGroupRuleIds=["rule-1"])
    # By properties: the description need not match; a miss in a non-default VPC fails.
    fails("InvalidPermission.NotFound", ec2.revoke_security_group_ingress, GroupId=sg,
          IpPermissions=[{"IpProtocol": "tcp", "FromPort": 23, "ToPort": 23,
                          "IpRanges": [{"CidrIp": "192.0.2.1/32"}]}])
    ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "192.0.2.1/32"}],
         "UserIdGroupPairs": [{"GroupId": peer}]}])
    assert group(ec2, sg)["IpPermissions"] == []
    ec2.delete_security_group(GroupId=peer)  # no longer referenced
    # Egress: with every outbound rule gone the list is empty.
    ec2.revoke_security_group_egress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}]}])
    assert group(ec2, sg)["IpPermissionsEgress"] == []
    fails("MissingParameter", ec2.revoke_security_group_egress, GroupId=sg)


def test_revoke_default_vpc_unknown(ec2):
    sg = ec2.create_security_group(GroupName="a", Description="d")["GroupId"]
    r = ec2.revoke_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}]}])
    assert r["Return"] is True
    assert r["UnknownIpPermissions"] == [{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "1.2.3.4/32"}],
        "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []}]


def test_delete_dependencies(ec2):
    vpc = new_vpc(ec2)
    a = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    b = ec2.create_security_group(GroupName="b", Description="d", VpcId=vpc)["GroupId"]
    ec2.authorize_security_group_egress(GroupId=a, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 5432, "ToPort": 5432, "UserIdGroupPairs": [{"GroupId": b}]}])
    fails("DependencyViolation", ec2.delete_security_group, GroupId=b)
    # A group referencing itself does not block its own deletion.
    ec2.authorize_security_group_ingress(GroupId=a, IpPermissions=[
        {"IpProtocol": "-1", "UserIdGroupPairs": [{"GroupId": a}]}])
    ec2.delete_security_group(GroupId=a)
    ec2.delete_security_group(GroupId=b)
    # DeleteVpc removes the default group.
    ec2.delete_vpc(VpcId=vpc)
    assert ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"] == []


def test_delete_attached_to_eni(ec2):
    vpc = new_vpc(ec2)
    sub = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24")["Subnet"]["SubnetId"]
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    img = ec2.describe_images()["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=img, MinCount=1, MaxCount=1, SubnetId=sub,
                             SecurityGroupIds=[sg])["Instances"][0]["InstanceId"]
    fails("DependencyViolation", ec2.delete_security_group, GroupId=sg)
    assert inst.startswith("i-")


def test_modify_rules_and_descriptions(ec2):
    vpc = new_vpc(ec2)
    sg = ec2.create_security_group(GroupName="a", Description="d", VpcId=vpc)["GroupId"]
    peer = ec2.create_security_group(GroupName="b", Description="d", VpcId=vpc)["GroupId"]
    new = ec2.authorize_security_group_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "192.0.2.1/32"}, {"CidrIp": "192.0.2.2/32"}]}])["SecurityGroupRules"]
    rid = new[0]["SecurityGroupRuleId"]
    ec2.modify_security_group_rules(GroupId=sg, SecurityGroupRules=[{
        "SecurityGroupRuleId": rid, "SecurityGroupRule": {
            "IpProtocol": "tcp", "FromPort": 443, "ToPort": 443, "ReferencedGroupId": peer,
            "Description": "https"}}])
    got = ec2.describe_security_group_rules(SecurityGroupRuleIds=[rid])["SecurityGroupRules"][0]
    assert (got["FromPort"], got["ReferencedGroupInfo"]["GroupId"], got["Description"]) == (
        443, peer, "https")
    fails("InvalidPermission.Duplicate", ec2.modify_security_group_rules, GroupId=sg,
          SecurityGroupRules=[{"SecurityGroupRuleId": rid, "SecurityGroupRule": {
              "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "CidrIpv4": "192.0.2.2/32"}}])
    fails("InvalidSecurityGroupRuleId.NotFound", ec2.modify_security_group_rules, GroupId=sg,
          SecurityGroupRules=[{"SecurityGroupRuleId": "sgr-00000000000000000",
                               "SecurityGroupRule": {"IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}}])
    fails("DryRunOperation", ec2.modify_security_group_rules, GroupId=sg, DryRun=True,
          SecurityGroupRules=[{"SecurityGroupRuleId": rid, "SecurityGroupRule": {
              "IpProtocol": "-1", "CidrIpv4": "0.0.0.0/0"}}])
    # UpdateSecurityGroupRuleDescriptionsIngress, by properties and by ID.
    ec2.update_security_group_rule_descriptions_ingress(GroupId=sg, IpPermissions=[
        {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
         "IpRanges": [{"CidrIp": "192.0.2.2/32", "Description": "second"}]}])
    r2 = new[1]["SecurityGroupRuleId"]
    assert ec2.describe_security_group_rules(SecurityGroupRuleIds=[r2])[
        "SecurityGroupRules"][0]["Description"] == "second"
    ec2.update_security_group_rule_descriptions_ingress(
        GroupId=sg, SecurityGroupRuleDescriptions=[{"SecurityGroupRuleId": r2,
                                                    "Description": "again"}])
    assert ec2.describe_security_group_rules(SecurityGroupRuleIds=[r2])[
        "SecurityGroupRules"][0]["Description"] == "again"


def test_aws_cli_flat_forms(daemon):
    aws = daemon.aws
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")["Vpc"]["VpcId"]
    sg = aws("ec2", "create-security-group", "--group-name", "cli", "--description", "d",
             "--vpc-id", vpc)["GroupId"]
    src = aws("ec2", "create-security-group", "--group-name", "src", "--description", "d",
              "--vpc-id", vpc)["GroupId"]
    r = aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp",
            "--port", "22", "--cidr", "192.0.2.1/32")
    assert r["Return"] is True and r["SecurityGroupRules"][0]["CidrIpv4"] == "192.0.2.1/32"
    r = aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "tcp",
            "--port", "8000-8080", "--source-group", src)
    assert r["SecurityGroupRules"][0]["ReferencedGroupInfo"]["GroupId"] == src
    # The source group by name (in the group's VPC) and the undocumented flat parameters.
    aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol", "udp",
        "--port", "53", "--source-group", "src")
    aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--ip-protocol", "icmp",
        "--from-port", "8", "--to-port", "-1", "--cidr-ip", "10.0.0.0/8")
    perms = aws("ec2", "describe-security-groups", "--group-ids", sg)["SecurityGroups"][0][
        "IpPermissions"]
    assert [(p["IpProtocol"], p["FromPort"], p["ToPort"]) for p in perms] == [
        ("tcp", 22, 22), ("tcp", 8000, 8080), ("udp", 53, 53), ("icmp", 8, -1)]
    rc, _, err = aws("ec2", "authorize-security-group-ingress", "--group-id", sg, "--protocol",
                     "tcp", "--port", "22", "--cidr", "192.0.2.1/32", check=False)
    assert rc != 0 and "InvalidPermission.Duplicate" in err and '"peer: 192.0.2.1/32, TCP' in err
    r = aws("ec2", "authorize-security-group-egress", "--group-id", sg, "--protocol", "tcp",
            "--port", "443", "--cidr", "198.51.100.0/24")
    assert r["SecurityGroupRules"][0]["IsEgress"] is True
    aws("ec2", "revoke-security-group-egress", "--group-id", sg, "--protocol", "tcp",
        "--port", "443", "--cidr", "198.51.100.0/24")
    aws("ec2", "revoke-security-group-ingress", "--group-id", sg, "--protocol", "tcp",
        "--port", "22", "--cidr", "192.0.2.1/32")
    rules = aws("ec2", "describe-security-group-rules", "--filters",
                f"Name=group-id,Values={sg}")["SecurityGroupRules"]
    ids = [x["SecurityGroupRuleId"] for x in rules if not x["IsEgress"]]
    assert len(ids) == 3
    aws("ec2", "revoke-security-group-ingress", "--group-id", sg,
        "--security-group-rule-ids", *ids)
    assert aws("ec2", "describe-security-groups", "--group-ids", sg)["SecurityGroups"][0][
        "IpPermissions"] == []
    aws("ec2", "delete-security-group", "--group-id", sg)


def test_flat_source_group_name_grants_icmp_tcp_udp(ec2):
    sg = ec2.create_security_group(GroupName="a", Description="d")["GroupId"]
    src = ec2.create_security_group(GroupName="src", Description="d")["GroupId"]
    r = ec2.authorize_security_group_ingress(GroupName="a", SourceSecurityGroupName="src")
    got = [(x["IpProtocol"], x["FromPort"], x["ToPort"], x["ReferencedGroupInfo"]["GroupId"])
           for x in r["SecurityGroupRules"]]
    assert got == [("icmp", -1, -1, src), ("tcp", 0, 65535, src), ("udp", 0, 65535, src)]
    fails("InvalidParameterCombination", ec2.authorize_security_group_ingress, GroupId=sg,
          CidrIp="1.2.3.4/32", SourceSecurityGroupName="src", IpProtocol="tcp")
    fails("InvalidParameterCombination", ec2.authorize_security_group_ingress, GroupId=sg,
          CidrIp="1.2.3.4/32", IpProtocol="tcp", FromPort=1, ToPort=1,
          IpPermissions=[{"IpProtocol": "-1", "IpRanges": [{"CidrIp": "1.0.0.0/8"}]}])


def test_seed_groups(daemon, ec2):
    """Seed 000: NAT SG, Bastion Security Group, Internal Instance, as the aws CLI builds them."""
    aws = daemon.aws
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.0.0.0/16")["Vpc"]["VpcId"]

    def create(name, desc):
        return aws("ec2", "create-security-group", "--group-name", name, "--description", desc,
                   "--vpc-id", vpc)["GroupId"]

    nat = create("NAT SG", "Security for the NAT server instance")
    bastion = create("Bastion Security Group", "Security for the bastion server instance")
    internal = create("Internal Instance", "Security group for private instances")
    aws("ec2", "authorize-security-group-ingress", "--group-id", nat, "--protocol", "all",
        "--cidr", "10.0.1.0/24")
    aws("ec2", "authorize-security-group-ingress", "--group-id", bastion, "--protocol", "tcp",
        "--port", "22", "--cidr", "192.0.2.1/32")
    aws("ec2", "authorize-security-group-ingress", "--group-id", internal, "--protocol", "tcp",
        "--port", "22", "--source-group", bastion)
    gs = {g["GroupName"]: g for g in ec2.describe_security_groups(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["SecurityGroups"]}
    assert set(gs) == {"default", "NAT SG", "Bastion Security Group", "Internal Instance"}
    assert gs["NAT SG"]["IpPermissions"] == [{
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "10.0.1.0/24"}], "Ipv6Ranges": [],
        "PrefixListIds": [], "UserIdGroupPairs": []}]
    assert gs["Bastion Security Group"]["IpPermissions"] == [{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22,
        "IpRanges": [{"CidrIp": "192.0.2.1/32"}], "Ipv6Ranges": [], "PrefixListIds": [],
        "UserIdGroupPairs": []}]
    assert gs["Internal Instance"]["IpPermissions"] == [{
        "IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [], "Ipv6Ranges": [],
        "PrefixListIds": [], "UserIdGroupPairs": [{"GroupId": bastion, "UserId": ACCOUNT}]}]
    for g in gs.values():
        assert g["IpPermissionsEgress"] == [ALL_OUT]
    fails("DependencyViolation", ec2.delete_security_group, GroupId=bastion)


def raw_call(daemon, body):
    """A signed POST with a hand-made body; returns (status, XML text)."""
    import urllib.error
    import urllib.request
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    body = "Version=2016-11-15&" + body
    req = AWSRequest(method="POST", url=daemon.url + "/", data=body,
                     headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"})
    SigV4Auth(Credentials("test", "test"), "ec2", "us-east-1").add_auth(req)
    p = req.prepare()
    try:
        with urllib.request.urlopen(urllib.request.Request(
                p.url, data=body.encode(), headers=dict(p.headers), method="POST")) as resp:
            return resp.status, resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def test_hostile_input(daemon, ec2):
    """Odd and oversized rule input is refused with a 4xx, never a crash."""
    sg = ec2.create_security_group(GroupName="a", Description="d")["GroupId"]
    bodies = [
        f"Action=AuthorizeSecurityGroupIngress&GroupId={sg}&IpPermissions.1000.IpProtocol=tcp",
        f"Action=AuthorizeSecurityGroupIngress&GroupId={sg}&IpPermissions.1.IpProtocol=tcp"
        "&IpPermissions.1.FromPort=99999999999999999999&IpPermissions.1.ToPort=1"
        "&IpPermissions.1.IpRanges.1.CidrIp=1.2.3.4/32",
        f"Action=AuthorizeSecurityGroupIngress&GroupId={sg}&IpPermissions.1.IpProtocol=tcp"
        "&IpPermissions.1.FromPort=1&IpPermissions.1.ToPort=1&IpPermissions.1.IpRanges.1.Bogus=x",
        f"Action=AuthorizeSecurityGroupIngress&GroupId={sg}&IpPermissions.1.IpProtocol=udp"
        "&IpPermissions.1.FromPort=1&IpPermissions.1.ToPort=1"
        "&IpPermissions.1.Groups.1.GroupId=sg-" + "f" * 300,
        f"Action=ModifySecurityGroupRules&GroupId={sg}&SecurityGroupRule.1.SecurityGroupRuleId=x",
        f"Action=RevokeSecurityGroupIngress&GroupId={sg}&SecurityGroupRuleId.1=",
        "Action=DeleteSecurityGroup",
        f"Action=AuthorizeSecurityGroupEgress&GroupName=a&IpProtocol=-1&CidrIp=0.0.0.0/0",
    ]
    for body in bodies:
        status, xml = raw_call(daemon, body)
        assert 400 <= status < 500, (body, status, xml)
        assert "<Code>" in xml
    assert ec2.describe_security_groups(GroupIds=[sg])["SecurityGroups"][0]["IpPermissions"] == []


def test_create_response_xml(daemon, ec2):
    """The raw answer carries securityGroupArn (newer AWS), which older botocore drops."""
    status, xml = raw_call(daemon, "Action=CreateSecurityGroup&GroupName=x&GroupDescription=d")
    assert status == 200 and "<groupId>sg-" in xml
    assert f"<securityGroupArn>arn:aws:ec2:us-east-1:{ACCOUNT}:security-group/sg-" in xml
