// SPDX-License-Identifier: MIT
/* Security-group rows and their rules (tables sg, sg_rule, eni_sg). */
#ifndef STORE_SECURITY_GROUP_H
#define STORE_SECURITY_GROUP_H
#include <stddef.h>

struct store;
struct arena;
struct security_group;
struct sg_rule;

int store_sg_insert(struct store *st, const char *id, const char *vpc_id, const char *name,
		    const char *description);
/* The ID of the VPC's group called name into *ret (arena); -ENOENT. */
int store_sg_find(struct store *st, struct arena *a, const char *vpc_id, const char *name,
		  const char **ret);
/* The VPC of group id into *ret (arena); -ENOENT. */
int store_sg_vpc(struct store *st, struct arena *a, const char *id, const char **ret);
/* Deletes every group of the VPC with their rules (DeleteVpc). */
int store_sg_delete_in_vpc(struct store *st, const char *vpc_id);

/* Every group (creation order) with its rules (creation order) and tags;
 * of one VPC when vpc_id is not NULL.  Arena-owned.  compile/ reads this
 * through the snapshot. */
int store_sg_list(struct store *st, struct arena *a, const char *vpc_id,
		  struct security_group **ret, size_t *ret_n);

#endif
