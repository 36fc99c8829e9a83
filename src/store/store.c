// SPDX-License-Identifier: MIT
/* Opening the database, transactions, the statement cache and the tag and
 * meta tables.  The schema is compiled in from schema.sql (build/gen). */
#include "store/store.h"

#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/resource.h"
#include "store/change.h"
#include "store/internal.h"
#include "util/arena.h"
#include "util/cidr.h"
#include "util/log.h"
#include "util/xalloc.h"

static const char schema_sql[] =
#include "schema.h"
	;

#define STMT_CACHE_MAX 256

struct store {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[STMT_CACHE_MAX];
	size_t n_cache;
};

/* The errno of the last failed system call on the WAL or the database
 * file (SQLite's own sqlite3_system_errno() misses failed writes), or 0. */
static int last_errno(sqlite3 *db)
{
	sqlite3_file *wal = NULL;
	int e = 0;
	if (sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal) == SQLITE_OK &&
	    wal && wal->pMethods)
		(void)wal->pMethods->xFileControl(wal, SQLITE_FCNTL_LAST_ERRNO, &e);
	if (!e)
		(void)sqlite3_file_control(db, "main", SQLITE_FCNTL_LAST_ERRNO, &e);
	return e ? e : sqlite3_system_errno(db);
}

int store_err(struct store *st, const char *op)
{
	/* SQLite says "disk I/O error" for a full or read-only disk alike:
	 * the system's errno tells the operator which. */
	int c = sqlite3_errcode(st->db) & 0xff;
	bool sys = c == SQLITE_IOERR || c == SQLITE_FULL || c == SQLITE_CANTOPEN ||
		   c == SQLITE_READONLY;
	int e = sys ? last_errno(st->db) : 0;
	log_warnx("store", "op=%s err=\"%s\"%s%s%s", op, sqlite3_errmsg(st->db),
		  e ? " errno=\"" : "", e ? strerror(e) : "", e ? "\"" : "");
	return -EIO;
}

/* Why a state file cannot be opened, when the reason is its directory
 * (read-only file system, permissions): -errno, or 0. */
static int dir_unwritable(const char *path)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	int n = !slash ? 0 : slash == path ? 1 : (int)(slash - path);
	if (n)
		snprintf(dir, sizeof(dir), "%.*s", n, path); /* truncated: access() fails */
	else
		snprintf(dir, sizeof(dir), ".");
	if (access(dir, W_OK) == 0)
		return 0;
	int r = -errno;
	log_warnx("store", "op=open path=%s err=\"the state dir %s is not writable: %s\"", path,
		  dir, strerror(-r));
	return r;
}

int store_open(const char *path, struct store **ret)
{
	struct store *st = xcalloc(1, sizeof(*st));
	char *err = NULL;
	int r, err_dir;

	if (sqlite3_open_v2(path, &st->db,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		r = st->db ? store_err(st, "open") : -ENOMEM;
		if (st->db && (err_dir = dir_unwritable(path)) < 0)
			r = err_dir;
		goto fail;
	}
	/* SQLite opens a file it cannot write read-only without a word; a
	 * daemon that could not commit must not start. */
	if (sqlite3_db_readonly(st->db, "main") == 1) {
		if ((err_dir = dir_unwritable(path)) == 0)
			log_warnx("store", "op=open path=%s err=\"the database file is read-only\"",
				  path);
		r = err_dir < 0 ? err_dir : -EROFS;
		goto fail;
	}
	sqlite3_busy_timeout(st->db, 5000);
	/* WAL + synchronous=FULL: a committed call survives kill -9 and power
	 * loss (checklist 24); NORMAL would lose the last commits on power loss. */
	if (sqlite3_exec(st->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;",
			 NULL, NULL, &err) != SQLITE_OK)
		goto fail_exec;
	if (sqlite3_exec(st->db, schema_sql, NULL, NULL, &err) != SQLITE_OK)
		goto fail_exec;
	if ((r = store_change_install(st)) < 0)
		goto fail;
	*ret = st;
	return 0;
fail_exec:
	log_warnx("store", "op=open path=%s err=\"%s\"", path, err ? err : "?");
	sqlite3_free(err);
	r = (err_dir = dir_unwritable(path)) < 0 ? err_dir : -EIO;
fail:
	store_close(st);
	return r;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n_cache; i++)
		sqlite3_finalize(st->cache[i].stmt);
	sqlite3_close(st->db);
	free(st);
}

sqlite3 *store_db(struct store *st)
{
	return st->db;
}

static int exec(struct store *st, const char *sql)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -EIO;
	return store_exec_stmt(st, s);
}

