// SPDX-License-Identifier: MIT
/* model/route_table: AWS's rules for routes without a daemon — one target
 * per route (RT-10), destinations against the VPC's blocks (RT-12..15), the
 * local route (RT-9), gateway route tables (RT-24) and the table helpers. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>
#include <string.h>

#include "model/route_table.h"

static struct cidr C(const char *s)
{
	struct cidr c;
	assert_int_equal(cidr_parse(s, &c), 0);
	return c;
}

static struct route R(const char *dest, enum route_target t, const char *id, const char *origin)
{
	struct route r;
	memset(&r, 0, sizeof(r));
	r.dest = C(dest);
	r.target = t;
	snprintf(r.target_id, sizeof(r.target_id), "%s", id);
	r.origin = origin;
	return r;
}

static void target_names_round_trip(void **state)
{
	(void)state;
	for (int i = 0; i < ROUTE_TARGET_COUNT; i++) {
		enum route_target t;
		const char *name = route_target_name((enum route_target)i);
		assert_int_equal(route_target_parse(name, &t), 0);
		assert_int_equal(t, i);
	}
	enum route_target t = ROUTE_GATEWAY;
	assert_int_equal(route_target_parse("transit-gateway", &t), -EINVAL);
	assert_int_equal(t, ROUTE_GATEWAY); /* untouched on failure */
	assert_string_equal(route_target_name(ROUTE_NAT_GATEWAY), "nat-gateway");
}

static void exactly_one_target(void **state)
{
	(void)state;
	const char *ids[ROUTE_TARGET_COUNT] = { 0 };
	enum route_target t = ROUTE_LOCAL;

	/* None: MissingParameter. */
	assert_int_equal(route_pick_target(ids, 0, &t), -ENOENT);
	/* One. */
	ids[ROUTE_GATEWAY] = "igw-1";
	assert_int_equal(route_pick_target(ids, 0, &t), 0);
	assert_int_equal(t, ROUTE_GATEWAY);
	ids[ROUTE_GATEWAY] = NULL;
	ids[ROUTE_EGRESS_ONLY_IGW] = "eigw-1";
	assert_int_equal(route_pick_target(ids, 0, &t), 0);
	assert_int_equal(t, ROUTE_EGRESS_ONLY_IGW);
	/* Two: InvalidParameterCombination, whichever they are. */
	ids[ROUTE_NAT_GATEWAY] = "nat-1";
	t = ROUTE_LOCAL;
	assert_int_equal(route_pick_target(ids, 0, &t), -EINVAL);
	assert_int_equal(t, ROUTE_LOCAL);
	ids[ROUTE_NAT_GATEWAY] = NULL;
	assert_int_equal(route_pick_target(ids, 1, &t), -EINVAL);
	/* Only a target localvpc does not model. */
	ids[ROUTE_EGRESS_ONLY_IGW] = NULL;
	assert_int_equal(route_pick_target(ids, 1, &t), -EOPNOTSUPP);
	assert_int_equal(route_pick_target(ids, 2, &t), -EINVAL);
	/* LocalTarget counts as a target. */
	ids[ROUTE_LOCAL] = "local";
	assert_int_equal(route_pick_target(ids, 0, &t), 0);
	assert_int_equal(t, ROUTE_LOCAL);
	ids[ROUTE_NETWORK_INTERFACE] = "eni-1";
	assert_int_equal(route_pick_target(ids, 0, &t), -EINVAL);
}

static void destinations(void **state)
{
	(void)state;
	const struct cidr vpc[] = { C("10.0.0.0/16"), C("10.1.0.0/16") };
	const struct cidr sub[] = { C("10.0.1.0/24"), C("10.1.2.0/24") };
	struct cidr d;

	/* RT-13: outside the VPC, or wider than it, is fine for any target. */
	d = C("0.0.0.0/0");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	d = C("192.168.0.0/16");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_VPC_PEERING), 0);
	d = C("10.0.0.0/15");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	d = C("10.0.0.0/8");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NAT_GATEWAY), 0);
	/* RT-12: equal to any VPC block, secondary included. */
	d = C("10.0.0.0/16");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), -EEXIST);
	d = C("10.1.0.0/16");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NETWORK_INTERFACE), -EEXIST);
	/* RT-14: more specific than local... */
	d = C("10.0.1.0/24");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), -ERANGE);
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_VPC_PEERING), -ERANGE);
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_EGRESS_ONLY_IGW), -ERANGE);
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_LOCAL), -ERANGE);
	/* ...is fine for a whole subnet towards an appliance... */
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NAT_GATEWAY), 0);
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NETWORK_INTERFACE), 0);
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_INSTANCE), 0);
	d = C("10.1.2.0/24");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NETWORK_INTERFACE), 0);
	/* ...but not for part of a subnet, several subnets or no subnet. */
	d = C("10.0.1.0/25");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NETWORK_INTERFACE), -ERANGE);
	d = C("10.0.0.0/23");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NAT_GATEWAY), -ERANGE);
	d = C("10.0.9.0/24");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NAT_GATEWAY), -ERANGE);
	assert_int_equal(route_dest_check(vpc, 2, NULL, 0, &d, ROUTE_INSTANCE), -ERANGE);
	/* A subnet block that is not inside the VPC's blocks is just outside. */
	d = C("10.2.0.0/24");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	/* RT-15: the reserved /22 and anything inside it, for every target. */
	d = C("169.254.168.0/22");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), -EACCES);
	d = C("169.254.169.254/32");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NETWORK_INTERFACE), -EACCES);
	d = C("169.254.171.0/24");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_NAT_GATEWAY), -EACCES);
	/* ...but a route covering it, or next to it, is accepted. */
	d = C("169.254.0.0/16");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	d = C("169.254.160.0/21");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	d = C("169.254.172.0/22");
	assert_int_equal(route_dest_check(vpc, 2, sub, 2, &d, ROUTE_GATEWAY), 0);
	/* A VPC with no blocks at all (all disassociating) constrains nothing. */
	d = C("10.0.1.0/24");
	assert_int_equal(route_dest_check(NULL, 0, NULL, 0, &d, ROUTE_GATEWAY), 0);
}

