// SPDX-License-Identifier: MIT
/* Key-pair rows. */
#ifndef STORE_KEY_PAIR_H
#define STORE_KEY_PAIR_H
#include <stddef.h>

struct store;
struct arena;
struct key_pair;

int store_key_pair_insert(struct store *st, struct key_pair *k);
int store_key_pair_delete(struct store *st, const char *id);
int store_key_pair_list(struct store *st, struct arena *a, struct key_pair **ret, size_t *ret_n);
/* By name; -ENOENT when absent. */
int store_key_pair_get_by_name(struct store *st, struct arena *a, const char *name,
			       struct key_pair **ret);
int store_key_pair_count(struct store *st, size_t *ret);

#endif
