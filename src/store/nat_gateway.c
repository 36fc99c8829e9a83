// SPDX-License-Identifier: MIT
/* NAT-gateway and Elastic-IP rows; see nat_gateway.h.  The only SQL for
 * tables natgw and eip. */
#include "store/nat_gateway.h"

#include <errno.h>
#include <string.h>

#include "model/nat_gateway.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/cidr.h"

static uint32_t col_ip(sqlite3_stmt *q, int i)
{
	uint32_t ip = 0;
	const char *s = (const char *)sqlite3_column_text(q, i);
	if (s)
		(void)ip4_parse(s, &ip); /* 0 stays "none" */
	return ip;
}

int store_natgw_list(struct store *st, struct arena *a, struct nat_gateway **ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT n.seq, n.id, n.subnet_id, n.vpc_id, n.connectivity,"
					 " n.state, n.failure_code, n.failure_message,"
					 " n.allocation_id, n.eni_id, n.private_ip, n.create_time,"
					 " n.delete_time, e.public_ip FROM natgw n"
					 " LEFT JOIN eip e ON e.id = n.allocation_id ORDER BY n.seq");
	if (!q)
		return -EIO;
	struct nat_gateway *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct nat_gateway *g = &v[n++];
		memset(g, 0, sizeof(*g));
		g->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, g->head.id, sizeof(g->head.id));
		store_col_copy(q, 2, g->subnet_id, sizeof(g->subnet_id));
		store_col_copy(q, 3, g->vpc_id, sizeof(g->vpc_id));
		const char *conn = (const char *)sqlite3_column_text(q, 4);
		g->is_private = conn && !strcmp(conn, "private");
		const char *state = (const char *)sqlite3_column_text(q, 5);
		if (!state || natgw_state_parse(state, &g->state) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		g->failure_code = sqlite3_column_type(q, 6) == SQLITE_NULL ? NULL
									   : store_col_text(q, 6, a);
		g->failure_message = sqlite3_column_type(q, 7) == SQLITE_NULL
					     ? NULL
					     : store_col_text(q, 7, a);
		store_col_copy(q, 8, g->allocation_id, sizeof(g->allocation_id));
		store_col_copy(q, 9, g->eni_id, sizeof(g->eni_id));
		g->private_ip = col_ip(q, 10);
		g->create_time = sqlite3_column_int64(q, 11);
		g->delete_time = sqlite3_column_int64(q, 12);
		g->public_ip = col_ip(q, 13);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "natgw_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}
