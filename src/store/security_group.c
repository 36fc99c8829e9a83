// SPDX-License-Identifier: MIT
/* Security-group rows and rules; see security_group.h.  The only SQL for
 * tables sg and sg_rule. */
#include "store/security_group.h"

#include <errno.h>
#include <stdio.h>
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

/* Runs one statement of the list with a single text bind; stops at the first failure. */
static int exec_each(struct store *st, const char *const *sqls, size_t n, const char *arg)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, sqls[i]);
		if (!s)
			return -EIO;
		store_bind_text(s, 1, arg);
		int r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	return 0;
}

int store_sg_delete_in_vpc(struct store *st, const char *vpc_id)
{
	static const char *const sqls[] = {
		("DELETE FROM tag WHERE resource_id IN (SELECT r.id FROM sg_rule r JOIN sg g"
		 " ON g.id = r.sg_id WHERE g.vpc_id = ?)"),
		"DELETE FROM tag WHERE resource_id IN (SELECT id FROM sg WHERE vpc_id = ?)",
		"DELETE FROM sg WHERE vpc_id = ?",
	};
	return exec_each(st, sqls, sizeof(sqls) / sizeof(sqls[0]), vpc_id);
}

int store_sg_delete(struct store *st, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM tag WHERE resource_id IN (SELECT id FROM sg_rule WHERE sg_id = ?)",
		"DELETE FROM tag WHERE resource_id = ?",
		"DELETE FROM sg_rule WHERE sg_id = ?",
		"DELETE FROM sg WHERE id = ?",
	};
	return exec_each(st, sqls, sizeof(sqls) / sizeof(sqls[0]), id);
}

int store_sg_name_taken(struct store *st, const char *vpc_id, const char *name, bool *ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT COUNT(*) FROM sg WHERE vpc_id = ?"
					 " AND lower(name) = lower(?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	store_bind_text(s, 2, name);
	int r = sqlite3_step(s) == SQLITE_ROW ? 0 : store_err(st, "sg_name_taken");
	if (!r)
		*ret = sqlite3_column_int64(s, 0) > 0;
	sqlite3_reset(s);
	return r;
}

int store_sg_count(struct store *st, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM sg", NULL, ret);
}

int store_sg_eni_count(struct store *st, const char *id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM eni_sg WHERE sg_id = ?", id, ret);
}

int store_sg_referenced_by(struct store *st, struct arena *a, const char *id, const char **ret)
{
	return store_text1(st, a,
			   "SELECT sg_id FROM sg_rule WHERE ref_sg_id = ? AND sg_id <> ?"
			   " ORDER BY seq LIMIT 1",
			   id, id, ret);
}

static void bind_rule(sqlite3_stmt *s, const struct sg_rule *r, int first)
{
	sqlite3_bind_int(s, first, r->is_egress);
	sqlite3_bind_int(s, first + 1, r->protocol);
	sqlite3_bind_int(s, first + 2, r->from_port);
	sqlite3_bind_int(s, first + 3, r->to_port);
	if (r->peer == SG_PEER_CIDR)
		store_bind_cidr(s, first + 4, &r->cidr);
	if (r->peer == SG_PEER_GROUP) {
		store_bind_text(s, first + 5, r->ref_group_id);
		if (r->ref_user_id[0])
			store_bind_text(s, first + 6, r->ref_user_id);
	}
	if (r->peer == SG_PEER_PREFIX_LIST)
		store_bind_text(s, first + 7, r->prefix_list_id);
	store_bind_text(s, first + 8, r->description ? r->description : "");
}

int store_sg_rule_insert(struct store *st, const struct sg_rule *r)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO sg_rule(id, sg_id, is_egress, protocol,"
					 " from_port, to_port, cidr, ref_sg_id, ref_user_id,"
					 " prefix_list_id, description)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, r->id);
	store_bind_text(s, 2, r->group_id);
	bind_rule(s, r, 3);
	return store_exec_stmt(st, s);
}

