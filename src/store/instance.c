// SPDX-License-Identifier: MIT
/* Instance, ENI and security-group rows; see instance.h. */
#include "store/instance.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "model/instance.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/cidr.h"

static void bind_ip(sqlite3_stmt *s, int i, uint32_t ip)
{
	char buf[IP4_STR_MAX];
	if (ip)
		sqlite3_bind_text(s, i, ip4_format(ip, buf), -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

static uint32_t col_ip(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	uint32_t ip = 0;
	if (t && ip4_parse((const char *)t, &ip) < 0)
		ip = 0;
	return ip;
}

static void bind_opt(sqlite3_stmt *s, int i, const char *v)
{
	if (v && *v)
		store_bind_text(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

int store_instance_insert(struct store *st, struct instance *in)
{
	sqlite3_stmt *s = store_stmt(
		st, "INSERT INTO instance(id, reservation_id, image_id, instance_type, subnet_id,"
		    " vpc_id, key_name, state, state_reason, launch_time, state_time, launch_index,"
		    " user_data, client_token, http_tokens, hop_limit, http_endpoint)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, in->head.id);
	store_bind_text(s, 2, in->reservation_id);
	store_bind_text(s, 3, in->image_id);
	store_bind_text(s, 4, in->instance_type);
	store_bind_text(s, 5, in->subnet_id);
	store_bind_text(s, 6, in->vpc_id);
	bind_opt(s, 7, in->key_name);
	store_bind_text(s, 8, instance_state_name(in->state));
	store_bind_text(s, 9, in->state_reason ? in->state_reason : "");
	sqlite3_bind_int64(s, 10, in->launch_time);
	sqlite3_bind_int64(s, 11, in->state_time);
	sqlite3_bind_int(s, 12, in->launch_index);
	if (in->user_data)
		sqlite3_bind_blob(s, 13, in->user_data, (int)in->user_data_size, SQLITE_STATIC);
	bind_opt(s, 14, in->client_token);
	store_bind_text(s, 15, in->http_tokens);
	sqlite3_bind_int(s, 16, in->hop_limit);
	store_bind_text(s, 17, in->http_endpoint);
	int r = store_exec_stmt(st, s);
	if (r == 0)
		in->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
	return r;
}

int store_instance_set_state(struct store *st, const struct instance *in)
{
	sqlite3_stmt *s = store_stmt(
		st, "UPDATE instance SET state = ?, state_reason = ?, state_time = ? WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, instance_state_name(in->state));
	store_bind_text(s, 2, in->state_reason ? in->state_reason : "");
	sqlite3_bind_int64(s, 3, in->state_time);
	store_bind_text(s, 4, in->head.id);
	return store_exec_stmt(st, s);
}

int store_instance_update(struct store *st, const struct instance *in)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE instance SET instance_type = ?, user_data = ?,"
					 " http_tokens = ?, hop_limit = ?, http_endpoint = ?,"
					 " boot_gen = ? WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, in->instance_type);
	if (in->user_data)
		sqlite3_bind_blob(s, 2, in->user_data, (int)in->user_data_size, SQLITE_STATIC);
	store_bind_text(s, 3, in->http_tokens);
	sqlite3_bind_int(s, 4, in->hop_limit);
	store_bind_text(s, 5, in->http_endpoint);
	sqlite3_bind_int64(s, 6, in->boot_gen);
	store_bind_text(s, 7, in->head.id);
	return store_exec_stmt(st, s);
}

int store_instance_delete(struct store *st, const char *id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM instance WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	int r = store_exec_stmt(st, s);
	return r < 0 ? r : store_tags_delete_all(st, id);
}

#define INSTANCE_COLS                                                                     \
	"seq, id, reservation_id, image_id, instance_type, subnet_id, vpc_id, key_name,"  \
	" state, state_reason, launch_time, state_time, launch_index, user_data,"         \
	" client_token, http_tokens, hop_limit, http_endpoint,"                           \
	" (SELECT az FROM subnet WHERE subnet.id = instance.subnet_id), boot_gen,"        \
	" (SELECT public_key FROM key_pair WHERE key_pair.name = instance.key_name)"

#define ENI_COLS                                                                      \
	"seq, id, subnet_id, vpc_id, private_ip, mac, instance_id, attachment_id,"    \
	" device_index, source_dest_check, public_ip, description, interface_type,"   \
	" delete_on_term, wants_public_ip,"                                           \
	" (SELECT az FROM subnet WHERE subnet.id = eni.subnet_id)"

static int read_enis(struct store *st, struct arena *a, sqlite3_stmt *s, struct eni **ret,
		     size_t *ret_n);

/* with_enis false: the rows and tags only (the snapshot attaches the ENIs
 * it loads anyway, store/snapshot.c). */
static int read_instances(struct store *st, struct arena *a, sqlite3_stmt *s, bool with_enis,
			  struct instance **ret, size_t *ret_n)
{
	struct instance *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct instance *in = &v[n++];
		in->head.seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, in->head.id, sizeof(in->head.id));
		store_col_copy(s, 2, in->reservation_id, sizeof(in->reservation_id));
		store_col_copy(s, 3, in->image_id, sizeof(in->image_id));
		store_col_copy(s, 4, in->instance_type, sizeof(in->instance_type));
		store_col_copy(s, 5, in->subnet_id, sizeof(in->subnet_id));
		store_col_copy(s, 6, in->vpc_id, sizeof(in->vpc_id));
		in->key_name = store_col_text(s, 7, a);
		const char *state = (const char *)sqlite3_column_text(s, 8);
		if (!state || instance_state_parse(state, &in->state) < 0) {
			r = -EIO;
			break;
		}
		in->state_reason = store_col_text(s, 9, a);
		in->launch_time = sqlite3_column_int64(s, 10);
		in->state_time = sqlite3_column_int64(s, 11);
		in->launch_index = sqlite3_column_int(s, 12);
		int size = sqlite3_column_bytes(s, 13);
		const void *ud = sqlite3_column_blob(s, 13);
		if (ud && size > 0) {
			void *copy = arena_alloc(a, (size_t)size);
			memcpy(copy, ud, (size_t)size);
			in->user_data = copy;
			in->user_data_size = (size_t)size;
		}
		in->client_token = store_col_text(s, 14, a);
		in->http_tokens = store_col_text(s, 15, a);
		in->hop_limit = sqlite3_column_int(s, 16);
		in->http_endpoint = store_col_text(s, 17, a);
		store_col_copy(s, 18, in->az, sizeof(in->az));
		in->boot_gen = sqlite3_column_int64(s, 19);
		in->key_public = store_col_text(s, 20, a);
	}
	if (!r && rc != SQLITE_DONE)
		r = store_err(st, "instance_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++)
		r = store_tags_load(st, a, &v[i].head);
	/* Attach each instance's ENIs, in device-index order: one indexed
	 * query per instance, so loading one instance costs its own ENIs, not
	 * the whole table (AttachNetworkInterface at 10,000 ENIs spent 24 ms
	 * here, reading every ENI with its groups and tags). */
	for (size_t i = 0; i < n && !r && with_enis; i++) {
		struct instance *in = &v[i];
		sqlite3_stmt *es = store_stmt(st, "SELECT " ENI_COLS " FROM eni WHERE instance_id = ?"
						  " ORDER BY device_index, seq");
		if (!es) {
			r = -EIO;
			break;
		}
		store_bind_text(es, 1, in->head.id);
		struct eni *e;
		size_t ne;
		if ((r = read_enis(st, a, es, &e, &ne)) < 0)
			break;
		in->enis = ne ? arena_alloc_array(a, ne, sizeof(*in->enis)) : NULL;
		for (size_t k = 0; k < ne; k++) {
			in->enis[in->n_enis++] = &e[k];
			if (e[k].device_index == 0)
				in->eni = &e[k];
		}
	}
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_instance_list(struct store *st, struct arena *a, struct instance **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " INSTANCE_COLS " FROM instance ORDER BY seq");
	if (!s)
		return -EIO;
	return read_instances(st, a, s, true, ret, ret_n);
}

int store_instance_rows(struct store *st, struct arena *a, struct instance **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " INSTANCE_COLS " FROM instance ORDER BY seq");
	if (!s)
		return -EIO;
	return read_instances(st, a, s, false, ret, ret_n);
}

static int one(struct store *st, struct arena *a, sqlite3_stmt *s, struct instance **ret)
{
	struct instance *v;
	size_t n;
	int r = read_instances(st, a, s, true, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_instance_get(struct store *st, struct arena *a, const char *id, struct instance **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " INSTANCE_COLS " FROM instance WHERE id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, id);
	return one(st, a, s, ret);
}

int store_instance_by_token(struct store *st, struct arena *a, const char *token,
			    struct instance **ret)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " INSTANCE_COLS " FROM instance"
					 " WHERE client_token = ? ORDER BY seq LIMIT 1");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, token);
	return one(st, a, s, ret);
}

static int save_groups(struct store *st, const struct eni *e)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM eni_sg WHERE eni_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, e->head.id);
	int r = store_exec_stmt(st, s);
	for (size_t i = 0; i < e->n_groups && !r; i++) {
		s = store_stmt(st, "INSERT INTO eni_sg(eni_id, sg_id) VALUES (?, ?)");
		if (!s)
			return -EIO;
		store_bind_text(s, 1, e->head.id);
		store_bind_text(s, 2, e->group_ids[i]);
		r = store_exec_stmt(st, s);
	}
	return r;
}

int store_eni_insert(struct store *st, struct eni *e)
{
	sqlite3_stmt *s = store_stmt(
		st, "INSERT INTO eni(id, subnet_id, vpc_id, private_ip, mac, instance_id,"
		    " attachment_id, device_index, source_dest_check, public_ip, description,"
		    " interface_type, delete_on_term, wants_public_ip)"
		    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, e->head.id);
	store_bind_text(s, 2, e->subnet_id);
	store_bind_text(s, 3, e->vpc_id);
	bind_ip(s, 4, e->private_ip);
	store_bind_text(s, 5, e->mac);
	bind_opt(s, 6, e->instance_id);
	bind_opt(s, 7, e->attachment_id);
	if (e->device_index >= 0)
		sqlite3_bind_int(s, 8, e->device_index);
	sqlite3_bind_int(s, 9, e->source_dest_check);
	bind_ip(s, 10, e->public_ip);
	store_bind_text(s, 11, e->description ? e->description : "");
	store_bind_text(s, 12, e->interface_type ? e->interface_type : "interface");
	sqlite3_bind_int(s, 13, e->delete_on_termination);
	sqlite3_bind_int(s, 14, e->wants_public_ip);
	int r = store_exec_stmt(st, s);
	if (r == 0) {
		e->head.seq = sqlite3_last_insert_rowid(sqlite3_db_handle(s));
		r = save_groups(st, e);
	}
	return r;
}

int store_eni_update(struct store *st, const struct eni *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE eni SET public_ip = ?, source_dest_check = ?,"
					 " instance_id = ?, attachment_id = ?, device_index = ?,"
					 " description = ?, delete_on_term = ?, wants_public_ip = ?"
					 " WHERE id = ?");
	if (!s)
		return -EIO;
	bind_ip(s, 1, e->public_ip);
	sqlite3_bind_int(s, 2, e->source_dest_check);
	bind_opt(s, 3, e->instance_id);
	bind_opt(s, 4, e->attachment_id);
	if (e->device_index >= 0)
		sqlite3_bind_int(s, 5, e->device_index);
	store_bind_text(s, 6, e->description ? e->description : "");
	sqlite3_bind_int(s, 7, e->delete_on_termination);
	sqlite3_bind_int(s, 8, e->wants_public_ip);
	store_bind_text(s, 9, e->head.id);
	int r = store_exec_stmt(st, s);
	return r < 0 ? r : save_groups(st, e);
}

