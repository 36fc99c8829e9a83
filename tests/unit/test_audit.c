// SPDX-License-Identifier: MIT
/* analyze/audit: the seed's VPC (seed_fixture.h) audited — the clean seed
 * exposes the bastion on SSH from My IP alone and has no finding; each
 * anti-pattern the seed articles warn about, introduced into it, is
 * reported under its stable code, naming what to change and what it
 * concerns.  The api tests (tests/api/test_audit.py) do the same through
 * the daemon; these pin the pure module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "analyze/analyze.h"
#include "analyze/audit.h"
#include "seed_fixture.h"
#include "util/arena.h"

static struct fx F;

static struct audit_report run(struct arena *a)
{
	struct audit_report r;
	assert_int_equal(audit_run(&F.s, NULL, a, &r), 0);
	return r;
}

/* The findings of code in r, the first in *ret_first (NULL when none). */
static size_t count(const struct audit_report *r, const char *code,
		    const struct audit_finding **ret_first)
{
	size_t n = 0;
	*ret_first = NULL;
	for (size_t i = 0; i < r->n_findings; i++) {
		if (strcmp(r->findings[i].code, code))
			continue;
		if (!n++)
			*ret_first = &r->findings[i];
	}
	return n;
}

/* Another ingress rule of group, in slot g, with its own ID. */
static void add_rule(int g, const char *group, int proto, int from, int to, const char *cidr,
		     const char *id)
{
	struct sg_rule *r = &F.rules[g][F.sgs[g].n_rules++];
	*r = fx_rule(group, false, proto, from, to, cidr);
	fx_cp(r->id, id);
}

static void test_clean_seed_exposes_bastion_from_my_ip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	struct audit_report r = run(a);
	assert_int_equal(r.n_exposures, 1);
	const struct audit_exposure *x = &r.exposures[0];
	assert_string_equal(x->instance_id, "i-bastion");
	assert_string_equal(x->eni_id, "eni-bastion");
	assert_string_equal(x->vpc_id, "vpc-a");
	assert_string_equal(x->igw_id, "igw-a");
	assert_int_equal(x->public_ip, fx_ip("198.18.0.1"));
	assert_int_equal(x->protocol, 6);
	assert_int_equal(x->from_port, 22);
	assert_int_equal(x->to_port, 22);
	assert_int_equal(x->n_admits, 1);
	assert_string_equal(x->admits[0].source, "192.0.2.1/32");
	assert_int_equal(x->admits[0].n_except, 0);
	assert_string_equal(x->admits[0].group_id, "sg-bastion");
	assert_string_equal(x->admits[0].rule_id, "sgr-bastion-0");
	assert_string_equal(x->admits[0].rule, "tcp/22 from 192.0.2.1/32");
	assert_int_equal(x->admits[0].acl_rule_number, 100);
	/* Confirmed by analyze_path(): the walk ends at the bastion. */
	assert_true(x->n_path > 0);
	assert_string_equal(x->path[x->n_path - 1].component_id, "i-bastion");
	assert_int_equal(count(&r, "SSH_OPEN_TO_WORLD", &f), 0);
	assert_int_equal(r.n_findings, 0);
	arena_free(a);
}

static void test_bastion_open_to_world(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	add_rule(FX_BASTION, "sg-bastion", 6, 22, 22, "0.0.0.0/0", "sgr-world");
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "SSH_OPEN_TO_WORLD", &f), 1);
	assert_int_equal(f->severity, AUDIT_HIGH);
	assert_string_equal(f->resource_id, "sg-bastion");
	assert_non_null(strstr(f->text, "sg-bastion (Bastion Security Group) admits "
					"tcp/22 from 0.0.0.0/0"));
	assert_non_null(strstr(f->text, "i-bastion"));
	/* The rule to revoke, by its ID; My IP's rule stays. */
	assert_non_null(strstr(f->fix, "--security-group-rule-ids sgr-world"));
	assert_non_null(strstr(f->fix, "192.0.2.1/32 stays admitted"));
	assert_int_equal(count(&r, "RDP_OPEN_TO_WORLD", &f), 0);
	/* Both sources of the one exposure, in rule order. */
	assert_int_equal(r.n_exposures, 1);
	assert_int_equal(r.exposures[0].n_admits, 2);
	assert_string_equal(r.exposures[0].admits[0].source, "192.0.2.1/32");
	assert_string_equal(r.exposures[0].admits[1].source, "0.0.0.0/0");
	arena_free(a);
}

static void test_rdp_open_to_world(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	add_rule(FX_BASTION, "sg-bastion", 6, 3389, 3389, "0.0.0.0/0", "sgr-rdp");
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "RDP_OPEN_TO_WORLD", &f), 1);
	assert_string_equal(f->resource_id, "sg-bastion");
	assert_non_null(strstr(f->fix, "sgr-rdp"));
	assert_int_equal(count(&r, "SSH_OPEN_TO_WORLD", &f), 0);
	arena_free(a);
}

