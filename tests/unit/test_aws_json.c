// SPDX-License-Identifier: MIT
/* import/aws_json: the aws CLI's describe-… JSON mapped onto struct
 * snapshot field by field — security-group permissions (IpRanges,
 * UserIdGroupPairs, PrefixListIds, port ranges, protocol "-1"), ACL
 * entries (egress and ingress, the `*` rules, IPv6 ones skipped), an
 * instance with several ENIs, routes to a NAT instance and a blackhole,
 * NAT gateways (a deleted one has no interface) — and the errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "import/aws_json.h"
#include "model/snapshot.h"
#include "util/arena.h"
#include "util/cidr.h"

static const char VPCS[] =
	"{\"Vpcs\": [{\"CidrBlock\": \"10.0.0.0/16\", \"DhcpOptionsId\": \"dopt-1\","
	" \"State\": \"available\", \"VpcId\": \"vpc-1\", \"OwnerId\": \"111122223333\","
	" \"InstanceTenancy\": \"default\", \"Ipv6CidrBlockAssociationSet\": [],"
	" \"CidrBlockAssociationSet\": ["
	"  {\"AssociationId\": \"vpc-cidr-assoc-1\", \"CidrBlock\": \"10.0.0.0/16\","
	"   \"CidrBlockState\": {\"State\": \"associated\"}},"
	"  {\"AssociationId\": \"vpc-cidr-assoc-2\", \"CidrBlock\": \"10.9.0.0/16\","
	"   \"CidrBlockState\": {\"State\": \"disassociated\"}}],"
	" \"IsDefault\": false, \"Tags\": [{\"Key\": \"Name\", \"Value\": \"seed\"}]}]}";

static const char SGS[] =
	"{\"SecurityGroups\": [{\"Description\": \"d\", \"GroupName\": \"web\","
	" \"IpPermissions\": ["
	"  {\"FromPort\": 22, \"IpProtocol\": \"tcp\","
	"   \"IpRanges\": [{\"CidrIp\": \"203.0.113.10/32\", \"Description\": \"My IP\"},"
	"                  {\"CidrIp\": \"198.51.100.0/24\"}],"
	"   \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}], \"PrefixListIds\": [], \"ToPort\": 22,"
	"   \"UserIdGroupPairs\": [{\"GroupId\": \"sg-bastion\", \"UserId\": \"111122223333\"}]},"
	"  {\"FromPort\": 8000, \"IpProtocol\": \"tcp\", \"IpRanges\": [], \"ToPort\": 8099,"
	"   \"PrefixListIds\": [{\"PrefixListId\": \"pl-63a5400a\"}], \"UserIdGroupPairs\": []},"
	"  {\"IpProtocol\": \"-1\", \"IpRanges\": [], \"Ipv6Ranges\": [], \"PrefixListIds\": [],"
	"   \"UserIdGroupPairs\": [{\"GroupId\": \"sg-web\", \"UserId\": \"111122223333\"}]},"
	"  {\"FromPort\": 8, \"IpProtocol\": \"icmp\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}],"
	"   \"ToPort\": -1},"
	"  {\"IpProtocol\": \"50\", \"IpRanges\": [{\"CidrIp\": \"10.0.0.0/8\"}]},"
	"  {\"IpProtocol\": \"udp\", \"Ipv6Ranges\": [{\"CidrIpv6\": \"::/0\"}],"
	"   \"FromPort\": 53, \"ToPort\": 53}],"
	" \"OwnerId\": \"111122223333\", \"GroupId\": \"sg-web\","
	" \"IpPermissionsEgress\": [{\"IpProtocol\": \"-1\","
	"   \"IpRanges\": [{\"CidrIp\": \"0.0.0.0/0\"}]}],"
	" \"VpcId\": \"vpc-1\"}]}";

static const char NACLS[] =
	"{\"NetworkAcls\": [{\"Associations\": [{\"NetworkAclAssociationId\": \"aclassoc-1\","
	"   \"NetworkAclId\": \"acl-1\", \"SubnetId\": \"subnet-1\"}],"
	" \"Entries\": ["
	"  {\"CidrBlock\": \"0.0.0.0/0\", \"Egress\": true, \"Protocol\": \"-1\","
	"   \"RuleAction\": \"allow\", \"RuleNumber\": 100},"
	"  {\"CidrBlock\": \"0.0.0.0/0\", \"Egress\": true, \"Protocol\": \"-1\","
	"   \"RuleAction\": \"deny\", \"RuleNumber\": 32767},"
	"  {\"Egress\": true, \"Ipv6CidrBlock\": \"::/0\", \"Protocol\": \"-1\","
	"   \"RuleAction\": \"deny\", \"RuleNumber\": 32768},"
	"  {\"CidrBlock\": \"10.0.0.0/24\", \"Egress\": false, \"PortRange\": {\"From\": 22, \"To\": 22},"
	"   \"Protocol\": \"6\", \"RuleAction\": \"allow\", \"RuleNumber\": 110},"
	"  {\"CidrBlock\": \"10.0.0.0/24\", \"Egress\": false,"
	"   \"PortRange\": {\"From\": 8080, \"To\": 8080},"
	"   \"Protocol\": \"6\", \"RuleAction\": \"deny\", \"RuleNumber\": 105},"
	"  {\"CidrBlock\": \"10.0.0.0/16\", \"Egress\": false, \"IcmpTypeCode\": {\"Code\": -1,"
	"   \"Type\": 8}, \"Protocol\": \"1\", \"RuleAction\": \"allow\", \"RuleNumber\": 120},"
	"  {\"CidrBlock\": \"0.0.0.0/0\", \"Egress\": false, \"Protocol\": \"-1\","
	"   \"RuleAction\": \"deny\", \"RuleNumber\": 32767}],"
	" \"IsDefault\": false, \"NetworkAclId\": \"acl-1\", \"Tags\": [], \"VpcId\": \"vpc-1\","
	" \"OwnerId\": \"111122223333\"}]}";

/* An instance with two interfaces, listed in reverse device order. */
static const char INSTANCES[] =
	"{\"Reservations\": [{\"Groups\": [], \"Instances\": [{\"AmiLaunchIndex\": 0,"
	" \"ImageId\": \"ami-1\", \"InstanceId\": \"i-nat\", \"InstanceType\": \"t3.micro\","
	" \"KeyName\": \"NatKeyPair\", \"Placement\": {\"AvailabilityZone\": \"us-east-1a\"},"
	" \"PrivateIpAddress\": \"10.0.0.20\", \"PublicIpAddress\": \"198.18.0.20\","
	" \"State\": {\"Code\": 16, \"Name\": \"running\"}, \"SubnetId\": \"subnet-1\","
	" \"VpcId\": \"vpc-1\", \"NetworkInterfaces\": ["
	"  {\"Attachment\": {\"AttachmentId\": \"eni-attach-2\", \"DeleteOnTermination\": false,"
	"    \"DeviceIndex\": 1, \"Status\": \"attached\", \"NetworkCardIndex\": 0},"
	"   \"Groups\": [{\"GroupName\": \"web\", \"GroupId\": \"sg-web\"}],"
	"   \"MacAddress\": \"0a:00:00:00:00:02\", \"NetworkInterfaceId\": \"eni-second\","
	"   \"PrivateIpAddress\": \"10.0.1.20\", \"SourceDestCheck\": true,"
	"   \"SubnetId\": \"subnet-2\", \"VpcId\": \"vpc-1\", \"InterfaceType\": \"interface\"},"
	"  {\"Association\": {\"IpOwnerId\": \"amazon\", \"PublicIp\": \"198.18.0.20\"},"
	"   \"Attachment\": {\"AttachmentId\": \"eni-attach-1\", \"DeleteOnTermination\": true,"
	"    \"DeviceIndex\": 0, \"Status\": \"attached\", \"NetworkCardIndex\": 0},"
	"   \"Groups\": [{\"GroupName\": \"web\", \"GroupId\": \"sg-web\"},"
	"              {\"GroupName\": \"default\", \"GroupId\": \"sg-default\"}],"
	"   \"MacAddress\": \"0a:00:00:00:00:01\", \"NetworkInterfaceId\": \"eni-primary\","
	"   \"PrivateIpAddress\": \"10.0.0.20\", \"SourceDestCheck\": false,"
	"   \"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\", \"InterfaceType\": \"interface\"}],"
	" \"SecurityGroups\": [{\"GroupName\": \"web\", \"GroupId\": \"sg-web\"}],"
	" \"SourceDestCheck\": false, \"Tags\": [{\"Key\": \"Name\", \"Value\": \"NAT\"}]}],"
	" \"OwnerId\": \"111122223333\", \"ReservationId\": \"r-1\"}]}";