int store_eni_delete(struct store *st, const char *id)
{
	/* An Elastic IP on the ENI is disassociated, not released (EIP-10). */
	static const char *const sqls[] = {
		("UPDATE eip SET association_id = NULL, eni_id = NULL, private_ip = NULL"
		 " WHERE eni_id = ?"),
		"DELETE FROM eni_sg WHERE eni_id = ?", "DELETE FROM eni WHERE id = ?"
	};
	for (size_t i = 0; i < 3; i++) {
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

static int load_groups(struct store *st, struct arena *a, struct eni *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT eni_sg.sg_id, COALESCE(sg.name, '') FROM eni_sg"
					 " LEFT JOIN sg ON sg.id = eni_sg.sg_id"
					 " WHERE eni_sg.eni_id = ? ORDER BY eni_sg.sg_id");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, e->head.id);
	size_t cap = 0, cap_names = 0, n_names = 0;
	int rc;
	e->n_groups = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, e->group_ids, e->n_groups, cap);
		ARENA_RESERVE(a, e->group_names, n_names, cap_names);
		e->group_ids[e->n_groups++] = store_col_text(s, 0, a);
		e->group_names[n_names++] = store_col_text(s, 1, a);
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "eni_groups");
	sqlite3_reset(s);
	return r;
}

