// SPDX-License-Identifier: MIT
/* analyze/: the seed's VPC (seed_fixture.h) analysed hop by hop — what is
 * reachable, which rule decided, AWS's explanation codes, the suggested
 * fix, the return path through stateless ACLs, NAT instances, blackholes,
 * peering without transit, the source/destination check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "analyze/analyze.h"
#include "seed_fixture.h"
#include "util/arena.h"

static struct fx F;
static void dump(const struct analysis *an);

static struct endpoint ep(const char *text)
{
	struct endpoint e;
	assert_int_equal(analyze_endpoint_parse(&F.s, text, &e), 0);
	return e;
}

/* Analyses FROM → TO for tcp/port (icmp when port < 0) on F. */
static struct analysis run(struct arena *a, const char *from, const char *to, int proto,
			   int port)
{
	struct probe p = { .src = ep(from), .dst = ep(to), .protocol = proto, .port = port };
	struct analysis an;
	assert_int_equal(analyze_path(&F.s, &p, a, &an), 0);
	if (getenv("ANALYZE_DUMP")) { /* a person reading what the analyzer says */
		fprintf(stderr, "%s → %s:\n", from, to);
		dump(&an);
	}
	return an;
}

static const struct hop *find_hop(const struct hop *v, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].component_id, id))
			return &v[i];
	return NULL;
}

static void dump(const struct analysis *an)
{
	for (size_t i = 0; i < an->n_fwd; i++)
		fprintf(stderr, "  fwd %s %s %s\n", an->fwd[i].allowed ? "ok" : "NO",
			an->fwd[i].component_id, an->fwd[i].rule);
	for (size_t i = 0; i < an->n_ret; i++)
		fprintf(stderr, "  ret %s %s %s\n", an->ret[i].allowed ? "ok" : "NO",
			an->ret[i].component_id, an->ret[i].rule);
	for (size_t i = 0; i < an->n_why; i++)
		fprintf(stderr, "  why %s %s %s\n", an->why[i].code, an->why[i].component_id,
			an->why[i].text);
}

static void test_admin_reaches_bastion(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "internet:192.0.2.1", "Bastion", 6, 22);
	if (!an.found)
		dump(&an);
	assert_true(an.found);
	const struct hop *igw = find_hop(an.fwd, an.n_fwd, "igw-a");
	assert_non_null(igw);
	assert_int_equal(igw->dst_ip, fx_ip("10.0.0.12")); /* 1:1 NAT */
	const struct hop *sg = find_hop(an.fwd, an.n_fwd, "sg-bastion");
	assert_non_null(sg);
	assert_true(sg->allowed);
	assert_string_equal(sg->direction, "ingress");
	assert_string_equal(sg->rule, "tcp/22 from 192.0.2.1/32");
	/* The replies route back through the gateway and pass both ACLs. */
	assert_true(an.n_ret > 0);
	assert_non_null(find_hop(an.ret, an.n_ret, "rtb-pub"));
	assert_string_equal(analyze_json(&an, &(struct probe){ .src = ep("internet"),
							       .dst = ep("i-bastion"),
							       .protocol = 6, .port = 22 },
					 a)[0] == '{' ? "ok" : "no",
			    "ok");
	arena_free(a);
}

static void test_stranger_does_not_reach_bastion(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "internet:198.51.100.7", "i-bastion", 6, 22);
	assert_false(an.found);
	assert_int_equal(an.n_why, 1);
	assert_string_equal(an.why[0].code, "ENI_SG_RULES_MISMATCH");
	assert_string_equal(an.why[0].component_id, "sg-bastion");
	assert_string_equal(an.why[0].direction, "ingress");
	assert_non_null(strstr(an.suggestion, "add ingress tcp/22 from 198.51.100.7/32 to sg-bastion"));
	arena_free(a);
}

static void test_bastion_to_internal_ssh_only(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "Bastion", "Internal", 6, 22);
	if (!an.found)
		dump(&an);
	assert_true(an.found);
	const struct hop *sg = find_hop(an.fwd, an.n_fwd, "sg-internal");
	assert_non_null(sg);
	assert_string_equal(sg->rule, "tcp/22 from sg-bastion");
	assert_string_equal(sg->rule_id, "sgr-internal-0");
	/* A different subnet: both ACLs, both ways. */
	assert_non_null(find_hop(an.fwd, an.n_fwd, "acl-default"));
	assert_non_null(find_hop(an.ret, an.n_ret, "acl-default"));
	an = run(a, "i-bastion", "10.0.1.5", 6, 80);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "ENI_SG_RULES_MISMATCH");
	/* The NAT instance is not in sg-bastion: no ssh to the internal one. */
	an = run(a, "i-nat", "i-internal", 6, 22);
	assert_false(an.found);
	assert_string_equal(an.why[0].component_id, "sg-internal");
	arena_free(a);
}

