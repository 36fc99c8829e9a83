// SPDX-License-Identifier: MIT
/* VPC Flow Logs in the router (issue 8): which packets are copied to the
 * daemon, and where their records go.
 *
 * In each VPC router's table, the drops of the security groups and the
 * network ACLs go to one of three chains that, for a flow-logged ENI,
 * first send the packet to NFLOG group FL_NFLOG_GROUP with a prefix that
 * says the verdict and which end it belongs to, then drop:
 *
 *   fl_rej_out    sender's egress group or its subnet's outbound ACL:
 *                 "lvfl R i" (the ENI the packet came in on)
 *   fl_rej_in     receiver's inbound ACL: "lvfl R o" (the ENI it was
 *                 going out to)
 *   fl_rej_sg_in  receiver's ingress group: "lvfl R o", and the sender,
 *                 whose own rules let it out, "lvfl A i" (AWS records the
 *                 packet as accepted at the sending ENI)
 *
 * and a base chain fl_accept (forward, after the filter chain; it sees only
 * what that chain accepted) copies the packets of flow-logged ENIs as
 * "lvfl A i" / "lvfl A o".  Without a flow log in the VPC the three chains
 * are a bare `drop` and fl_accept does not exist: nothing else pays.
 * Pure: never touches the kernel. */
#ifndef COMPILE_FLOWLOG_H
#define COMPILE_FLOWLOG_H
#include <stdbool.h>
#include <stddef.h>

#include "compile/desired.h"
#include "util/id.h"

struct arena;
struct buf;
struct eni;
struct snapshot;
struct compile_settings;
struct flow_log;

#define FL_NFLOG_GROUP 7001
#define FL_NFLOG_SNAPLEN 128   /* IPv4 header with options + ports */
#define FL_PREFIX "lvfl "      /* then "A i", "A o", "R i", "R o" */

/* Appends to t, for the router's wired ENIs enis[0..n): the set fl_enis,
 * the three reject chains and, when any ENI is flow-logged, the fl_accept
 * base chain. */
void compile_flowlog(const struct snapshot *s, const struct eni *const *enis, size_t n,
		     struct buf *t);

/* One flow log capturing one wired ENI: what the collector needs to
 * turn that ENI's packets into records of that flow log. */
struct dp_flow_binding {
	const struct flow_log *fl;  /* borrowed from the snapshot */
	char netns[DP_NAME_MAX];    /* the VPC router */
	char ifname[DP_IFNAME_MAX]; /* the ENI's router-side interface */
	char eni_id[ID_MAX];
	char vpc_id[ID_MAX];
	char subnet_id[ID_MAX];
};

/* Every (flow log, wired ENI) pair of s, on a; returns the count. */
size_t compile_flowlog_bindings(const struct snapshot *s, const struct compile_settings *cs,
				struct arena *a, struct dp_flow_binding **ret);

#endif
