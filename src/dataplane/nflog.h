// SPDX-License-Identifier: MIT
/* The VPC Flow Logs collector: one NFLOG netlink socket (group
 * FL_NFLOG_GROUP, compile/flowlog.h) in each VPC router namespace that has
 * a flow-logged ENI, read by one thread.  Each copied packet is aggregated
 * by (flow log, ENI, 5-tuple, action) over the flow log's capture window
 * (MaxAggregationInterval, or the daemon's --flow-log-interval); at the
 * window's end one record per aggregate is appended to the destination,
 * emulated on disk below <state dir>/flow-logs/ (docs/architecture.md).
 * Decides no AWS rule: which packets are accepted or rejected, and for
 * which ENI, is what the router's rules said. */
#ifndef DATAPLANE_NFLOG_H
#define DATAPLANE_NFLOG_H
#include <stddef.h>

struct nflog;
struct dp_flow_binding;

struct nflog_settings {
	const char *state_dir;   /* records go to <state_dir>/flow-logs/ */
	const char *account_id;
	const char *region;
	unsigned interval_s;     /* 0: each flow log's MaxAggregationInterval */
};

/* Returns 0 and a new collector (its thread running) in *ret. */
int nflog_new(const struct nflog_settings *s, struct nflog **ret);
/* Takes the bindings (copied): opens sockets in routers that gained a
 * flow-logged ENI, closes those of routers that lost them, and writes out
 * at once what was captured for flow logs that are gone, so none of theirs
 * is written after this returns. */
int nflog_update(struct nflog *c, const struct dp_flow_binding *v, size_t n);
/* Writes out what was captured, stops the thread, closes everything. */
void nflog_free(struct nflog *c);

#endif
