// SPDX-License-Identifier: MIT
/* A change of some groups' rules, and nothing else, as the part of each
 * VPC router's table it touches.  The rules of a group reach only the set
 * elements of the ENIs that hold it (compile/sg.h), all in one router:
 * compile_sg_rule_sets() for those ENIs alone, before and after the change,
 * gives two texts that differ exactly as the routers' whole tables do, so
 * dataplane/nft_diff.h can turn them into element edits.  Loading and
 * compiling the whole state for that cost 12 ms at 1,000 instances; this
 * costs in proportion to the ENIs of the groups.  Pure. */
#ifndef COMPILE_SG_EDIT_H
#define COMPILE_SG_EDIT_H
#include <stddef.h>

#include "compile/desired.h"

struct arena;
struct compile_settings;
struct snapshot;

struct compile_sg_part {
	char ns[DP_NAME_MAX]; /* the router's namespace */
	const char *text;     /* its group sets, for the ENIs of the groups */
};

/* One part per VPC where a wired ENI holds one of groups[0..n_groups), in
 * the order of the snapshot's VPCs, on a; returns how many.  A group the
 * snapshot does not know is skipped. */
size_t compile_sg_parts(const struct snapshot *s, const struct compile_settings *cs,
			const char *const *groups, size_t n_groups, struct arena *a,
			struct compile_sg_part **ret);

#endif
