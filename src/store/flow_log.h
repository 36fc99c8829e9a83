// SPDX-License-Identifier: MIT
/* Flow-log rows (table flow_log). */
#ifndef STORE_FLOW_LOG_H
#define STORE_FLOW_LOG_H
#include <stddef.h>

struct store;
struct arena;
struct flow_log;

/* Every flow log in creation order, with tags.  Arena-owned; compile/
 * reads this through the snapshot. */
int store_flow_log_list(struct store *st, struct arena *a, struct flow_log **ret, size_t *ret_n);
/* Inserts f (every field but head.seq, which it sets); client_token may
 * be NULL. */
int store_flow_log_insert(struct store *st, struct flow_log *f, const char *client_token);
/* Removes the flow log and its tags. */
int store_flow_log_delete(struct store *st, const char *id);
/* AWS: flow logs of a deleted VPC, subnet or ENI are eventually removed;
 * here at the next flow-log call.  Removes them with their tags. */
int store_flow_log_purge_orphans(struct store *st);
/* The IDs created with ClientToken token, in order (arena); *ret_n = 0
 * when none. */
int store_flow_log_by_token(struct store *st, struct arena *a, const char *token,
			    const char ***ret, size_t *ret_n);

#endif
