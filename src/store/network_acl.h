// SPDX-License-Identifier: MIT
/* Network-ACL rows, their entries and subnet associations (tables nacl,
 * nacl_entry, nacl_assoc).  The `*` rules (32767) are never rows (NACL-3).
 * Functions return 0, -ENOENT (no such row), -EEXIST (a unique key is
 * taken) or -EIO. */
#ifndef STORE_NETWORK_ACL_H
#define STORE_NETWORK_ACL_H
#include <stddef.h>

#include "util/id.h"

struct store;
struct arena;
struct network_acl;
struct nacl_entry;
struct nacl_assoc;

/* Every ACL (creation order) with its entries (by direction, then rule
 * number), associations and tags; of one VPC when vpc_id is not NULL.
 * Arena-owned.  compile/ reads this through the snapshot. */
int store_nacl_list(struct store *st, struct arena *a, const char *vpc_id,
		    struct network_acl **ret, size_t *ret_n);
/* One ACL with entries, associations and tags into *ret (arena); -ENOENT. */
int store_nacl_get(struct store *st, struct arena *a, const char *id, struct network_acl **ret);
/* Inserts the row of acl (id, vpc_id, is_default; not its entries); sets
 * acl->head.seq. */
int store_nacl_insert(struct store *st, struct network_acl *acl);
/* Deletes an ACL, its entries and its tags (its associations must be gone). */
int store_nacl_delete(struct store *st, const char *id);
/* The ID of the VPC's default ACL into *ret (arena); -ENOENT when none. */
int store_nacl_default_of_vpc(struct store *st, struct arena *a, const char *vpc_id,
			      const char **ret);
int store_nacl_count_in_vpc(struct store *st, const char *vpc_id, size_t *ret);

/* Entries, keyed by (acl, direction, rule number): insert is -EEXIST on a
 * taken number, update and delete -ENOENT on a missing one. */
int store_nacl_entry_insert(struct store *st, const char *acl_id, const struct nacl_entry *e);
int store_nacl_entry_update(struct store *st, const char *acl_id, const struct nacl_entry *e);
int store_nacl_entry_delete(struct store *st, const char *acl_id, bool is_egress,
			    int rule_number);

int store_nacl_assoc_insert(struct store *st, const char *acl_id, const struct nacl_assoc *as);
/* The association assoc_id into *ret_as and its ACL's ID into ret_acl_id
 * (ID_MAX bytes); -ENOENT. */
int store_nacl_assoc_get(struct store *st, const char *assoc_id, struct nacl_assoc *ret_as,
			 char *ret_acl_id);
/* ReplaceNetworkAclAssociation: association old_id becomes new_id, of acl_id. */
int store_nacl_assoc_move(struct store *st, const char *old_id, const char *new_id,
			  const char *acl_id);

/* CreateNetworkAcl's ClientToken (API-17): the ACL a token made into *ret
 * (arena), -ENOENT when the token is unused; and recording one. */
int store_nacl_by_token(struct store *st, struct arena *a, const char *token, const char **ret);
int store_nacl_token_set(struct store *st, const char *token, const char *acl_id);

#endif
