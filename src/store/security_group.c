// SPDX-License-Identifier: MIT
/* Security-group rows and rules; see security_group.h.  The only SQL for
 * tables sg and sg_rule. */
#include "store/security_group.h"

#include <errno.h>
#include <string.h>

#include "model/security_group.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"

int store_sg_insert(struct store *st, const char *id, const char *vpc_id, const char *name,
		    const char *description)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO sg(id, vpc_id, name, description)"
					 " VALUES (?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	store_bind_text(s, 2, vpc_id);
	store_bind_text(s, 3, name);
	store_bind_text(s, 4, description);
	return store_exec_stmt(st, s);
}

int store_sg_find(struct store *st, struct arena *a, const char *vpc_id, const char *name,
		  const char **ret)
{
	return store_text1(st, a, "SELECT id FROM sg WHERE vpc_id = ? AND name = ?", vpc_id, name,
			   ret);
}

int store_sg_vpc(struct store *st, struct arena *a, const char *id, const char **ret)
{
	return store_text1(st, a, "SELECT vpc_id FROM sg WHERE id = ?", id, NULL, ret);
}

int store_sg_delete_in_vpc(struct store *st, const char *vpc_id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM sg WHERE vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	return store_exec_stmt(st, s);
}

static int load_rules(struct store *st, struct arena *a, struct security_group *g)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT id, is_egress, protocol, from_port, to_port, cidr,"
					 " ref_sg_id, ref_user_id, prefix_list_id, description"
					 " FROM sg_rule WHERE sg_id = ? ORDER BY seq");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, g->head.id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, g->rules, g->n_rules, cap);
		struct sg_rule *r = &g->rules[g->n_rules++];
		memset(r, 0, sizeof(*r));
		store_col_copy(q, 0, r->id, sizeof(r->id));
		memcpy(r->group_id, g->head.id, sizeof(r->group_id));
		r->is_egress = sqlite3_column_int(q, 1);
		r->protocol = sqlite3_column_int(q, 2);
		r->from_port = sqlite3_column_int(q, 3);
		r->to_port = sqlite3_column_int(q, 4);
		if (sqlite3_column_type(q, 5) != SQLITE_NULL) {
			r->peer = SG_PEER_CIDR;
			if (store_col_cidr(q, 5, &r->cidr) < 0) {
				sqlite3_reset(q);
				return -EIO;
			}
		} else if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
			r->peer = SG_PEER_GROUP;
			store_col_copy(q, 6, r->ref_group_id, sizeof(r->ref_group_id));
			store_col_copy(q, 7, r->ref_user_id, sizeof(r->ref_user_id));
		} else {
			r->peer = SG_PEER_PREFIX_LIST;
			store_col_copy(q, 8, r->prefix_list_id, sizeof(r->prefix_list_id));
		}
		r->description = store_col_text(q, 9, a);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_err(st, "sg_rules");
}

int store_sg_list(struct store *st, struct arena *a, const char *vpc_id,
		  struct security_group **ret, size_t *ret_n)
{
	sqlite3_stmt *q = vpc_id ? store_stmt(st, "SELECT seq, id, vpc_id, name, description FROM sg"
						  " WHERE vpc_id = ? ORDER BY seq")
				 : store_stmt(st, "SELECT seq, id, vpc_id, name, description FROM sg"
						  " ORDER BY seq");
	if (!q)
		return -EIO;
	if (vpc_id)
		store_bind_text(q, 1, vpc_id);
	struct security_group *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct security_group *g = &v[n++];
		memset(g, 0, sizeof(*g));
		g->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, g->head.id, sizeof(g->head.id));
		store_col_copy(q, 2, g->vpc_id, sizeof(g->vpc_id));
		g->name = store_col_text(q, 3, a);
		g->description = store_col_text(q, 4, a);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "sg_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		if (!(r = load_rules(st, a, &v[i])))
			r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}
