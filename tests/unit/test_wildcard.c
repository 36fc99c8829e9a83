// SPDX-License-Identifier: MIT
/* util/wildcard: AWS filter semantics — '*' any run, '?' zero or one
 * character, backslash escapes — and no exponential blow-up (checklist 22). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "util/wildcard.h"

static void matches_like_aws(void **state)
{
	(void)state;
	assert_true(wildcard_match("vpc-123", "vpc-123"));
	assert_false(wildcard_match("vpc-123", "vpc-1234"));
	assert_true(wildcard_match("vpc-*", "vpc-0a1b"));
	assert_true(wildcard_match("*", ""));
	assert_true(wildcard_match("10.0.?.0/24", "10.0.1.0/24"));
	assert_true(wildcard_match("10.0.?.0/24", "10.0..0/24")); /* ? matches zero too */
	assert_false(wildcard_match("10.0.?.0/24", "10.0.12.0/24"));
	assert_true(wildcard_match("a\\*b", "a*b"));
	assert_false(wildcard_match("a\\*b", "axb"));
	assert_true(wildcard_match("a\\?", "a?"));
	assert_true(wildcard_match("a\\\\", "a\\"));
	assert_false(wildcard_match("Prod", "prod")); /* case-sensitive */
	assert_true(wildcard_match("*Test*", "My Test VPC"));
}

static void no_exponential_backtracking(void **state)
{
	(void)state;
	char pat[201], text[4001];
	for (int i = 0; i < 200; i += 2)
		memcpy(pat + i, "*a", 2);
	pat[200] = '\0';
	memset(text, 'a', 4000);
	text[4000] = '\0';
	text[3999] = 'b';
	/* 100 stars against 4000 characters: quadratic at worst, instant here. */
	assert_false(wildcard_match(pat, text));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(matches_like_aws),
		cmocka_unit_test(no_exponential_backtracking),
	};
	return cmocka_run_group_tests_name("wildcard", tests, NULL, NULL);
}
