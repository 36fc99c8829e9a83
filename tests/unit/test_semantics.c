// SPDX-License-Identifier: MIT
/* semantics/: what AWS does to a packet, over the seed's VPC
 * (seed_fixture.h) — security groups flattened and matched (group
 * references, SG-21 untracked flows), ACL first match, route-table choice,
 * longest-prefix match and targets (RT-19 blackholes), and a differential
 * check: the disjoint boxes compile/ turns into nftables elements admit
 * exactly what sem_sg_allows() admits. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>

#include "compile/box.h"
#include "seed_fixture.h"
#include "semantics/nacl.h"
#include "semantics/route.h"
#include "semantics/sg.h"
#include "semantics/snap.h"
#include "util/arena.h"

static struct fx F;

static void test_sg_flatten_and_allows(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct sem_sg_rules r;
	fx_build(&F);
	sem_sg_flatten(a, &F.s, &F.enis[FX_INTERNAL], false, &r);
	/* The group reference stays a reference (SG-9): its members are
	 * resolved when a packet is judged (the bastion, 10.0.0.12). */
	assert_int_equal(r.n, 1);
	assert_non_null(r.v[0].peer_group);
	assert_string_equal(r.v[0].peer_group, "sg-bastion");
	assert_true(sem_sg_member(&F.s, F.enis[FX_INTERNAL].vpc_id, &F.enis[FX_BASTION],
				  "sg-bastion"));
	assert_false(sem_sg_member(&F.s, F.enis[FX_INTERNAL].vpc_id, &F.enis[FX_INTERNAL],
				   "sg-bastion"));
	assert_non_null(sem_sg_allows(&r, fx_ip("10.0.0.12"), 6, 22, 0));
	assert_null(sem_sg_allows(&r, fx_ip("10.0.0.12"), 6, 23, 0));
	assert_null(sem_sg_allows(&r, fx_ip("10.0.0.12"), 17, 22, 0));
	assert_null(sem_sg_allows(&r, fx_ip("10.0.0.20"), 6, 22, 0));
	const struct sem_sg_entry *m = sem_sg_allows(&r, fx_ip("10.0.0.12"), 6, 22, 0);
	assert_string_equal(m->group->head.id, "sg-internal");
	assert_string_equal(sem_sg_rule_text(a, m->rule), "tcp/22 from sg-bastion");
	/* Egress all: every protocol, port and ICMP type. */
	sem_sg_flatten(a, &F.s, &F.enis[FX_INTERNAL], true, &r);
	assert_non_null(sem_sg_allows(&r, fx_ip("203.0.113.10"), 6, 443, 0));
	assert_non_null(sem_sg_allows(&r, fx_ip("203.0.113.10"), 1, 8, 0));
	assert_non_null(sem_sg_allows(&r, fx_ip("203.0.113.10"), 47, 0, 0));
	assert_string_equal(sem_sg_rule_text(a, r.v[0].rule), "all traffic to 0.0.0.0/0");
	/* ICMP echo only (type 8, every code). */
	F.rules[0][2] = fx_rule("sg-bastion", false, 1, 8, -1, "0.0.0.0/0");
	F.sgs[0].n_rules = 3;
	sem_sg_flatten(a, &F.s, &F.enis[FX_BASTION], false, &r);
	assert_non_null(sem_sg_allows(&r, fx_ip("198.51.100.7"), 1, 8, 0));
	assert_null(sem_sg_allows(&r, fx_ip("198.51.100.7"), 1, 13, 0));
	assert_null(sem_sg_allows(&r, fx_ip("198.51.100.7"), 6, 22, 0));
	/* A NAT gateway's ENI takes no groups. */
	F.enis[FX_NAT].interface_type = "nat_gateway";
	sem_sg_flatten(a, &F.s, &F.enis[FX_NAT], false, &r);
	assert_int_equal(r.n, 0);
	arena_free(a);
}

