// SPDX-License-Identifier: MIT
/* VPC peering rows (table pcx). */
#ifndef STORE_PEERING_H
#define STORE_PEERING_H
#include <stddef.h>

struct store;
struct arena;
struct peering;

/* Every peering connection (creation order), ended ones included, with
 * tags.  Arena-owned.  compile/ reads this through the snapshot. */
int store_pcx_list(struct store *st, struct arena *a, struct peering **ret, size_t *ret_n);

#endif
