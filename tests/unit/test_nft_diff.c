// SPDX-License-Identifier: MIT
/* dataplane/nft_diff.c: a table's next version as element changes only,
 * or NULL when anything else changed (then the table is reloaded). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/nft_diff.h"

static const char *table(const char *sg_in, const char *nacl, const char *chain)
{
	static char out[4][1024];
	static int k;
	char *t = out[k++ % 4];
	snprintf(t, 1024,
		 "table inet lv1 {\n"
		 "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n%s\t}\n"
		 "\tmap nacl_out {\n\t\ttype ifname : verdict\n%s\t}\n"
		 "\tchain forward {\n\t\t%s\n\t}\n"
		 "}\n",
		 sg_in, nacl, chain);
	return t;
}

static void identical_is_empty(void **state)
{
	(void)state;
	const char *a = table("\t\telements = { \"e1\" . 10.0.0.0/8 }\n", "", "accept");
	char *d = nft_diff("inet lv1", a, a);
	assert_non_null(d);
	assert_string_equal(d, "");
	free(d);
}

static void elements_added_and_removed(void **state)
{
	(void)state;
	const char *a = table("\t\telements = { \"e1\" . 10.0.0.0/8, \"e2\" . 10.1.0.0/16 }\n",
			      "\t\telements = { \"e1\" : jump x }\n", "accept");
	const char *b = table("\t\telements = { \"e2\" . 10.1.0.0/16, \"e3\" . 192.0.2.1 }\n",
			      "\t\telements = { \"e1\" : jump y, \"e3\" : jump x }\n", "accept");
	char *d = nft_diff("inet lv1", a, b);
	assert_non_null(d);
	assert_string_equal(d,
			    "delete element inet lv1 sg_in { \"e1\" . 10.0.0.0/8 }\n"
			    "delete element inet lv1 nacl_out { \"e1\" }\n"
			    "add element inet lv1 sg_in { \"e3\" . 192.0.2.1 }\n"
			    "add element inet lv1 nacl_out { \"e1\" : jump y, \"e3\" : jump x }\n");
	free(d);
}

static void from_and_to_empty_sets(void **state)
{
	(void)state;
	const char *a = table("", "", "accept");
	const char *b = table("\t\telements = { \"e1\" . 10.0.0.0/8 }\n", "", "accept");
	char *d = nft_diff("inet lv1", a, b);
	assert_string_equal(d, "add element inet lv1 sg_in { \"e1\" . 10.0.0.0/8 }\n");
	free(d);
	d = nft_diff("inet lv1", b, a);
	assert_string_equal(d, "delete element inet lv1 sg_in { \"e1\" . 10.0.0.0/8 }\n");
	free(d);
}

static void anything_else_needs_a_reload(void **state)
{
	(void)state;
	const char *a = table("", "", "accept");
	assert_null(nft_diff("inet lv1", a, table("", "", "drop")));
	assert_null(nft_diff("inet lv1", a, "table inet lv1 {\n}\n"));
	/* A set's flags are part of its shape. */
	const char *c = "table inet lv1 {\n\tset s {\n\t\ttype ipv4_addr\n\t}\n}\n";
	const char *e = "table inet lv1 {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n\t}\n}\n";
	assert_null(nft_diff("inet lv1", c, e));
}

/* A part: the sg_in set alone, as compile/sg_edit.h writes one. */
static const char *part(const char *sg_in)
{
	static char out[4][512];
	static int k;
	char *t = out[k++ % 4];
	snprintf(t, 512, "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n%s\t}\n",
		 sg_in);
	return t;
}

static void text_edited_by_parts(void **state)
{
	(void)state;
	const char *nacl = "\t\telements = { \"e1\" : jump x }\n";
	const char *a = table("\t\telements = { \"e1\" . 10.0.0.0/8, \"e2\" . 10.1.0.0/16 }\n",
			      nacl, "accept");
	/* e1's elements go from one prefix to two; e2's stay. */
	char *t = nft_text_edit(a, part("\t\telements = { \"e1\" . 10.0.0.0/8 }\n"),
				part("\t\telements = { \"e1\" . 10.2.0.0/16, \"e1\" . 10.3.0.0/16 }\n"));
	assert_non_null(t);
	assert_string_equal(
		t, table("\t\telements = { \"e2\" . 10.1.0.0/16, \"e1\" . 10.2.0.0/16, "
			 "\"e1\" . 10.3.0.0/16 }\n",
			 nacl, "accept"));
	/* What the edit says equals what the whole next text says. */
	char *d = nft_diff("inet lv1", t,
			   table("\t\telements = { \"e1\" . 10.2.0.0/16, \"e1\" . 10.3.0.0/16, "
				 "\"e2\" . 10.1.0.0/16 }\n",
				 nacl, "accept"));
	assert_string_equal(d, "");
	free(d);
	free(t);
}

static void text_edit_to_and_from_empty(void **state)
{
	(void)state;
	const char *e1 = "\t\telements = { \"e1\" . 10.0.0.0/8 }\n";
	char *t = nft_text_edit(table(e1, "", "accept"), part(e1), part(""));
	assert_string_equal(t, table("", "", "accept")); /* no elements line at all */
	char *u = nft_text_edit(t, part(""), part(e1));
	assert_string_equal(u, table(e1, "", "accept"));
	free(t);
	free(u);
}

static void text_edit_refuses_what_it_cannot_follow(void **state)
{
	(void)state;
	const char *a = table("\t\telements = { \"e2\" . 10.1.0.0/16 }\n", "", "accept");
	/* An element to delete the text does not hold: the memo is wrong. */
	assert_null(nft_text_edit(a, part("\t\telements = { \"e1\" . 10.0.0.0/8 }\n"), part("")));
	/* A set the text lacks. */
	const char *other = "\tset sg_out {\n\t\ttype ipv4_addr\n\t}\n";
	assert_null(nft_text_edit(a, other, "\tset sg_out {\n\t\ttype ipv4_addr\n"
					    "\t\telements = { 10.0.0.1 }\n\t}\n"));
	/* Parts that differ in more than elements. */
	assert_null(nft_text_edit(a, part(""), "\tset sg_in {\n\t\ttype ipv4_addr\n\t}\n"));
	/* Parts that change nothing leave the text as it is. */
	char *t = nft_text_edit(a, part(""), part(""));
	assert_string_equal(t, a);
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(identical_is_empty),
		cmocka_unit_test(elements_added_and_removed),
		cmocka_unit_test(from_and_to_empty_sets),
		cmocka_unit_test(anything_else_needs_a_reload),
		cmocka_unit_test(text_edited_by_parts),
		cmocka_unit_test(text_edit_to_and_from_empty),
		cmocka_unit_test(text_edit_refuses_what_it_cannot_follow),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