static void test_sg_untracked_and_stale(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct sem_sg_rules r;
	fx_build(&F);
	/* SG-21: tcp 22 from anywhere with every egress open: untracked. */
	F.rules[0][0] = fx_rule("sg-bastion", false, 6, 22, 22, "0.0.0.0/0");
	sem_sg_flatten(a, &F.s, &F.enis[FX_BASTION], false, &r);
	assert_true(sem_sg_untracked(&r, 6, 22));
	assert_false(sem_sg_untracked(&r, 6, 23));
	assert_false(sem_sg_untracked(&r, 17, 22));
	/* The admin /32 is tracked. */
	fx_build(&F);
	sem_sg_flatten(a, &F.s, &F.enis[FX_BASTION], false, &r);
	assert_false(sem_sg_untracked(&r, 6, 22));
	/* SG-11: a reference to a group that is gone matches nothing. */
	F.s.n_sgs = 2; /* sg-internal remains in F.sgs[2] but not in s */
	F.rules[1][0] = fx_rule("sg-nat", false, -1, -1, -1, "sg-gone");
	sem_sg_flatten(a, &F.s, &F.enis[FX_NAT], false, &r);
	assert_int_equal(r.n, 0);
	arena_free(a);
}

static void test_sg_reference_across_peering(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct sem_sg_rules r;
	fx_build(&F);
	fx_peer(&F, PCX_ACTIVE);
	F.rules[2][2] = fx_rule("sg-internal", false, 6, 22, 22, "sg-peer");
	sem_sg_flatten(a, &F.s, &F.enis[FX_INTERNAL], false, &r);
	assert_non_null(sem_sg_allows(&r, fx_ip("10.1.0.7"), 6, 22, 0));
	/* SG-10: only while the peering is active. */
	F.pcx.state = PCX_DELETED;
	sem_sg_flatten(a, &F.s, &F.enis[FX_INTERNAL], false, &r);
	assert_null(sem_sg_allows(&r, fx_ip("10.1.0.7"), 6, 22, 0));
	arena_free(a);
}

/* A box holds a packet the way the kernel's set does: for tcp/udp the
 * port, for other protocols any value (the element spans 0..65535). */
static bool boxes_hold(const struct box *v, size_t n, bool icmp_set, uint32_t ip, int proto,
		       int port, int code)
{
	for (size_t i = 0; i < n; i++) {
		if (!cidr_contains_ip(&v[i].addr, ip))
			continue;
		uint32_t x = icmp_set ? (uint32_t)port : (uint32_t)proto;
		uint32_t y = icmp_set ? (uint32_t)code : (proto == 6 || proto == 17) ? (uint32_t)port : v[i].b_lo;
		if (x >= v[i].a_lo && x <= v[i].a_hi && y >= v[i].b_lo && y <= v[i].b_hi &&
		    (!icmp_set || proto == 1))
			return true;
	}
	return false;
}

/* Differential (STYLE §9): random rules → flattened → disjoint boxes as
 * compile/sg.c builds them; every probe gets the same answer both ways. */
static void test_boxes_agree_with_semantics(void **state)
{
	(void)state;
	static const int protos[] = { -1, 6, 17, 1, 47 };
	static const char *cidrs[] = { "0.0.0.0/0", "10.0.0.0/16", "10.0.0.0/24", "10.0.0.12/32",
				       "192.0.2.0/24", "sg-bastion", "sg-nat" };
	static const char *ips[] = { "10.0.0.12", "10.0.0.20", "10.0.1.5", "192.0.2.1",
				     "198.51.100.7" };
	srand(7);
	for (int round = 0; round < 200; round++) {
		struct arena *a = arena_new();
		fx_build(&F);
		for (int k = 0; k < 4; k++) {
			int p = protos[rand() % 5], from = -1, to = -1;
			if (p == 6 || p == 17) {
				from = rand() % 100;
				to = from + rand() % 50;
			} else if (p == 1) {
				from = rand() % 3 ? rand() % 16 : -1;
				to = from >= 0 && rand() % 2 ? rand() % 4 : -1;
			}
			F.rules[2][k] = fx_rule("sg-internal", false, p, from, to, cidrs[rand() % 7]);
		}
		F.sgs[2].n_rules = 4;
		struct sem_sg_rules r;
		sem_sg_flatten(a, &F.s, &F.enis[FX_INTERNAL], false, &r);
		struct box *l4 = arena_alloc_array(a, r.n + 1, sizeof(*l4));
		struct box *ic = arena_alloc_array(a, r.n + 1, sizeof(*ic));
		size_t n_l4 = 0, n_ic = 0;
		/* A group entry holds for its members' addresses: what the
		 * kernel's sg_combo map and *_ref sets compose to. */
		struct box *l4x = arena_alloc_array(a, (r.n + 1) * (F.s.n_enis + 1), sizeof(*l4x));
		struct box *icx = arena_alloc_array(a, (r.n + 1) * (F.s.n_enis + 1), sizeof(*icx));
		l4 = l4x;
		ic = icx;
		for (size_t i = 0; i < r.n; i++) {
			const struct sem_sg_entry *x = &r.v[i];
			for (size_t m = 0; m <= F.s.n_enis; m++) {
				struct cidr peer = x->peer;
				if (x->peer_group) {
					if (m == F.s.n_enis ||
					    !sem_sg_member(&F.s, r.vpc_id, &F.s.enis[m], x->peer_group))
						continue;
					peer = (struct cidr){ .addr = F.s.enis[m].private_ip, .len = 32 };
				} else if (m) {
					break;
				}
				if (x->kind == SEM_SG_ICMP)
					ic[n_ic++] = (struct box){ peer, x->icmp_type, x->icmp_type,
								   x->lo, x->hi };
				else
					l4[n_l4++] = (struct box){ peer, x->proto_lo, x->proto_hi,
								   x->lo, x->hi };
			}
		}
		struct box *dl4, *dic;
		size_t n_dl4, n_dic;
		box_disjoint(a, l4, n_l4, &dl4, &n_dl4);
		box_disjoint(a, ic, n_ic, &dic, &n_dic);
		for (int t = 0; t < 200; t++) {
			uint32_t ip = fx_ip(ips[rand() % 5]);
			int p = protos[1 + rand() % 4], port = rand() % 160, code = rand() % 5;
			if (p == 1)
				port = rand() % 18;
			bool want = sem_sg_allows(&r, ip, p, port, code) != NULL;
			bool got = boxes_hold(dl4, n_dl4, false, ip, p, port, code) ||
				   (p == 1 && boxes_hold(dic, n_dic, true, ip, p, port, code));
			if (want != got)
				fail_msg("round %d: ip %x proto %d port %d code %d: semantics %d, "
					 "boxes %d",
					 round, ip, p, port, code, want, got);
		}
		arena_free(a);
	}
}

