// SPDX-License-Identifier: MIT
/* compile/: a snapshot in, the desired kernel state out — without a kernel.
 * Checks the shape the data plane relies on: which namespaces, links,
 * routes and rules, the IGW's 1:1 NAT maps, blackholes (RT-19), and that
 * the same snapshot compiles to the same text twice (idempotent reconcile). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "compile/compile.h"
#include "compile/sg_edit.h"
#include "dataplane/nft_diff.h"
#include "dataplane/netns.h"
#include "dataplane/nft.h"
#include "model/snapshot.h"
#include "util/arena.h"

static struct cidr C(const char *s)
{
	struct cidr c;
	assert_int_equal(cidr_parse(s, &c), 0);
	return c;
}

struct fixture {
	struct vpc_cidr_assoc assoc;
	struct vpc vpc;
	struct subnet subnets[2];
	struct route routes_pub[2], routes_main[1];
	struct rtb_assoc as_pub[1], as_main[1];
	struct route_table rtbs[2];
	struct igw igw;
	struct instance inst[2];
	struct eni eni[2];
	const char *groups_a[1], *groups_b[1];
	struct sg_rule rules_a[4], rules_b[2];
	struct security_group sgs[2];
	struct nacl_entry entries[3];
	struct nacl_assoc nassoc[2];
	struct network_acl nacl;
	struct eni all_enis[3];      /* with the NAT gateway's */
	struct nat_gateway natgw;
	struct route routes_main_nat[2];
	struct vpc_cidr_assoc assoc2;
	struct vpc vpcs[2];
	struct route_table rtbs3[3];
	struct route routes_peer[2];
	struct rtb_assoc as_peer[1];
	struct peering pcx;
	struct snapshot s;
	struct compile_settings cs;
};

