// SPDX-License-Identifier: MIT
/* dataplane/memo.c: the reconciler's memory — entries found by name,
 * replaced and forgotten; the spec hash sees every field that matters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "dataplane/memo.h"

static void put_get_forget(void **state)
{
	(void)state;
	struct dp_memo *m = dp_memo_new();
	char name[32];
	for (int i = 99; i >= 0; i--) { /* out of order on purpose */
		snprintf(name, sizeof(name), "lv1-i%08d", i);
		dp_memo_put(m, name, (unsigned long long)i + 1, i % 2 ? "table t {}" : NULL);
	}
	for (int i = 0; i < 100; i++) {
		snprintf(name, sizeof(name), "lv1-i%08d", i);
		const struct dp_memo_ns *e = dp_memo_get(m, name);
		assert_non_null(e);
		assert_int_equal(e->spec, (unsigned long long)i + 1);
		if (i % 2) {
			assert_string_equal(e->nft_text, "table t {}");
			assert_true(e->nft == dp_text_hash("table t {}"));
		} else {
			assert_null(e->nft_text);
			assert_int_equal(e->nft, 0);
		}
	}
	dp_memo_put(m, "lv1-i00000007", 42, "table u {}");
	assert_int_equal(dp_memo_get(m, "lv1-i00000007")->spec, 42);
	assert_string_equal(dp_memo_get(m, "lv1-i00000007")->nft_text, "table u {}");
	dp_memo_forget(m, "lv1-i00000007");
	assert_null(dp_memo_get(m, "lv1-i00000007"));
	assert_non_null(dp_memo_get(m, "lv1-i00000008"));
	dp_memo_forget(m, "absent");
	assert_null(dp_memo_get(NULL, "x"));
	dp_memo_free(m);
}

/* dp_memo_take: the text is the memo's now, with the hash given; what
 * was listed of the old text no longer holds. */
static void take_owns_the_text(void **state)
{
	(void)state;
	struct dp_memo *m = dp_memo_new();
	dp_memo_put(m, "lv1-v00000001", 7, "table t {}");
	dp_memo_set_listed(m, "lv1-v00000001", 99);
	char *t = strdup("table t { x }");
	assert_non_null(t);
	dp_memo_take(m, "lv1-v00000001", 7, t, dp_text_hash(t));
	const struct dp_memo_ns *e = dp_memo_get(m, "lv1-v00000001");
	assert_ptr_equal(e->nft_text, t); /* not copied */
	assert_true(e->nft == dp_text_hash("table t { x }"));
	assert_int_equal(e->spec, 7);
	assert_int_equal(e->listed, 0);
	dp_memo_free(m); /* frees t: ASan would see a leak or a double free */
}

static void spec_hash_sees_each_field(void **state)
{
	(void)state;
	struct dp_route r = { .table = 200, .dst = 0x0a000005, .dst_len = 32, .dev = "e1" };
	struct dp_addr a = { .dev = "e1", .addr = 0xa9fe0001, .len = 32 };
	struct dp_sysctl sc = { .path = "net/ipv4/ip_forward", .value = "1" };
	struct dp_ns ns = { .name = "lv1-v1", .kind = DP_NS_ROUTER, .routes = &r, .n_routes = 1,
			    .addrs = &a, .n_addrs = 1, .sysctls = &sc, .n_sysctls = 1 };
	unsigned long long h = dp_spec_hash(&ns);
	assert_true(h == dp_spec_hash(&ns));
	r.gateway = 1;
	assert_true(h != dp_spec_hash(&ns));
	r.gateway = 0;
	a.len = 24;
	assert_true(h != dp_spec_hash(&ns));
	a.len = 32;
	snprintf(sc.value, sizeof(sc.value), "0");
	assert_true(h != dp_spec_hash(&ns));
	snprintf(sc.value, sizeof(sc.value), "1");
	ns.nft = "table inet lv1 {}"; /* the table is not part of the spec */
	assert_true(h == dp_spec_hash(&ns));
}

/* The full pass compares the kernel's listing of a table with the one
 * taken after loading it: what packets change (a dynamic set's elements,
 * a NAT gateway's per-destination counts) must not count, anything else
 * (a deleted element, a flushed chain) must. */
static void listing_hash_ignores_only_dynamic_elements(void **state)
{
	(void)state;
	const char *base = "table inet lv {\n"
			   "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n"
			   "\t\telements = { \"e1\" . 192.0.2.1 }\n\t}\n"
			   "\tset natgw_dst {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
			   "\t\telements = { 203.0.113.1 limit rate over 10/second,\n"
			   "\t\t\t     203.0.113.2 }\n\t}\n"
			   "\tchain forward {\n\t\tjump sg_check\n\t}\n}\n";
	const char *dyn = "table inet lv {\n"
			  "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n"
			  "\t\telements = { \"e1\" . 192.0.2.1 }\n\t}\n"
			  "\tset natgw_dst {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
			  "\t\telements = { 198.51.100.9 }\n\t}\n"
			  "\tchain forward {\n\t\tjump sg_check\n\t}\n}\n";
	const char *element = "table inet lv {\n"
			      "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n"
			      "\t}\n"
			      "\tset natgw_dst {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
			      "\t\telements = { 203.0.113.1 limit rate over 10/second,\n"
			      "\t\t\t     203.0.113.2 }\n\t}\n"
			      "\tchain forward {\n\t\tjump sg_check\n\t}\n}\n";
	const char *chain = "table inet lv {\n"
			    "\tset sg_in {\n\t\ttype ifname . ipv4_addr\n\t\tflags interval\n"
			    "\t\telements = { \"e1\" . 192.0.2.1 }\n\t}\n"
			    "\tset natgw_dst {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n"
			    "\t\telements = { 203.0.113.1 limit rate over 10/second,\n"
			    "\t\t\t     203.0.113.2 }\n\t}\n"
			    "\tchain forward {\n\t}\n}\n";
	assert_int_equal(dp_listing_hash(base), dp_listing_hash(dyn));
	assert_int_not_equal(dp_listing_hash(base), dp_listing_hash(element));
	assert_int_not_equal(dp_listing_hash(base), dp_listing_hash(chain));
	assert_int_not_equal(dp_listing_hash(base), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(put_get_forget),
		cmocka_unit_test(take_owns_the_text),
		cmocka_unit_test(spec_hash_sees_each_field),
		cmocka_unit_test(listing_hash_ignores_only_dynamic_elements),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
