// SPDX-License-Identifier: MIT
/* The SQLite state of one daemon: the only place SQL is written.  A store
 * is used from one thread.  Every API call runs inside one transaction
 * (store_begin … store_commit/store_rollback), so a call happens whole or not
 * at all.  Functions return 0 or a negative errno: -ENOENT for "no such row",
 * -EIO for an SQLite failure (logged once by the caller). */
#ifndef STORE_STORE_H
#define STORE_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;
struct arena;
struct res_head;
struct tag_list;

/* Opens (creating) the database at path in WAL mode and migrates the schema.
 * Returns 0 and a new store in *ret; free with store_close(). */
int store_open(const char *path, struct store **ret);
void store_close(struct store *st);
int store_begin(struct store *st);
/* A read transaction: one consistent view, no write lock. */
int store_begin_read(struct store *st);
int store_commit(struct store *st);
void store_rollback(struct store *st);

/* meta key/value; store_meta_get returns -ENOENT when absent (value on arena). */
int store_meta_get(struct store *st, struct arena *a, const char *key, const char **ret);
int store_meta_set(struct store *st, const char *key, const char *value);

/* Tags of one resource into h->tags (arena), ordered by key. */
int store_tags_load(struct store *st, struct arena *a, struct res_head *h);
/* Sets (overwriting) each tag of the list on a resource. */
int store_tags_set(struct store *st, const char *resource_id, const struct tag_list *tags);
/* Deletes key from resource; when value is non-NULL only if it matches. */
int store_tags_delete(struct store *st, const char *resource_id, const char *key,
		      const char *value);
int store_tags_delete_all(struct store *st, const char *resource_id);
/* Number of tags on a resource. */
int store_tags_count(struct store *st, const char *resource_id, size_t *ret);
/* Every tag of every resource, ordered by resource then key: parallel arrays. */
struct tag_row {
	const char *resource_id, *key, *value;
};
int store_tags_all(struct store *st, struct arena *a, struct tag_row **ret, size_t *ret_n);

/* True when a resource with this ID exists in any table (CreateTags' check). */
bool store_resource_exists(struct store *st, const char *id);

/* Opens an existing database read-only, beside a running daemon (WAL lets a
 * reader see the last commit without blocking the writer); never creates,
 * migrates or writes.  Returns 0 and a new store in *ret (free with
 * store_close()), -ENOENT when there is no database at path, -EIO. */
int store_open_readonly(const char *path, struct store **ret);

#endif
