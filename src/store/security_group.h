// SPDX-License-Identifier: MIT
/* Security-group rows and their rules (tables sg, sg_rule, eni_sg). */
#ifndef STORE_SECURITY_GROUP_H
#define STORE_SECURITY_GROUP_H
#include <stdbool.h>
#include <stddef.h>

struct store;
struct arena;
struct security_group;
struct sg_rule;
struct sg_rule_entry;

int store_sg_insert(struct store *st, const char *id, const char *vpc_id, const char *name,
		    const char *description);
/* The ID of the VPC's group called name into *ret (arena); -ENOENT. */
int store_sg_find(struct store *st, struct arena *a, const char *vpc_id, const char *name,
		  const char **ret);
/* The VPC of group id into *ret (arena); -ENOENT. */
int store_sg_vpc(struct store *st, struct arena *a, const char *id, const char **ret);
/* Deletes every group of the VPC with their rules and the tags of both
 * (DeleteVpc). */
int store_sg_delete_in_vpc(struct store *st, const char *vpc_id);
/* Deletes one group with its rules and the tags of both. */
int store_sg_delete(struct store *st, const char *id);
/* One group with its rules and tags into *ret (arena); -ENOENT. */
int store_sg_get(struct store *st, struct arena *a, const char *id, struct security_group **ret);
/* SG-1: *ret = true when the VPC has a group of this name, ignoring case. */
int store_sg_name_taken(struct store *st, const char *vpc_id, const char *name, bool *ret);
/* Groups in the region (SecurityGroupLimitExceeded). */
int store_sg_count(struct store *st, size_t *ret);
/* Network interfaces that carry the group (table eni_sg). */
int store_sg_eni_count(struct store *st, const char *id, size_t *ret);
/* SG-5: the first other group with a rule that references id into *ret
 * (arena); -ENOENT when there is none. */
int store_sg_referenced_by(struct store *st, struct arena *a, const char *id, const char **ret);

/* Rules.  r->group_id names the group; r->description may be NULL (""). */
int store_sg_rule_insert(struct store *st, const struct sg_rule *r);
/* Rewrites every field of rule r->id but its group. */
int store_sg_rule_update(struct store *st, const struct sg_rule *r);
/* Deletes one rule and its tags. */
int store_sg_rule_delete(struct store *st, const char *id);
/* Every rule of every group (creation order) with its tags, arena-owned. */
int store_sg_rule_list(struct store *st, struct arena *a, struct sg_rule_entry **ret,
		       size_t *ret_n);

/* Every group (creation order) with its rules (creation order) and tags;
 * of one VPC when vpc_id is not NULL.  Arena-owned.  compile/ reads this
 * through the snapshot. */
int store_sg_list(struct store *st, struct arena *a, const char *vpc_id,
		  struct security_group **ret, size_t *ret_n);

#endif