static void test_nacl_first_match(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	/* Stored out of order on purpose: evaluation is by rule number. */
	struct nacl_entry v[] = {
		fx_entry(200, false, -1, true, "0.0.0.0/0", -1, -1),
		fx_entry(90, false, 6, false, "10.0.0.0/24", 22, 22),
		fx_entry(100, false, 1, true, "0.0.0.0/0", -1, -1),
	};
	v[2].icmp_type = 8;
	fx_priv_acl(&F, v, 3);
	const struct network_acl *acl = sem_nacl_of_subnet(&F.s, "subnet-priv");
	assert_string_equal(acl->head.id, "acl-priv");
	assert_string_equal(sem_nacl_of_subnet(&F.s, "subnet-pub")->head.id, "acl-default");
	struct sem_nacl_match *m;
	size_t n = sem_nacl_entries(a, acl, false, &m);
	assert_int_equal(n, 3);
	assert_int_equal(m[0].rule_number, 90);
	assert_int_equal(m[2].rule_number, 200);
	uint32_t bastion = fx_ip("10.0.0.12"), internal = fx_ip("10.0.1.5");
	const struct sem_nacl_match *d = sem_nacl_eval(m, n, bastion, internal, 6, 22, 0);
	assert_int_equal(d->rule_number, 90);
	assert_false(d->is_allow);
	assert_string_equal(sem_nacl_text(a, d), "rule 90 deny tcp 22 from 10.0.0.0/24");
	assert_int_equal(sem_nacl_eval(m, n, bastion, internal, 6, 23, 0)->rule_number, 200);
	assert_int_equal(sem_nacl_eval(m, n, bastion, internal, 1, 8, 0)->rule_number, 100);
	assert_int_equal(sem_nacl_eval(m, n, bastion, internal, 1, 0, 0)->rule_number, 200);
	/* Only the `*` rule left: NULL (deny). */
	n = sem_nacl_entries(a, acl, true, &m);
	assert_int_equal(n, 0);
	assert_null(sem_nacl_eval(m, n, internal, bastion, 6, 49152, 0));
	/* NACL-13. */
	assert_false(sem_nacl_applies("subnet-pub", "subnet-pub"));
	assert_true(sem_nacl_applies("subnet-pub", "subnet-priv"));
	arena_free(a);
}