static int read_enis(struct store *st, struct arena *a, sqlite3_stmt *s, struct eni **ret,
		     size_t *ret_n)
{
	struct eni *v = NULL;
	size_t n = 0, cap = 0;
	int rc, r = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		struct eni *e = &v[n++];
		e->head.seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, e->head.id, sizeof(e->head.id));
		store_col_copy(s, 2, e->subnet_id, sizeof(e->subnet_id));
		store_col_copy(s, 3, e->vpc_id, sizeof(e->vpc_id));
		e->private_ip = col_ip(s, 4);
		store_col_copy(s, 5, e->mac, sizeof(e->mac));
		store_col_copy(s, 6, e->instance_id, sizeof(e->instance_id));
		store_col_copy(s, 7, e->attachment_id, sizeof(e->attachment_id));
		e->device_index = sqlite3_column_type(s, 8) == SQLITE_NULL ? -1
									  : sqlite3_column_int(s, 8);
		e->source_dest_check = sqlite3_column_int(s, 9);
		e->public_ip = col_ip(s, 10);
		e->description = store_col_text(s, 11, a);
		e->interface_type = store_col_text(s, 12, a);
		e->delete_on_termination = sqlite3_column_int(s, 13);
		e->wants_public_ip = sqlite3_column_int(s, 14);
		store_col_copy(s, 15, e->az, sizeof(e->az));
	}
	if (rc != SQLITE_DONE)
		r = store_err(st, "eni_list");
	sqlite3_reset(s);
	for (size_t i = 0; i < n && !r; i++) {
		r = load_groups(st, a, &v[i]);
		if (!r)
			r = store_tags_load(st, a, &v[i].head);
	}
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_eni_list(struct store *st, struct arena *a, const char *vpc_id, struct eni **ret,
		   size_t *ret_n)
{
	sqlite3_stmt *s;
	if (vpc_id) {
		s = store_stmt(st, "SELECT " ENI_COLS " FROM eni WHERE vpc_id = ? ORDER BY seq");
		if (!s)
			return -EIO;
		store_bind_text(s, 1, vpc_id);
	} else {
		s = store_stmt(st, "SELECT " ENI_COLS " FROM eni ORDER BY seq");
		if (!s)
			return -EIO;
	}
	return read_enis(st, a, s, ret, ret_n);
}

