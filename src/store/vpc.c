// SPDX-License-Identifier: MIT
/* VPC rows; see vpc.h. */
#include "store/vpc.h"

#include <errno.h>
#include <string.h>

#include "model/vpc.h"
#include "store/internal.h"
#include "util/arena.h"

int store_vpc_cidr_insert(struct store *st, const char *vpc_id, const struct vpc_cidr_assoc *as)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO vpc_cidr(id, vpc_id, cidr, state, is_primary)"
					 " VALUES (?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, as->id);
	store_bind_text(s, 2, vpc_id);
	store_bind_cidr(s, 3, &as->cidr);
	store_bind_text(s, 4, cidr_assoc_state_name(as->state));
	sqlite3_bind_int(s, 5, as->is_primary);
	return store_exec_stmt(st, s);
}

int store_vpc_cidr_delete(struct store *st, const char *assoc_id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM vpc_cidr WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, assoc_id);
	return store_exec_stmt(st, s);
}

int store_vpc_insert(struct store *st, struct vpc *v)
{
	sqlite3_stmt *s = store_stmt(
		st, "INSERT INTO vpc(id, cidr, dhcp_options_id, tenancy, is_default, dns_support,"
		    " dns_hostnames, nau_metrics) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, v->head.id);
	store_bind_cidr(s, 2, &v->cidr);
	store_bind_text(s, 3, v->dhcp_options_id);
	store_bind_text(s, 4, v->tenancy);
	sqlite3_bind_int(s, 5, v->is_default);
	sqlite3_bind_int(s, 6, v->dns_support);
	sqlite3_bind_int(s, 7, v->dns_hostnames);
	sqlite3_bind_int(s, 8, v->nau_metrics);
	int r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	v->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	for (size_t i = 0; i < v->n_assocs; i++) {
		r = store_vpc_cidr_insert(st, v->head.id, &v->assocs[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

int store_vpc_update(struct store *st, const struct vpc *v)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE vpc SET tenancy = ?, dns_support = ?,"
					 " dns_hostnames = ?, nau_metrics = ? WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, v->tenancy);
	sqlite3_bind_int(s, 2, v->dns_support);
	sqlite3_bind_int(s, 3, v->dns_hostnames);
	sqlite3_bind_int(s, 4, v->nau_metrics);
	store_bind_text(s, 5, v->head.id);
	return store_exec_stmt(st, s);
}

int store_vpc_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM vpc_cidr WHERE vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	s = store_stmt(st, "DELETE FROM vpc WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	r = store_exec_stmt(st, s);
	if (r < 0)
		return r;
	return store_tags_delete_all(st, id);
}

static int read_vpc(struct store *st, struct arena *a, sqlite3_stmt *s, struct vpc *v)
{
	v->head.seq = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, v->head.id, sizeof(v->head.id));
	if (store_col_cidr(s, 2, &v->cidr) < 0)
		return -EIO;
	store_col_copy(s, 3, v->dhcp_options_id, sizeof(v->dhcp_options_id));
	v->tenancy = store_col_text(s, 4, a);
	v->is_default = sqlite3_column_int(s, 5);
	v->dns_support = sqlite3_column_int(s, 6);
	v->dns_hostnames = sqlite3_column_int(s, 7);
	v->nau_metrics = sqlite3_column_int(s, 8);
	(void)st;
	return 0;
}

static int load_assocs(struct store *st, struct arena *a, struct vpc *v)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, cidr, state, is_primary FROM vpc_cidr"
					 " WHERE vpc_id = ? ORDER BY is_primary DESC, seq");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, v->head.id);
	size_t cap = 0;
	int rc;
	v->n_assocs = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v->assocs, v->n_assocs, cap);
		struct vpc_cidr_assoc *as = &v->assocs[v->n_assocs++];
		store_col_copy(s, 0, as->id, sizeof(as->id));
		const char *state = (const char *)sqlite3_column_text(s, 2);
		if (store_col_cidr(s, 1, &as->cidr) < 0 || !state ||
		    cidr_assoc_state_parse(state, &as->state) < 0) {
			sqlite3_reset(s);
			return -EIO;
		}
		as->is_primary = sqlite3_column_int(s, 3);
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "vpc_assocs");
	sqlite3_reset(s);
	return r;
}

#define VPC_COLS \
	"seq, id, cidr, dhcp_options_id, tenancy, is_default, dns_support, dns_hostnames, nau_metrics"

int store_vpc_get(struct store *st, struct arena *a, const char *id, struct vpc **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " VPC_COLS " FROM vpc WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		int r = rc == SQLITE_DONE ? -ENOENT : store_err(st, "vpc_get");
		sqlite3_reset(s);
		return r;
	}
	struct vpc *v = arena_alloc(a, sizeof(*v));
	int r = read_vpc(st, a, s, v);
	sqlite3_reset(s);
	if (r == 0)
		r = load_assocs(st, a, v);
	if (r == 0)
		r = store_tags_load(st, a, &v->head);
	if (r == 0)
		*ret = v;
	return r;
}

int store_vpc_list(struct store *st, struct arena *a, struct vpc **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " VPC_COLS " FROM vpc ORDER BY seq");
	if (!s)
		return -EIO;
	struct vpc *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		r = read_vpc(st, a, s, &v[n++]);
		if (r < 0)
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = store_err(st, "vpc_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++) {
		r = load_assocs(st, a, &v[i]);
		if (!r)
			r = store_tags_load(st, a, &v[i].head);
	}
	if (r == 0) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_vpc_count(struct store *st, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM vpc", NULL, ret);
}

int store_vpc_dependents(struct store *st, const char *id, struct vpc_dependents *ret)
{
	struct vpc_dependents d = { 0 };
	size_t tables = 0;
	int r = store_count1(st, "SELECT COUNT(*) FROM subnet WHERE vpc_id = ?", id, &d.subnets);
	if (!r)
		r = store_count1(st, "SELECT COUNT(*) FROM igw WHERE vpc_id = ?", id, &d.igws);
	if (!r)
		r = store_count1(st, "SELECT COUNT(*) FROM route_table WHERE vpc_id = ?", id, &tables);
	if (!r)
		r = store_count1(st, "SELECT COUNT(*) FROM eni WHERE vpc_id = ?", id, &d.enis);
	if (!r)
		r = store_count1(st, "SELECT COUNT(*) FROM sg WHERE vpc_id = ? AND name != 'default'",
				 id, &d.extra_sgs);
	if (!r)
		r = store_count1(st, "SELECT COUNT(*) FROM nacl WHERE vpc_id = ? AND is_default = 0",
				 id, &d.extra_nacls);
	if (!r) {
		/* A NAT gateway that is not deleted counts with the ENIs. */
		size_t natgws = 0;
		r = store_count1(st, "SELECT COUNT(*) FROM natgw WHERE vpc_id = ?"
				     " AND state IN ('pending', 'available', 'deleting')",
				 id, &natgws);
		d.enis += natgws;
	}
	if (r)
		return r;
	d.extra_route_tables = tables ? tables - 1 : 0;
	*ret = d;
	return 0;
}

int store_vpc_subnets_in_block(struct store *st, const char *vpc_id, const struct cidr *block,
			       size_t *ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT cidr FROM subnet WHERE vpc_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, vpc_id);
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct cidr c;
		if (store_col_cidr(s, 0, &c) == 0 && cidr_contains(block, &c))
			n++;
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "vpc_subnets_in_block");
	sqlite3_reset(s);
	if (r == 0)
		*ret = n;
	return r;
}
