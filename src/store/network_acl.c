// SPDX-License-Identifier: MIT
/* Network-ACL rows, entries and associations; see network_acl.h.  The only
 * SQL for tables nacl, nacl_entry and nacl_assoc. */
#include "store/network_acl.h"

#include <errno.h>
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
