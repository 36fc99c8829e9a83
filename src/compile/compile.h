// SPDX-License-Identifier: MIT
/* From a snapshot of the store to the desired kernel state (desired.h).
 * Pure: no I/O, no clock; the same snapshot always gives the same result,
 * which is what lets the reconciler do nothing when nothing changed.
 *
 * Kernel names (interface names are at most 15 characters):
 *   namespaces  <prefix>-inet, <prefix>-v<8 hex of the VPC ID>,
 *               <prefix>-i<8 hex of the instance ID>
 *   router      e<8 hex of the ENI ID> (ENI veth, peer eth0 in the instance),
 *               igw0 (peer g<8 hex of the VPC ID> in the inet namespace)
 *   host        <prefix>-h (peer host0 in the inet namespace)
 * Policy routing in a router: rule 100 → table 200 (every ENI /32, and an
 * unreachable route per VPC block); rule 200 fwmark T → table 1000+T, one per
 * route table, the mark chosen in prerouting from the ingress ENI. */
#ifndef COMPILE_COMPILE_H
#define COMPILE_COMPILE_H
#include <stdint.h>

#include "compile/desired.h"
#include "util/cidr.h"

struct arena;
struct snapshot;

struct compile_settings {
	const char *prefix;      /* "lv3f2a" */
	uint32_t host_ip;        /* "My IP": 192.0.2.1 */
	uint32_t inet_ip;        /* the inet end of the host link: 192.0.2.254 */
	uint8_t host_len;        /* 24 */
	struct cidr public_pool; /* 198.18.0.0/15 */
	const char *region;
	const char *account_id;
	/* NAT gateways (spec §10): new connections per destination (IP,
	 * protocol, port) and the idle timeout of a flow; 0 = AWS's 55,000
	 * and 350 s.  Tests lower them. */
	unsigned natgw_conn_limit;
	unsigned natgw_idle_timeout_s;
	/* The conntrack allowance (checklist 8): new flows an instance's ENI
	 * may have tracked at once in its VPC router, whose table every ENI
	 * of the VPC shares; 0 = 65,536.  Tests lower it. */
	unsigned eni_conn_limit;
};

#define DP_TABLE_LOCAL_VPC 200
#define DP_TABLE_RTB_BASE 1000
#define DP_MARK_IMDS 0x80000000u  /* | ENI sequence: who asks the metadata service */
#define DP_IMDS_IP 0xa9fea9feu     /* 169.254.169.254 */
#define DP_LINK_ROUTER_IP 0xa9fefc01u /* 169.254.252.1/30: router end of the IGW link */
#define DP_LINK_INET_IP 0xa9fefc02u   /* 169.254.252.2/30: inet end */
/* Peering links: a /30 each from 169.254.248.0/22, by the peering's
 * sequence; requester .1, accepter .2. */
#define DP_LINK_PCX_BASE 0xa9fef800u
#define DP_LINK_PCX_COUNT 256

/* Builds the desired state; everything is allocated on a. */
int compile_build(const struct snapshot *s, const struct compile_settings *cs, struct arena *a,
		  struct dp_desired *ret);

void compile_ns_inet(const char *prefix, char out[DP_NAME_MAX]);
void compile_ns_vpc(const char *prefix, const char *vpc_id, char out[DP_NAME_MAX]);
void compile_ns_instance(const char *prefix, const char *instance_id, char out[DP_NAME_MAX]);
void compile_ns_natgw(const char *prefix, const char *natgw_id, char out[DP_NAME_MAX]);
/* "e" + the last 8 characters of the ENI ID. */
void compile_ifname_eni(const char *eni_id, char out[DP_IFNAME_MAX]);

#endif
