// SPDX-License-Identifier: MIT
/* VPC peering rows (table pcx). */
#ifndef STORE_PEERING_H
#define STORE_PEERING_H
#include <stddef.h>
#include <stdint.h>

struct store;
struct arena;
struct peering;

/* Every peering connection (creation order), ended ones included, with
 * tags.  Arena-owned.  compile/ reads this through the snapshot. */
int store_pcx_list(struct store *st, struct arena *a, struct peering **ret, size_t *ret_n);

/* One peering (ended ones included), arena-owned; -ENOENT when none. */
int store_pcx_get(struct store *st, struct arena *a, const char *id, struct peering **ret);
/* Adds p (tags are written with store_tags_set). */
int store_pcx_insert(struct store *st, const struct peering *p);
/* Writes p's state, message, expire_time and DNS options. */
int store_pcx_update(struct store *st, const struct peering *p);
/* PCX-2, evaluated lazily: every pending-acceptance row whose expire_time
 * is at or before now becomes expired, visible for visible_s more. */
int store_pcx_expire(struct store *st, int64_t now, int64_t visible_s);

#endif
