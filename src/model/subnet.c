// SPDX-License-Identifier: MIT
/* Subnet addressing rules; see subnet.h.  Pure. */
#include "model/subnet.h"

#include <errno.h>

#include "model/vpc.h"

int subnet_cidr_check(const struct vpc *v, const struct cidr *c)
{
	if (c->len < SUBNET_CIDR_MIN_LEN || c->len > SUBNET_CIDR_MAX_LEN)
		return -ERANGE;
	return vpc_contains(v, c) ? 0 : -ERANGE;
}

long subnet_conflict(const struct subnet *others, size_t n, const struct cidr *c)
{
	for (size_t i = 0; i < n; i++)
		if (cidr_overlaps(&others[i].cidr, c))
			return (long)i;
	return -1;
}

bool subnet_addr_reserved(const struct subnet *s, uint32_t addr)
{
	uint32_t off = addr - s->cidr.addr;
	return off <= 3 || addr == cidr_last(&s->cidr);
}

uint64_t subnet_available_addrs(const struct subnet *s)
{
	uint64_t total = cidr_size(&s->cidr) - SUBNET_RESERVED_ADDRS;
	return s->used_addrs >= total ? 0 : total - s->used_addrs;
}

int subnet_next_default_block(const struct cidr *vpc_block, const struct subnet *have, size_t n,
			      struct cidr *ret)
{
	if (vpc_block->len > 20)
		return -ENOSPC;
	uint64_t count = (uint64_t)1 << (20 - vpc_block->len);
	for (uint64_t i = 0; i < count; i++) {
		struct cidr c = { .addr = vpc_block->addr + (uint32_t)(i << 12), .len = 20 };
		if (subnet_conflict(have, n, &c) < 0) {
			*ret = c;
			return 0;
		}
	}
	return -ENOSPC;
}
