// SPDX-License-Identifier: MIT
/* What changed in the store since a reader last loaded all of it: the
 * rules of which security groups, or anything else.  Triggers on every
 * table keep it (made at store_open), so every writer — an API call, the
 * executor, the sqlite3 shell — is counted.  The executor's pass after
 * AuthorizeSecurityGroupIngress uses it to edit one group's set elements
 * instead of loading and compiling the whole state (cli/executor.c). */
#ifndef STORE_CHANGE_H
#define STORE_CHANGE_H
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct store;

/* Where the store stood at one moment. */
struct store_mark {
	long long other;  /* rows written in any table but sg_rule, ever */
	long long sg_seq; /* the last change of a rule */
};

/* The mark now; call inside the read transaction that loads the state. */
int store_change_mark(struct store *st, struct store_mark *ret);
/* Since mark: *ret_other is true when anything but rules changed;
 * otherwise *ret_groups (arena, distinct, *ret_n of them) are the groups
 * whose rules did.  *ret_now is the mark now.  Inside a read transaction. */
int store_change_since(struct store *st, struct arena *a, const struct store_mark *mark,
		       bool *ret_other, const char ***ret_groups, size_t *ret_n,
		       struct store_mark *ret_now);
/* Forgets the rule changes before mark (a write); the one at mark stays,
 * so that the next change's number is above it. */
int store_change_prune(struct store *st, const struct store_mark *mark);

/* Creates the triggers (store_open calls it). */
int store_change_install(struct store *st);

#endif