static void build(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->assoc = (struct vpc_cidr_assoc){ .cidr = C("10.0.0.0/16"), .state = CIDR_ASSOCIATED };
	strcpy(f->vpc.head.id, "vpc-0123456789abcdef0");
	f->vpc.cidr = f->assoc.cidr;
	f->vpc.assocs = &f->assoc;
	f->vpc.n_assocs = 1;
	const char *sn[2] = { "subnet-000000000000000a1", "subnet-000000000000000b2" };
	const char *cidr[2] = { "10.0.0.0/24", "10.0.1.0/24" };
	for (int i = 0; i < 2; i++) {
		strcpy(f->subnets[i].head.id, sn[i]);
		strcpy(f->subnets[i].vpc_id, f->vpc.head.id);
		f->subnets[i].cidr = C(cidr[i]);
		strcpy(f->subnets[i].az, "us-east-1a");
	}
	/* rtb 1 (seq 1): main, local only.  rtb 2 (seq 2): public, 0/0 → igw. */
	f->routes_main[0] = (struct route){ .dest = f->vpc.cidr, .target = ROUTE_LOCAL };
	f->as_main[0] = (struct rtb_assoc){ .is_main = true };
	strcpy(f->rtbs[0].head.id, "rtb-00000000000000001");
	f->rtbs[0].head.seq = 1;
	strcpy(f->rtbs[0].vpc_id, f->vpc.head.id);
	f->rtbs[0].routes = f->routes_main;
	f->rtbs[0].n_routes = 1;
	f->rtbs[0].assocs = f->as_main;
	f->rtbs[0].n_assocs = 1;
	f->routes_pub[0] = f->routes_main[0];
	f->routes_pub[1] = (struct route){ .dest = C("0.0.0.0/0"), .target = ROUTE_GATEWAY };
	strcpy(f->routes_pub[1].target_id, "igw-00000000000000009");
	strcpy(f->as_pub[0].subnet_id, sn[0]);
	strcpy(f->rtbs[1].head.id, "rtb-00000000000000002");
	f->rtbs[1].head.seq = 2;
	strcpy(f->rtbs[1].vpc_id, f->vpc.head.id);
	f->rtbs[1].routes = f->routes_pub;
	f->rtbs[1].n_routes = 2;
	f->rtbs[1].assocs = f->as_pub;
	f->rtbs[1].n_assocs = 1;
	strcpy(f->igw.head.id, "igw-00000000000000009");
	strcpy(f->igw.vpc_id, f->vpc.head.id);
	const char *iid[2] = { "i-00000000000000aaa", "i-00000000000000bbb" };
	const char *eid[2] = { "eni-0000000000000aaaa", "eni-0000000000000bbbb" };
	for (int i = 0; i < 2; i++) {
		struct eni *e = &f->eni[i];
		struct instance *in = &f->inst[i];
		strcpy(in->head.id, iid[i]);
		strcpy(in->vpc_id, f->vpc.head.id);
		strcpy(in->subnet_id, sn[i]);
		in->state = INSTANCE_RUNNING;
		in->hop_limit = 1;
		in->eni = e;
		strcpy(e->head.id, eid[i]);
		e->head.seq = 10 + i;
		strcpy(e->vpc_id, f->vpc.head.id);
		strcpy(e->subnet_id, sn[i]);
		strcpy(e->instance_id, iid[i]);
		strcpy(e->mac, i ? "0e:00:00:00:00:02" : "0e:00:00:00:00:01");
		e->private_ip = f->subnets[i].cidr.addr + 10;
		e->source_dest_check = true;
	}
	f->eni[0].public_ip = 0xc6120005; /* 198.18.0.5 */
	/* sg a: ssh from 192.0.2.1/32 and from 10.0.0.0/24 (nested: one
	 * element), icmp echo from anywhere; egress all.  sg b: ssh from
	 * members of sg a; no egress rule. */
	const char *sga = "sg-0000000000000000a", *sgb = "sg-0000000000000000b";
	strcpy(f->sgs[0].head.id, sga);
	strcpy(f->sgs[1].head.id, sgb);
	struct sg_rule ssh = { .protocol = 6, .from_port = 22, .to_port = 22, .description = "" };
	f->rules_a[0] = ssh;
	f->rules_a[0].cidr = C("192.0.2.1/32");
	f->rules_a[1] = ssh;
	f->rules_a[1].cidr = C("10.0.0.0/24");
	f->rules_a[2] = (struct sg_rule){ .protocol = 1, .from_port = 8, .to_port = -1,
					  .cidr = C("0.0.0.0/0"), .description = "" };
	f->rules_a[3] = (struct sg_rule){ .protocol = -1, .from_port = -1, .to_port = -1,
					  .is_egress = true, .cidr = C("0.0.0.0/0"),
					  .description = "" };
	f->rules_b[0] = ssh;
	f->rules_b[0].peer = SG_PEER_GROUP;
	strcpy(f->rules_b[0].ref_group_id, sga);
	f->rules_b[1] = ssh;
	f->rules_b[1].cidr = C("10.0.0.10/32");
	f->rules_b[1].from_port = 23;
	f->rules_b[1].to_port = 23;
	f->sgs[0].rules = f->rules_a;
	f->sgs[0].n_rules = 4;
	f->sgs[1].rules = f->rules_b;
	f->sgs[1].n_rules = 2;
	f->groups_a[0] = sga;
	f->groups_b[0] = sgb;
	f->eni[0].group_ids = f->groups_a;
	f->eni[0].n_groups = 1;
	f->eni[1].group_ids = f->groups_b;
	f->eni[1].n_groups = 1;
	/* One ACL on both subnets: 100 allow tcp 22 in, 200 deny all in, 100
	 * allow all out. */
	strcpy(f->nacl.head.id, "acl-00000000000000001");
	f->entries[0] = (struct nacl_entry){ .rule_number = 100, .protocol = 6, .is_allow = true,
					     .cidr = C("0.0.0.0/0"), .from_port = 22,
					     .to_port = 22, .icmp_type = -1, .icmp_code = -1 };
	f->entries[1] = (struct nacl_entry){ .rule_number = 200, .protocol = -1,
					     .cidr = C("10.0.0.0/16"), .from_port = -1,
					     .to_port = -1, .icmp_type = -1, .icmp_code = -1 };
	f->entries[2] = (struct nacl_entry){ .rule_number = 100, .is_egress = true,
					     .protocol = -1, .is_allow = true,
					     .cidr = C("0.0.0.0/0"), .from_port = -1,
					     .to_port = -1, .icmp_type = -1, .icmp_code = -1 };
	strcpy(f->nassoc[0].subnet_id, sn[0]);
	strcpy(f->nassoc[1].subnet_id, sn[1]);
	f->nacl.entries = f->entries;
	f->nacl.n_entries = 3;
	f->nacl.assocs = f->nassoc;
	f->nacl.n_assocs = 2;
	f->s = (struct snapshot){ .vpcs = &f->vpc, .n_vpcs = 1, .subnets = f->subnets,
				  .n_subnets = 2, .rtbs = f->rtbs, .n_rtbs = 2, .igws = &f->igw,
				  .n_igws = 1, .instances = f->inst, .n_instances = 2,
				  .enis = f->eni, .n_enis = 2, .sgs = f->sgs, .n_sgs = 2,
				  .nacls = &f->nacl, .n_nacls = 1 };
	f->cs = (struct compile_settings){ .prefix = "lvtest", .host_ip = 0xc0000201,
					   .inet_ip = 0xc00002fe, .host_len = 24,
					   .public_pool = C("198.18.0.0/15"), .region = "us-east-1",
					   .account_id = "123456789012" };
}