/* The motivating case: "ssh is just hanging" from the bastion. */
static void test_hanging_ssh_names_group_and_rule(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	F.rules[2][0] = F.rules[2][1]; /* sg-internal: egress only */
	F.sgs[2].n_rules = 1;
	struct analysis an = run(a, "i-bastion", "i-internal", 6, 22);
	assert_false(an.found);
	assert_int_equal(an.n_why, 1);
	assert_string_equal(an.why[0].code, "ENI_SG_RULES_MISMATCH");
	assert_string_equal(an.why[0].component_type, "AWS::EC2::SecurityGroup");
	assert_string_equal(an.why[0].component_id, "sg-internal");
	assert_non_null(strstr(an.suggestion, "add ingress tcp/22 from sg-bastion to sg-internal"));
	assert_non_null(strstr(an.suggestion, "--source-group sg-bastion"));
	const struct hop *h = &an.fwd[an.n_fwd - 1];
	assert_false(h->allowed);
	assert_string_equal(h->rule, "no rule admits tcp/22 from 10.0.0.12 (sg-bastion)");
	arena_free(a);
}

static void test_internal_out_through_nat_instance(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "i-internal", "internet", 6, 443);
	if (!an.found)
		dump(&an);
	assert_true(an.found);
	assert_non_null(strstr(an.notes, "i-nat is assumed to translate"));
	const struct hop *last = &an.fwd[an.n_fwd - 1];
	assert_string_equal(last->component_id, "igw-a");
	assert_int_equal(last->src_ip, fx_ip("198.18.0.2")); /* the NAT's public IP */
	assert_non_null(find_hop(an.fwd, an.n_fwd, "sg-nat"));
	/* Checked NAT: its check drops what it forwards (SEED-T9). */
	F.enis[FX_NAT].source_dest_check = true;
	an = run(a, "i-internal", "internet", 6, 443);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "ENI_SOURCE_DEST_CHECK_RESTRICTION");
	assert_string_equal(an.why[0].component_id, "eni-nat");
	assert_non_null(strstr(an.suggestion, "--no-source-dest-check"));
	arena_free(a);
}

static void test_acl_deny_names_rule_number(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct nacl_entry v[] = {
		fx_entry(90, false, 6, false, "10.0.0.0/24", 22, 22),
		fx_entry(100, false, -1, true, "0.0.0.0/0", -1, -1),
		fx_entry(100, true, -1, true, "0.0.0.0/0", -1, -1),
	};
	fx_priv_acl(&F, v, 3);
	struct analysis an = run(a, "i-bastion", "i-internal", 6, 22);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "SUBNET_ACL_RESTRICTION");
	assert_string_equal(an.why[0].component_id, "acl-priv");
	assert_string_equal(an.why[0].direction, "ingress");
	const struct hop *h = find_hop(an.fwd, an.n_fwd, "acl-priv");
	assert_int_equal(h->acl_rule_number, 90);
	assert_false(h->allowed);
	assert_non_null(strstr(an.suggestion, "inbound allow rule 89 for tcp 22 from 10.0.0.12/32 "
					      "ahead of rule 90"));
	arena_free(a);
}

/* SEED-T10: inbound 22 allowed, no outbound ephemeral rule. */
static void test_return_blocked_by_stateless_acl(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct nacl_entry v[] = {
		fx_entry(100, false, 6, true, "10.0.0.0/24", 22, 22),
		fx_entry(100, true, 6, true, "0.0.0.0/0", 22, 22),
	};
	fx_priv_acl(&F, v, 2);
	struct analysis an = run(a, "i-bastion", "i-internal", 6, 22);
	assert_false(an.found);
	assert_int_equal(an.n_why, 1);
	assert_true(an.why[0].is_return);
	assert_string_equal(an.why[0].code, "SUBNET_ACL_RESTRICTION");
	assert_string_equal(an.why[0].direction, "egress");
	const struct hop *h = find_hop(an.ret, an.n_ret, "acl-priv");
	assert_non_null(h);
	assert_false(h->allowed);
	assert_int_equal(h->acl_rule_number, 32767);
	assert_non_null(strstr(an.suggestion, "outbound allow rule 200 for tcp 1024-65535 to "
					      "10.0.0.12/32"));
	/* With the ephemeral rule: through. */
	F.entries[1][2] = fx_entry(110, true, 6, true, "10.0.0.0/24", 1024, 65535);
	F.nacls[1].n_entries = 3;
	an = run(a, "i-bastion", "i-internal", 6, 22);
	assert_true(an.found);
	arena_free(a);
}

