// SPDX-License-Identifier: MIT
/* What the reconciler applied last, per namespace: a hash of each
 * namespace's desired links, addresses, routes, rules and sysctls, and the
 * text of its nftables table.  A pass triggered by an API call trusts a
 * namespace whose desired state has not changed since it was last applied
 * without error, and changes a table by its set elements when only they
 * changed (dataplane/nft_diff.h); the periodic pass trusts nothing and
 * reads everything back from the kernel, so what is changed or deleted by
 * hand is still healed within one period. */
#ifndef DATAPLANE_MEMO_H
#define DATAPLANE_MEMO_H
#include "compile/desired.h"

struct dp_memo;

struct dp_memo_ns {
	char name[DP_NAME_MAX];
	unsigned long long spec;    /* dp_spec_hash() of what was applied */
	unsigned long long nft;     /* dp_text_hash() of the table applied, 0 = none */
	char *nft_text;             /* that table's text (malloc'd), or NULL */
};

struct dp_memo *dp_memo_new(void);
void dp_memo_free(struct dp_memo *m);
/* The entry of namespace name, or NULL. */
const struct dp_memo_ns *dp_memo_get(const struct dp_memo *m, const char *name);
/* Records what was applied to namespace name (nft_text may be NULL). */
void dp_memo_put(struct dp_memo *m, const char *name, unsigned long long spec,
		 const char *nft_text);
void dp_memo_forget(struct dp_memo *m, const char *name);

/* FNV-1a over everything of ns but its nftables text. */
unsigned long long dp_spec_hash(const struct dp_ns *ns);
/* FNV-1a of a text; never 0. */
unsigned long long dp_text_hash(const char *s);

#endif