static void local_route_rules(void **state)
{
	(void)state;
	/* RT-9: the local route may go to an ENI and back to local only. */
	assert_true(route_local_replaceable_by(ROUTE_NETWORK_INTERFACE));
	assert_true(route_local_replaceable_by(ROUTE_LOCAL));
	assert_false(route_local_replaceable_by(ROUTE_GATEWAY));
	assert_false(route_local_replaceable_by(ROUTE_NAT_GATEWAY));
	assert_false(route_local_replaceable_by(ROUTE_INSTANCE));
	assert_false(route_local_replaceable_by(ROUTE_VPC_PEERING));

	struct route local = R("10.0.0.0/16", ROUTE_LOCAL, "local", ROUTE_ORIGIN_TABLE);
	struct route moved = R("10.0.0.0/16", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_TABLE);
	struct route igw = R("0.0.0.0/0", ROUTE_GATEWAY, "igw-1", ROUTE_ORIGIN_ROUTE);
	assert_true(route_is_local(&local));
	assert_true(route_is_local(&moved)); /* still the local route: cannot be deleted */
	assert_false(route_is_local(&igw));
	assert_string_equal(route_state_name(&igw), "active");
	igw.is_blackhole = true;
	assert_string_equal(route_state_name(&igw), "blackhole");
}

static void gateway_tables(void **state)
{
	(void)state;
	const struct cidr vpc[] = { C("10.0.0.0/16") };
	const struct cidr sub[] = { C("10.0.1.0/24") };
	struct route r;

	r = R("10.0.0.0/16", ROUTE_LOCAL, "local", ROUTE_ORIGIN_TABLE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), 0);
	r = R("10.0.0.0/16", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_TABLE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), 0);
	r = R("10.0.1.0/24", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_ROUTE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), 0);
	/* RT-24: no other targets, no destinations outside the VPC. */
	r = R("0.0.0.0/0", ROUTE_GATEWAY, "igw-1", ROUTE_ORIGIN_ROUTE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), -EINVAL);
	r = R("0.0.0.0/0", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_ROUTE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), -EINVAL);
	r = R("10.0.1.0/24", ROUTE_NAT_GATEWAY, "nat-1", ROUTE_ORIGIN_ROUTE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), -EINVAL);
	r = R("10.0.1.0/25", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_ROUTE);
	assert_int_equal(route_edge_check(vpc, 1, sub, 1, &r), -EINVAL);
}

static void table_helpers(void **state)
{
	(void)state;
	struct route routes[] = {
		R("10.0.0.0/16", ROUTE_LOCAL, "local", ROUTE_ORIGIN_TABLE),
		R("10.1.0.0/16", ROUTE_NETWORK_INTERFACE, "eni-1", ROUTE_ORIGIN_TABLE),
		R("0.0.0.0/0", ROUTE_GATEWAY, "igw-1", ROUTE_ORIGIN_ROUTE),
		R("192.168.0.0/16", ROUTE_INSTANCE, "i-1", ROUTE_ORIGIN_ROUTE),
	};
	struct rtb_assoc assocs[2];
	struct route_table t;
	struct cidr d;

	memset(assocs, 0, sizeof(assocs));
	memset(&t, 0, sizeof(t));
	t.routes = routes;
	t.n_routes = 4;
	t.assocs = assocs;
	/* Only CreateRoute routes count toward RT-8's quota. */
	assert_int_equal(route_count_static(&t), 2);
	d = C("0.0.0.0/0");
	assert_ptr_equal(route_find(&t, &d), &routes[2]);
	d = C("192.168.0.0/16");
	assert_ptr_equal(route_find(&t, &d), &routes[3]);
	d = C("192.168.0.0/24");
	assert_null(route_find(&t, &d));
	d = C("10.0.0.0/16");
	assert_ptr_equal(route_find(&t, &d), &routes[0]);

	assert_null(rtb_main_assoc(&t));
	assert_false(rtb_is_gateway_table(&t));
	snprintf(assocs[0].subnet_id, sizeof(assocs[0].subnet_id), "subnet-1");
	t.n_assocs = 1;
	assert_null(rtb_main_assoc(&t));
	assert_false(rtb_is_gateway_table(&t));
	assocs[1].is_main = true;
	t.n_assocs = 2;
	assert_ptr_equal(rtb_main_assoc(&t), &assocs[1]);
	snprintf(assocs[0].gateway_id, sizeof(assocs[0].gateway_id), "igw-1");
	assocs[0].subnet_id[0] = '\0';
	assert_true(rtb_is_gateway_table(&t));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(target_names_round_trip),
		cmocka_unit_test(exactly_one_target),
		cmocka_unit_test(destinations),
		cmocka_unit_test(local_route_rules),
		cmocka_unit_test(gateway_tables),
		cmocka_unit_test(table_helpers),
	};
	return cmocka_run_group_tests_name("route_table", tests, NULL, NULL);
}
