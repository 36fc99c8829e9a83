# SPDX-License-Identifier: MIT
"""Network ACLs through the API (spec §8, NACL-1..19): the default and custom
ACLs, entries and their AWS error codes, subnet associations, DeleteVpc,
DescribeNetworkAcls filters and pages, DryRun, and the aws CLI."""
import urllib.parse

import boto3
import botocore.config
import pytest
from botocore.exceptions import ClientError

from conftest import error_code, http_status

MISSING_ACL = "acl-00000000000000000"
STAR_IN = {"RuleNumber": 32767, "Protocol": "-1", "RuleAction": "deny", "Egress": False,
           "CidrBlock": "0.0.0.0/0"}
STAR_OUT = dict(STAR_IN, Egress=True)
ALLOW_IN = {"RuleNumber": 100, "Protocol": "-1", "RuleAction": "allow", "Egress": False,
            "CidrBlock": "0.0.0.0/0"}
ALLOW_OUT = dict(ALLOW_IN, Egress=True)


def raises(code, fn, *args, **kwargs):
    with pytest.raises(ClientError) as e:
        fn(*args, **kwargs)
    assert error_code(e) == code, e.value.response["Error"]
    return e


def raw_client(daemon):
    """A client that skips botocore's own parameter checks."""
    return boto3.client("ec2", endpoint_url=daemon.url, region_name="us-east-1",
                        aws_access_key_id="test", aws_secret_access_key="test",
                        config=botocore.config.Config(parameter_validation=False,
                                                      retries={"max_attempts": 0}))


def with_params(ec2, operation, extra):
    """Adds query parameters Debian's botocore does not model (CreateNetworkAcl's
    ClientToken) to the next requests of one operation."""
    def add(request, **kwargs):
        if isinstance(request.data, dict):
            request.data.update(extra)
        else:
            request.data += "&" + urllib.parse.urlencode(extra)
    ec2.meta.events.register_first(f"before-sign.ec2.{operation}", add)


def acl(ec2, acl_id):
    return ec2.describe_network_acls(NetworkAclIds=[acl_id])["NetworkAcls"][0]


def default_acl(ec2, vpc):
    [a] = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]},
                                             {"Name": "default", "Values": ["true"]}])["NetworkAcls"]
    return a


def acl_of_subnet(ec2, subnet):
    [a] = ec2.describe_network_acls(Filters=[
        {"Name": "association.subnet-id", "Values": [subnet]}])["NetworkAcls"]
    [assoc] = [x for x in a["Associations"] if x["SubnetId"] == subnet]
    return a, assoc


def entries(ec2, acl_id):
    return acl(ec2, acl_id)["Entries"]


def keys(es):
    return [(e["Egress"], e["RuleNumber"]) for e in es]


def entry(ec2, acl_id, **kwargs):
    args = dict(NetworkAclId=acl_id, Egress=False, Protocol="-1", RuleAction="allow",
                CidrBlock="0.0.0.0/0")
    args.update(kwargs)
    return ec2.create_network_acl_entry(**args)


# The default ACL (NACL-8, NACL-10)

