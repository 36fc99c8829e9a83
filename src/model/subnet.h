// SPDX-License-Identifier: MIT
/* Subnets and AWS's addressing rules (spec SUB-1..14).  Pure. */
#ifndef MODEL_SUBNET_H
#define MODEL_SUBNET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/region.h"
#include "model/resource.h"
#include "util/cidr.h"

#define SUBNET_CIDR_MIN_LEN 16
#define SUBNET_CIDR_MAX_LEN 28
#define SUBNET_RESERVED_ADDRS 5 /* .0, .1 router, .2 DNS, .3 future, last */

struct vpc;

struct subnet {
	struct res_head head;
	char vpc_id[ID_MAX];
	struct cidr cidr;
	char az[AZ_NAME_MAX];
	char az_id[AZ_NAME_MAX];
	bool default_for_az;
	bool map_public_ip;
	uint64_t used_addrs; /* addresses held by ENIs: filled by the store */
};

/* SUB-1: the block lies inside one of the VPC's blocks and is /16../28.
 * Returns 0 or -ERANGE. */
int subnet_cidr_check(const struct vpc *v, const struct cidr *c);
/* SUB-2: index of the first of others[0..n) that overlaps c, or -1. */
long subnet_conflict(const struct subnet *others, size_t n, const struct cidr *c);
/* SUB-5: true for the five addresses no ENI may have. */
bool subnet_addr_reserved(const struct subnet *s, uint32_t addr);
/* SUB-6: 2^(32-len) - 5 - used. */
uint64_t subnet_available_addrs(const struct subnet *s);
/* VPC-12/13: the next free /20 of the default VPC's block (172.31.0.0/16)
 * that overlaps none of the existing subnets; -ENOSPC when full. */
int subnet_next_default_block(const struct cidr *vpc_block, const struct subnet *have, size_t n,
			      struct cidr *ret);

#endif
