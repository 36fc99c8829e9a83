// SPDX-License-Identifier: MIT
/* VPC peering rows; see peering.h.  The only SQL for table pcx. */
#include "store/peering.h"

#include <errno.h>
#include <string.h>

#include "model/peering.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"

int store_pcx_list(struct store *st, struct arena *a, struct peering **ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, requester_vpc, accepter_vpc, state,"
					 " state_message, create_time, expire_time, requester_dns,"
					 " accepter_dns FROM pcx ORDER BY seq");
	if (!q)
		return -EIO;
	struct peering *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct peering *p = &v[n++];
		memset(p, 0, sizeof(*p));
		p->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, p->head.id, sizeof(p->head.id));
		store_col_copy(q, 2, p->requester_vpc, sizeof(p->requester_vpc));
		store_col_copy(q, 3, p->accepter_vpc, sizeof(p->accepter_vpc));
		const char *state = (const char *)sqlite3_column_text(q, 4);
		if (!state || pcx_state_parse(state, &p->state) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		p->state_message = store_col_text(q, 5, a);
		p->create_time = sqlite3_column_int64(q, 6);
		p->expire_time = sqlite3_column_int64(q, 7);
		p->requester_dns = sqlite3_column_int(q, 8);
		p->accepter_dns = sqlite3_column_int(q, 9);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "pcx_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_pcx_get(struct store *st, struct arena *a, const char *id, struct peering **ret)
{
	struct peering *v;
	size_t n;
	int r = store_pcx_list(st, a, &v, &n);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].head.id, id)) {
			*ret = &v[i];
			return 0;
		}
	return -ENOENT;
}

int store_pcx_insert(struct store *st, const struct peering *p)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO pcx (id, requester_vpc, accepter_vpc, state,"
					 " state_message, create_time, expire_time, requester_dns,"
					 " accepter_dns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, p->head.id);
	store_bind_text(s, 2, p->requester_vpc);
	store_bind_text(s, 3, p->accepter_vpc);
	store_bind_text(s, 4, pcx_state_name(p->state));
	store_bind_text(s, 5, p->state_message ? p->state_message : "");
	sqlite3_bind_int64(s, 6, p->create_time);
	sqlite3_bind_int64(s, 7, p->expire_time);
	sqlite3_bind_int(s, 8, p->requester_dns);
	sqlite3_bind_int(s, 9, p->accepter_dns);
	return store_exec_stmt(st, s);
}

int store_pcx_update(struct store *st, const struct peering *p)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE pcx SET state = ?, state_message = ?,"
					 " expire_time = ?, requester_dns = ?, accepter_dns = ?"
					 " WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, pcx_state_name(p->state));
	store_bind_text(s, 2, p->state_message ? p->state_message : "");
	sqlite3_bind_int64(s, 3, p->expire_time);
	sqlite3_bind_int(s, 4, p->requester_dns);
	sqlite3_bind_int(s, 5, p->accepter_dns);
	store_bind_text(s, 6, p->head.id);
	return store_exec_stmt(st, s);
}

int store_pcx_expire(struct store *st, int64_t now, int64_t visible_s)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE pcx SET state = 'expired', state_message = 'Expired',"
					 " expire_time = expire_time + ?"
					 " WHERE state = 'pending-acceptance' AND expire_time > 0"
					 " AND expire_time <= ?");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, visible_s);
	sqlite3_bind_int64(s, 2, now);
	return store_exec_stmt(st, s);
}
