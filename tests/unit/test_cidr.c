// SPDX-License-Identifier: MIT
/* util/cidr: strict parsing (checklist 22: no "10.1", hex, octal or leading
 * zeros), canonicalisation (GEN-5) and the arithmetic the model relies on. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/cidr.h"

static void parses_and_canonicalises(void **state)
{
	(void)state;
	struct cidr c;
	char buf[CIDR_STR_MAX];
	assert_int_equal(cidr_parse("10.0.0.0/16", &c), 0);
	assert_string_equal(cidr_format(&c, buf), "10.0.0.0/16");
	assert_int_equal(cidr_parse("100.68.0.18/18", &c), 0);
	assert_string_equal(cidr_format(&c, buf), "100.68.0.0/18");
	assert_int_equal(cidr_parse("0.0.0.0/0", &c), 0);
	assert_string_equal(cidr_format(&c, buf), "0.0.0.0/0");
	assert_int_equal(cidr_parse("255.255.255.255/32", &c), 0);
	assert_string_equal(cidr_format(&c, buf), "255.255.255.255/32");
}

static void rejects_garbage(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"", "10.0.0.0", "10.0.0.0/", "10.0.0.0/33", "10.0.0.0/-1", "10.1/16",
		"0x0a.0.0.0/8", "010.0.0.0/8", "10.0.0.00/8", "10.0.0.0/08", "10.0.0.0/8 ",
		" 10.0.0.0/8", "10.0.0.0/8/8", "256.0.0.0/8", "1.2.3.4.5/8", "10.0.0.0/1a",
		"::1/128", "10.0.0.0/+8", "10.0.0.0/123",
	};
	struct cidr c;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_not_equal(cidr_parse(bad[i], &c), 0);
}

static void ip_parsing_is_strict(void **state)
{
	(void)state;
	uint32_t a;
	assert_int_equal(ip4_parse("192.0.2.1", &a), 0);
	assert_int_equal(a, 0xc0000201u);
	assert_int_not_equal(ip4_parse("192.0.2.01", &a), 0);
	assert_int_not_equal(ip4_parse("192.0.2", &a), 0);
	assert_int_not_equal(ip4_parse("0300.0.2.1", &a), 0);
}

static void arithmetic(void **state)
{
	(void)state;
	struct cidr vpc, sub, other, wide;
	assert_int_equal(cidr_parse("10.0.0.0/16", &vpc), 0);
	assert_int_equal(cidr_parse("10.0.1.0/24", &sub), 0);
	assert_int_equal(cidr_parse("10.1.0.0/24", &other), 0);
	assert_int_equal(cidr_parse("10.0.0.0/8", &wide), 0);
	assert_true(cidr_contains(&vpc, &sub));
	assert_false(cidr_contains(&sub, &vpc));
	assert_false(cidr_contains(&vpc, &other));
	assert_true(cidr_overlaps(&wide, &vpc));
	assert_true(cidr_overlaps(&vpc, &wide));
	assert_false(cidr_overlaps(&sub, &other));
	assert_int_equal(cidr_size(&sub), 256);
	assert_int_equal(cidr_last(&sub), 0x0a0001ffu);
	assert_true(cidr_contains_ip(&sub, 0x0a000105u));
	assert_false(cidr_contains_ip(&sub, 0x0a000205u));
	struct cidr all = { 0, 0 };
	assert_int_equal(cidr_size(&all), (uint64_t)1 << 32);
	assert_true(cidr_contains(&all, &vpc));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_and_canonicalises),
		cmocka_unit_test(rejects_garbage),
		cmocka_unit_test(ip_parsing_is_strict),
		cmocka_unit_test(arithmetic),
	};
	return cmocka_run_group_tests_name("cidr", tests, NULL, NULL);
}
