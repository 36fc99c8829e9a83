// SPDX-License-Identifier: MIT
/* util/id: AWS-shaped IDs (GEN-1) and the prefix rule for Malformed (GEN-2). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/id.h"

static void ids_have_aws_shape(void **state)
{
	(void)state;
	char a[ID_MAX], b[ID_MAX];
	id_new("vpc", a);
	id_new("vpc", b);
	assert_int_equal(strlen(a), 21);
	assert_memory_equal(a, "vpc-", 4);
	for (const char *p = a + 4; *p; p++)
		assert_true((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'));
	assert_string_not_equal(a, b);
	id_new("vpc-cidr-assoc", a);
	assert_int_equal(strlen(a), strlen("vpc-cidr-assoc-") + 17);
}

static void prefix_rule(void **state)
{
	(void)state;
	assert_true(id_has_prefix("vpc-0a1b", "vpc"));
	assert_true(id_has_prefix("vpc-does_not_exist", "vpc")); /* NotFound, not Malformed */
	assert_false(id_has_prefix("vpc-", "vpc"));
	assert_false(id_has_prefix("subnet-0a", "vpc"));
	assert_false(id_has_prefix("vpcx-0a", "vpc"));
	assert_false(id_has_prefix("", "vpc"));
	char u[37];
	uuid_new(u);
	assert_int_equal(strlen(u), 36);
	assert_int_equal(u[14], '4');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ids_have_aws_shape),
		cmocka_unit_test(prefix_rule),
	};
	return cmocka_run_group_tests_name("id", tests, NULL, NULL);
}