/* The fixture plus a public NAT gateway in subnet a (10.0.0.99, EIP
 * 198.18.0.9) that the main table (subnet b) routes 0/0 to. */
static void with_natgw(struct fixture *f)
{
	f->all_enis[0] = f->eni[0];
	f->all_enis[1] = f->eni[1];
	struct eni *e = &f->all_enis[2];
	memset(e, 0, sizeof(*e));
	strcpy(e->head.id, "eni-00000000000000ncc");
	e->head.seq = 30;
	strcpy(e->vpc_id, f->vpc.head.id);
	strcpy(e->subnet_id, f->subnets[0].head.id);
	strcpy(e->mac, "0e:00:00:00:00:03");
	e->private_ip = 0x0a000063; /* 10.0.0.99 */
	e->public_ip = 0xc6120009;  /* 198.18.0.9 */
	e->interface_type = "nat_gateway";
	e->device_index = -1;
	f->s.enis = f->all_enis;
	f->s.n_enis = 3;
	memset(&f->natgw, 0, sizeof(f->natgw));
	strcpy(f->natgw.head.id, "nat-0000000000000000n");
	strcpy(f->natgw.subnet_id, f->subnets[0].head.id);
	strcpy(f->natgw.vpc_id, f->vpc.head.id);
	strcpy(f->natgw.eni_id, e->head.id);
	f->natgw.private_ip = e->private_ip;
	f->natgw.public_ip = e->public_ip;
	f->natgw.state = NATGW_AVAILABLE;
	f->s.natgws = &f->natgw;
	f->s.n_natgws = 1;
	f->routes_main_nat[0] = f->routes_main[0];
	f->routes_main_nat[1] = (struct route){ .dest = C("0.0.0.0/0"), .target = ROUTE_NAT_GATEWAY };
	strcpy(f->routes_main_nat[1].target_id, f->natgw.head.id);
	f->rtbs[0].routes = f->routes_main_nat;
	f->rtbs[0].n_routes = 2;
}

/* The fixture plus VPC 2 (10.1.0.0/16, no instances) peered with it; the
 * public table routes 10.1.0.0/16 to the peering. */
static void with_peering(struct fixture *f, enum pcx_state state)
{
	f->vpcs[0] = f->vpc;
	f->assoc2 = (struct vpc_cidr_assoc){ .cidr = C("10.1.0.0/16"), .state = CIDR_ASSOCIATED };
	memset(&f->vpcs[1], 0, sizeof(f->vpcs[1]));
	strcpy(f->vpcs[1].head.id, "vpc-0123456789abc2222");
	f->vpcs[1].cidr = f->assoc2.cidr;
	f->vpcs[1].assocs = &f->assoc2;
	f->vpcs[1].n_assocs = 1;
	f->s.vpcs = f->vpcs;
	f->s.n_vpcs = 2;
	memset(&f->pcx, 0, sizeof(f->pcx));
	strcpy(f->pcx.head.id, "pcx-000000000000000p1");
	f->pcx.head.seq = 3;
	strcpy(f->pcx.requester_vpc, f->vpc.head.id);
	strcpy(f->pcx.accepter_vpc, f->vpcs[1].head.id);
	f->pcx.state = state;
	f->s.pcxs = &f->pcx;
	f->s.n_pcxs = 1;
	f->routes_peer[0] = f->routes_pub[0];
	f->routes_peer[1] = (struct route){ .dest = C("10.1.0.0/16"), .target = ROUTE_VPC_PEERING };
	strcpy(f->routes_peer[1].target_id, f->pcx.head.id);
	f->rtbs[1].routes = f->routes_peer;
	f->rtbs[1].n_routes = 2;
}

