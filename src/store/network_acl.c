// SPDX-License-Identifier: MIT
/* Network-ACL rows, entries and associations; see network_acl.h.  The only
 * SQL for tables nacl, nacl_entry and nacl_assoc. */
#include "store/network_acl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "model/network_acl.h"
#include "store/internal.h"
#include "store/store.h"
#include "util/arena.h"

static int load_entries(struct store *st, struct arena *a, struct network_acl *acl)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT rule_number, is_egress, protocol, is_allow, cidr,"
					 " from_port, to_port, icmp_type, icmp_code FROM nacl_entry"
					 " WHERE nacl_id = ? ORDER BY is_egress, rule_number");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, acl->head.id);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, acl->entries, acl->n_entries, cap);
		struct nacl_entry *e = &acl->entries[acl->n_entries++];
		memset(e, 0, sizeof(*e));
		e->rule_number = sqlite3_column_int(q, 0);
		e->is_egress = sqlite3_column_int(q, 1);
		e->protocol = sqlite3_column_int(q, 2);
		e->is_allow = sqlite3_column_int(q, 3);
		if (store_col_cidr(q, 4, &e->cidr) < 0) {
			sqlite3_reset(q);
			return -EIO;
		}
		e->from_port = sqlite3_column_int(q, 5);
		e->to_port = sqlite3_column_int(q, 6);
		e->icmp_type = sqlite3_column_int(q, 7);
		e->icmp_code = sqlite3_column_int(q, 8);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "nacl_entries");
	q = store_stmt(st, "SELECT id, subnet_id FROM nacl_assoc WHERE nacl_id = ? ORDER BY seq");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, acl->head.id);
	cap = 0;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, acl->assocs, acl->n_assocs, cap);
		struct nacl_assoc *as = &acl->assocs[acl->n_assocs++];
		store_col_copy(q, 0, as->id, sizeof(as->id));
		store_col_copy(q, 1, as->subnet_id, sizeof(as->subnet_id));
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_err(st, "nacl_assocs");
}

/* Reads the rows of a prepared "SELECT seq, id, vpc_id, is_default" query
 * and loads each ACL's entries, associations and tags. */
static int load_acls(struct store *st, struct arena *a, sqlite3_stmt *q,
		     struct network_acl **ret, size_t *ret_n)
{
	struct network_acl *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct network_acl *acl = &v[n++];
		memset(acl, 0, sizeof(*acl));
		acl->head.seq = sqlite3_column_int64(q, 0);
		store_col_copy(q, 1, acl->head.id, sizeof(acl->head.id));
		store_col_copy(q, 2, acl->vpc_id, sizeof(acl->vpc_id));
		acl->is_default = sqlite3_column_int(q, 3);
	}
	sqlite3_reset(q);
	if (rc != SQLITE_DONE)
		return store_err(st, "nacl_list");
	int r = 0;
	for (size_t i = 0; i < n && !r; i++)
		if (!(r = load_entries(st, a, &v[i])))
			r = store_tags_load(st, a, &v[i].head);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_nacl_list(struct store *st, struct arena *a, const char *vpc_id,
		    struct network_acl **ret, size_t *ret_n)
{
	sqlite3_stmt *q = vpc_id ? store_stmt(st, "SELECT seq, id, vpc_id, is_default FROM nacl"
						  " WHERE vpc_id = ? ORDER BY seq")
				 : store_stmt(st, "SELECT seq, id, vpc_id, is_default FROM nacl"
						  " ORDER BY seq");
	if (!q)
		return -EIO;
	if (vpc_id)
		store_bind_text(q, 1, vpc_id);
	return load_acls(st, a, q, ret, ret_n);
}

int store_nacl_get(struct store *st, struct arena *a, const char *id, struct network_acl **ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT seq, id, vpc_id, is_default FROM nacl"
					 " WHERE id = ?");
	struct network_acl *v;
	size_t n;
	if (!q)
		return -EIO;
	store_bind_text(q, 1, id);
	int r = load_acls(st, a, q, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_nacl_insert(struct store *st, struct network_acl *acl)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO nacl(id, vpc_id, is_default)"
					 " VALUES (?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, acl->head.id);
	store_bind_text(s, 2, acl->vpc_id);
	sqlite3_bind_int(s, 3, acl->is_default);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		acl->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_nacl_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM nacl WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int r = store_exec_stmt(st, s); /* entries go by ON DELETE CASCADE */
	return r < 0 ? r : store_tags_delete_all(st, id);
}

int store_nacl_default_of_vpc(struct store *st, struct arena *a, const char *vpc_id,
			      const char **ret)
{
	return store_text1(st, a, "SELECT id FROM nacl WHERE vpc_id = ? AND is_default = 1",
			   vpc_id, NULL, ret);
}

