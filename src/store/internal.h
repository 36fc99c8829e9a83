// SPDX-License-Identifier: MIT
/* Shared by the store's own files only: the statement cache and row helpers.
 * Nothing outside src/store/ includes this. */
#ifndef STORE_INTERNAL_H
#define STORE_INTERNAL_H
#include <sqlite3.h>
#include <stdbool.h>

#include "store/store.h"

struct arena;
struct cidr;

/* The connection, for SQL made at run time (store/change.c's triggers). */
sqlite3 *store_db(struct store *st);
/* Returns a reset, cleared prepared statement for sql (a string literal: the
 * cache is keyed by its address), or NULL after logging an SQLite error. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql);
/* Runs a statement that returns no rows: 0, -EEXIST (constraint) or -EIO. */
int store_exec_stmt(struct store *st, sqlite3_stmt *s);
int store_bind_text(sqlite3_stmt *s, int i, const char *v);
int store_bind_cidr(sqlite3_stmt *s, int i, const struct cidr *c);
const char *store_col_text(sqlite3_stmt *s, int i, struct arena *a);
/* Copies column i into a fixed buffer of size bytes. */
void store_col_copy(sqlite3_stmt *s, int i, char *out, size_t size);
int store_col_cidr(sqlite3_stmt *s, int i, struct cidr *ret);
/* Logs the connection's last error for op; returns -EIO. */
int store_err(struct store *st, const char *op);
/* The text of the first row of a one-column query with up to two text
 * binds (NULL: unbound) into *ret (arena); -ENOENT when there is no row. */
int store_text1(struct store *st, struct arena *a, const char *sql, const char *arg1,
		const char *arg2, const char **ret);
/* Counts rows of a single-column COUNT(*) statement with one text bind. */
int store_count1(struct store *st, const char *sql, const char *arg, size_t *ret);

#endif