static const struct dp_ns *ns(const struct dp_desired *d, const char *name)
{
	for (size_t i = 0; i < d->n_ns; i++)
		if (!strcmp(d->ns[i].name, name))
			return &d->ns[i];
	return NULL;
}

static const struct dp_route *route(const struct dp_ns *n, uint32_t table, const char *dst)
{
	struct cidr c = C(dst);
	for (size_t i = 0; i < n->n_routes; i++)
		if (n->routes[i].table == table && n->routes[i].dst == c.addr &&
		    n->routes[i].dst_len == c.len)
			return &n->routes[i];
	return NULL;
}

static void namespaces_and_links(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	assert_non_null(ns(&d, ""));
	assert_non_null(ns(&d, "lvtest-inet"));
	const struct dp_ns *r = ns(&d, "lvtest-v9abcdef0");
	assert_non_null(r);
	assert_non_null(ns(&d, "lvtest-i00000aaa"));
	assert_non_null(ns(&d, "lvtest-i00000bbb"));
	/* ENI veths into the instances, and the IGW link into the internet. */
	bool eni_a = false, igw = false;
	for (size_t i = 0; i < r->n_links; i++) {
		if (!strcmp(r->links[i].name, "e0000aaaa")) {
			eni_a = !strcmp(r->links[i].peer, "eth0") &&
				!strcmp(r->links[i].peer_ns, "lvtest-i00000aaa") &&
				r->links[i].has_peer_mac && r->links[i].peer_mac[5] == 1;
		}
		if (!strcmp(r->links[i].name, "igw0"))
			igw = !strcmp(r->links[i].peer, "g9abcdef0") &&
			      !strcmp(r->links[i].peer_ns, "lvtest-inet");
	}
	assert_true(eni_a);
	assert_true(igw);
	arena_free(a);
}

static void routes_and_rules(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const struct dp_ns *r = ns(&d, "lvtest-v9abcdef0");
	const struct dp_route *x;
	/* Table 200: the ENI /32s and an unreachable VPC block. */
	assert_non_null(x = route(r, DP_TABLE_LOCAL_VPC, "10.0.0.10/32"));
	assert_string_equal(x->dev, "e0000aaaa");
	assert_non_null(x = route(r, DP_TABLE_LOCAL_VPC, "10.0.0.0/16"));
	assert_int_equal(x->type, DP_ROUTE_UNREACHABLE);
	/* The public table sends 0/0 to the IGW; the main table has none, so
	 * a blackhole ends it instead of the router's main table. */
	assert_non_null(x = route(r, DP_TABLE_RTB_BASE + 2, "0.0.0.0/0"));
	assert_int_equal(x->type, DP_ROUTE_UNICAST);
	assert_string_equal(x->dev, "igw0");
	assert_non_null(x = route(r, DP_TABLE_RTB_BASE + 1, "0.0.0.0/0"));
	assert_int_equal(x->type, DP_ROUTE_BLACKHOLE);
	/* The inet namespace routes the public IP to this VPC's gateway. */
	assert_non_null(x = route(ns(&d, "lvtest-inet"), 254, "198.18.0.5/32"));
	assert_string_equal(x->dev, "g9abcdef0");
	/* The instance's default route via the subnet's .1. */
	assert_non_null(x = route(ns(&d, "lvtest-i00000bbb"), 254, "0.0.0.0/0"));
	assert_int_equal(x->gateway, 0x0a000101);
	/* The ENI of subnet a is marked for table 2, b for the main table 1. */
	assert_non_null(strstr(r->nft, "\"e0000aaaa\" : 2"));
	assert_non_null(strstr(r->nft, "\"e0000bbbb\" : 1"));
	assert_non_null(strstr(r->nft, "198.18.0.5 : 10.0.0.10"));
	assert_non_null(strstr(r->nft, "10.0.0.10 : 198.18.0.5"));
	arena_free(a);
}

static void blackhole_when_igw_detached(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	f.igw.vpc_id[0] = '\0';
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const struct dp_ns *r = ns(&d, "lvtest-v9abcdef0");
	const struct dp_route *x = route(r, DP_TABLE_RTB_BASE + 2, "0.0.0.0/0");
	assert_non_null(x);
	assert_int_equal(x->type, DP_ROUTE_BLACKHOLE);
	assert_null(strstr(r->nft, "igw_in")); /* no NAT without a gateway */
	assert_null(route(ns(&d, "lvtest-inet"), 254, "198.18.0.5/32"));
	arena_free(a);
}

