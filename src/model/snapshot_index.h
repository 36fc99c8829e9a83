// SPDX-License-Identifier: MIT
/* Sorted lookups over a loaded snapshot, so that finding a resource by ID
 * (or an ENI by instance or address) costs a binary search instead of a
 * scan: compiling 1,000 instances scanned a million times (perf: half the
 * compile time in strcmp).  Built once by whoever loads a snapshot
 * (store/snapshot.c, import/aws_json.c); a snapshot without one (built by
 * hand in tests) is searched linearly, with the same answers.  An order
 * whose count no longer matches its array is ignored. */
#ifndef MODEL_SNAPSHOT_INDEX_H
#define MODEL_SNAPSHOT_INDEX_H
#include <stddef.h>
#include <stdint.h>

struct arena;
struct snapshot;

/* Positions into one array of the snapshot, sorted by a key; equal keys
 * keep the array's order. */
struct snapshot_order {
	uint32_t *pos;
	size_t n;
};

struct snapshot_index {
	struct snapshot_order vpcs, subnets, instances, enis, sgs, natgws, pcxs; /* by ID */
	struct snapshot_order enis_by_instance; /* by instance ID */
	struct snapshot_order enis_by_ip;       /* by private IPv4 */
};

/* Builds s->index on a. */
void snapshot_index_build(struct snapshot *s, struct arena *a);

/* The position in its array of the first element with that ID, or -1;
 * arr/size/n describe the array, ord its order (NULL: scan). */
long snapshot_find_id(const void *arr, size_t size, size_t n, const struct snapshot_order *ord,
		      const char *id);

/* The range [*first, *first + return) of ord.pos whose ENIs belong to
 * instance_id; 0 when none.  Needs s->index. */
size_t snapshot_enis_of_instance(const struct snapshot *s, const char *instance_id, size_t *first);

/* Like snapshot_enis_of_instance, for ENIs with private IPv4 ip. */
size_t snapshot_enis_with_ip(const struct snapshot *s, uint32_t ip, size_t *first);

#endif
