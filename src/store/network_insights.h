// SPDX-License-Identifier: MIT
/* Network insights paths and analyses (tables ni_path, ni_analysis). */
#ifndef STORE_NETWORK_INSIGHTS_H
#define STORE_NETWORK_INSIGHTS_H
#include <stddef.h>

struct store;
struct arena;
struct ni_path;
struct ni_analysis;

/* Every path in creation order, with tags (arena). */
int store_ni_path_list(struct store *st, struct arena *a, struct ni_path **ret, size_t *ret_n);
/* The path with this ID (arena, with tags); -ENOENT when none. */
int store_ni_path_get(struct store *st, struct arena *a, const char *id, struct ni_path **ret);
/* The path created with ClientToken token; -ENOENT when none. */
int store_ni_path_by_token(struct store *st, struct arena *a, const char *token,
			   struct ni_path **ret);
/* Inserts p (all but head.seq, which it sets); client_token may be NULL. */
int store_ni_path_insert(struct store *st, struct ni_path *p, const char *client_token);
/* Removes the path and its tags (its analyses are the caller's concern). */
int store_ni_path_delete(struct store *st, const char *id);

/* Every analysis in creation order, with tags (arena). */
int store_ni_analysis_list(struct store *st, struct arena *a, struct ni_analysis **ret,
			   size_t *ret_n);
/* The number of analyses of path_id. */
int store_ni_analysis_count(struct store *st, const char *path_id, size_t *ret);
/* The analysis started with ClientToken token; -ENOENT when none. */
int store_ni_analysis_by_token(struct store *st, struct arena *a, const char *token,
			       struct ni_analysis **ret);
/* Inserts an analysis (all but head.seq, which it sets). */
int store_ni_analysis_insert(struct store *st, struct ni_analysis *an, const char *client_token);
/* Removes the analysis and its tags. */
int store_ni_analysis_delete(struct store *st, const char *id);

#endif