static void stopped_and_terminated(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	f.inst[0].state = INSTANCE_STOPPED;
	f.inst[1].state = INSTANCE_TERMINATED;
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	assert_non_null(ns(&d, "lvtest-i00000aaa")); /* a stopped instance keeps its network */
	assert_null(ns(&d, "lvtest-i00000bbb"));
	assert_int_equal(d.n_instances, 1);
	assert_false(d.instances[0].run);
	assert_int_equal(d.n_imds, 0); /* nobody to answer for */
	arena_free(a);
}

static void deterministic(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d1, d2;
	build(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d1), 0);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d2), 0);
	assert_int_equal(d1.n_ns, d2.n_ns);
	for (size_t i = 0; i < d1.n_ns; i++) {
		assert_string_equal(d1.ns[i].name, d2.ns[i].name);
		if (d1.ns[i].nft)
			assert_string_equal(d1.ns[i].nft, d2.ns[i].nft);
		assert_int_equal(d1.ns[i].n_routes, d2.ns[i].n_routes);
	}
	arena_free(a);
}

/* §7: every ENI's groups flattened into elements keyed by its interface;
 * nested prefixes collapse (the kernel refuses overlapping elements); a
 * group reference is its members' /32s. */
static void security_group_sets(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const char *t = ns(&d, "lvtest-v9abcdef0")->nft;
	assert_non_null(strstr(t, "10.0.0.0/24 . \"e0000aaaa\" . 6 . 22"));
	assert_non_null(strstr(t, "192.0.2.1/32 . \"e0000aaaa\" . 6 . 22"));
	assert_non_null(strstr(t, "0.0.0.0/0 . \"e0000aaaa\" . 8 . 0-255")); /* icmp echo */
	assert_non_null(strstr(t, "0.0.0.0/0 . \"e0000aaaa\" . 0-255 . 0-65535")); /* egress */
	/* sg b: ssh from members of sg a — keyed by the member's group set
	 * (10.0.0.10 carries {a}: combo 1), not by its address — and telnet
	 * from the /32 10.0.0.10. */
	assert_non_null(strstr(t, "10.0.0.10 : 1"));
	const char *ref = strstr(t, "set sg_in_ref {");
	assert_non_null(ref);
	assert_non_null(strstr(ref, "1 . \"e0000bbbb\" . 6 . 22"));
	assert_non_null(strstr(t, "10.0.0.10/32 . \"e0000bbbb\" . 6 . 23"));
	assert_null(strstr(t, "10.0.0.10/32 . \"e0000bbbb\" . 6 . 22"));
	assert_non_null(strstr(t, "jump sg_check"));
	/* Nobody carries sg a: the reference matches nothing. */
	f.eni[0].n_groups = 0;
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	t = ns(&d, "lvtest-v9abcdef0")->nft;
	ref = strstr(t, "set sg_in_ref {");
	assert_non_null(ref);
	const char *end = strstr(ref, "\t}\n");
	const char *el = strstr(ref, "elements");
	assert_true(!el || el > end);
	assert_non_null(strstr(t, "10.0.0.10/32 . \"e0000bbbb\" . 6 . 23"));
	arena_free(a);
}

/* compile/sg_edit.h: a change of one group's rules, as the edit of the
 * router's table that compile_sg_parts' two parts make, gives the table
 * the whole compile of the changed snapshot gives (up to element order). */
