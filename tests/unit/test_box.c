// SPDX-License-Identifier: MIT
/* compile/box.c: the disjoint cut of a union of boxes.  Property checks on
 * random inputs: the output boxes never overlap (the kernel's interval sets
 * refuse that) and cover exactly the points the input covers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>

#include "compile/box.h"
#include "util/arena.h"

static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static bool inside(const struct box *b, uint32_t ip, uint32_t x, uint32_t y)
{
	return cidr_contains_ip(&b->addr, ip) && b->a_lo <= x && x <= b->a_hi && b->b_lo <= y &&
	       y <= b->b_hi;
}

static bool overlap(const struct box *p, const struct box *q)
{
	return cidr_overlaps(&p->addr, &q->addr) && p->a_lo <= q->a_hi && q->a_lo <= p->a_hi &&
	       p->b_lo <= q->b_hi && q->b_lo <= p->b_hi;
}

/* Small value ranges, so random boxes overlap often. */
static struct box random_box(uint32_t *s)
{
	struct box b;
	static const uint8_t lens[] = { 0, 8, 16, 24, 30, 32 };
	b.addr.len = lens[rnd(s) % 6];
	b.addr.addr = (0x0a000000u | (rnd(s) & 0x3)) & cidr_mask(b.addr.len);
	b.a_lo = rnd(s) % 8;
	b.a_hi = b.a_lo + rnd(s) % 4;
	b.b_lo = rnd(s) % 20;
	b.b_hi = b.b_lo + rnd(s) % 10;
	if (rnd(s) % 5 == 0) {
		b.b_lo = 0;
		b.b_hi = 65535;
	}
	return b;
}

static void random_unions(void **state)
{
	(void)state;
	uint32_t seed = 0x9e3779b9u;
	for (int round = 0; round < 300; round++) {
		struct arena *a = arena_new();
		size_t n = 1 + rnd(&seed) % 12;
		struct box in[12], *out;
		size_t n_out;
		for (size_t i = 0; i < n; i++)
			in[i] = random_box(&seed);
		box_disjoint(a, in, n, &out, &n_out);
		for (size_t i = 0; i < n_out; i++)
			for (size_t k = i + 1; k < n_out; k++)
				assert_false(overlap(&out[i], &out[k]));
		for (int probe = 0; probe < 400; probe++) {
			uint32_t ip = 0x0a000000u | (rnd(&seed) & 0x3);
			if (rnd(&seed) % 8 == 0)
				ip = rnd(&seed);
			uint32_t x = rnd(&seed) % 14, y = rnd(&seed) % 34;
			bool want = false, got = false;
			for (size_t i = 0; i < n; i++)
				want |= inside(&in[i], ip, x, y);
			for (size_t i = 0; i < n_out; i++)
				got |= inside(&out[i], ip, x, y);
			assert_int_equal(want, got);
		}
		arena_free(a);
	}
}

static void nested_prefixes_collapse(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct box in[3] = {
		{ .addr = { 0x0a000000u, 24 }, .a_lo = 6, .a_hi = 6, .b_lo = 22, .b_hi = 22 },
		{ .addr = { 0x0a000005u, 32 }, .a_lo = 6, .a_hi = 6, .b_lo = 22, .b_hi = 22 },
		{ .addr = { 0x0a000000u, 24 }, .a_lo = 6, .a_hi = 6, .b_lo = 23, .b_hi = 30 },
	};
	struct box *out;
	size_t n;
	box_disjoint(a, in, 3, &out, &n);
	/* One element: 10.0.0.0/24 . 6 . 22-30. */
	assert_int_equal(n, 1);
	assert_int_equal(out[0].addr.len, 24);
	assert_int_equal(out[0].b_lo, 22);
	assert_int_equal(out[0].b_hi, 30);
	box_disjoint(a, in, 0, &out, &n);
	assert_int_equal(n, 0);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(random_unions),
		cmocka_unit_test(nested_prefixes_collapse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
