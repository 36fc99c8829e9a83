// SPDX-License-Identifier: MIT
/* Internet-gateway rows; see igw.h. */
#include "store/igw.h"

#include <errno.h>

#include "model/igw.h"
#include "store/internal.h"
#include "util/arena.h"

int store_igw_insert(struct store *st, struct igw *g)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO igw(id, vpc_id) VALUES (?, NULL)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, g->head.id);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		g->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_igw_set_vpc(struct store *st, const struct igw *g)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE igw SET vpc_id = ? WHERE id = ?");
	if (!s)
		return -EIO;
	if (g->vpc_id[0])
		store_bind_text(s, 1, g->vpc_id);
	store_bind_text(s, 2, g->head.id);
	return store_exec_stmt(st, s);
}

int store_igw_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM igw WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int r = store_exec_stmt(st, s);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

static int read_rows(struct store *st, struct arena *a, sqlite3_stmt *s, struct igw **ret,
		     size_t *ret_n)
{
	struct igw *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n].head.seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, v[n].head.id, sizeof(v[n].head.id));
		store_col_copy(s, 2, v[n].vpc_id, sizeof(v[n].vpc_id));
		n++;
	}
	if (rc != SQLITE_DONE)
		r = store_err(st, "igw_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

static int get_one(struct store *st, struct arena *a, sqlite3_stmt *s, struct igw **ret)
{
	struct igw *v;
	size_t n;
	int r = read_rows(st, a, s, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_igw_get(struct store *st, struct arena *a, const char *id, struct igw **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT seq, id, vpc_id FROM igw WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	return get_one(st, a, s, ret);
}

int store_igw_of_vpc(struct store *st, struct arena *a, const char *vpc_id, struct igw **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT seq, id, vpc_id FROM igw WHERE vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	return get_one(st, a, s, ret);
}

int store_igw_list(struct store *st, struct arena *a, struct igw **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT seq, id, vpc_id FROM igw ORDER BY seq");
	if (!s)
		return -EIO;
	return read_rows(st, a, s, ret, ret_n);
}

int store_igw_count(struct store *st, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM igw", NULL, ret);
}