static void rule_change_as_element_edit(void **state)
{
	(void)state;
	struct fixture f;
	build(&f);
	strcpy(f.sgs[0].vpc_id, f.vpc.head.id);
	strcpy(f.sgs[1].vpc_id, f.vpc.head.id);
	/* ENI b holds both groups: a change of a edits two ENIs' elements. */
	const char *both[2] = { "sg-0000000000000000b", "sg-0000000000000000a" };
	f.eni[1].group_ids = both;
	f.eni[1].n_groups = 2;
	struct sg_rule web = { .protocol = 6, .from_port = 80, .to_port = 80,
			       .cidr = C("0.0.0.0/0"), .description = "" };
	struct sg_rule self = { .protocol = 1, .from_port = -1, .to_port = -1,
				.peer = SG_PEER_GROUP, .description = "" };
	strcpy(self.ref_group_id, "sg-0000000000000000b");
	/* a: + web from anywhere (with all egress: untracked, SG-21);
	 * a: − ssh from 192.0.2.1; b: no rules; b: icmp from its own members. */
	struct sg_rule a1[5], a2[4], b2[1] = { self };
	memcpy(a1, f.rules_a, sizeof(f.rules_a));
	a1[4] = web;
	memcpy(a2, &a1[1], 4 * sizeof(*a2));
	const struct {
		int group;
		struct sg_rule *rules;
		size_t n;
	} steps[] = { { 0, a1, 5 }, { 0, a2, 4 }, { 1, NULL, 0 }, { 1, b2, 1 } };
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		struct arena *a = arena_new();
		struct dp_desired before, after;
		struct compile_sg_part *old, *new;
		const char *g = f.sgs[steps[i].group].head.id;
		assert_int_equal(compile_build(&f.s, &f.cs, a, &before), 0);
		assert_int_equal(compile_sg_parts(&f.s, &f.cs, &g, 1, a, &old), 1);
		f.sgs[steps[i].group].rules = steps[i].rules;
		f.sgs[steps[i].group].n_rules = steps[i].n;
		assert_int_equal(compile_sg_parts(&f.s, &f.cs, &g, 1, a, &new), 1);
		assert_string_equal(new[0].ns, "lvtest-v9abcdef0");
		assert_int_equal(compile_build(&f.s, &f.cs, a, &after), 0);
		const char *was = ns(&before, "lvtest-v9abcdef0")->nft;
		const char *want = ns(&after, "lvtest-v9abcdef0")->nft;
		assert_string_not_equal(was, want); /* every step changes elements */
		char *edited = nft_text_edit(was, old[0].text, new[0].text);
		assert_non_null(edited);
		char *left = nft_diff("inet lvtest", edited, want);
		assert_non_null(left);
		assert_string_equal(left, "");
		free(left);
		free(edited);
		arena_free(a);
	}
	/* A group no wired ENI holds, or that the snapshot does not know. */
	struct arena *a = arena_new();
	struct compile_sg_part *p;
	const char *none = "sg-00000000000000fff";
	assert_int_equal(compile_sg_parts(&f.s, &f.cs, &none, 1, a, &p), 0);
	f.eni[1].n_groups = 0;
	const char *b = "sg-0000000000000000b";
	assert_int_equal(compile_sg_parts(&f.s, &f.cs, &b, 1, a, &p), 0);
	arena_free(a);
}

/* SG-21: inbound tcp 80 from anywhere with all outbound is untracked; an
 * inbound rule from one address is not. */
static void untracked_flows(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	f.rules_a[0].cidr = C("0.0.0.0/0");
	f.rules_a[0].from_port = f.rules_a[0].to_port = 80;
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const char *t = ns(&d, "lvtest-v9abcdef0")->nft;
	const char *set = strstr(t, "set sg_untracked_in");
	assert_non_null(set);
	const char *end = strstr(set, "}\n");
	const char *el = strstr(set, "\"e0000aaaa\" . 6 . 80");
	assert_true(el && el < end);
	el = strstr(set, "\"e0000aaaa\" . 6 . 22,"); /* 10.0.0.0/24 only: tracked */
	assert_true(!el || el > end);
	arena_free(a);
}

/* §8: one chain per subnet and direction, entries in number order, first
 * within-subnet return, the final deny. */
static void network_acl_chains(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const char *t = ns(&d, "lvtest-v9abcdef0")->nft;
	const char *c = strstr(t, "chain nacl_i_000000a1 {");
	assert_non_null(c);
	const char *same = strstr(c, "iifname @sn_000000a1 return");
	const char *r100 = strstr(c, "meta l4proto 6 th dport 22-22 return");
	const char *r200 = strstr(c, "ip saddr 10.0.0.0/16 goto fl_rej_in"); /* deny: flow logs, then drop */
	const char *star = strstr(c, "# rule * (32767)");
	assert_true(same && r100 && r200 && star && same < r100 && r100 < r200 && r200 < star);
	assert_non_null(strstr(t, "\"e0000aaaa\" : jump nacl_o_000000a1"));
	assert_non_null(strstr(t, "\"e0000bbbb\" : jump nacl_i_000000b2"));
	arena_free(a);
}

/* §8: consecutive entries with one action are one set probe per shape
 * (first match never chooses inside such a run), elements cut disjoint;
 * runs stay in number order; a lone entry stays a rule. */