static const char RTBS[] =
	"{\"RouteTables\": [{\"Associations\": [{\"Main\": false,"
	"   \"RouteTableAssociationId\": \"rtbassoc-1\", \"RouteTableId\": \"rtb-1\","
	"   \"SubnetId\": \"subnet-2\", \"AssociationState\": {\"State\": \"associated\"}},"
	"  {\"Main\": false, \"RouteTableAssociationId\": \"rtbassoc-old\","
	"   \"RouteTableId\": \"rtb-1\", \"SubnetId\": \"subnet-9\","
	"   \"AssociationState\": {\"State\": \"disassociated\"}}],"
	" \"PropagatingVgws\": [], \"RouteTableId\": \"rtb-1\", \"Routes\": ["
	"  {\"DestinationCidrBlock\": \"10.0.0.0/16\", \"GatewayId\": \"local\","
	"   \"Origin\": \"CreateRouteTable\", \"State\": \"active\"},"
	"  {\"DestinationCidrBlock\": \"0.0.0.0/0\", \"InstanceId\": \"i-nat\","
	"   \"InstanceOwnerId\": \"111122223333\", \"NetworkInterfaceId\": \"eni-primary\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
	"  {\"DestinationCidrBlock\": \"192.0.2.0/24\", \"NetworkInterfaceId\": \"eni-second\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
	"  {\"DestinationCidrBlock\": \"172.16.0.0/12\", \"NatGatewayId\": \"nat-gone\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"blackhole\"},"
	"  {\"DestinationCidrBlock\": \"100.64.0.0/10\", \"TransitGatewayId\": \"tgw-1\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
	"  {\"DestinationIpv6CidrBlock\": \"::/0\", \"EgressOnlyInternetGatewayId\": \"eigw-1\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"active\"},"
	"  {\"DestinationPrefixListId\": \"pl-63a5400a\", \"GatewayId\": \"vpce-1\","
	"   \"Origin\": \"CreateRoute\", \"State\": \"active\"}],"
	" \"Tags\": [], \"VpcId\": \"vpc-1\", \"OwnerId\": \"111122223333\"}]}";

