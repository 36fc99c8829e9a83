// SPDX-License-Identifier: MIT
/* The snapshot's sorted lookups; see snapshot_index.h.  Sorting is by
 * (key, position), so a binary search finds the first element in array
 * order — the one a linear scan would have returned. */
#include "model/snapshot_index.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"
#include "util/arena.h"

/* Every resource starts with its head (checked below), so the ID of
 * element i of any array is at the same place. */
_Static_assert(offsetof(struct vpc, head) == 0, "head first");
_Static_assert(offsetof(struct subnet, head) == 0, "head first");
_Static_assert(offsetof(struct instance, head) == 0, "head first");
_Static_assert(offsetof(struct eni, head) == 0, "head first");
_Static_assert(offsetof(struct security_group, head) == 0, "head first");
_Static_assert(offsetof(struct nat_gateway, head) == 0, "head first");
_Static_assert(offsetof(struct peering, head) == 0, "head first");

static const char *id_at(const void *arr, size_t size, size_t i)
{
	return ((const struct res_head *)((const char *)arr + i * size))->id;
}

/* qsort has no context argument: the array being sorted, per thread. */
static _Thread_local struct {
	const void *arr;
	size_t size;
	int key; /* 0 ID, 1 ENI instance ID, 2 ENI private IP */
} sorting;

static int cmp_pos(const void *pa, const void *pb)
{
	uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
	int c = 0;
	if (sorting.key == 0) {
		c = strcmp(id_at(sorting.arr, sorting.size, a), id_at(sorting.arr, sorting.size, b));
	} else {
		const struct eni *ea = (const struct eni *)sorting.arr + a;
		const struct eni *eb = (const struct eni *)sorting.arr + b;
		if (sorting.key == 1)
			c = strcmp(ea->instance_id, eb->instance_id);
		else
			c = (ea->private_ip > eb->private_ip) - (ea->private_ip < eb->private_ip);
	}
	return c ? c : (a > b) - (a < b);
}

static struct snapshot_order order(struct arena *a, const void *arr, size_t size, size_t n, int key)
{
	struct snapshot_order o = { .pos = arena_alloc_array(a, n ? n : 1, sizeof(uint32_t)), .n = n };
	for (size_t i = 0; i < n; i++)
		o.pos[i] = (uint32_t)i;
	sorting.arr = arr;
	sorting.size = size;
	sorting.key = key;
	qsort(o.pos, n, sizeof(uint32_t), cmp_pos);
	return o;
}

#define ORDER_BY_ID(a, arr, n) order(a, arr, sizeof(*(arr)), n, 0)

void snapshot_index_build(struct snapshot *s, struct arena *a)
{
	struct snapshot_index *x = arena_alloc(a, sizeof(*x));
	x->vpcs = ORDER_BY_ID(a, s->vpcs, s->n_vpcs);
	x->subnets = ORDER_BY_ID(a, s->subnets, s->n_subnets);
	x->instances = ORDER_BY_ID(a, s->instances, s->n_instances);
	x->enis = ORDER_BY_ID(a, s->enis, s->n_enis);
	x->sgs = ORDER_BY_ID(a, s->sgs, s->n_sgs);
	x->natgws = ORDER_BY_ID(a, s->natgws, s->n_natgws);
	x->pcxs = ORDER_BY_ID(a, s->pcxs, s->n_pcxs);
	x->enis_by_instance = order(a, s->enis, sizeof(*s->enis), s->n_enis, 1);
	x->enis_by_ip = order(a, s->enis, sizeof(*s->enis), s->n_enis, 2);
	s->index = x;
}

long snapshot_find_id(const void *arr, size_t size, size_t n, const struct snapshot_order *ord,
		      const char *id)
{
	if (!ord || ord->n != n) {
		for (size_t i = 0; i < n; i++)
			if (!strcmp(id_at(arr, size, i), id))
				return (long)i;
		return -1;
	}
	size_t lo = 0, hi = n; /* the first position whose ID is ≥ id */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(id_at(arr, size, ord->pos[mid]), id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(id_at(arr, size, ord->pos[lo]), id) ? (long)ord->pos[lo] : -1;
}

/* The run of ENIs in ord whose key equals the probe's (cmp < 0: before). */
static size_t eni_run(const struct snapshot *s, const struct snapshot_order *o,
		      int (*cmp)(const struct eni *, const void *), const void *key, size_t *first)
{
	size_t lo = 0, hi = o->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp(&s->enis[o->pos[mid]], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t end = lo;
	while (end < o->n && cmp(&s->enis[o->pos[end]], key) == 0)
		end++;
	*first = lo;
	return end - lo;
}

static int cmp_instance(const struct eni *e, const void *key)
{
	return strcmp(e->instance_id, key);
}

static int cmp_ip(const struct eni *e, const void *key)
{
	uint32_t ip = *(const uint32_t *)key;
	return (e->private_ip > ip) - (e->private_ip < ip);
}

size_t snapshot_enis_of_instance(const struct snapshot *s, const char *instance_id, size_t *first)
{
	return eni_run(s, &s->index->enis_by_instance, cmp_instance, instance_id, first);
}

size_t snapshot_enis_with_ip(const struct snapshot *s, uint32_t ip, size_t *first)
{
	return eni_run(s, &s->index->enis_by_ip, cmp_ip, &ip, first);
}