int store_begin(struct store *st)
{
	/* IMMEDIATE: take the write lock up front, so two daemons (or a CLI
	 * tool) on one state dir serialise instead of failing at commit. */
	return exec(st, "BEGIN IMMEDIATE");
}

int store_begin_read(struct store *st)
{
	return exec(st, "BEGIN");
}

int store_commit(struct store *st)
{
	return exec(st, "COMMIT");
}

void store_rollback(struct store *st)
{
	if (!sqlite3_get_autocommit(st->db))
		(void)exec(st, "ROLLBACK"); /* failing to roll back leaves the txn to close() */
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql)
{
	for (size_t i = 0; i < st->n_cache; i++) {
		if (st->cache[i].sql == sql) {
			sqlite3_reset(st->cache[i].stmt);
			sqlite3_clear_bindings(st->cache[i].stmt);
			return st->cache[i].stmt;
		}
	}
	sqlite3_stmt *s;
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK) {
		store_err(st, "prepare");
		return NULL;
	}
	if (st->n_cache < STMT_CACHE_MAX) {
		st->cache[st->n_cache].sql = sql;
		st->cache[st->n_cache].stmt = s;
		st->n_cache++;
	} else {
		abort(); /* more distinct statements than the cache: raise STMT_CACHE_MAX */
	}
	return s;
}

int store_exec_stmt(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	int r = (rc & 0xff) == SQLITE_CONSTRAINT ? -EEXIST : store_err(st, "step");
	sqlite3_reset(s);
	return r;
}

int store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC) == SQLITE_OK ? 0 : -EIO;
}

int store_bind_cidr(sqlite3_stmt *s, int i, const struct cidr *c)
{
	char buf[CIDR_STR_MAX];
	return sqlite3_bind_text(s, i, cidr_format(c, buf), -1, SQLITE_TRANSIENT) == SQLITE_OK
		       ? 0
		       : -EIO;
}

const char *store_col_text(sqlite3_stmt *s, int i, struct arena *a)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? arena_strdup(a, (const char *)t) : NULL;
}

void store_col_copy(sqlite3_stmt *s, int i, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	if (!t) {
		out[0] = '\0';
		return;
	}
	size_t n = strlen((const char *)t);
	if (n >= size)
		n = size - 1;
	memcpy(out, t, n);
	out[n] = '\0';
}

int store_col_cidr(sqlite3_stmt *s, int i, struct cidr *ret)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? cidr_parse((const char *)t, ret) : -EINVAL;
}

int store_count1(struct store *st, const char *sql, const char *arg, size_t *ret)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -EIO;
	if (arg)
		store_bind_text(s, 1, arg);
	if (sqlite3_step(s) != SQLITE_ROW) {
		int r = store_err(st, "count");
		sqlite3_reset(s);
		return r;
	}
	*ret = (size_t)sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int store_text1(struct store *st, struct arena *a, const char *sql, const char *arg1,
		const char *arg2, const char **ret)
{
	sqlite3_stmt *s = store_stmt(st, sql);
	if (!s)
		return -EIO;
	if (arg1)
		store_bind_text(s, 1, arg1);
	if (arg2)
		store_bind_text(s, 2, arg2);
	int rc = sqlite3_step(s), r = 0;
	if (rc == SQLITE_ROW)
		*ret = store_col_text(s, 0, a);
	else
		r = rc == SQLITE_DONE ? -ENOENT : store_err(st, "text1");
	sqlite3_reset(s);
	return r;
}

int store_meta_get(struct store *st, struct arena *a, const char *key, const char **ret)
{
	return store_text1(st, a, "SELECT value FROM meta WHERE key = ?", key, NULL, ret);
}

int store_meta_set(struct store *st, const char *key, const char *value)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, value);
	return store_exec_stmt(st, s);
}

int store_tags_load(struct store *st, struct arena *a, struct res_head *h)
{
	sqlite3_stmt *s =
		store_stmt(st, "SELECT key, value FROM tag WHERE resource_id = ? ORDER BY key");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, h->id);
	h->tags.n = 0;
	h->tags.v = NULL;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, h->tags.v, h->tags.n, cap);
		h->tags.v[h->tags.n].key = store_col_text(s, 0, a);
		h->tags.v[h->tags.n].value = store_col_text(s, 1, a);
		h->tags.n++;
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "tags_load");
	sqlite3_reset(s);
	return r;
}