static const char NATGWS[] =
	"{\"NatGateways\": [{\"NatGatewayAddresses\": [{\"AllocationId\": \"eipalloc-1\","
	"   \"NetworkInterfaceId\": \"eni-ngw\", \"PrivateIp\": \"10.0.0.99\","
	"   \"PublicIp\": \"198.18.0.30\"}], \"NatGatewayId\": \"nat-1\", \"State\": \"available\","
	"  \"SubnetId\": \"subnet-1\", \"VpcId\": \"vpc-1\", \"ConnectivityType\": \"public\"},"
	" {\"NatGatewayAddresses\": [{\"AllocationId\": \"eipalloc-2\","
	"   \"NetworkInterfaceId\": \"eni-ngw-gone\", \"PrivateIp\": \"10.0.1.20\","
	"   \"PublicIp\": \"198.18.0.31\"}], \"NatGatewayId\": \"nat-gone\", \"State\": \"deleted\","
	"  \"SubnetId\": \"subnet-2\", \"VpcId\": \"vpc-1\", \"ConnectivityType\": \"public\"}]}";

struct run {
	struct arena *a;
	struct snapshot s;
	char err[512];
	int r;
};

static void run(struct run *x, const char *const docs[AWS_JSON_KINDS])
{
	struct aws_json_input in;
	memset(&in, 0, sizeof(in));
	for (int k = 0; k < AWS_JSON_KINDS; k++) {
		in.text[k] = docs[k];
		in.len[k] = docs[k] ? strlen(docs[k]) : 0;
	}
	x->a = arena_new();
	memset(&x->s, 0, sizeof(x->s));
	x->r = import_aws_json_buffers(&in, x->a, &x->s, x->err, sizeof(x->err));
}

