// SPDX-License-Identifier: MIT
/* Network ACLs (spec §8): which ACL governs a subnet, its entries in
 * evaluation order, and the first-match verdict for one packet.
 * Stateless: every packet, replies too, is judged at each boundary it
 * crosses; never within a subnet (NACL-13).  compile/nacl.c emits the same
 * entries, in the same order, as nftables rules; analyze/ evaluates them.
 * Pure. */
#ifndef SEMANTICS_NACL_H
#define SEMANTICS_NACL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cidr.h"

struct arena;
struct nacl_entry;
struct network_acl;
struct snapshot;

/* What one entry matches, normalised (NACL-4): the CIDR is the
 * destination of an outbound entry and the source of an inbound one;
 * ports count only for tcp/udp, type and code only for icmp. */
struct sem_nacl_match {
	int rule_number;
	bool is_egress, is_allow;
	struct cidr cidr;       /* len 0: any address */
	int protocol;           /* -1: every protocol */
	bool has_ports;
	int port_lo, port_hi;   /* destination port range */
	bool has_icmp_type, has_icmp_code;
	int icmp_type, icmp_code;
};

/* The ACL associated with subnet_id (NACL-7: exactly one), or NULL (a
 * state dir from before ACLs: nothing applies). */
const struct network_acl *sem_nacl_of_subnet(const struct snapshot *s, const char *subnet_id);
/* The entries of one direction in evaluation order (rule number
 * ascending), normalised; the `*` rule is not in the list.  Arena. */
size_t sem_nacl_entries(struct arena *a, const struct network_acl *acl, bool is_egress,
			struct sem_nacl_match **ret);
/* First match (NACL-2/3): the deciding entry for a packet leaving
 * (is_egress, matched against dst) or entering (against src) a subnet, or
 * NULL when none matched and the `*` rule denies.  port: the destination
 * port; for ICMP the type (code in icmp_code). */
const struct sem_nacl_match *sem_nacl_eval(const struct sem_nacl_match *v, size_t n,
					   uint32_t src, uint32_t dst, int protocol, int port,
					   int icmp_code);
/* NACL-13: ACLs apply only where traffic crosses a subnet's boundary. */
bool sem_nacl_applies(const char *src_subnet_id, const char *dst_subnet_id);
/* One entry in words: "rule 100 allow tcp 22 from 0.0.0.0/0". */
const char *sem_nacl_text(struct arena *a, const struct sem_nacl_match *m);

#endif
