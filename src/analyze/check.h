// SPDX-License-Identifier: MIT
/* Internal to analyze/: one component judged for one packet, recorded as a
 * hop, and when it stops the packet an explanation with AWS's code and the
 * smallest change that would let it through.  Each returns true when the
 * packet passes.  Pure. */
#ifndef ANALYZE_CHECK_H
#define ANALYZE_CHECK_H
#include <stdbool.h>

struct eni;
struct path_ctx;
struct path_pkt;

/* The ENI's groups in one direction for a new flow (on the return path:
 * stateful, they pass). */
bool check_sg(struct path_ctx *c, const struct eni *e, bool is_egress, const struct path_pkt *k);
/* The subnet's ACL in one direction (stateless: replies too). */
bool check_acl(struct path_ctx *c, const char *subnet_id, bool is_egress, const struct path_pkt *k);
/* Both ACLs of a subnet boundary (NACL-13: none inside one subnet); an
 * end that is not an ENI (gateway, peering) has none. */
bool check_acls_between(struct path_ctx *c, const struct eni *from, const struct eni *to,
			 const struct path_pkt *k);
/* ENI-4: the source/destination check of e, sending or receiving. */
bool check_src_dst(struct path_ctx *c, const struct eni *e, bool sending, const struct path_pkt *k);
/* The ENI's instance (or NAT gateway) is running. */
bool check_running(struct path_ctx *c, const struct eni *e, const struct path_pkt *k);

#endif
