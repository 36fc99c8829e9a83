// SPDX-License-Identifier: MIT
/* Subnet rows; see subnet.h. */
#include "store/subnet.h"

#include <errno.h>

#include "model/subnet.h"
#include "store/internal.h"
#include "util/arena.h"

int store_subnet_insert(struct store *st, struct subnet *sn)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO subnet(id, vpc_id, cidr, az, default_for_az,"
					 " map_public_ip) VALUES (?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, sn->head.id);
	store_bind_text(s, 2, sn->vpc_id);
	store_bind_cidr(s, 3, &sn->cidr);
	store_bind_text(s, 4, sn->az);
	sqlite3_bind_int(s, 5, sn->default_for_az);
	sqlite3_bind_int(s, 6, sn->map_public_ip);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		sn->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_subnet_update(struct store *st, const struct subnet *sn)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE subnet SET map_public_ip = ? WHERE id = ?");
	if (!s)
		return -EIO;
	sqlite3_bind_int(s, 1, sn->map_public_ip);
	store_bind_text(s, 2, sn->head.id);
	return store_exec_stmt(st, s);
}

int store_subnet_delete(struct store *st, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM rtb_assoc WHERE subnet_id = ?",
		"DELETE FROM subnet WHERE id = ?",
	};
	for (size_t i = 0; i < 2; i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i]);
		if (!s)
			return -EIO;
		store_bind_text(s, 1, id);
		int r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	return store_tags_delete_all(st, id);
}

#define SUBNET_COLS                                                      \
	"seq, id, vpc_id, cidr, az, default_for_az, map_public_ip,"   \
	" (SELECT COUNT(*) FROM eni WHERE eni.subnet_id = subnet.id)"

static int read_rows(struct store *st, struct arena *a, sqlite3_stmt *s, struct subnet **ret,
		     size_t *ret_n)
{
	struct subnet *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct subnet *sn = &v[n++];
		sn->head.seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, sn->head.id, sizeof(sn->head.id));
		store_col_copy(s, 2, sn->vpc_id, sizeof(sn->vpc_id));
		if (store_col_cidr(s, 3, &sn->cidr) < 0) {
			r = -EIO;
			break;
		}
		store_col_copy(s, 4, sn->az, sizeof(sn->az));
		sn->default_for_az = sqlite3_column_int(s, 5);
		sn->map_public_ip = sqlite3_column_int(s, 6);
		sn->used_addrs = (uint64_t)sqlite3_column_int64(s, 7);
	}
	if (!r && rc != SQLITE_DONE)
		r = store_err(st, "subnet_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_subnet_get(struct store *st, struct arena *a, const char *id, struct subnet **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " SUBNET_COLS " FROM subnet WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	struct subnet *v;
	size_t n;
	int r = read_rows(st, a, s, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_subnet_list(struct store *st, struct arena *a, const char *vpc_id, struct subnet **ret,
		      size_t *ret_n)
{
	sqlite3_stmt *s;
	if (vpc_id) {
		s = store_stmt(st, "SELECT " SUBNET_COLS " FROM subnet WHERE vpc_id = ? ORDER BY seq");
		if (!s)
			return -EIO;
		store_bind_text(s, 1, vpc_id);
	} else {
		s = store_stmt(st, "SELECT " SUBNET_COLS " FROM subnet ORDER BY seq");
		if (!s)
			return -EIO;
	}
	return read_rows(st, a, s, ret, ret_n);
}