static void network_acl_runs(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	struct nacl_entry e[6] = {
		{ .rule_number = 10, .protocol = 6, .cidr = C("10.98.1.0/24"), .from_port = 1,
		  .to_port = 1023, .icmp_type = -1, .icmp_code = -1 },
		{ .rule_number = 20, .protocol = 6, .cidr = C("10.98.2.0/24"), .from_port = 1,
		  .to_port = 1023, .icmp_type = -1, .icmp_code = -1 },
		{ .rule_number = 30, .protocol = -1, .is_allow = true, .cidr = C("10.98.0.0/16"),
		  .from_port = -1, .to_port = -1, .icmp_type = -1, .icmp_code = -1 },
		{ .rule_number = 40, .protocol = -1, .is_allow = true, .cidr = C("10.98.3.0/24"),
		  .from_port = -1, .to_port = -1, .icmp_type = -1, .icmp_code = -1 },
		{ .rule_number = 50, .protocol = 6, .cidr = C("0.0.0.0/0"), .from_port = 22,
		  .to_port = 22, .icmp_type = -1, .icmp_code = -1 },
		f.entries[2],
	};
	f.nacl.entries = e;
	f.nacl.n_entries = 6;
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const char *t = ns(&d, "lvtest-v9abcdef0")->nft;
	const char *c = strstr(t, "chain nacl_i_000000a1 {");
	assert_non_null(c);
	const char *same = strstr(c, "iifname @sn_000000a1 return");
	const char *deny = strstr(c, "# rules 10 20\n\t\tip saddr . meta l4proto . th dport "
				     "{ 10.98.1.0/24 . 6 . 1-1023, 10.98.2.0/24 . 6 . 1-1023 } "
				     "goto fl_rej_in\n");
	/* 10.98.3.0/24 lies inside 10.98.0.0/16: one element. */
	const char *allow = strstr(c, "# rules 30 40\n\t\tip saddr { 10.98.0.0/16 } return\n");
	const char *lone = strstr(c, "# rule 50\n\t\tmeta l4proto 6 th dport 22-22 goto fl_rej_in");
	const char *star = strstr(c, "# rule * (32767)");
	assert_true(same && deny && allow && lone && star && same < deny && deny < allow &&
		    allow < lone && lone < star);
	arena_free(a);
}

/* True when needle occurs in the block of text that starts at header and
 * ends at the next closing brace. */
static bool in_block(const char *text, const char *header, const char *needle)
{
	const char *b = strstr(text, header), *e = b ? strchr(b + strlen(header), '}') : NULL;
	const char *hit = b ? strstr(b, needle) : NULL;
	assert_non_null(e);
	return hit && hit < e;
}

/* §10: the gateway's namespace translates to its private IP; the router
 * sends the main table's 0/0 to it, maps its EIP at the internet gateway,
 * asks no metadata and filters it by no group. */
static void nat_gateway(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	with_natgw(&f);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const struct dp_ns *n = ns(&d, "lvtest-n0000000n");
	assert_non_null(n);
	assert_int_equal(n->kind, DP_NS_NATGW);
	assert_non_null(strstr(n->nft, "snat ip to 10.0.0.99"));
	assert_non_null(strstr(n->nft, "ct count over 55000"));
	const struct dp_ns *r = ns(&d, "lvtest-v9abcdef0");
	const struct dp_route *x = route(r, DP_TABLE_RTB_BASE + 1, "0.0.0.0/0");
	assert_non_null(x);
	assert_int_equal(x->type, DP_ROUTE_UNICAST);
	assert_int_equal(x->gateway, 0x0a000063);
	assert_string_equal(x->dev, "e00000ncc");
	assert_non_null(strstr(r->nft, "198.18.0.9 : 10.0.0.99"));
	assert_null(strstr(r->nft, "\"e00000ncc\" : 0x8"));  /* no IMDS mark */
	/* No group elements, no group checks. */
	assert_false(in_block(r->nft, "set sg_enis {", "e00000ncc"));
	assert_false(in_block(r->nft, "set sg_out {", "e00000ncc"));
	assert_true(in_block(r->nft, "map nacl_out {", "e00000ncc")); /* ACLs apply */
	/* Deleted: no namespace, and the route is a blackhole (RT-19). */
	f.natgw.state = NATGW_DELETED;
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	assert_null(ns(&d, "lvtest-n0000000n"));
	x = route(ns(&d, "lvtest-v9abcdef0"), DP_TABLE_RTB_BASE + 1, "0.0.0.0/0");
	assert_int_equal(x->type, DP_ROUTE_BLACKHOLE);
	arena_free(a);
}