static void test_routes(void **state)
{
	(void)state;
	struct sem_next_hop h;
	fx_build(&F);
	const struct route_table *pub = sem_route_table_of_subnet(&F.s, &F.subnets[0]);
	const struct route_table *priv = sem_route_table_of_subnet(&F.s, &F.subnets[1]);
	assert_string_equal(pub->head.id, "rtb-pub");   /* explicit */
	assert_string_equal(priv->head.id, "rtb-main"); /* RT-2: the main */
	const struct route *r = sem_route_lookup(pub, fx_ip("10.0.1.5"));
	assert_true(sem_route_is_local(r));
	assert_int_equal(sem_route_resolve(&F.s, pub, r, &h), SEM_HOP_LOCAL);
	r = sem_route_lookup(pub, fx_ip("8.8.8.8"));
	assert_int_equal(sem_route_resolve(&F.s, pub, r, &h), SEM_HOP_IGW);
	assert_string_equal(h.igw->head.id, "igw-a");
	r = sem_route_lookup(priv, fx_ip("8.8.8.8"));
	assert_int_equal(sem_route_resolve(&F.s, priv, r, &h), SEM_HOP_ENI);
	assert_string_equal(h.eni->head.id, "eni-nat");
	assert_string_equal(sem_route_state(&F.s, priv, r), "active");
	/* RT-19: a stopped NAT instance, a detached gateway. */
	F.inst[FX_NAT].state = INSTANCE_STOPPED;
	assert_int_equal(sem_route_resolve(&F.s, priv, r, &h), SEM_HOP_BLACKHOLE);
	assert_string_equal(sem_route_state(&F.s, priv, r), "blackhole");
	F.igw.vpc_id[0] = 0;
	r = sem_route_lookup(pub, fx_ip("8.8.8.8"));
	assert_int_equal(sem_route_resolve(&F.s, pub, r, &h), SEM_HOP_BLACKHOLE);
	/* Longest prefix: a /24 beats 0/0. */
	fx_build(&F);
	fx_peer(&F, PCX_ACTIVE);
	r = sem_route_lookup(&F.rtbs[1], fx_ip("10.1.0.7"));
	assert_int_equal(r->dest.len, 16);
	assert_int_equal(sem_route_resolve(&F.s, &F.rtbs[1], r, &h), SEM_HOP_PEERING);
	assert_string_equal(h.peer_vpc_id, "vpc-b");
	F.pcx.state = PCX_PENDING_ACCEPTANCE;
	assert_int_equal(sem_route_resolve(&F.s, &F.rtbs[1], r, &h), SEM_HOP_BLACKHOLE);
	/* No route. */
	F.rtbs[0].n_routes = 1;
	assert_null(sem_route_lookup(&F.rtbs[0], fx_ip("8.8.8.8")));
}

static void test_snapshot_facts(void **state)
{
	(void)state;
	fx_build(&F);
	assert_int_equal(sem_eni_public_ip(&F.s, &F.enis[FX_BASTION]), fx_ip("198.18.0.1"));
	assert_int_equal(sem_eni_public_ip(&F.s, &F.enis[FX_INTERNAL]), 0);
	assert_ptr_equal(sem_eni_by_public_ip(&F.s, fx_ip("198.18.0.2")), &F.enis[FX_NAT]);
	assert_ptr_equal(sem_eni_by_ip(&F.s, fx_ip("10.0.1.5")), &F.enis[FX_INTERNAL]);
	assert_true(sem_eni_checks_src_dst(&F.enis[FX_BASTION]));
	assert_false(sem_eni_checks_src_dst(&F.enis[FX_NAT]));
	assert_true(sem_is_link_local(fx_ip("169.254.169.254")));
	assert_false(sem_is_link_local(fx_ip("10.0.0.1")));
	assert_true(sem_is_private_space(fx_ip("100.64.1.1")));
	assert_true(sem_is_private_space(fx_ip("172.31.0.1")));
	assert_false(sem_is_private_space(fx_ip("198.18.0.1")));
	assert_string_equal(sem_vpc_of_ip(&F.s, fx_ip("10.0.200.1"))->head.id, "vpc-a");
	assert_null(sem_vpc_of_ip(&F.s, fx_ip("10.1.0.1")));
	F.inst[FX_BASTION].state = INSTANCE_TERMINATED;
	assert_false(sem_eni_wired(&F.s, &F.enis[FX_BASTION]));
	assert_int_equal(sem_eni_public_ip(&F.s, &F.enis[FX_BASTION]), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sg_flatten_and_allows),
		cmocka_unit_test(test_sg_untracked_and_stale),
		cmocka_unit_test(test_sg_reference_across_peering),
		cmocka_unit_test(test_boxes_agree_with_semantics),
		cmocka_unit_test(test_nacl_first_match),
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_snapshot_facts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
