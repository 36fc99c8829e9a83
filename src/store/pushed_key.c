// SPDX-License-Identifier: MIT
/* EC2 Instance Connect rows; see pushed_key.h. */
#include "store/pushed_key.h"

#include <errno.h>

#include "model/pushed_key.h"
#include "store/internal.h"
#include "util/arena.h"

int store_pushed_key_insert(struct store *st, const struct pushed_key *k)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO pushed_key(instance_id, os_user, public_key,"
					 " request_id, expires_at) VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, k->instance_id);
	store_bind_text(s, 2, k->os_user);
	store_bind_text(s, 3, k->public_key);
	store_bind_text(s, 4, k->request_id);
	sqlite3_bind_int64(s, 5, k->expires_at);
	return store_exec_stmt(st, s);
}

int store_pushed_key_prune(struct store *st, int64_t now)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM pushed_key WHERE expires_at <= ?");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, now);
	return store_exec_stmt(st, s);
}

int store_pushed_key_count_active(struct store *st, const char *instance_id, int64_t now,
				  size_t *ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT COUNT(*) FROM pushed_key"
					 " WHERE instance_id = ? AND expires_at > ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, instance_id);
	sqlite3_bind_int64(s, 2, now);
	int rc = sqlite3_step(s);
	size_t n = rc == SQLITE_ROW ? (size_t)sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	if (rc != SQLITE_ROW)
		return store_err(st, "pushed_key_count");
	*ret = n;
	return 0;
}

int store_pushed_key_list(struct store *st, struct arena *a, struct pushed_key **ret,
			  size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT instance_id, os_user, public_key, request_id,"
					 " expires_at FROM pushed_key ORDER BY instance_id, seq");
	if (!s)
		return -EIO;
	struct pushed_key *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct pushed_key *k = &v[n++];
		store_col_copy(s, 0, k->instance_id, sizeof(k->instance_id));
		k->os_user = store_col_text(s, 1, a);
		k->public_key = store_col_text(s, 2, a);
		store_col_copy(s, 3, k->request_id, sizeof(k->request_id));
		k->expires_at = sqlite3_column_int64(s, 4);
	}
	if (rc != SQLITE_DONE)
		r = store_err(st, "pushed_key_list");
	sqlite3_reset(s);
	if (r < 0)
		return r;
	*ret = v;
	*ret_n = n;
	return 0;
}