static const struct sg_rule *rule(const struct security_group *g, size_t i)
{
	assert_true(i < g->n_rules);
	return &g->rules[i];
}

static void test_sg_permissions(void **state)
{
	(void)state;
	const char *docs[AWS_JSON_KINDS] = { [AWS_JSON_VPCS] = VPCS,
					     [AWS_JSON_SECURITY_GROUPS] = SGS };
	struct run x;
	run(&x, docs);
	assert_int_equal(x.r, 0);
	assert_int_equal(x.s.n_sgs, 1);
	const struct security_group *g = &x.s.sgs[0];
	assert_string_equal(g->head.id, "sg-web");
	assert_string_equal(g->name, "web");
	assert_string_equal(g->vpc_id, "vpc-1");
	/* One rule per peer: 2 ranges + 1 group; 1 prefix list; 1 group;
	 * icmp; proto 50; the IPv6-only udp permission adds none; egress. */
	assert_int_equal(g->n_rules, 8);
	char ip[IP4_STR_MAX];
	const struct sg_rule *r = rule(g, 0);
	assert_false(r->is_egress);
	assert_int_equal(r->protocol, 6);
	assert_int_equal(r->from_port, 22);
	assert_int_equal(r->to_port, 22);
	assert_int_equal(r->peer, SG_PEER_CIDR);
	assert_string_equal(ip4_format(r->cidr.addr, ip), "203.0.113.10");
	assert_int_equal(r->cidr.len, 32);
	assert_string_equal(r->description, "My IP");
	assert_string_equal(r->group_id, "sg-web");
	r = rule(g, 1);
	assert_int_equal(r->cidr.len, 24);
	assert_string_equal(r->description, "");
	r = rule(g, 2);
	assert_int_equal(r->peer, SG_PEER_GROUP);
	assert_string_equal(r->ref_group_id, "sg-bastion");
	assert_string_equal(r->ref_user_id, "111122223333");
	assert_int_equal(r->from_port, 22);
	r = rule(g, 3);
	assert_int_equal(r->peer, SG_PEER_PREFIX_LIST);
	assert_string_equal(r->prefix_list_id, "pl-63a5400a");
	assert_int_equal(r->from_port, 8000);
	assert_int_equal(r->to_port, 8099);
	r = rule(g, 4); /* "-1": every protocol, no ports (SG-8) */
	assert_int_equal(r->protocol, SG_PROTO_ALL);
	assert_int_equal(r->from_port, -1);
	assert_int_equal(r->to_port, -1);
	assert_string_equal(r->ref_group_id, "sg-web");
	r = rule(g, 5); /* icmp: type 8, every code */
	assert_int_equal(r->protocol, SG_PROTO_ICMP);
	assert_int_equal(r->from_port, 8);
	assert_int_equal(r->to_port, -1);
	r = rule(g, 6);
	assert_int_equal(r->protocol, 50);
	assert_int_equal(r->from_port, -1);
	r = rule(g, 7);
	assert_true(r->is_egress);
	assert_int_equal(r->protocol, SG_PROTO_ALL);
	assert_int_equal(r->cidr.len, 0);
	arena_free(x.a);
}