def test_new_vpc_has_a_default_acl(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    [a] = ec2.describe_network_acls(Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]
    assert a["NetworkAclId"].startswith("acl-") and a["VpcId"] == vpc
    assert a["IsDefault"] is True
    assert a["OwnerId"] == "123456789012"
    assert a["Associations"] == [] and a["Tags"] == []
    # Outbound first, each list ending with its `*` rule (NACL-3).
    assert a["Entries"] == [ALLOW_OUT, STAR_OUT, ALLOW_IN, STAR_IN]


def test_subnet_is_associated_with_the_default_acl(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    s1 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.1.0/24")["Subnet"]["SubnetId"]
    s2 = ec2.create_subnet(VpcId=vpc, CidrBlock="10.1.2.0/24")["Subnet"]["SubnetId"]
    a = default_acl(ec2, vpc)
    assert sorted(x["SubnetId"] for x in a["Associations"]) == sorted([s1, s2])
    for x in a["Associations"]:
        assert x["NetworkAclAssociationId"].startswith("aclassoc-")
        assert x["NetworkAclId"] == a["NetworkAclId"]
    # DeleteSubnet takes its association with it.
    ec2.delete_subnet(SubnetId=s1)
    assert [x["SubnetId"] for x in default_acl(ec2, vpc)["Associations"]] == [s2]


def test_default_vpc_acl(ec2):
    [vpc] = ec2.describe_vpcs(Filters=[{"Name": "is-default", "Values": ["true"]}])["Vpcs"]
    subnets = {s["SubnetId"] for s in ec2.describe_subnets(
        Filters=[{"Name": "vpc-id", "Values": [vpc["VpcId"]]}])["Subnets"]}
    assert len(subnets) >= 2
    acls = ec2.describe_network_acls()["NetworkAcls"]
    assert len(acls) == 1
    a = acls[0]
    assert a["VpcId"] == vpc["VpcId"] and a["IsDefault"] is True
    assert a["Entries"] == [ALLOW_OUT, STAR_OUT, ALLOW_IN, STAR_IN]
    assert {x["SubnetId"] for x in a["Associations"]} == subnets


def test_default_acl_cannot_be_deleted(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
    a = default_acl(ec2, vpc)
    raises("InvalidParameterValue", ec2.delete_network_acl, NetworkAclId=a["NetworkAclId"])
    # Its entries may be edited like any other's.
    ec2.delete_network_acl_entry(NetworkAclId=a["NetworkAclId"], RuleNumber=100, Egress=True)
    assert entries(ec2, a["NetworkAclId"]) == [STAR_OUT, ALLOW_IN, STAR_IN]


# Custom ACLs (NACL-9, NACL-12, NACL-18)

def test_custom_acl_denies_all(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc, TagSpecifications=[
        {"ResourceType": "network-acl", "Tags": [{"Key": "Name", "Value": "web"}]}])["NetworkAcl"]
    assert a["NetworkAclId"].startswith("acl-") and a["VpcId"] == vpc
    assert a["IsDefault"] is False
    assert a["Entries"] == [STAR_OUT, STAR_IN]
    assert a["Associations"] == []
    assert a["Tags"] == [{"Key": "Name", "Value": "web"}]
    assert a["OwnerId"] == "123456789012"
    assert acl(ec2, a["NetworkAclId"]) == a


def test_create_tags_on_an_acl(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    ec2.create_tags(Resources=[a], Tags=[{"Key": "tier", "Value": "1"}])
    assert acl(ec2, a)["Tags"] == [{"Key": "tier", "Value": "1"}]


def test_create_network_acl_errors(ec2):
    raises("InvalidVpcID.NotFound", ec2.create_network_acl, VpcId="vpc-00000000000000000")
    raises("InvalidVpcID.Malformed", ec2.create_network_acl, VpcId="subnet-0123")
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    raises("InvalidParameterValue", ec2.create_network_acl, VpcId=vpc, TagSpecifications=[
        {"ResourceType": "vpc", "Tags": [{"Key": "a", "Value": "b"}]}])


def test_create_network_acl_client_token(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    other = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    with_params(ec2, "CreateNetworkAcl", {"ClientToken": "tok-1"})
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    b = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    assert a == b
    assert len(ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"]) == 2
    raises("IdempotentParameterMismatch", ec2.create_network_acl, VpcId=other)


def test_delete_network_acl(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    _, assoc = acl_of_subnet(ec2, sn)
    new = ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                              NetworkAclId=a)["NewAssociationId"]
    raises("DependencyViolation", ec2.delete_network_acl, NetworkAclId=a)
    ec2.replace_network_acl_association(AssociationId=new,
                                        NetworkAclId=default_acl(ec2, vpc)["NetworkAclId"])
    ec2.delete_network_acl(NetworkAclId=a)
    raises("InvalidNetworkAclID.NotFound", ec2.describe_network_acls, NetworkAclIds=[a])
    raises("InvalidNetworkAclID.NotFound", ec2.delete_network_acl, NetworkAclId=a)
    raises("InvalidNetworkAclId.Malformed", ec2.delete_network_acl, NetworkAclId="rtb-0123")


def test_network_acl_quota(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    for _ in range(199):  # + the default one = 200
        ec2.create_network_acl(VpcId=vpc)
    raises("NetworkAclLimitExceeded", ec2.create_network_acl, VpcId=vpc)


def test_delete_vpc_with_a_custom_acl(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    raises("DependencyViolation", ec2.delete_vpc, VpcId=vpc)
    ec2.delete_network_acl(NetworkAclId=a)
    ec2.delete_vpc(VpcId=vpc)
    # The default ACL went with the VPC.
    assert ec2.describe_network_acls(
        Filters=[{"Name": "vpc-id", "Values": [vpc]}])["NetworkAcls"] == []


# Entries (NACL-2..7, NACL-18)

def test_entries_create_and_order(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    assert entry(ec2, a, RuleNumber=200, Protocol="6", PortRange={"From": 22, "To": 22},
                 CidrBlock="203.0.113.7/24")["ResponseMetadata"]["HTTPStatusCode"] == 200
    entry(ec2, a, RuleNumber=100, Protocol="udp", PortRange={"From": 53, "To": 53},
          RuleAction="deny")
    entry(ec2, a, RuleNumber=150, Egress=True, Protocol="icmp",
          IcmpTypeCode={"Type": 3, "Code": 4})
    entry(ec2, a, RuleNumber=1, Egress=True, Protocol="47")
    entry(ec2, a, RuleNumber=32766, Protocol="all")
    es = entries(ec2, a)
    assert keys(es) == [(True, 1), (True, 150), (True, 32767),
                        (False, 100), (False, 200), (False, 32766), (False, 32767)]
    by = {(e["Egress"], e["RuleNumber"]): e for e in es}
    # GEN-5: host bits cleared; names become numbers.
    assert by[(False, 200)] == {"RuleNumber": 200, "Protocol": "6", "RuleAction": "allow",
                                "Egress": False, "CidrBlock": "203.0.113.0/24",
                                "PortRange": {"From": 22, "To": 22}}
    assert by[(False, 100)]["Protocol"] == "17" and by[(False, 100)]["RuleAction"] == "deny"
    assert by[(True, 150)] == {"RuleNumber": 150, "Protocol": "1", "RuleAction": "allow",
                               "Egress": True, "CidrBlock": "0.0.0.0/0",
                               "IcmpTypeCode": {"Type": 3, "Code": 4}}
    assert by[(True, 1)]["Protocol"] == "47" and "PortRange" not in by[(True, 1)]
    assert by[(False, 32766)]["Protocol"] == "-1"


def test_entry_errors(daemon, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    entry(ec2, a, RuleNumber=100)
    # NACL-5: the same number in the same direction; the other direction is free.
    raises("NetworkAclEntryAlreadyExists", entry, ec2, a, RuleNumber=100)
    entry(ec2, a, RuleNumber=100, Egress=True)
    # NACL-3
    for n in (0, 32767, 40000, -1):
        raises("InvalidParameterValue", entry, ec2, a, RuleNumber=n)
    raises("InvalidNetworkAclID.NotFound", entry, ec2, MISSING_ACL, RuleNumber=1)
    raises("InvalidNetworkAclId.Malformed", entry, ec2, "sg-0123", RuleNumber=1)
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, Protocol="bogus")
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, Protocol="256")
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, RuleAction="maybe")
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, CidrBlock="10.0.0.0")
    # tcp/udp need a port range, icmp a type and code.
    raises("MissingParameter", entry, ec2, a, RuleNumber=1, Protocol="tcp")
    raises("MissingParameter", entry, ec2, a, RuleNumber=1, Protocol="17")
    raises("MissingParameter", entry, ec2, a, RuleNumber=1, Protocol="icmp")
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, Protocol="tcp",
           PortRange={"From": 80, "To": 22})
    raises("InvalidParameterValue", entry, ec2, a, RuleNumber=1, Protocol="tcp",
           PortRange={"From": 0, "To": 70000})
    raises("UnsupportedOperation", ec2.create_network_acl_entry, NetworkAclId=a, RuleNumber=1,
           Egress=False, Protocol="-1", RuleAction="allow", Ipv6CidrBlock="::/0")
    raw = raw_client(daemon)
    raises("MissingParameter", raw.create_network_acl_entry, NetworkAclId=a, Egress=False,
           Protocol="-1", RuleAction="allow", CidrBlock="0.0.0.0/0")
    raises("MissingParameter", raw.create_network_acl_entry, NetworkAclId=a, RuleNumber=5,
           Egress=False, Protocol="-1", RuleAction="allow")
    # Nothing of the failed calls was stored.
    assert keys(entries(ec2, a)) == [(True, 100), (True, 32767), (False, 100), (False, 32767)]


def test_entry_quota_counts_the_star_rule(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    for n in range(1, 20):
        entry(ec2, a, RuleNumber=n)
    raises("NetworkAclEntryLimitExceeded", entry, ec2, a, RuleNumber=20)
    entry(ec2, a, RuleNumber=20, Egress=True)  # per direction
    es = entries(ec2, a)
    assert len([e for e in es if not e["Egress"]]) == 20


def test_replace_entry(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    entry(ec2, a, RuleNumber=100, Protocol="tcp", PortRange={"From": 22, "To": 22})
    ec2.replace_network_acl_entry(NetworkAclId=a, RuleNumber=100, Egress=False, Protocol="icmp",
                                  RuleAction="deny", CidrBlock="10.0.0.0/8",
                                  IcmpTypeCode={"Type": -1, "Code": -1})
    [e] = [e for e in entries(ec2, a) if e["RuleNumber"] == 100]
    assert e == {"RuleNumber": 100, "Protocol": "1", "RuleAction": "deny", "Egress": False,
                 "CidrBlock": "10.0.0.0/8", "IcmpTypeCode": {"Type": -1, "Code": -1}}
    # NACL-6: replace never creates.
    raises("InvalidNetworkAclEntry.NotFound", ec2.replace_network_acl_entry, NetworkAclId=a,
           RuleNumber=100, Egress=True, Protocol="-1", RuleAction="allow", CidrBlock="0.0.0.0/0")
    raises("InvalidNetworkAclEntry.NotFound", ec2.replace_network_acl_entry, NetworkAclId=a,
           RuleNumber=101, Egress=False, Protocol="-1", RuleAction="allow",
           CidrBlock="0.0.0.0/0")
    raises("InvalidParameterValue", ec2.replace_network_acl_entry, NetworkAclId=a,
           RuleNumber=32767, Egress=False, Protocol="-1", RuleAction="allow",
           CidrBlock="0.0.0.0/0")
    raises("InvalidNetworkAclID.NotFound", ec2.replace_network_acl_entry, NetworkAclId=MISSING_ACL,
           RuleNumber=100, Egress=False, Protocol="-1", RuleAction="allow", CidrBlock="0.0.0.0/0")


def test_delete_entry(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    entry(ec2, a, RuleNumber=100)
    entry(ec2, a, RuleNumber=100, Egress=True)
    ec2.delete_network_acl_entry(NetworkAclId=a, RuleNumber=100, Egress=False)
    assert keys(entries(ec2, a)) == [(True, 100), (True, 32767), (False, 32767)]
    raises("InvalidNetworkAclEntry.NotFound", ec2.delete_network_acl_entry, NetworkAclId=a,
           RuleNumber=100, Egress=False)
    # The `*` rule cannot be removed (NACL-3).
    raises("InvalidParameterValue", ec2.delete_network_acl_entry, NetworkAclId=a,
           RuleNumber=32767, Egress=True)
    raises("InvalidNetworkAclID.NotFound", ec2.delete_network_acl_entry, NetworkAclId=MISSING_ACL,
           RuleNumber=100, Egress=True)


# Associations (NACL-10, NACL-11)

def test_replace_network_acl_association(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    other_sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.2.0/24")["Subnet"]["SubnetId"]
    dflt = default_acl(ec2, vpc)["NetworkAclId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    _, assoc = acl_of_subnet(ec2, sn)
    new = ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                              NetworkAclId=a)["NewAssociationId"]
    assert new.startswith("aclassoc-") and new != assoc["NetworkAclAssociationId"]
    got, got_assoc = acl_of_subnet(ec2, sn)
    assert got["NetworkAclId"] == a
    assert got_assoc == {"NetworkAclAssociationId": new, "NetworkAclId": a, "SubnetId": sn}
    # Exactly one ACL per subnet: the default one no longer lists it.
    assert [x["SubnetId"] for x in acl(ec2, dflt)["Associations"]] == [other_sn]
    # The old association ID is gone.
    raises("InvalidAssociationID.NotFound", ec2.replace_network_acl_association,
           AssociationId=assoc["NetworkAclAssociationId"], NetworkAclId=dflt)
    # Replacing with the same ACL again is allowed.
    again = ec2.replace_network_acl_association(AssociationId=new, NetworkAclId=a)["NewAssociationId"]
    # Back to the default ACL.
    back = ec2.replace_network_acl_association(AssociationId=again,
                                               NetworkAclId=dflt)["NewAssociationId"]
    got, got_assoc = acl_of_subnet(ec2, sn)
    assert got["NetworkAclId"] == dflt and got_assoc["NetworkAclAssociationId"] == back
    assert acl(ec2, a)["Associations"] == []


def test_replace_network_acl_association_errors(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    other_vpc = ec2.create_vpc(CidrBlock="10.3.0.0/16")["Vpc"]["VpcId"]
    foreign = ec2.create_network_acl(VpcId=other_vpc)["NetworkAcl"]["NetworkAclId"]
    _, assoc = acl_of_subnet(ec2, sn)
    aid = assoc["NetworkAclAssociationId"]
    raises("InvalidAssociationID.NotFound", ec2.replace_network_acl_association,
           AssociationId="aclassoc-00000000000000000", NetworkAclId=foreign)
    raises("InvalidAssociationID.NotFound", ec2.replace_network_acl_association,
           AssociationId="rtbassoc-00000000000000000", NetworkAclId=foreign)
    raises("InvalidNetworkAclID.NotFound", ec2.replace_network_acl_association,
           AssociationId=aid, NetworkAclId=MISSING_ACL)
    raises("InvalidNetworkAclId.Malformed", ec2.replace_network_acl_association,
           AssociationId=aid, NetworkAclId="vpc-0123")
    # Another VPC's ACL.
    raises("InvalidParameterValue", ec2.replace_network_acl_association,
           AssociationId=aid, NetworkAclId=foreign)
    assert acl_of_subnet(ec2, sn)[1] == assoc


# DescribeNetworkAcls (NACL-19, API-19..22)

def test_describe_filters(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    dflt = default_acl(ec2, vpc)["NetworkAclId"]
    a = ec2.create_network_acl(VpcId=vpc, TagSpecifications=[
        {"ResourceType": "network-acl", "Tags": [{"Key": "Name", "Value": "web"}]}])["NetworkAcl"]["NetworkAclId"]
    entry(ec2, a, RuleNumber=110, Protocol="tcp", PortRange={"From": 443, "To": 444},
          CidrBlock="198.51.100.0/24", RuleAction="deny")
    entry(ec2, a, RuleNumber=120, Egress=True, Protocol="icmp", IcmpTypeCode={"Type": 8, "Code": 0})
    _, assoc = acl_of_subnet(ec2, sn)
    new = ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                              NetworkAclId=a)["NewAssociationId"]

    def ids(*filters):
        fs = [{"Name": n, "Values": v if isinstance(v, list) else [v]} for n, v in filters]
        fs.append({"Name": "vpc-id", "Values": [vpc]})
        return sorted(x["NetworkAclId"] for x in ec2.describe_network_acls(Filters=fs)["NetworkAcls"])

    both = sorted([dflt, a])
    assert ids() == both
    assert ids(("default", "true")) == [dflt]
    assert ids(("default", "false")) == [a]
    assert ids(("network-acl-id", a)) == [a]
    assert ids(("owner-id", "123456789012")) == both
    assert ids(("association.subnet-id", sn)) == [a]
    assert ids(("association.association-id", new)) == [a]
    assert ids(("association.network-acl-id", a)) == [a]
    assert ids(("entry.cidr", "198.51.100.0/24")) == [a]
    assert ids(("entry.cidr", "0.0.0.0/0")) == both  # the `*` rules count
    assert ids(("entry.rule-number", "110")) == [a]
    assert ids(("entry.rule-number", "32767")) == both
    assert ids(("entry.rule-number", "100")) == [dflt]
    assert ids(("entry.rule-action", "allow")) == both
    assert ids(("entry.rule-action", "deny")) == both
    assert ids(("entry.protocol", "6")) == [a]
    assert ids(("entry.protocol", "tcp")) == [a]
    assert ids(("entry.protocol", "icmp")) == [a]
    assert ids(("entry.protocol", "-1")) == both
    assert ids(("entry.port-range.from", "443")) == [a]
    assert ids(("entry.port-range.to", "444")) == [a]
    assert ids(("entry.port-range.to", "443")) == []
    assert ids(("entry.icmp.type", "8")) == [a]
    assert ids(("entry.icmp.code", "0")) == [a]
    assert ids(("entry.egress", "true")) == both
    assert ids(("entry.ipv6-cidr", "::/0")) == []
    assert ids(("tag:Name", "web")) == [a]
    assert ids(("tag-key", "Name")) == [a]
    assert ids(("tag:Name", "w*")) == [a]
    # Filters are AND'd, values OR'd.
    assert ids(("default", "true"), ("entry.rule-number", "110")) == []
    assert ids(("entry.rule-number", ["100", "110"])) == both
    raises("InvalidParameterValue", ec2.describe_network_acls,
           Filters=[{"Name": "bogus", "Values": ["x"]}])
    raises("InvalidNetworkAclID.NotFound", ec2.describe_network_acls, NetworkAclIds=[a, MISSING_ACL])
    raises("InvalidNetworkAclId.Malformed", ec2.describe_network_acls, NetworkAclIds=["rtb-01"])
    got = ec2.describe_network_acls(NetworkAclIds=[a, dflt])["NetworkAcls"]
    assert [x["NetworkAclId"] for x in got] == [dflt, a]  # creation order


def test_describe_pages(daemon, ec2):
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    for _ in range(6):
        ec2.create_network_acl(VpcId=vpc)
    total = len(ec2.describe_network_acls()["NetworkAcls"])
    assert total == 8  # 6 + this VPC's default + the default VPC's
    raw = raw_client(daemon)
    raises("InvalidParameterValue", raw.describe_network_acls, MaxResults=4)
    raises("InvalidParameterValue", raw.describe_network_acls, MaxResults=1001)
    first = ec2.describe_network_acls(MaxResults=5)
    assert len(first["NetworkAcls"]) == 5 and first["NextToken"]
    second = ec2.describe_network_acls(MaxResults=5, NextToken=first["NextToken"])
    assert len(second["NetworkAcls"]) == 3 and "NextToken" not in second
    seen = [x["NetworkAclId"] for x in first["NetworkAcls"] + second["NetworkAcls"]]
    assert len(set(seen)) == 8
    pages = ec2.get_paginator("describe_network_acls").paginate(PaginationConfig={"PageSize": 5})
    assert sum(len(p["NetworkAcls"]) for p in pages) == 8
    raises("InvalidNextToken", ec2.describe_network_acls, MaxResults=5, NextToken="garbage")


# DryRun (API-16)

def test_dry_run_changes_nothing(ec2):
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    entry(ec2, a, RuleNumber=100)
    _, assoc = acl_of_subnet(ec2, sn)
    before = ec2.describe_network_acls()["NetworkAcls"]

    def dry(fn, **kwargs):
        e = raises("DryRunOperation", fn, DryRun=True, **kwargs)
        assert http_status(e) == 412

    dry(ec2.create_network_acl, VpcId=vpc)
    dry(ec2.create_network_acl_entry, NetworkAclId=a, RuleNumber=101, Egress=False, Protocol="-1",
        RuleAction="allow", CidrBlock="0.0.0.0/0")
    dry(ec2.replace_network_acl_entry, NetworkAclId=a, RuleNumber=100, Egress=False, Protocol="-1",
        RuleAction="deny", CidrBlock="0.0.0.0/0")
    dry(ec2.delete_network_acl_entry, NetworkAclId=a, RuleNumber=100, Egress=False)
    dry(ec2.replace_network_acl_association, AssociationId=assoc["NetworkAclAssociationId"],
        NetworkAclId=a)
    dry(ec2.delete_network_acl, NetworkAclId=a)
    dry(ec2.describe_network_acls)
    assert ec2.describe_network_acls()["NetworkAcls"] == before
    # Validation comes first.
    raises("InvalidNetworkAclID.NotFound", ec2.delete_network_acl, NetworkAclId=MISSING_ACL,
           DryRun=True)
    raises("NetworkAclEntryAlreadyExists", ec2.create_network_acl_entry, NetworkAclId=a,
           RuleNumber=100, Egress=False, Protocol="-1", RuleAction="allow",
           CidrBlock="0.0.0.0/0", DryRun=True)


# The aws CLI

def test_network_acls_through_the_cli(daemon):
    aws = daemon.aws
    vpc = aws("ec2", "create-vpc", "--cidr-block", "10.8.0.0/16")["Vpc"]["VpcId"]
    sn = aws("ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.8.1.0/24")["Subnet"]["SubnetId"]
    a = aws("ec2", "create-network-acl", "--vpc-id", vpc)["NetworkAcl"]["NetworkAclId"]
    aws("ec2", "create-network-acl-entry", "--network-acl-id", a, "--ingress", "--rule-number", "100",
        "--protocol", "tcp", "--port-range", "From=22,To=22", "--cidr-block", "0.0.0.0/0",
        "--rule-action", "allow")
    aws("ec2", "create-network-acl-entry", "--network-acl-id", a, "--egress", "--rule-number", "100",
        "--protocol", "icmp", "--icmp-type-code", "Type=-1,Code=-1", "--cidr-block", "0.0.0.0/0",
        "--rule-action", "allow")
    got = aws("ec2", "describe-network-acls", "--network-acl-ids", a,
              "--query", "NetworkAcls[0].Entries[].[Egress,RuleNumber,Protocol,RuleAction]")
    assert got == [[True, 100, "1", "allow"], [True, 32767, "-1", "deny"],
                   [False, 100, "6", "allow"], [False, 32767, "-1", "deny"]]
    port = aws("ec2", "describe-network-acls", "--network-acl-ids", a,
               "--query", "NetworkAcls[0].Entries[?RuleNumber==`100` && !Egress].PortRange | [0]")
    assert port == {"From": 22, "To": 22}
    rc, _, err = aws("ec2", "create-network-acl-entry", "--network-acl-id", a, "--ingress",
                     "--rule-number", "100", "--protocol", "-1", "--cidr-block", "0.0.0.0/0",
                     "--rule-action", "deny", check=False)
    assert rc != 0 and "NetworkAclEntryAlreadyExists" in err
    aws("ec2", "replace-network-acl-entry", "--network-acl-id", a, "--ingress", "--rule-number",
        "100", "--protocol", "udp", "--port-range", "From=53,To=53", "--cidr-block", "10.0.0.0/8",
        "--rule-action", "deny")
    assoc = aws("ec2", "describe-network-acls", "--filters", f"Name=association.subnet-id,Values={sn}",
                "--query", "NetworkAcls[0].Associations[0].NetworkAclAssociationId")
    new = aws("ec2", "replace-network-acl-association", "--association-id", assoc,
              "--network-acl-id", a)["NewAssociationId"]
    assert new.startswith("aclassoc-")
    rc, _, err = aws("ec2", "delete-network-acl", "--network-acl-id", a, check=False)
    assert rc != 0 and "DependencyViolation" in err
    dflt = aws("ec2", "describe-network-acls", "--filters", f"Name=vpc-id,Values={vpc}",
               "Name=default,Values=true", "--query", "NetworkAcls[0].NetworkAclId")
    aws("ec2", "replace-network-acl-association", "--association-id", new, "--network-acl-id", dflt)
    aws("ec2", "delete-network-acl-entry", "--network-acl-id", a, "--ingress", "--rule-number", "100")
    aws("ec2", "delete-network-acl", "--network-acl-id", a)
    rc, _, err = aws("ec2", "describe-network-acls", "--network-acl-ids", a, check=False)
    assert rc != 0 and "InvalidNetworkAclID.NotFound" in err


def test_icmp_type_code_member_spelling(daemon, ec2):
    """botocore sends IcmpTypeCode as Icmp.Type/Icmp.Code (its locationName);
    the model's member name IcmpTypeCode.Type/Code is taken as well."""
    vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
    other = daemon.client()
    with_params(other, "CreateNetworkAclEntry", {"IcmpTypeCode.Type": "0", "IcmpTypeCode.Code": "-1"})
    other.create_network_acl_entry(NetworkAclId=a, RuleNumber=7, Egress=False, Protocol="1",
                                   RuleAction="allow", CidrBlock="0.0.0.0/0")
    [e] = [e for e in entries(ec2, a) if e["RuleNumber"] == 7]
    assert e["IcmpTypeCode"] == {"Type": 0, "Code": -1}


def test_acls_survive_a_restart(state_dir):
    from conftest import Daemon
    d = Daemon(state_dir).start()
    try:
        ec2 = d.client()
        vpc = ec2.create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
        sn = ec2.create_subnet(VpcId=vpc, CidrBlock="10.2.1.0/24")["Subnet"]["SubnetId"]
        a = ec2.create_network_acl(VpcId=vpc)["NetworkAcl"]["NetworkAclId"]
        entry(ec2, a, RuleNumber=10, Protocol="tcp", PortRange={"From": 80, "To": 80})
        _, assoc = acl_of_subnet(ec2, sn)
        ec2.replace_network_acl_association(AssociationId=assoc["NetworkAclAssociationId"],
                                            NetworkAclId=a)
        before = ec2.describe_network_acls()["NetworkAcls"]
        assert d.stop() == 0
        d.start()
        assert d.client().describe_network_acls()["NetworkAcls"] == before
    finally:
        assert d.stop() == 0