static void test_nat_with_source_dest_check(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "NAT_SOURCE_DEST_CHECK", &f), 0);
	F.enis[FX_NAT].source_dest_check = true;
	r = run(a);
	assert_int_equal(count(&r, "NAT_SOURCE_DEST_CHECK", &f), 1);
	assert_int_equal(f->severity, AUDIT_HIGH);
	assert_string_equal(f->resource_id, "i-nat");
	assert_non_null(strstr(f->text, "0.0.0.0/0 in rtb-main"));
	assert_non_null(strstr(f->fix, "modify-instance-attribute --instance-id i-nat "
				       "--no-source-dest-check"));
	arena_free(a);
}

static void test_private_ssh_from_cidr(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	add_rule(FX_INTERNAL, "sg-internal", 6, 22, 22, "198.51.100.0/24", "sgr-cidr");
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "PRIVATE_NOT_VIA_BASTION", &f), 1);
	assert_int_equal(f->severity, AUDIT_MEDIUM);
	assert_string_equal(f->resource_id, "sg-internal");
	assert_non_null(strstr(f->text, "tcp/22 from 198.51.100.0/24"));
	assert_non_null(strstr(f->text, "i-internal"));
	/* The bastion's group already admits it: the fix is only the revoke. */
	assert_non_null(strstr(f->fix, "the bastion's group sg-bastion stays admitted"));
	assert_non_null(strstr(f->fix, "--security-group-rule-ids sgr-cidr"));
	/* Not an exposure: the private instance has no public address. */
	assert_int_equal(r.n_exposures, 1);
	arena_free(a);
}

static void test_bastions_in_one_az(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	fx_cp(F.subnets[0].az, "us-east-1a");
	fx_cp(F.subnets[1].az, "us-east-1a");
	/* A second private subnet (rtb-main: no gateway) in another AZ. */
	fx_cp(F.subnets[2].head.id, "subnet-priv2");
	fx_cp(F.subnets[2].vpc_id, "vpc-a");
	fx_cp(F.subnets[2].az, "us-east-1b");
	F.subnets[2].cidr = fx_cidr("10.0.2.0/24");
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "SINGLE_BASTION_AZ", &f), 0);
	F.s.n_subnets = 3;
	r = run(a);
	assert_int_equal(count(&r, "SINGLE_BASTION_AZ", &f), 1);
	assert_int_equal(f->severity, AUDIT_LOW);
	assert_string_equal(f->resource_id, "vpc-a");
	assert_non_null(strstr(f->text, "the private subnets of us-east-1b"));
	arena_free(a);
}

/* Checklist 34: the NAT instance (check off) can send from the bastion's
 * address; a UDP rule admitting the bastion's group admits it too.  The
 * seed's own reference is tcp/22 only: a spoofed handshake does not
 * complete, so it is not reported. */
static void test_group_reference_spoofable(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	const struct audit_finding *f;
	fx_build(&F);
	struct audit_report r = run(a);
	assert_int_equal(count(&r, "GROUP_SPOOFABLE", &f), 0);
	add_rule(FX_INTERNAL, "sg-internal", 17, 514, 514, "sg-bastion", "sgr-syslog");
	r = run(a);
	assert_int_equal(count(&r, "GROUP_SPOOFABLE", &f), 1);
	assert_int_equal(f->severity, AUDIT_MEDIUM);
	assert_string_equal(f->resource_id, "i-nat");
	assert_non_null(strstr(f->text, "udp/514 from sg-bastion (Bastion Security Group) in "
					"sg-internal (Internal Instance)"));
	assert_non_null(strstr(f->fix, "--instance-id i-nat --source-dest-check"));
	/* With the check on, the router drops its foreign sources. */
	F.enis[FX_NAT].source_dest_check = true;
	r = run(a);
	assert_int_equal(count(&r, "GROUP_SPOOFABLE", &f), 0);
	/* A member of the group needs no spoofing. */
	F.enis[FX_NAT].source_dest_check = false;
	const char *both[] = { "sg-nat", "sg-bastion" };
	const char *names[] = { "NAT Security Group", "Bastion Security Group" };
	F.enis[FX_NAT].group_ids = both;
	F.enis[FX_NAT].group_names = names;
	F.enis[FX_NAT].n_groups = 2;
	r = run(a);
	assert_int_equal(count(&r, "GROUP_SPOOFABLE", &f), 0);
	arena_free(a);
}

static void test_unknown_vpc(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct audit_report r;
	fx_build(&F);
	assert_int_equal(audit_run(&F.s, "vpc-nope", a, &r), -ENOENT);
	assert_int_equal(audit_run(&F.s, "vpc-a", a, &r), 0);
	assert_int_equal(r.n_exposures, 1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_seed_exposes_bastion_from_my_ip),
		cmocka_unit_test(test_bastion_open_to_world),
		cmocka_unit_test(test_rdp_open_to_world),
		cmocka_unit_test(test_nat_with_source_dest_check),
		cmocka_unit_test(test_private_ssh_from_cidr),
		cmocka_unit_test(test_bastions_in_one_az),
		cmocka_unit_test(test_group_reference_spoofable),
		cmocka_unit_test(test_unknown_vpc),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
