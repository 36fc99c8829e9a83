// SPDX-License-Identifier: MIT
/* What the reconciler applied last, per namespace: a hash of each
 * namespace's desired links, addresses, routes, rules and sysctls, and the
 * text of its nftables table.  A pass triggered by an API call trusts a
 * namespace whose desired state has not changed since it was last applied
 * without error, and changes a table by its set elements when only they
 * changed (dataplane/nft_diff.h); the periodic pass trusts nothing and
 * reads everything back from the kernel, so what is changed or deleted by
 * hand is still healed within one period.  The marker set lvhash names the
 * text a table was loaded from, but a hand-made change (a flushed chain, a
 * deleted element) leaves it intact: so the periodic pass also remembers a
 * hash of the table as the kernel lists it, and reloads a table whose
 * listing has changed under an unchanged text. */
#ifndef DATAPLANE_MEMO_H
#define DATAPLANE_MEMO_H
#include "compile/desired.h"

struct dp_memo;

struct dp_memo_ns {
	char name[DP_NAME_MAX];
	unsigned long long spec;    /* dp_spec_hash() of what was applied */
	unsigned long long nft;     /* dp_text_hash() of the table applied, 0 = none */
	char *nft_text;             /* that table's text (malloc'd), or NULL */
	unsigned long long listed;  /* dp_listing_hash() of the kernel's listing of
				     * that table, 0 = not read back since applied */
};

struct dp_memo *dp_memo_new(void);
void dp_memo_free(struct dp_memo *m);
/* The entry of namespace name, or NULL. */
const struct dp_memo_ns *dp_memo_get(const struct dp_memo *m, const char *name);
/* Records what was applied to namespace name (nft_text may be NULL). */
void dp_memo_put(struct dp_memo *m, const char *name, unsigned long long spec,
		 const char *nft_text);
/* Like dp_memo_put, taking a malloc'd text whose dp_text_hash() the caller
 * has: a router's table of 1,000 ENIs is 400 KB to copy, compare and hash. */
void dp_memo_take(struct dp_memo *m, const char *name, unsigned long long spec, char *nft_text,
		  unsigned long long hash);
void dp_memo_forget(struct dp_memo *m, const char *name);
/* The namespaces remembered (0 for NULL), and the i-th of them by name. */
size_t dp_memo_count(const struct dp_memo *m);
const char *dp_memo_name(const struct dp_memo *m, size_t i);
/* Records the listing hash of name's table (no-op for an absent entry);
 * dp_memo_put() with another text resets it to 0. */
void dp_memo_set_listed(struct dp_memo *m, const char *name, unsigned long long listed);

/* FNV-1a over everything of ns but its nftables text. */
unsigned long long dp_spec_hash(const struct dp_ns *ns);
/* FNV-1a of a text; never 0. */
unsigned long long dp_text_hash(const char *s);
/* FNV-1a of `nft list table` output without what packets change: the
 * elements of dynamic sets (a NAT gateway's per-destination counts); never 0. */
unsigned long long dp_listing_hash(const char *listing);

#endif
