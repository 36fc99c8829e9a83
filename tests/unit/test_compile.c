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

#include "compile/compile.h"
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
	f->s = (struct snapshot){ .vpcs = &f->vpc, .n_vpcs = 1, .subnets = f->subnets,
				  .n_subnets = 2, .rtbs = f->rtbs, .n_rtbs = 2, .igws = &f->igw,
				  .n_igws = 1, .instances = f->inst, .n_instances = 2,
				  .enis = f->eni, .n_enis = 2 };
	f->cs = (struct compile_settings){ .prefix = "lvtest", .host_ip = 0xc0000201,
					   .inet_ip = 0xc00002fe, .host_len = 24,
					   .public_pool = C("198.18.0.0/15"), .region = "us-east-1",
					   .account_id = "123456789012" };
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(namespaces_and_links),
		cmocka_unit_test(routes_and_rules),
		cmocka_unit_test(blackhole_when_igw_detached),
		cmocka_unit_test(stopped_and_terminated),
		cmocka_unit_test(deterministic),
	};
	return cmocka_run_group_tests_name("compile", tests, NULL, NULL);
}
