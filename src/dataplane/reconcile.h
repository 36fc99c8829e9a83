// SPDX-License-Identifier: MIT
/* The level-triggered loop that makes the kernel match a desired state
 * (compile/desired.h): namespaces, veth pairs, addresses, routes, rules,
 * sysctls and one nftables table per namespace.  Idempotent: a pass over an
 * unchanged desired state changes nothing (checklist 29).  "Ours" is decided
 * by names (the prefix; inside our namespaces the ENI links e…, the gateway
 * links g… and igw0, host0, eth0) and the route protocol NL_PROTO_LOCALVPC,
 * never by guessing; foreign objects are left alone.  Never decides an AWS
 * rule. */
#ifndef DATAPLANE_RECONCILE_H
#define DATAPLANE_RECONCILE_H
#include <stddef.h>

#include <stdbool.h>

struct dp_desired;
struct dp_memo;

struct reconcile_stats {
	unsigned changes; /* kernel objects created, changed or deleted */
	unsigned errors;  /* failed operations (each logged once) */
};

/* One pass.  full (or memo NULL): every object is read back from the
 * kernel; otherwise namespaces the memo says are unchanged since they were
 * last applied are trusted and skipped, and tables change by their set
 * elements where only those changed (dataplane/memo.h).  The memo, when
 * given, is updated with what this pass applied.  Returns 0 when
 * everything matched or was made to match, -EAGAIN when something failed
 * (retry later), with counts in *ret. */
int reconcile_apply(const struct dp_desired *d, struct dp_memo *memo, bool full,
		    struct reconcile_stats *ret);
/* Removes every namespace named <prefix>-*, the host link <prefix>-h, its
 * host route and the host's nft table <prefix>: `localvpc reset`. */
int reconcile_teardown(const char *prefix);

/* Changes the elements of the table (inet prefix) of namespace ns as going
 * from old_part to new_part (some of its sets' texts, dataplane/nft_diff.h),
 * trusting the memo for what the table holds, in one batch with its marker;
 * the memo then holds the edited text.  For a change of rules alone
 * (compile/sg_edit.h).  0; -ENOENT when the memo has no text for ns,
 * -EINVAL when the parts do not edit it, or nft's error: then the caller
 * runs a pass, which finds out what the kernel holds. */
int reconcile_edit_elements(struct dp_memo *memo, const char *prefix, const char *ns,
			    const char *old_part, const char *new_part);

#endif