int store_nacl_count_in_vpc(struct store *st, const char *vpc_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM nacl WHERE vpc_id = ?", vpc_id, ret);
}

/* Runs a data-changing statement; -ENOENT when it touched no row. */
static int exec_changed(struct store *st, sqlite3_stmt *s)
{
	int r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return sqlite3_changes(sqlite3_db_handle(s)) > 0 ? 0 : -ENOENT;
}

/* Binds the value columns of e at 1..8 (protocol .. icmp_code). */
static void bind_entry(sqlite3_stmt *s, const struct nacl_entry *e)
{
	sqlite3_bind_int(s, 1, e->protocol);
	sqlite3_bind_int(s, 2, e->is_allow);
	store_bind_cidr(s, 3, &e->cidr);
	sqlite3_bind_int(s, 4, e->from_port);
	sqlite3_bind_int(s, 5, e->to_port);
	sqlite3_bind_int(s, 6, e->icmp_type);
	sqlite3_bind_int(s, 7, e->icmp_code);
}

int store_nacl_entry_insert(struct store *st, const char *acl_id, const struct nacl_entry *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO nacl_entry(protocol, is_allow, cidr,"
					 " from_port, to_port, icmp_type, icmp_code, nacl_id,"
					 " is_egress, rule_number)"
					 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	bind_entry(s, e);
	store_bind_text(s, 8, acl_id);
	sqlite3_bind_int(s, 9, e->is_egress);
	sqlite3_bind_int(s, 10, e->rule_number);
	return store_exec_stmt(st, s);
}

int store_nacl_entry_update(struct store *st, const char *acl_id, const struct nacl_entry *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE nacl_entry SET protocol = ?, is_allow = ?,"
					 " cidr = ?, from_port = ?, to_port = ?, icmp_type = ?,"
					 " icmp_code = ? WHERE nacl_id = ? AND is_egress = ? AND"
					 " rule_number = ?");
	if (!s)
		return -EIO;
	bind_entry(s, e);
	store_bind_text(s, 8, acl_id);
	sqlite3_bind_int(s, 9, e->is_egress);
	sqlite3_bind_int(s, 10, e->rule_number);
	return exec_changed(st, s);
}

int store_nacl_entry_delete(struct store *st, const char *acl_id, bool is_egress,
			    int rule_number)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM nacl_entry WHERE nacl_id = ? AND"
					 " is_egress = ? AND rule_number = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, acl_id);
	sqlite3_bind_int(s, 2, is_egress);
	sqlite3_bind_int(s, 3, rule_number);
	return exec_changed(st, s);
}

int store_nacl_assoc_insert(struct store *st, const char *acl_id, const struct nacl_assoc *as)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO nacl_assoc(id, nacl_id, subnet_id)"
					 " VALUES (?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, as->id);
	store_bind_text(s, 2, acl_id);
	store_bind_text(s, 3, as->subnet_id);
	return store_exec_stmt(st, s);
}

int store_nacl_assoc_get(struct store *st, const char *assoc_id, struct nacl_assoc *ret_as,
			 char *ret_acl_id)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT id, subnet_id, nacl_id FROM nacl_assoc"
					 " WHERE id = ?");
	if (!q)
		return -EIO;
	store_bind_text(q, 1, assoc_id);
	int rc = sqlite3_step(q), r = 0;
	if (rc == SQLITE_ROW) {
		store_col_copy(q, 0, ret_as->id, sizeof(ret_as->id));
		store_col_copy(q, 1, ret_as->subnet_id, sizeof(ret_as->subnet_id));
		store_col_copy(q, 2, ret_acl_id, ID_MAX);
	} else {
		r = rc == SQLITE_DONE ? -ENOENT : store_err(st, "nacl_assoc_get");
	}
	sqlite3_reset(q);
	return r;
}

int store_nacl_assoc_move(struct store *st, const char *old_id, const char *new_id,
			  const char *acl_id)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE nacl_assoc SET id = ?, nacl_id = ? WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, new_id);
	store_bind_text(s, 2, acl_id);
	store_bind_text(s, 3, old_id);
	return exec_changed(st, s);
}

/* The nacl table has no client_token column; tokens live in meta under
 * this prefix (API-17 needs only token → ID). */
#define TOKEN_KEY "nacl.client_token."

int store_nacl_by_token(struct store *st, struct arena *a, const char *token, const char **ret)
{
	return store_meta_get(st, a, arena_printf(a, TOKEN_KEY "%s", token), ret);
}

int store_nacl_token_set(struct store *st, const char *token, const char *acl_id)
{
	char key[sizeof(TOKEN_KEY) + 64];
	int n = snprintf(key, sizeof(key), TOKEN_KEY "%s", token);
	if (n < 0 || (size_t)n >= sizeof(key))
		return -EINVAL;
	return store_meta_set(st, key, acl_id);
}
