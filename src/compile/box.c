// SPDX-License-Identifier: MIT
/* Disjoint boxes from a union of boxes; see box.h.  Pure. */
#include "compile/box.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"

static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

static int cmp_cidr(const void *x, const void *y)
{
	const struct cidr *a = x, *b = y;
	if (a->addr != b->addr)
		return a->addr < b->addr ? -1 : 1;
	return (int)a->len - (int)b->len; /* the wider block first */
}

/* Sorted, unique boundaries: each lo and each hi + 1 (64-bit, as hi may be
 * the top of its range).  Returns the count. */
static size_t boundaries(uint64_t *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || v[k - 1] != v[i])
			v[k++] = v[i];
	return k;
}

/* Keeps the prefixes not inside another one: sorted by address with the
 * widest first, a prefix is covered exactly when the last kept one holds
 * it (prefixes are nested or disjoint).  Returns the count. */
static size_t minimal_prefixes(struct cidr *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp_cidr);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!k || !cidr_contains(&v[k - 1], &v[i]))
			v[k++] = v[i];
	return k;
}

static bool same_prefixes(const struct cidr *x, size_t nx, const struct cidr *y, size_t ny)
{
	if (nx != ny)
		return false;
	for (size_t i = 0; i < nx; i++)
		if (!cidr_equal(&x[i], &y[i]))
			return false;
	return true;
}

struct out {
	struct arena *a;
	struct box *v;
	size_t n, cap;
};

static void emit(struct out *o, const struct cidr *pfx, size_t n, uint32_t a_lo, uint32_t a_hi,
		 uint32_t b_lo, uint32_t b_hi)
{
	for (size_t i = 0; i < n; i++) {
		ARENA_RESERVE(o->a, o->v, o->n, o->cap);
		o->v[o->n++] = (struct box){ .addr = pfx[i], .a_lo = a_lo, .a_hi = a_hi,
					    .b_lo = b_lo, .b_hi = b_hi };
	}
}

/* One elementary interval [a_lo, a_hi] of a: cut b, collect prefixes. */
static void cut_b(struct out *o, const struct box *in, size_t n, uint32_t a_lo, uint32_t a_hi,
		  uint64_t *bb, struct cidr *cur, struct cidr *prev)
{
	size_t nb = 0;
	for (size_t i = 0; i < n; i++)
		if (in[i].a_lo <= a_lo && in[i].a_hi >= a_hi) {
			bb[nb++] = in[i].b_lo;
			bb[nb++] = (uint64_t)in[i].b_hi + 1;
		}
	nb = boundaries(bb, nb);
	size_t n_prev = 0;
	uint32_t prev_lo = 0, prev_hi = 0;
	for (size_t j = 0; j + 1 < nb; j++) {
		uint32_t lo = (uint32_t)bb[j], hi = (uint32_t)(bb[j + 1] - 1);
		size_t n_cur = 0;
		for (size_t i = 0; i < n; i++)
			if (in[i].a_lo <= a_lo && in[i].a_hi >= a_hi && in[i].b_lo <= lo &&
			    in[i].b_hi >= hi)
				cur[n_cur++] = in[i].addr;
		n_cur = minimal_prefixes(cur, n_cur);
		if (n_prev && prev_hi + 1 == lo && same_prefixes(prev, n_prev, cur, n_cur)) {
			prev_hi = hi; /* the same addresses: one wider range on b */
			continue;
		}
		emit(o, prev, n_prev, a_lo, a_hi, prev_lo, prev_hi);
		memcpy(prev, cur, n_cur * sizeof(*cur));
		n_prev = n_cur;
		prev_lo = lo;
		prev_hi = hi;
	}
	emit(o, prev, n_prev, a_lo, a_hi, prev_lo, prev_hi);
}

void box_disjoint(struct arena *a, const struct box *in, size_t n, struct box **ret,
		  size_t *ret_n)
{
	struct out o = { .a = a };
	if (!n) {
		*ret = NULL;
		*ret_n = 0;
		return;
	}
	uint64_t *ab = arena_alloc(a, 2 * n * sizeof(*ab));
	uint64_t *bb = arena_alloc(a, 2 * n * sizeof(*bb));
	struct cidr *cur = arena_alloc(a, n * sizeof(*cur));
	struct cidr *prev = arena_alloc(a, n * sizeof(*prev));
	size_t na = 0;
	for (size_t i = 0; i < n; i++) {
		ab[na++] = in[i].a_lo;
		ab[na++] = (uint64_t)in[i].a_hi + 1;
	}
	na = boundaries(ab, na);
	for (size_t j = 0; j + 1 < na; j++)
		cut_b(&o, in, n, (uint32_t)ab[j], (uint32_t)(ab[j + 1] - 1), bb, cur, prev);
	*ret = o.v;
	*ret_n = o.n;
}
