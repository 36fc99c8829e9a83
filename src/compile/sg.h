// SPDX-License-Identifier: MIT
/* Security groups of one VPC router as nftables sets (spec §7, §9 steps 2
 * and 8).  Every wired ENI's groups are flattened into four concatenated
 * interval sets keyed by the ENI's router-side interface:
 *
 *   sg_out / sg_in            peer address . ifname . protocol . port
 *   sg_out_icmp / sg_in_icmp  peer address . ifname . ICMP type . code
 *
 * and the ENIs whose flows AWS does not track (SG-21) into two more,
 * sg_untracked_in / sg_untracked_out (ifname . protocol . port).  A group
 * reference (SG-9) is keyed by the peer's group set instead of its
 * address: map sg_combo takes a peer's private address to the ID of its
 * set of groups, and
 *
 *   sg_out_ref / sg_in_ref            combo . ifname . protocol . port
 *   sg_out_ref_icmp / sg_in_ref_icmp  combo . ifname . ICMP type . code
 *
 * hold one element per combo that contains the referenced group — so
 * elements grow with ENIs plus rules, not ENIs times members (1,000
 * instances in the default group: 1,000 elements, not 1,000,000).
 * Membership churn changes elements only; the chains that probe the sets
 * never change, so the cost per packet does not grow with rules or
 * members.  Pure. */
#ifndef COMPILE_SG_H
#define COMPILE_SG_H
#include <stddef.h>

struct arena;
struct buf;
struct eni;
struct snapshot;

/* The ct mark bits of a flow AWS does not track, set when it starts:
 * untracked at the receiving ENI of its first packet (the server), and at
 * the sending one (the client).  Their packets are judged by the rules
 * every time (SG-23: revoking a rule stops them at once). */
#define SG_CT_UNTRACKED_SERVER 0x1u
#define SG_CT_UNTRACKED_CLIENT 0x2u

/* Appends the set declarations with their elements for the ENIs enis[0..n)
 * (the router's wired ENIs) to t. */
void compile_sg_sets(struct arena *a, const struct snapshot *s, const struct eni *const *enis,
		     size_t n, struct buf *t);
/* Only the ten sets of the rules (sg_out … sg_untracked_in) of those ENIs,
 * the same for them as compile_sg_sets() writes: what a change of rules
 * can change (compile/sg_edit.h).  enis all of one VPC. */
void compile_sg_rule_sets(struct arena *a, const struct snapshot *s, const struct eni *const *enis,
			  size_t n, struct buf *t);
/* Appends the chains sg_new, sg_egress, sg_ingress, and sg_check (jumped
 * to from forward after the ACLs, for every packet). */
void compile_sg_chains(struct buf *t);

#endif
