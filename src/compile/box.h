// SPDX-License-Identifier: MIT
/* Boxes: the union of allow rules as disjoint nftables interval elements.
 *
 * An allow rule of a security group is a box in (address, a, b) space —
 * a = protocol or ICMP type, b = port or ICMP code.  The kernel's
 * concatenated interval sets (pipapo) refuse an element whose start or end
 * falls inside one already in the set (measured: "File exists"), so the
 * union of an ENI's rules must be cut into boxes that do not overlap before
 * they become elements.  box_disjoint() does that: elementary intervals on
 * a, then on b, then the minimal set of prefixes covering the addresses,
 * merging neighbours on b that cover the same prefixes.  The result is the
 * same union, so a lookup costs one set probe however many rules there are.
 * Pure. */
#ifndef COMPILE_BOX_H
#define COMPILE_BOX_H
#include <stddef.h>
#include <stdint.h>

#include "util/cidr.h"

struct arena;

struct box {
	struct cidr addr;
	uint32_t a_lo, a_hi; /* inclusive */
	uint32_t b_lo, b_hi; /* inclusive */
};

/* Writes into *ret (arena) boxes that do not overlap and cover exactly the
 * union of in[0..n); *ret_n is their count. */
void box_disjoint(struct arena *a, const struct box *in, size_t n, struct box **ret,
		  size_t *ret_n);

#endif
