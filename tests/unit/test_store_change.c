// SPDX-License-Identifier: MIT
/* store/change.c: the triggers that tell the executor whether only rules
 * changed since its snapshot, and of which groups (a real SQLite file). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/security_group.h"
#include "model/vpc.h"
#include "store/change.h"
#include "store/security_group.h"
#include "store/store.h"
#include "store/vpc.h"
#include "util/arena.h"

static char dir[] = "/tmp/lvtest-change-XXXXXX";

static struct store *open_store(void)
{
	char path[64];
	struct store *st;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state.db", dir);
	assert_int_equal(store_open(path, &st), 0);
	return st;
}

static void close_store(struct store *st)
{
	char path[80];
	store_close(st);
	const char *files[] = { "state.db", "state.db-wal", "state.db-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
		(void)unlink(path);
	}
	assert_int_equal(rmdir(dir), 0);
}

static struct sg_rule rule(const char *id, const char *group, int port)
{
	struct sg_rule r = { .protocol = 6, .from_port = port, .to_port = port,
			     .description = "" };
	snprintf(r.id, sizeof(r.id), "%s", id);
	snprintf(r.group_id, sizeof(r.group_id), "%s", group);
	assert_int_equal(cidr_parse("192.0.2.0/24", &r.cidr), 0);
	return r;
}

/* What since() says of the changes after mark m. */
static void since(struct store *st, const struct store_mark *m, bool *other, size_t *n,
		  const char **first, struct store_mark *now, struct arena *a)
{
	const char **g;
	assert_int_equal(store_begin_read(st), 0);
	assert_int_equal(store_change_since(st, a, m, other, &g, n, now), 0);
	store_rollback(st);
	*first = *n ? g[0] : NULL;
}

static void rules_alone_are_told_apart(void **state)
{
	(void)state;
	struct store *st = open_store();
	struct arena *a = arena_new();
	struct vpc v = { .tenancy = "default", .dns_support = true };
	snprintf(v.head.id, sizeof(v.head.id), "vpc-00000000000000001");
	snprintf(v.dhcp_options_id, sizeof(v.dhcp_options_id), "dopt-0000000000000001");
	assert_int_equal(cidr_parse("10.0.0.0/16", &v.cidr), 0);
	assert_int_equal(store_vpc_insert(st, &v), 0);
	assert_int_equal(store_sg_insert(st, "sg-0000000000000000a", v.head.id, "a", "a"), 0);
	assert_int_equal(store_sg_insert(st, "sg-0000000000000000b", v.head.id, "b", "b"), 0);

	struct store_mark m, now;
	bool other;
	size_t n;
	const char *g;
	assert_int_equal(store_change_mark(st, &m), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_false(other);
	assert_int_equal(n, 0);

	/* Rules of b, twice, and of a: two groups, nothing else. */
	struct sg_rule r1 = rule("sgr-00000000000000001", "sg-0000000000000000b", 22);
	struct sg_rule r2 = rule("sgr-00000000000000002", "sg-0000000000000000b", 23);
	struct sg_rule r3 = rule("sgr-00000000000000003", "sg-0000000000000000a", 80);
	assert_int_equal(store_sg_rule_insert(st, &r1), 0);
	assert_int_equal(store_sg_rule_insert(st, &r2), 0);
	assert_int_equal(store_sg_rule_insert(st, &r3), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_false(other);
	assert_int_equal(n, 2);
	assert_string_equal(g, "sg-0000000000000000a");

	/* From the new mark: a rule deleted is a change of its group. */
	m = now;
	assert_int_equal(store_sg_rule_delete(st, r1.id), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_false(other);
	assert_int_equal(n, 1);
	assert_string_equal(g, "sg-0000000000000000b");

	/* Pruned up to the mark, the next change still counts. */
	m = now;
	assert_int_equal(store_change_prune(st, &m), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_false(other);
	assert_int_equal(n, 0);
	assert_int_equal(store_sg_rule_insert(st, &r1), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_int_equal(n, 1);

	/* Anything else — a tag, a group — is more than rules. */
	m = now;
	struct tag t = { "Name", "x" };
	struct tag_list tl = { &t, 1 };
	assert_int_equal(store_tags_set(st, "sg-0000000000000000a", &tl), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_true(other);
	m = now;
	assert_int_equal(store_sg_delete(st, "sg-0000000000000000b"), 0);
	since(st, &m, &other, &n, &g, &now, a);
	assert_true(other);
	arena_free(a);
	close_store(st);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_alone_are_told_apart),
	};
	return cmocka_run_group_tests_name("store_change", tests, NULL, NULL);
}
