// SPDX-License-Identifier: MIT
/* VPC rows and their CIDR block associations. */
#ifndef STORE_VPC_H
#define STORE_VPC_H
#include <stddef.h>

struct store;
struct arena;
struct vpc;
struct vpc_cidr_assoc;
struct cidr;

/* Inserts v and its assocs; v->head.seq is set on success. */
int store_vpc_insert(struct store *st, struct vpc *v);
/* Rewrites the attribute columns of v (DNS attributes, tenancy). */
int store_vpc_update(struct store *st, const struct vpc *v);
/* Deletes the VPC row, its CIDR associations and its tags. */
int store_vpc_delete(struct store *st, const char *id);
/* Loads one VPC with assocs and tags into *ret (arena); -ENOENT if absent. */
int store_vpc_get(struct store *st, struct arena *a, const char *id, struct vpc **ret);
/* Loads every VPC (creation order) with assocs and tags (arena). */
int store_vpc_list(struct store *st, struct arena *a, struct vpc **ret, size_t *ret_n);
int store_vpc_count(struct store *st, size_t *ret);
int store_vpc_cidr_insert(struct store *st, const char *vpc_id, const struct vpc_cidr_assoc *as);
int store_vpc_cidr_delete(struct store *st, const char *assoc_id);



/* What still uses a VPC, for DeleteVpc's DependencyViolation (VPC-11). */
struct vpc_dependents {
	size_t subnets;
	size_t igws;               /* attached internet gateways */
	size_t extra_route_tables; /* route tables other than the main one */
	size_t enis;               /* network interfaces (instances, NAT gateways…) */
	size_t extra_sgs;          /* security groups other than the default one */
	size_t extra_nacls;        /* network ACLs other than the default one */
};
int store_vpc_dependents(struct store *st, const char *id, struct vpc_dependents *ret);
/* Subnets of the VPC whose CIDR lies inside block (DisassociateVpcCidrBlock). */
int store_vpc_subnets_in_block(struct store *st, const char *vpc_id, const struct cidr *block,
			       size_t *ret);
#endif
