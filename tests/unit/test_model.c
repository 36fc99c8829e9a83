// SPDX-License-Identifier: MIT
/* model/vpc and model/subnet: AWS's CIDR and addressing rules (VPC-1, VPC-7,
 * SUB-1, SUB-2, SUB-5, SUB-6, VPC-12/13), without a daemon. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "model/region.h"
#include "model/subnet.h"
#include "model/vpc.h"

static struct cidr C(const char *s)
{
	struct cidr c;
	assert_int_equal(cidr_parse(s, &c), 0);
	return c;
}

static void vpc_sizes(void **state)
{
	(void)state;
	struct cidr c;
	c = C("10.0.0.0/16");
	assert_int_equal(vpc_cidr_check(&c), 0);
	c = C("10.0.0.0/28");
	assert_int_equal(vpc_cidr_check(&c), 0);
	c = C("10.0.0.0/15");
	assert_int_equal(vpc_cidr_check(&c), -ERANGE);
	c = C("10.0.0.0/29");
	assert_int_equal(vpc_cidr_check(&c), -ERANGE);
	c = C("169.254.0.0/16");
	assert_int_equal(vpc_cidr_check(&c), -ERANGE);
	c = C("100.64.0.0/16");
	assert_int_equal(vpc_cidr_check(&c), 0);
}

static void vpc_additional_blocks(void **state)
{
	(void)state;
	struct cidr have[2] = { C("10.0.0.0/16") }, add;
	add = C("10.1.0.0/16");
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), 0);
	add = C("10.0.128.0/17");
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), -EEXIST);
	add = C("192.168.0.0/16"); /* another RFC 1918 range */
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), -ERANGE);
	add = C("100.64.0.0/16"); /* shared space mixes with anything */
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), 0);
	add = C("198.19.0.0/16");
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), -ERANGE);
	have[0] = C("172.16.0.0/16");
	add = C("172.31.0.0/16");
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), -ERANGE);
	have[0] = C("10.1.0.0/16");
	add = C("10.0.0.0/16"); /* 10.1/16 lies in 10.0.0.0/15 */
	assert_int_equal(vpc_cidr_check_additional(have, 1, &add), -ERANGE);
}

static void subnet_rules(void **state)
{
	(void)state;
	struct vpc_cidr_assoc as = { .cidr = C("10.2.0.0/20"), .state = CIDR_ASSOCIATED };
	struct vpc v = { .cidr = as.cidr, .assocs = &as, .n_assocs = 1 };
	struct cidr c;
	c = C("10.2.0.0/24");
	assert_int_equal(subnet_cidr_check(&v, &c), 0);
	c = C("10.2.0.0/20"); /* the whole VPC block */
	assert_int_equal(subnet_cidr_check(&v, &c), 0);
	c = C("10.1.0.0/24");
	assert_int_equal(subnet_cidr_check(&v, &c), -ERANGE);
	c = C("10.2.0.0/19");
	assert_int_equal(subnet_cidr_check(&v, &c), -ERANGE);
	c = C("10.2.0.0/29");
	assert_int_equal(subnet_cidr_check(&v, &c), -ERANGE);

	struct subnet s[1] = { { .cidr = C("10.2.0.0/24") } };
	c = C("10.2.0.128/26");
	assert_int_equal(subnet_conflict(s, 1, &c), 0);
	c = C("10.2.1.0/24");
	assert_int_equal(subnet_conflict(s, 1, &c), -1);
	assert_true(subnet_addr_reserved(&s[0], 0x0a020000u));
	assert_true(subnet_addr_reserved(&s[0], 0x0a020001u));
	assert_true(subnet_addr_reserved(&s[0], 0x0a020002u));
	assert_true(subnet_addr_reserved(&s[0], 0x0a020003u));
	assert_false(subnet_addr_reserved(&s[0], 0x0a020004u));
	assert_true(subnet_addr_reserved(&s[0], 0x0a0200ffu));
	assert_int_equal(subnet_available_addrs(&s[0]), 251);
	s[0].used_addrs = 2;
	assert_int_equal(subnet_available_addrs(&s[0]), 249);
	s[0].cidr = C("10.2.0.0/28");
	s[0].used_addrs = 0;
	assert_int_equal(subnet_available_addrs(&s[0]), 11);
}

static void default_subnet_blocks(void **state)
{
	(void)state;
	struct cidr vpc = C("172.31.0.0/16"), got;
	struct subnet have[2] = { { .cidr = C("172.31.0.0/20") }, { .cidr = C("172.31.32.0/20") } };
	assert_int_equal(subnet_next_default_block(&vpc, have, 2, &got), 0);
	assert_true(cidr_equal(&got, &(struct cidr){ 0xac1f1000u, 20 })); /* 172.31.16.0/20 */
	vpc = C("172.31.0.0/20");
	assert_int_equal(subnet_next_default_block(&vpc, have, 1, &got), -ENOSPC);
}

static void regions(void **state)
{
	(void)state;
	const struct region *r = region_find("us-east-1");
	char name[AZ_NAME_MAX], id[AZ_NAME_MAX];
	assert_non_null(r);
	assert_int_equal(r->n_azs, 6);
	region_az(r, 5, name, id);
	assert_string_equal(name, "us-east-1f");
	assert_string_equal(id, "use1-az6");
	assert_int_equal(region_az_index(r, "us-east-1c"), 2);
	assert_int_equal(region_az_index(r, "use1-az2"), 1);
	assert_int_equal(region_az_index(r, "us-east-1g"), -1);
	assert_int_equal(region_find("eu-west-1")->n_azs, 3);
	assert_null(region_find("mars-1"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vpc_sizes),         cmocka_unit_test(vpc_additional_blocks),
		cmocka_unit_test(subnet_rules),      cmocka_unit_test(default_subnet_blocks),
		cmocka_unit_test(regions),
	};
	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