int store_tags_set(struct store *st, const char *resource_id, const struct tag_list *tags)
{
	for (size_t i = 0; i < tags->n; i++) {
		sqlite3_stmt *s = store_stmt(
			st, "INSERT OR REPLACE INTO tag(resource_id, key, value) VALUES (?, ?, ?)");
		if (!s)
			return -EIO;
		store_bind_text(s, 1, resource_id);
		store_bind_text(s, 2, tags->v[i].key);
		store_bind_text(s, 3, tags->v[i].value);
		int r = store_exec_stmt(st, s);
		if (r < 0)
			return r;
	}
	return 0;
}

int store_tags_delete(struct store *st, const char *resource_id, const char *key,
		      const char *value)
{
	sqlite3_stmt *s;
	if (value) {
		s = store_stmt(st, "DELETE FROM tag WHERE resource_id = ? AND key = ? AND value = ?");
		if (!s)
			return -EIO;
		store_bind_text(s, 3, value);
	} else {
		s = store_stmt(st, "DELETE FROM tag WHERE resource_id = ? AND key = ?");
		if (!s)
			return -EIO;
	}
	store_bind_text(s, 1, resource_id);
	store_bind_text(s, 2, key);
	return store_exec_stmt(st, s);
}

int store_tags_delete_all(struct store *st, const char *resource_id)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM tag WHERE resource_id = ?");
	if (!s)
		return -EIO;
	store_bind_text(s, 1, resource_id);
	return store_exec_stmt(st, s);
}

int store_tags_count(struct store *st, const char *resource_id, size_t *ret)
{
	return store_count1(st, "SELECT COUNT(*) FROM tag WHERE resource_id = ?", resource_id, ret);
}

int store_tags_all(struct store *st, struct arena *a, struct tag_row **ret, size_t *ret_n)
{
	sqlite3_stmt *s = store_stmt(
		st, "SELECT resource_id, key, value FROM tag ORDER BY resource_id, key");
	if (!s)
		return -EIO;
	struct tag_row *v = NULL;
	size_t n = 0, cap = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ARENA_RESERVE(a, v, n, cap);
		v[n].resource_id = store_col_text(s, 0, a);
		v[n].key = store_col_text(s, 1, a);
		v[n].value = store_col_text(s, 2, a);
		n++;
	}
	int r = rc == SQLITE_DONE ? 0 : store_err(st, "tags_all");
	sqlite3_reset(s);
	if (r == 0) {
		*ret = v;
		*ret_n = n;
	}
	return r;
}

bool store_resource_exists(struct store *st, const char *id)
{
	/* The prefix names the table; each query is a literal so it is cached. */
	static const struct {
		const char *prefix, *sql;
	} tables[] = {
		{ "vpc-", "SELECT COUNT(*) FROM vpc WHERE id = ?" },
		{ "subnet-", "SELECT COUNT(*) FROM subnet WHERE id = ?" },
		{ "rtb-", "SELECT COUNT(*) FROM route_table WHERE id = ?" },
		{ "igw-", "SELECT COUNT(*) FROM igw WHERE id = ?" },
		{ "i-", "SELECT COUNT(*) FROM instance WHERE id = ?" },
		{ "eni-", "SELECT COUNT(*) FROM eni WHERE id = ?" },
		{ "sg-", "SELECT COUNT(*) FROM sg WHERE id = ?" },
		{ "acl-", "SELECT COUNT(*) FROM nacl WHERE id = ?" },
		{ "sgr-", "SELECT COUNT(*) FROM sg_rule WHERE id = ?" },
		{ "key-", "SELECT COUNT(*) FROM key_pair WHERE id = ?" },
		{ "eipalloc-", "SELECT COUNT(*) FROM eip WHERE id = ?" },
		{ "nat-", "SELECT COUNT(*) FROM natgw WHERE id = ?" },
		{ "pcx-", "SELECT COUNT(*) FROM pcx WHERE id = ?" },
		{ "nip-", "SELECT COUNT(*) FROM ni_path WHERE id = ?" },
		{ "nia-", "SELECT COUNT(*) FROM ni_analysis WHERE id = ?" },
	};
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		if (strncmp(id, tables[i].prefix, strlen(tables[i].prefix)) == 0) {
			size_t n = 0;
			return store_count1(st, tables[i].sql, id, &n) == 0 && n > 0;
		}
	}
	return false;
}

int store_open_readonly(const char *path, struct store **ret)
{
	struct store *st = NULL;
	int r;

	if (access(path, F_OK) < 0)
		return -errno;
	st = xcalloc(1, sizeof(*st));
	if (sqlite3_open_v2(path, &st->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		r = st->db ? store_err(st, "open_readonly") : -ENOMEM;
		store_close(st);
		return r;
	}
	sqlite3_busy_timeout(st->db, 5000);
	*ret = st;
	return 0;
}