int store_sg_rule_update(struct store *st, const struct sg_rule *r)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE sg_rule SET is_egress = ?, protocol = ?,"
					 " from_port = ?, to_port = ?, cidr = ?, ref_sg_id = ?,"
					 " ref_user_id = ?, prefix_list_id = ?, description = ?"
					 " WHERE id = ?");
	if (!s)
		return -EIO;
	bind_rule(s, r, 1);
	store_bind_text(s, 10, r->id);
	return store_exec_stmt(st, s);
}

int store_sg_rule_delete(struct store *st, const char *id)
{
	static const char *const sqls[] = {
		"DELETE FROM tag WHERE resource_id = ?",
		"DELETE FROM sg_rule WHERE id = ?",
	};
	return exec_each(st, sqls, sizeof(sqls) / sizeof(sqls[0]), id);
}

/* One rule from columns first.. of the usual rule SELECT (id, is_egress,
 * protocol, from_port, to_port, cidr, ref_sg_id, ref_user_id,
 * prefix_list_id, description); group_id is left to the caller. */
static int read_rule(sqlite3_stmt *q, int first, struct arena *a, struct sg_rule *r)
{
	memset(r, 0, sizeof(*r));
	store_col_copy(q, first, r->id, sizeof(r->id));
	r->is_egress = sqlite3_column_int(q, first + 1);
	r->protocol = sqlite3_column_int(q, first + 2);
	r->from_port = sqlite3_column_int(q, first + 3);
	r->to_port = sqlite3_column_int(q, first + 4);
	if (sqlite3_column_type(q, first + 5) != SQLITE_NULL) {
		r->peer = SG_PEER_CIDR;
		if (store_col_cidr(q, first + 5, &r->cidr) < 0)
			return -EIO;
	} else if (sqlite3_column_type(q, first + 6) != SQLITE_NULL) {
		r->peer = SG_PEER_GROUP;
		store_col_copy(q, first + 6, r->ref_group_id, sizeof(r->ref_group_id));
		store_col_copy(q, first + 7, r->ref_user_id, sizeof(r->ref_user_id));
	} else {
		r->peer = SG_PEER_PREFIX_LIST;
		store_col_copy(q, first + 8, r->prefix_list_id, sizeof(r->prefix_list_id));
	}
	r->description = store_col_text(q, first + 9, a);
	return 0;
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
		if (read_rule(q, 0, a, r) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		memcpy(r->group_id, g->head.id, sizeof(r->group_id));
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_err(st, "sg_rules");
}

int store_sg_rule_list(struct store *st, struct arena *a, struct sg_rule_entry **ret,
		       size_t *ret_n)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT id, is_egress, protocol, from_port, to_port, cidr,"
					 " ref_sg_id, ref_user_id, prefix_list_id, description,"
					 " seq, sg_id FROM sg_rule ORDER BY seq");
	if (!q)
		return -EIO;
	struct sg_rule_entry *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct sg_rule_entry *e = &v[n++];
		memset(e, 0, sizeof(*e));
		if (read_rule(q, 0, a, &e->rule) < 0) {
			r = -EIO;
			break;
		}
		e->head.seq = sqlite3_column_int64(q, 10);
		store_col_copy(q, 11, e->rule.group_id, sizeof(e->rule.group_id));
		memcpy(e->head.id, e->rule.id, sizeof(e->head.id));
	}
	if (!r && rc != SQLITE_DONE)
		r = store_err(st, "sg_rule_list");
	sqlite3_reset(q);
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
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

int store_sg_get(struct store *st, struct arena *a, const char *id, struct security_group **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, vpc_id, name, description FROM sg"
					 " WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int rc = sqlite3_step(q);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(q);
		return rc == SQLITE_DONE ? -ENOENT : store_err(st, "sg_get");
	}
	struct security_group *g = arena_alloc(a, sizeof(*g));
	g->head.seq = sqlite3_column_int64(q, 0);
	snprintf(g->head.id, sizeof(g->head.id), "%s", id);
	store_col_copy(q, 1, g->vpc_id, sizeof(g->vpc_id));
	g->name = store_col_text(q, 2, a);
	g->description = store_col_text(q, 3, a);
	sqlite3_reset(q);
	int r = load_rules(st, a, g);
	if (!r)
		r = store_tags_load(st, a, &g->head);
	if (!r)
		*ret = g;
	return r;
}