static void test_blackhole_route(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	F.inst[FX_NAT].state = INSTANCE_STOPPED;
	struct analysis an = run(a, "i-internal", "internet", 6, 443);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "BAD_STATE_ROUTE");
	assert_string_equal(an.why[0].component_id, "rtb-main");
	/* No route at all. */
	F.rtbs[1].n_routes = 1;
	an = run(a, "i-internal", "internet", 6, 443);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "NO_ROUTE_TO_DESTINATION");
	assert_non_null(strstr(an.suggestion, "0.0.0.0/0 → igw-a"));
	arena_free(a);
}

static void test_peering_is_not_transitive(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	fx_peer(&F, PCX_ACTIVE);
	struct analysis an = run(a, "i-peer", "i-internal", 6, 22);
	if (!an.found)
		dump(&an);
	assert_true(an.found);
	assert_non_null(find_hop(an.fwd, an.n_fwd, "pcx-ab"));
	assert_non_null(find_hop(an.ret, an.n_ret, "pcx-ab"));
	/* vpc-b → the internet through vpc-a: no transit (SEED-T12). */
	an = run(a, "i-peer", "internet", 6, 443);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR");
	/* Not active: the route is a blackhole (SEED-T13). */
	F.pcx.state = PCX_PENDING_ACCEPTANCE;
	an = run(a, "i-peer", "i-internal", 6, 22);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "BAD_STATE_ROUTE");
	arena_free(a);
}

static void test_internet_to_private_instance(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "internet", "i-internal", 6, 22);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS");
	/* The bastion's public IP from the internal instance: out through
	 * the NAT, in through the gateway with the NAT's public source. */
	an = run(a, "i-internal", "198.18.0.1", 6, 22);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "ENI_SG_RULES_MISMATCH");
	assert_non_null(strstr(an.why[0].text, "198.18.0.2"));
	arena_free(a);
}

static void test_nat_gateway(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	fx_natgw(&F, NATGW_AVAILABLE);
	struct analysis an = run(a, "i-internal", "internet", 6, 443);
	if (!an.found)
		dump(&an);
	assert_true(an.found);
	const struct hop *g = find_hop(an.fwd, an.n_fwd, "nat-a");
	assert_non_null(g);
	assert_int_equal(g->src_ip, fx_ip("10.0.0.99"));
	assert_int_equal(an.fwd[an.n_fwd - 1].src_ip, fx_ip("198.18.0.9")); /* its EIP */
	assert_string_equal(an.notes, "");
	/* Nothing unsolicited gets in through its EIP (NAT-10). */
	struct probe p = { .src = ep("internet"), .dst = { .kind = EP_IP, .ip = fx_ip("198.18.0.9") },
			   .protocol = 6, .port = 22 };
	assert_int_equal(analyze_path(&F.s, &p, a, &an), 0);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "NO_POSSIBLE_DESTINATION");
	/* Not available: the route is a blackhole. */
	F.natgw.state = NATGW_DELETED;
	an = run(a, "i-internal", "internet", 6, 443);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "BAD_STATE_ROUTE");
	arena_free(a);
}

static void test_icmp_echo(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	struct analysis an = run(a, "internet:192.0.2.1", "i-bastion", 1, -1);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "ENI_SG_RULES_MISMATCH");
	assert_non_null(strstr(an.why[0].text, "icmp type 8"));
	F.rules[0][2] = fx_rule("sg-bastion", false, 1, 8, -1, "0.0.0.0/0");
	F.sgs[0].n_rules = 3;
	an = run(a, "internet:192.0.2.1", "i-bastion", 1, -1);
	assert_true(an.found);
	/* The echo reply (type 0) is what the return ACL judges. */
	assert_int_equal(an.ret[an.n_ret - 1].dst_port, 0);
	arena_free(a);
}