static void test_nacl_entries(void **state)
{
	(void)state;
	const char *docs[AWS_JSON_KINDS] = { [AWS_JSON_VPCS] = VPCS,
					     [AWS_JSON_NETWORK_ACLS] = NACLS };
	struct run x;
	run(&x, docs);
	assert_int_equal(x.r, 0);
	assert_int_equal(x.s.n_nacls, 1);
	const struct network_acl *l = &x.s.nacls[0];
	assert_false(l->is_default);
	assert_int_equal(l->n_assocs, 1);
	assert_string_equal(l->assocs[0].subnet_id, "subnet-1");
	/* The `*` rules (32767, IPv6 32768) are the semantics' implicit
	 * deny; the rest sorted ingress first, by number. */
	assert_int_equal(l->n_entries, 4);
	const struct nacl_entry *e = l->entries;
	assert_false(e[0].is_egress);
	assert_int_equal(e[0].rule_number, 105);
	assert_false(e[0].is_allow);
	assert_int_equal(e[0].protocol, 6);
	assert_int_equal(e[0].from_port, 8080);
	assert_int_equal(e[0].to_port, 8080);
	assert_int_equal(e[1].rule_number, 110);
	assert_true(e[1].is_allow);
	assert_int_equal(e[1].cidr.len, 24);
	assert_int_equal(e[2].rule_number, 120);
	assert_int_equal(e[2].protocol, 1);
	assert_int_equal(e[2].icmp_type, 8);
	assert_int_equal(e[2].icmp_code, -1);
	assert_int_equal(e[2].from_port, -1);
	assert_true(e[3].is_egress);
	assert_int_equal(e[3].rule_number, 100);
	assert_int_equal(e[3].protocol, NACL_PROTO_ALL);
	assert_true(e[3].is_allow);
	arena_free(x.a);
}

static void test_instance_with_two_enis_and_routes(void **state)
{
	(void)state;
	const char *docs[AWS_JSON_KINDS] = { [AWS_JSON_VPCS] = VPCS,
					     [AWS_JSON_INSTANCES] = INSTANCES,
					     [AWS_JSON_ROUTE_TABLES] = RTBS,
					     [AWS_JSON_NAT_GATEWAYS] = NATGWS };
	struct run x;
	run(&x, docs);
	assert_int_equal(x.r, 0);
	/* The VPC: the disassociated block does not route. */
	assert_int_equal(x.s.vpcs[0].n_assocs, 2);
	assert_true(x.s.vpcs[0].assocs[0].is_primary);
	assert_int_equal(x.s.vpcs[0].assocs[1].state, CIDR_DISASSOCIATED);
	assert_string_equal(x.s.vpcs[0].head.tags.v[0].value, "seed");

	assert_int_equal(x.s.n_instances, 1);
	const struct instance *in = &x.s.instances[0];
	assert_string_equal(in->head.id, "i-nat");
	assert_string_equal(in->reservation_id, "r-1");
	assert_string_equal(in->az, "us-east-1a");
	assert_string_equal(in->key_name, "NatKeyPair");
	assert_int_equal(in->state, INSTANCE_RUNNING);
	assert_int_equal(in->n_enis, 2);
	/* Sorted by device index: the primary first, whatever the order. */
	assert_string_equal(in->eni->head.id, "eni-primary");
	assert_string_equal(in->enis[1]->head.id, "eni-second");
	assert_int_equal(in->enis[1]->device_index, 1);
	const struct eni *p = in->eni;
	assert_false(p->source_dest_check);
	assert_string_equal(p->instance_id, "i-nat");
	assert_string_equal(p->subnet_id, "subnet-1");
	char ip[IP4_STR_MAX];
	assert_string_equal(ip4_format(p->public_ip, ip), "198.18.0.20");
	assert_string_equal(ip4_format(p->private_ip, ip), "10.0.0.20");
	assert_int_equal(p->n_groups, 2);
	assert_string_equal(p->group_ids[1], "sg-default");
	assert_string_equal(p->mac, "0a:00:00:00:00:01");
	assert_string_equal(p->az, "us-east-1a");
	assert_true(in->enis[1]->source_dest_check);
	assert_int_equal(in->enis[1]->public_ip, 0);

	/* Routes: IPv6 and prefix-list routes left out; the disassociated
	 * association too. */
	const struct route_table *t = &x.s.rtbs[0];
	assert_int_equal(t->n_assocs, 1);
	assert_string_equal(t->assocs[0].subnet_id, "subnet-2");
	assert_int_equal(t->n_routes, 5);
	assert_int_equal(t->routes[0].target, ROUTE_LOCAL);
	assert_string_equal(t->routes[0].origin, ROUTE_ORIGIN_TABLE);
	const struct route *r = &t->routes[1];
	assert_int_equal(r->target, ROUTE_INSTANCE); /* the instance, not its ENI */
	assert_string_equal(r->target_id, "i-nat");
	assert_string_equal(r->eni_id, "eni-primary");
	assert_string_equal(r->origin, ROUTE_ORIGIN_ROUTE);
	assert_false(r->is_blackhole);
	r = &t->routes[2];
	assert_int_equal(r->target, ROUTE_NETWORK_INTERFACE);
	assert_string_equal(r->target_id, "eni-second");
	r = &t->routes[3];
	assert_int_equal(r->target, ROUTE_NAT_GATEWAY);
	assert_string_equal(r->target_id, "nat-gone");
	assert_true(r->is_blackhole);
	r = &t->routes[4]; /* a transit gateway: not modelled, goes nowhere */
	assert_true(r->is_blackhole);
	assert_string_equal(r->target_id, "tgw-1");

	/* The live NAT gateway gets its requester-managed interface; the
	 * deleted one none (its IP is the second ENI's now). */
	assert_int_equal(x.s.n_natgws, 2);
	assert_int_equal(x.s.natgws[1].state, NATGW_DELETED);
	assert_int_equal(x.s.n_enis, 3);
	const struct eni *n = &x.s.enis[2];
	assert_string_equal(n->head.id, "eni-ngw");
	assert_string_equal(n->interface_type, "nat_gateway");
	assert_false(n->source_dest_check);
	assert_string_equal(ip4_format(n->public_ip, ip), "198.18.0.30");
	arena_free(x.a);
}