/* §13: an active peering is a link between the two routers with a /30;
 * its routes go over it; only the peer's block comes in over it. */
static void peering(void **state)
{
	(void)state;
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	build(&f);
	with_peering(&f, PCX_ACTIVE);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	const struct dp_ns *r1 = ns(&d, "lvtest-v9abcdef0"), *r2 = ns(&d, "lvtest-v9abc2222");
	assert_non_null(r1);
	assert_non_null(r2);
	bool link = false;
	for (size_t i = 0; i < r1->n_links; i++)
		if (!strcmp(r1->links[i].name, "p000000p1"))
			link = !strcmp(r1->links[i].peer, "p000000p1") &&
			       !strcmp(r1->links[i].peer_ns, "lvtest-v9abc2222");
	assert_true(link);
	for (size_t i = 0; i < r2->n_links; i++)
		assert_string_not_equal(r2->links[i].name, "p000000p1"); /* one owner */
	const struct dp_route *x = route(r1, DP_TABLE_RTB_BASE + 2, "10.1.0.0/16");
	assert_non_null(x);
	assert_int_equal(x->type, DP_ROUTE_UNICAST);
	assert_int_equal(x->gateway, DP_LINK_PCX_BASE + 12 + 2);
	assert_string_equal(x->dev, "p000000p1");
	assert_non_null(strstr(r1->nft, "\"p000000p1\" . 10.1.0.0/16"));
	assert_non_null(strstr(r2->nft, "\"p000000p1\" . 10.0.0.0/16"));
	/* Pending: nothing is wired and the route is a blackhole. */
	with_peering(&f, PCX_PENDING_ACCEPTANCE);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	r1 = ns(&d, "lvtest-v9abcdef0");
	for (size_t i = 0; i < r1->n_links; i++)
		assert_string_not_equal(r1->links[i].name, "p000000p1");
	assert_int_equal(route(r1, DP_TABLE_RTB_BASE + 2, "10.1.0.0/16")->type, DP_ROUTE_BLACKHOLE);
	arena_free(a);
}

/* The scratch namespace below, removed by the teardown even when an
 * assertion fails half way. */
static char scratch_ns[32];

static int remove_scratch_ns(void **state)
{
	(void)state;
	if (scratch_ns[0])
		netns_del(scratch_ns);
	scratch_ns[0] = 0;
	return 0;
}

/* The compiled tables are what the kernel accepts: each is loaded into a
 * scratch namespace (root only; the netlink tests need it too). */
static void kernel_accepts_tables(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	struct fixture f;
	struct arena *a = arena_new();
	struct dp_desired d;
	char err[4096];
	const char *name = scratch_ns;
	build(&f);
	with_natgw(&f);
	with_peering(&f, PCX_ACTIVE);
	assert_int_equal(compile_build(&f.s, &f.cs, a, &d), 0);
	snprintf(scratch_ns, sizeof(scratch_ns), "lvunit-%d", (int)getpid());
	assert_int_equal(netns_add(name), 0);
	for (size_t i = 0; i < d.n_ns; i++) {
		if (!d.ns[i].nft || !d.ns[i].name[0] || d.ns[i].kind == DP_NS_INET)
			continue;
		int r = nft_run(name, d.ns[i].nft, err, sizeof(err));
		if (r)
			fprintf(stderr, "%s\n%s\n", err, d.ns[i].nft);
		assert_int_equal(r, 0);
		/* Applying it again over itself works too (the reconciler
		 * replaces the table in one batch). */
		assert_int_equal(nft_run(name, "delete table inet lvtest", err, sizeof(err)), 0);
	}
	assert_int_equal(netns_del(name), 0);
	scratch_ns[0] = 0;
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(namespaces_and_links),
		cmocka_unit_test(routes_and_rules),
		cmocka_unit_test(blackhole_when_igw_detached),
		cmocka_unit_test(stopped_and_terminated),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(security_group_sets),
		cmocka_unit_test(rule_change_as_element_edit),
		cmocka_unit_test(untracked_flows),
		cmocka_unit_test(network_acl_chains),
		cmocka_unit_test(network_acl_runs),
		cmocka_unit_test(nat_gateway),
		cmocka_unit_test(peering),
		cmocka_unit_test_teardown(kernel_accepts_tables, remove_scratch_ns),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
