// SPDX-License-Identifier: MIT
/* Network-ACL rows, their entries and subnet associations (tables nacl,
 * nacl_entry, nacl_assoc). */
#ifndef STORE_NETWORK_ACL_H
#define STORE_NETWORK_ACL_H
#include <stddef.h>

struct store;
struct arena;
struct network_acl;

/* Every ACL (creation order) with its entries (by direction, then rule
 * number), associations and tags; of one VPC when vpc_id is not NULL.
 * Arena-owned.  compile/ reads this through the snapshot. */
int store_nacl_list(struct store *st, struct arena *a, const char *vpc_id,
		    struct network_acl **ret, size_t *ret_n);

#endif