static void expect_error(const char *const docs[AWS_JSON_KINDS], const char *words)
{
	struct run x;
	run(&x, docs);
	assert_int_equal(x.r, -EINVAL);
	if (!strstr(x.err, words))
		fail_msg("\"%s\" does not say \"%s\"", x.err, words);
	arena_free(x.a);
}

static void test_errors(void **state)
{
	(void)state;
	const char *docs[AWS_JSON_KINDS] = { 0 };
	expect_error(docs, "vpcs.json: missing");
	docs[AWS_JSON_VPCS] = "{\"Vpcs\": [";
	expect_error(docs, "vpcs.json: malformed JSON");
	docs[AWS_JSON_VPCS] = "[]";
	expect_error(docs, "vpcs.json: expected an object with \"Vpcs\"");
	docs[AWS_JSON_VPCS] = "{\"Subnets\": []}";
	expect_error(docs, "vpcs.json: no \"Vpcs\" list");
	docs[AWS_JSON_VPCS] = "{\"Vpcs\": [{\"CidrBlock\": \"10.0.0.0/16\"}]}";
	expect_error(docs, "vpcs.json: an item has no VpcId");
	docs[AWS_JSON_VPCS] = "{\"Vpcs\": [3]}";
	expect_error(docs, "vpcs.json: an item is not an object");
	docs[AWS_JSON_VPCS] = "{\"Vpcs\": [{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.0.0/16\"}]}";
	expect_error(docs, "vpcs.json: vpc-1: CidrBlock: \"10.0.0/16\" is not an IPv4 CIDR block");
	docs[AWS_JSON_VPCS] = VPCS;
	docs[AWS_JSON_SECURITY_GROUPS] =
		"{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\":"
		" \"tcp\", \"FromPort\": 22, \"ToPort\": 22, \"IpRanges\": [{\"Description\": \"x\"}]}]}]}";
	expect_error(docs, "security-groups.json: sg-1: IpRanges[].CidrIp: missing");
	docs[AWS_JSON_SECURITY_GROUPS] =
		"{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\":"
		" \"tcp\", \"UserIdGroupPairs\": [{\"UserId\": \"111122223333\"}]}]}]}";
	expect_error(docs, "security-groups.json: sg-1: UserIdGroupPairs[].GroupId: missing");
	docs[AWS_JSON_SECURITY_GROUPS] =
		"{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\":"
		" \"tcp\", \"FromPort\": 70000, \"ToPort\": 22}]}]}";
	expect_error(docs, "security-groups.json: sg-1: FromPort: 70000 is out of range");
	docs[AWS_JSON_SECURITY_GROUPS] =
		"{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\":"
		" \"bogus\"}]}]}";
	expect_error(docs, "security-groups.json: sg-1: IpProtocol: \"bogus\" is not a protocol");
	docs[AWS_JSON_SECURITY_GROUPS] = NULL;
	docs[AWS_JSON_NETWORK_ACLS] =
		"{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": [{\"CidrBlock\":"
		" \"0.0.0.0/0\", \"Protocol\": \"-1\", \"RuleAction\": \"allow\"}]}]}";
	expect_error(docs, "network-acls.json: acl-1: Entries[0]: no RuleNumber");
	docs[AWS_JSON_NETWORK_ACLS] =
		"{\"NetworkAcls\": [{\"NetworkAclId\": \"acl-1\", \"Entries\": [{\"CidrBlock\":"
		" \"0.0.0.0/0\", \"Protocol\": \"-1\", \"RuleNumber\": 1.5}]}]}";
	expect_error(docs, "network-acls.json: acl-1: RuleNumber: expected an integer");
	docs[AWS_JSON_NETWORK_ACLS] = NULL;
	docs[AWS_JSON_INSTANCES] = "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": "
				   "\"i-1\", \"State\": {\"Name\": 16}}]}]}";
	expect_error(docs, "instances.json: i-1: Name: expected a string");
	/* Messages name the resource at fault (an instance's interface, or
	 * the instance); nothing carries over from another file. */
	docs[AWS_JSON_INSTANCES] = "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": "
				   "\"i-1\", \"NetworkInterfaces\": [{\"NetworkInterfaceId\": "
				   "\"eni-1\", \"PrivateIpAddress\": \"10.0.0.300\"}]}]}]}";
	expect_error(docs, "instances.json: eni-1: PrivateIpAddress: \"10.0.0.300\" is not");
	docs[AWS_JSON_INSTANCES] = "{\"Reservations\": [{\"Instances\": [{\"InstanceId\": "
				   "\"i-1\", \"NetworkInterfaces\": [{\"SubnetId\": \"s\"}]}]}]}";
	expect_error(docs, "instances.json: i-1: an interface has no NetworkInterfaceId");
	docs[AWS_JSON_INSTANCES] = NULL;
	docs[AWS_JSON_SECURITY_GROUPS] = SGS;
	docs[AWS_JSON_NETWORK_INTERFACES] = "{\"NetworkInterfaces\": [{\"SubnetId\": \"s\"}]}";
	expect_error(docs, "network-interfaces.json: an interface has no NetworkInterfaceId");
	docs[AWS_JSON_SECURITY_GROUPS] = NULL;
	docs[AWS_JSON_NETWORK_INTERFACES] = NULL;
	docs[AWS_JSON_PEERINGS] = "{\"VpcPeeringConnections\": [{\"VpcPeeringConnectionId\": "
				  "\"pcx-1\", \"Status\": {\"Code\": \"sleeping\"}}]}";
	expect_error(docs, "vpc-peering-connections.json: pcx-1: Status.Code: \"sleeping\"");
}

/* Absent files are empty lists; empty lists are fine. */
static void test_minimal(void **state)
{
	(void)state;
	const char *docs[AWS_JSON_KINDS] = { [AWS_JSON_VPCS] = "{\"Vpcs\": []}\n",
					     [AWS_JSON_SUBNETS] = "{\"Subnets\": []}" };
	struct run x;
	run(&x, docs);
	assert_int_equal(x.r, 0);
	assert_int_equal(x.s.n_vpcs, 0);
	assert_int_equal(x.s.n_subnets, 0);
	assert_int_equal(x.s.n_enis, 0);
	arena_free(x.a);
	assert_string_equal(import_aws_json_name(AWS_JSON_PEERINGS), "vpc-peering-connections");
	assert_null(import_aws_json_name(AWS_JSON_KINDS));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sg_permissions),
		cmocka_unit_test(test_nacl_entries),
		cmocka_unit_test(test_instance_with_two_enis_and_routes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_minimal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
