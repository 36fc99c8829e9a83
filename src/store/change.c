// SPDX-License-Identifier: MIT
/* The change marks of the store; see change.h. */
#include "store/change.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store/internal.h"
#include "util/arena.h"
#include "util/log.h"

int store_change_mark(struct store *st, struct store_mark *ret)
{
	sqlite3_stmt *q = store_stmt(st, "SELECT (SELECT n FROM change_gen WHERE id = 1),"
					 " (SELECT coalesce(max(seq), 0) FROM change_sg)");
	if (!q)
		return -EIO;
	int rc = sqlite3_step(q);
	if (rc == SQLITE_ROW) {
		ret->other = sqlite3_column_int64(q, 0);
		ret->sg_seq = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	return rc == SQLITE_ROW ? 0 : store_err(st, "change_mark");
}

int store_change_since(struct store *st, struct arena *a, const struct store_mark *mark,
		       bool *ret_other, const char ***ret_groups, size_t *ret_n,
		       struct store_mark *ret_now)
{
	int r = store_change_mark(st, ret_now);
	if (r < 0)
		return r;
	*ret_groups = NULL;
	*ret_n = 0;
	/* A mark from before a prune cannot say what happened in between. */
	*ret_other = ret_now->other != mark->other || ret_now->sg_seq < mark->sg_seq;
	if (*ret_other || ret_now->sg_seq == mark->sg_seq)
		return 0;
	sqlite3_stmt *q = store_stmt(st, "SELECT DISTINCT sg_id FROM change_sg WHERE seq > ?"
					 " ORDER BY sg_id");
	if (!q)
		return -EIO;
	sqlite3_bind_int64(q, 1, mark->sg_seq);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		ARENA_RESERVE(a, *ret_groups, *ret_n, cap);
		(*ret_groups)[(*ret_n)++] = store_col_text(q, 0, a);
	}
	sqlite3_reset(q);
	return rc == SQLITE_DONE ? 0 : store_err(st, "change_since");
}

int store_change_prune(struct store *st, const struct store_mark *mark)
{
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM change_sg WHERE seq < ?");
	if (!s)
		return -EIO;
	sqlite3_bind_int64(s, 1, mark->sg_seq);
	return store_exec_stmt(st, s);
}

/* One trigger per table and verb: a rule's change names its group, any
 * other row bumps the counter.  Tables added to schema.sql later get
 * theirs too, at the next open. */
int store_change_install(struct store *st)
{
	static const char *const verbs[] = { "INSERT", "UPDATE", "DELETE" };
	sqlite3 *db = store_db(st);
	sqlite3_stmt *q = store_stmt(st, "SELECT name FROM sqlite_master WHERE type = 'table'"
					 " AND name NOT LIKE 'change_%' AND name NOT LIKE 'sqlite_%'");
	if (!q)
		return -EIO;
	char names[64][64];
	size_t n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW && n < 64)
		store_col_copy(q, 0, names[n++], sizeof(names[0]));
	sqlite3_reset(q);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_err(st, "change_tables");
	if (rc == SQLITE_ROW) {
		log_warnx("store", "op=change_install err=\"more than 64 tables\"");
		return -E2BIG;
	}
	for (size_t i = 0; i < n; i++) {
		bool rules = !strcmp(names[i], "sg_rule");
		for (size_t v = 0; v < 3; v++) {
			char sql[512];
			snprintf(sql, sizeof(sql),
				 "CREATE TRIGGER IF NOT EXISTS change_%.63s_%c AFTER %s ON %.63s BEGIN %s; END",
				 names[i], verbs[v][0] | 0x20, verbs[v], names[i],
				 !rules	 ? "UPDATE change_gen SET n = n + 1 WHERE id = 1"
				 : v == 2 ? "INSERT INTO change_sg(sg_id) VALUES (OLD.sg_id)"
					  : "INSERT INTO change_sg(sg_id) VALUES (NEW.sg_id)");
			if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
				return store_err(st, "change_install");
		}
	}
	return 0;
}