/* The one ENI that statement s (one text bind: key) selects; -ENOENT. */
static int eni_one(struct store *st, struct arena *a, sqlite3_stmt *s, const char *key,
		   struct eni **ret)
{
	if (!s)
		return -EIO;
	store_bind_text(s, 1, key);
	struct eni *v;
	size_t n;
	int r = read_enis(st, a, s, &v, &n);
	if (r < 0)
		return r;
	if (!n)
		return -ENOENT;
	*ret = v;
	return 0;
}

int store_eni_get(struct store *st, struct arena *a, const char *id, struct eni **ret)
{
	return eni_one(st, a, store_stmt(st, "SELECT " ENI_COLS " FROM eni WHERE id = ?"), id, ret);
}

int store_eni_by_attachment(struct store *st, struct arena *a, const char *attachment_id,
			    struct eni **ret)
{
	return eni_one(st, a,
		       store_stmt(st, "SELECT " ENI_COLS " FROM eni WHERE attachment_id = ?"),
		       attachment_id, ret);
}

static int ip_column(struct store *st, struct arena *a, sqlite3_stmt *s, uint32_t **ret,
		     size_t *ret_n)
{
	uint32_t *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n++] = col_ip(s, 0);
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "ip_column");
	sqlite3_reset(s);
	if (!r) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

int store_eni_ips_in_subnet(struct store *st, struct arena *a, const char *subnet_id,
			    uint32_t **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT private_ip FROM eni WHERE subnet_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, subnet_id);
	return ip_column(st, a, s, ret, ret_n);
}

int store_public_ips(struct store *st, struct arena *a, uint32_t **ret, size_t *ret_n)
{
	/* Elastic IPs are taken whether associated or not (spec §12). */
	sqlite3_stmt *s = store_stmt(st, "SELECT public_ip FROM eni WHERE public_ip IS NOT NULL"
					 " UNION SELECT public_ip FROM eip");
	if (!s)
		return -EIO;
	return ip_column(st, a, s, ret, ret_n);
}

int store_public_ips_in_vpc(struct store *st, const char *vpc_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM eni WHERE vpc_id = ? AND public_ip IS NOT NULL",
			    vpc_id, ret);
}

int store_eni_count_in_subnet(struct store *st, const char *subnet_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM eni WHERE subnet_id = ?", subnet_id, ret);
}
