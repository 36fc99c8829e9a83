// SPDX-License-Identifier: MIT
/* api/params: the form decoder is the first code that touches client bytes;
 * every limit of checklist item 21 is checked here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/params.h"
#include "util/arena.h"
#include "util/xalloc.h"

static enum params_error decode(struct arena *a, const char *s, struct params *p)
{
	char bad[64];
	return params_decode(a, s, strlen(s), p, bad);
}

static void decodes_and_sorts(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct params p;
	assert_int_equal(decode(a, "Version=2016-11-15&Action=CreateVpc&CidrBlock=10.0.0.0%2F16"
				   "&TagSpecification.1.Tag.1.Value=My+Test+VPC",
				&p),
			 PARAMS_OK);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.v[0].name, "Action");
	assert_string_equal(params_get(&p, "CidrBlock"), "10.0.0.0/16");
	assert_string_equal(params_get(&p, "TagSpecification.1.Tag.1.Value"), "My Test VPC");
	assert_null(params_get(&p, "Missing"));
	arena_free(a);
}

static void empty_and_valueless(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct params p;
	assert_int_equal(decode(a, "", &p), PARAMS_OK);
	assert_int_equal(p.n, 0);
	assert_int_equal(decode(a, "A&B=&&C=1", &p), PARAMS_OK);
	assert_int_equal(p.n, 3);
	assert_string_equal(params_get(&p, "A"), "");
	arena_free(a);
}

static void refuses_bad_input(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct params p;
	assert_int_equal(decode(a, "A=%zz", &p), PARAMS_MALFORMED);
	assert_int_equal(decode(a, "A=%4", &p), PARAMS_MALFORMED);
	assert_int_equal(decode(a, "A=%00", &p), PARAMS_MALFORMED);
	assert_int_equal(decode(a, "A=%ff%fe", &p), PARAMS_MALFORMED);       /* not UTF-8 */
	assert_int_equal(decode(a, "A=%c0%80", &p), PARAMS_MALFORMED);       /* overlong NUL */
	assert_int_equal(decode(a, "A=%ed%a0%80", &p), PARAMS_MALFORMED);    /* surrogate */
	assert_int_equal(decode(a, "=1", &p), PARAMS_MALFORMED);
	assert_int_equal(decode(a, "A=1&A=2", &p), PARAMS_DUPLICATE);
	assert_int_equal(decode(a, "VpcId.0=x", &p), PARAMS_BAD_INDEX);
	assert_int_equal(decode(a, "VpcId.01=x", &p), PARAMS_BAD_INDEX);
	assert_int_equal(decode(a, "VpcId.1001=x", &p), PARAMS_BAD_INDEX);
	assert_int_equal(decode(a, "VpcId.99999999999=x", &p), PARAMS_BAD_INDEX);
	assert_int_equal(decode(a, "Filter.1.Value.1000=x", &p), PARAMS_OK);
	assert_int_equal(decode(a, "A=%e2%82%ac", &p), PARAMS_OK); /* € */
	arena_free(a);
}

static void limits(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct params p;
	char *big = xmalloc(PARAM_VALUE_MAX + 16);
	memcpy(big, "A=", 2);
	memset(big + 2, 'x', PARAM_VALUE_MAX + 1);
	big[PARAM_VALUE_MAX + 3] = '\0';
	assert_int_equal(decode(a, big, &p), PARAMS_TOO_LONG);
	big[PARAM_VALUE_MAX + 2] = '\0';
	assert_int_equal(decode(a, big, &p), PARAMS_OK);
	free(big);
	size_t n = (PARAMS_MAX + 1) * 2;
	char *many = xcalloc(n + 1, 1);
	for (size_t i = 0; i < n; i += 2)
		memcpy(many + i, "&&", 2);
	assert_int_equal(decode(a, many, &p), PARAMS_TOO_MANY);
	free(many);
	arena_free(a);
}

static void lists(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct params p;
	assert_int_equal(decode(a, "VpcId.1=a&VpcId.2=b&VpcId.3=c&VpcId.10=z&Filter.1.Name=x"
				   "&Filter.1.Value.1=y&Filter.2.Name=q",
				&p),
			 PARAMS_OK);
	assert_int_equal(params_list_len(&p, "VpcId"), 3); /* a gap (4..9) ends the list */
	assert_int_equal(params_list_len(&p, "Filter"), 2);
	assert_int_equal(params_list_len(&p, "Filter.1.Value"), 1);
	assert_int_equal(params_list_len(&p, "Nope"), 0);
	assert_true(params_has_prefix(&p, "Filter"));
	assert_false(params_has_prefix(&p, "Filt"));
	assert_true(params_name_matches("Filter.#.Name", "Filter.12.Name"));
	assert_false(params_name_matches("Filter.#.Name", "Filter..Name"));
	assert_false(params_name_matches("Filter.#.Name", "Filter.1.Names"));
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decodes_and_sorts), cmocka_unit_test(empty_and_valueless),
		cmocka_unit_test(refuses_bad_input), cmocka_unit_test(limits),
		cmocka_unit_test(lists),
	};
	return cmocka_run_group_tests_name("params", tests, NULL, NULL);
}
