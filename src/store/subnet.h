// SPDX-License-Identifier: MIT
/* Subnet rows. */
#ifndef STORE_SUBNET_H
#define STORE_SUBNET_H
#include <stddef.h>

struct store;
struct arena;
struct subnet;

/* Inserts s; sets s->head.seq. */
int store_subnet_insert(struct store *st, struct subnet *s);
int store_subnet_update(struct store *st, const struct subnet *s);
/* Deletes the subnet, its route-table association and its tags. */
int store_subnet_delete(struct store *st, const char *id);
/* One subnet with tags (arena); -ENOENT if absent. */
int store_subnet_get(struct store *st, struct arena *a, const char *id, struct subnet **ret);
/* Every subnet (creation order), or only those of vpc_id when non-NULL. */
int store_subnet_list(struct store *st, struct arena *a, const char *vpc_id, struct subnet **ret,
		      size_t *ret_n);

#endif
