// SPDX-License-Identifier: MIT
/* Key-pair rows; see key_pair.h.  Only the public half is ever bound into
 * a statement here: there is no column a private key could go to
 * (checklist 25). */
#include "store/key_pair.h"

#include <errno.h>

#include "model/key_pair.h"
#include "store/internal.h"
#include "util/arena.h"

int store_key_pair_insert(struct store *st, struct key_pair *k)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO key_pair(id, name, type, fingerprint,"
					 " public_key, create_time) VALUES (?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, k->head.id);
	store_bind_text(s, 2, k->name);
	store_bind_text(s, 3, k->type);
	store_bind_text(s, 4, k->fingerprint);
	store_bind_text(s, 5, k->public_key);
	sqlite3_bind_int64(s, 6, k->create_time);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		k->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_key_pair_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM key_pair WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int r = store_exec_stmt(st, s);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

static int read_rows(struct store *st, struct arena *a, sqlite3_stmt *s, struct key_pair **ret,
		     size_t *ret_n)
{
	struct key_pair *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct key_pair *k = &v[n++];
		k->head.seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, k->head.id, sizeof(k->head.id));
		k->name = store_col_text(s, 2, a);
		k->type = store_col_text(s, 3, a);
		k->fingerprint = store_col_text(s, 4, a);
		k->public_key = store_col_text(s, 5, a);
		k->create_time = sqlite3_column_int64(s, 6);
	}
	if (rc != SQLITE_DONE)
		r = store_err(st, "key_pair_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

#define KEY_COLS "seq, id, name, type, fingerprint, public_key, create_time"

int store_key_pair_list(struct store *st, struct arena *a, struct key_pair **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " KEY_COLS " FROM key_pair ORDER BY seq");
	if (!s)
		return -EIO;
	return read_rows(st, a, s, ret, ret_n);
}

static int get_one(struct store *st, struct arena *a, const char *sql, const char *value,
		   struct key_pair **ret)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, value);
	struct key_pair *v;
	size_t n;
	int r = read_rows(st, a, s, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_key_pair_get_by_name(struct store *st, struct arena *a, const char *name,
			       struct key_pair **ret)
{
	return get_one(st, a, "SELECT " KEY_COLS " FROM key_pair WHERE name = ?", name, ret);
}

int store_key_pair_get_by_id(struct store *st, struct arena *a, const char *id,
			     struct key_pair **ret)
{
	return get_one(st, a, "SELECT " KEY_COLS " FROM key_pair WHERE id = ?", id, ret);
}

int store_key_pair_count(struct store *st, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM key_pair", NULL, ret);
}
