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

static void bind_ip(sqlite3_stmt *q, int i, uint32_t ip)
{
	char buf[IP4_STR_MAX];
	if (ip)
		sqlite3_bind_text(q, i, ip4_format(ip, buf), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q, i);
}

static void bind_opt(sqlite3_stmt *q, int i, const char *v)
{
	if (v && *v)
		store_bind_text(q, i, v);
	else
		sqlite3_bind_null(q, i);
}

int store_natgw_insert(struct store *st, struct nat_gateway *g, const char *client_token)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO natgw(id, subnet_id, vpc_id, connectivity,"
					 " state, failure_code, failure_message, allocation_id,"
					 " eni_id, private_ip, create_time, delete_time,"
					 " client_token) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, g->head.id);
	store_bind_text(q, 2, g->subnet_id);
	store_bind_text(q, 3, g->vpc_id);
	store_bind_text(q, 4, g->is_private ? "private" : "public");
	store_bind_text(q, 5, natgw_state_name(g->state));
	bind_opt(q, 6, g->failure_code);
	bind_opt(q, 7, g->failure_message);
	bind_opt(q, 8, g->allocation_id);
	bind_opt(q, 9, g->eni_id);
	bind_ip(q, 10, g->private_ip);
	sqlite3_bind_int64(q, 11, g->create_time);
	if (g->delete_time)
		sqlite3_bind_int64(q, 12, g->delete_time);
	bind_opt(q, 13, client_token);
	int r = store_exec_stmt(st, q);
	if (r == 0)
		g->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return r;
}

int store_natgw_set_state(struct store *st, const struct nat_gateway *g)
{
	sqlite3_stmt *q = store_stmt(st, "UPDATE natgw SET state = ?, delete_time = ? WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, natgw_state_name(g->state));
	if (g->delete_time)
		sqlite3_bind_int64(q, 2, g->delete_time);
	store_bind_text(q, 3, g->head.id);
	return store_exec_stmt(st, q);
}

int store_natgw_by_token(struct store *st, struct arena *a, const char *token, const char **ret)
{
	return store_text1(st, a, "SELECT id FROM natgw WHERE client_token = ?", token, NULL, ret);
}

int store_natgw_purge(struct store *st, int64_t before)
{
	int r;
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM tag WHERE resource_id IN (SELECT id FROM natgw WHERE"
			   " state IN ('deleted', 'failed') AND delete_time < ?)");
	if (!q)
		return -EIO;
	sqlite3_bind_int64(q, 1, before);
	if ((r = store_exec_stmt(st, q)) < 0)
		return r;
	q = store_stmt(st, "DELETE FROM natgw WHERE state IN ('deleted', 'failed')"
			   " AND delete_time < ?");
	if (!q)
		return -EIO;
	sqlite3_bind_int64(q, 1, before);
	return store_exec_stmt(st, q);
}

int store_natgw_count_live_in_az(struct store *st, const char *az, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM natgw n JOIN subnet s ON s.id = n.subnet_id"
				" WHERE s.az = ? AND n.state IN ('pending', 'available', 'deleting')",
			    az, ret);
}

int store_natgw_count_live_in_subnet(struct store *st, const char *subnet_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM natgw WHERE subnet_id = ?"
				" AND state IN ('pending', 'available', 'deleting')",
			    subnet_id, ret);
}

int store_natgw_count_live_in_vpc(struct store *st, const char *vpc_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM natgw WHERE vpc_id = ?"
				" AND state IN ('pending', 'available', 'deleting')",
			    vpc_id, ret);
}

/* Elastic IPs */

#define EIP_COLS                                                                  \
	"p.seq, p.id, p.public_ip, p.association_id, p.eni_id, p.private_ip,"     \
	" (SELECT e.instance_id FROM eni e WHERE e.id = p.eni_id) FROM eip p"

static int read_eips(struct store *st, struct arena *a, sqlite3_stmt *q, struct eip **ret,
		     size_t *ret_n)
{
	struct eip *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct eip *p = &v[n++];
		memset(p, 0, sizeof(*p));
		p->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, p->head.id, sizeof(p->head.id));
		p->public_ip = col_ip(q, 2);
		store_col_copy(q, 3, p->association_id, sizeof(p->association_id));
		store_col_copy(q, 4, p->eni_id, sizeof(p->eni_id));
		p->private_ip = col_ip(q, 5);
		store_col_copy(q, 6, p->instance_id, sizeof(p->instance_id));
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "eip_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_eip_list(struct store *st, struct arena *a, struct eip **ret, size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT " EIP_COLS " ORDER BY p.seq");
	if (!q)
		return -EIO;
	return read_eips(st, a, q, ret, ret_n);
}

static int eip_one(struct store *st, struct arena *a, sqlite3_stmt *q, struct eip **ret)
{
	struct eip *v;
	size_t n;
	int r = read_eips(st, a, q, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_eip_get(struct store *st, struct arena *a, const char *id, struct eip **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT " EIP_COLS " WHERE p.id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	return eip_one(st, a, q, ret);
}

int store_eip_by_public_ip(struct store *st, struct arena *a, uint32_t ip, struct eip **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT " EIP_COLS " WHERE p.public_ip = ?");
	if (!q)
		return -EIO;
	bind_ip(q, 1, ip);
	return eip_one(st, a, q, ret);
}

int store_eip_by_association(struct store *st, struct arena *a, const char *assoc_id,
			     struct eip **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT " EIP_COLS " WHERE p.association_id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, assoc_id);
	return eip_one(st, a, q, ret);
}

int store_eip_by_eni(struct store *st, struct arena *a, const char *eni_id, struct eip **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT " EIP_COLS " WHERE p.eni_id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, eni_id);
	return eip_one(st, a, q, ret);
}

int store_eip_insert(struct store *st, struct eip *p)
{
	sqlite3_stmt *q = store_stmt(st, "INSERT INTO eip(id, public_ip) VALUES (?, ?)");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, p->head.id);
	bind_ip(q, 2, p->public_ip);
	int r = store_exec_stmt(st, q);
	if (r == 0)
		p->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(q));
	return r;
}

int store_eip_set_association(struct store *st, const struct eip *p)
{
	sqlite3_stmt *q = store_stmt(st, "UPDATE eip SET association_id = ?, eni_id = ?,"
					 " private_ip = ? WHERE id = ?");
	if (!q)
		return -EIO;
	bind_opt(q, 1, p->association_id);
	bind_opt(q, 2, p->eni_id);
	bind_ip(q, 3, p->association_id[0] ? p->private_ip : 0);
	store_bind_text(q, 4, p->head.id);
	return store_exec_stmt(st, q);
}

int store_eip_delete(struct store *st, const char *id)
{
	sqlite3_stmt *q = store_stmt(st, "DELETE FROM eip WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int r = store_exec_stmt(st, q);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

int store_eip_count(struct store *st, size_t *ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT COUNT(*) FROM eip");
	if (!q)
		return -EIO;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW)
		*ret = (size_t)sqlite3_column_int64(q, 0);
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : store_err(st, "eip_count");
}
