// SPDX-License-Identifier: MIT
/* Internet-gateway rows. */
#ifndef STORE_IGW_H
#define STORE_IGW_H
#include <stddef.h>

struct store;
struct arena;
struct igw;

int store_igw_insert(struct store *st, struct igw *g);
/* Writes g->vpc_id ("" = detached). */
int store_igw_set_vpc(struct store *st, const struct igw *g);
int store_igw_delete(struct store *st, const char *id);
int store_igw_get(struct store *st, struct arena *a, const char *id, struct igw **ret);
int store_igw_list(struct store *st, struct arena *a, struct igw **ret, size_t *ret_n);
int store_igw_count(struct store *st, size_t *ret);
/* The IGW attached to vpc_id into *ret (arena), -ENOENT if none. */
int store_igw_of_vpc(struct store *st, struct arena *a, const char *vpc_id, struct igw **ret);

#endif