/* A public IP on an instance whose subnet routes 0/0 to the NAT: the
 * request gets in, the replies leave through the NAT, not the gateway. */
static void test_return_needs_route_to_gateway(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	F.enis[FX_INTERNAL].public_ip = fx_ip("198.18.0.3");
	F.rules[2][2] = fx_rule("sg-internal", false, 6, 22, 22, "0.0.0.0/0");
	F.sgs[2].n_rules = 3;
	struct analysis an = run(a, "internet:192.0.2.1", "i-internal", 6, 22);
	assert_false(an.found);
	assert_int_equal(an.n_why, 1);
	assert_true(an.why[0].is_return);
	assert_string_equal(an.why[0].code, "NO_ROUTE_TO_DESTINATION");
	assert_string_equal(an.why[0].component_id, "rtb-main");
	assert_non_null(strstr(an.suggestion, "192.0.2.1/32 → igw-a"));
	arena_free(a);
}

/* The same instance pinged at its public address by the bastion, in the
 * same VPC: the router gives the echo reply the bastion's private address
 * back before routing it, so the local route takes it, not 0/0 → NAT
 * (differential test, seed 1796303439, topology 44). */
static void test_hairpin_reply_takes_local_route(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	fx_build(&F);
	F.enis[FX_INTERNAL].public_ip = fx_ip("198.18.0.3");
	F.rules[2][2] = fx_rule("sg-internal", false, 1, -1, -1, "0.0.0.0/0");
	F.sgs[2].n_rules = 3;
	struct analysis an = run(a, "i-bastion", "198.18.0.3", 1, -1);
	assert_true(an.found);
	/* From the internet the reply still leaves through the NAT. */
	an = run(a, "internet:192.0.2.1", "i-internal", 1, -1);
	assert_false(an.found);
	assert_string_equal(an.why[0].code, "NO_ROUTE_TO_DESTINATION");
	arena_free(a);
}

static void test_endpoints(void **state)
{
	(void)state;
	struct endpoint e;
	fx_build(&F);
	assert_int_equal(analyze_endpoint_parse(&F.s, "internet", &e), 0);
	assert_int_equal(e.kind, EP_INTERNET);
	assert_int_equal(e.ip, ANALYZE_INTERNET_IP);
	assert_int_equal(analyze_endpoint_parse(&F.s, "internet:198.51.100.7", &e), 0);
	assert_int_equal(e.ip, fx_ip("198.51.100.7"));
	assert_int_equal(analyze_endpoint_parse(&F.s, "internet:nope", &e), -EINVAL);
	assert_int_equal(analyze_endpoint_parse(&F.s, "i-nope", &e), -ENOENT);
	assert_int_equal(analyze_endpoint_parse(&F.s, "Nobody", &e), -ENOENT);
	assert_int_equal(analyze_endpoint_parse(&F.s, "NAT", &e), 0);
	assert_string_equal(e.id, "i-nat");
	assert_int_equal(analyze_endpoint_parse(&F.s, "eni-internal", &e), 0);
	assert_int_equal(e.kind, EP_ENI);
	struct probe p = { .src = { .kind = EP_INTERNET }, .dst = { .kind = EP_INTERNET },
			   .protocol = 6, .port = 22 };
	struct analysis an;
	struct arena *a = arena_new();
	assert_int_equal(analyze_path(&F.s, &p, a, &an), -EINVAL);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_admin_reaches_bastion),
		cmocka_unit_test(test_stranger_does_not_reach_bastion),
		cmocka_unit_test(test_bastion_to_internal_ssh_only),
		cmocka_unit_test(test_hanging_ssh_names_group_and_rule),
		cmocka_unit_test(test_internal_out_through_nat_instance),
		cmocka_unit_test(test_acl_deny_names_rule_number),
		cmocka_unit_test(test_return_blocked_by_stateless_acl),
		cmocka_unit_test(test_blackhole_route),
		cmocka_unit_test(test_peering_is_not_transitive),
		cmocka_unit_test(test_internet_to_private_instance),
		cmocka_unit_test(test_nat_gateway),
		cmocka_unit_test(test_icmp_echo),
		cmocka_unit_test(test_return_needs_route_to_gateway),
		cmocka_unit_test(test_hairpin_reply_takes_local_route),
		cmocka_unit_test(test_endpoints),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
