// SPDX-License-Identifier: MIT
/* Network ACLs of one VPC router as nftables chains (spec §8, §9 steps 5
 * and 6).  Each subnet with wired ENIs gets two chains: nacl_o_<subnet>
 * (its ACL's outbound list) and nacl_i_<subnet> (inbound), reached from the
 * forward chain through verdict maps keyed by the ENI's interface, for
 * every packet (ACLs are stateless, NACL-1).  Each chain first returns for
 * traffic that stays inside the subnet (NACL-13, a set of the subnet's
 * interfaces), then walks the ACL's entries in rule-number order, first
 * match wins, and ends in the `*` deny (NACL-2/3).  Linear on purpose: a
 * list holds at most 40 entries (NACL-18), ~12 ns each.  Pure. */
#ifndef COMPILE_NACL_H
#define COMPILE_NACL_H
#include <stddef.h>

struct arena;
struct buf;
struct eni;
struct snapshot;

/* Appends, for the router's wired ENIs enis[0..n), the subnet interface
 * sets, the per-subnet chains and the verdict maps nacl_out / nacl_in. */
void compile_nacl(struct arena *a, const struct snapshot *s, const struct eni *const *enis, size_t n,
		  struct buf *t);

#endif
