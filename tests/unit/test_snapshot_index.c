// SPDX-License-Identifier: MIT
/* model/snapshot_index: every lookup semantics/ answers through the index
 * gives the element a scan gives — the first in array order — over a
 * random snapshot with shared IPv4 addresses (VPCs may overlap), several
 * ENIs per instance and IDs that are absent; and an index whose counts no
 * longer match its arrays is ignored. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/snapshot.h"
#include "model/snapshot_index.h"
#include "semantics/snap.h"
#include "util/arena.h"

#define N_INST 300
#define N_ENI 700

static void random_snapshot(struct snapshot *s, struct arena *a, unsigned seed)
{
	srand(seed);
	memset(s, 0, sizeof(*s));
	s->n_instances = N_INST;
	s->instances = arena_alloc_array(a, N_INST, sizeof(*s->instances));
	for (size_t i = 0; i < N_INST; i++) {
		/* Not in ID order, and some IDs twice: the first must win. */
		snprintf(s->instances[i].head.id, ID_MAX, "i-%05d", rand() % 400);
		s->instances[i].state = INSTANCE_RUNNING;
	}
	s->n_enis = N_ENI;
	s->enis = arena_alloc_array(a, N_ENI, sizeof(*s->enis));
	for (size_t i = 0; i < N_ENI; i++) {
		struct eni *e = &s->enis[i];
		snprintf(e->head.id, ID_MAX, "eni-%05zu", (size_t)rand() % 900);
		if (rand() % 5)
			snprintf(e->instance_id, ID_MAX, "i-%05d", rand() % 400);
		e->device_index = rand() % 3;
		e->private_ip = 0x0a000000u | (uint32_t)(rand() % 500); /* collisions */
	}
}

static void assert_same_answers(const struct snapshot *indexed, const struct snapshot *plain)
{
	char id[ID_MAX];
	for (int k = 0; k < 1000; k++) {
		snprintf(id, sizeof(id), "i-%05d", k % 420);
		const struct instance *a = sem_instance(indexed, id), *b = sem_instance(plain, id);
		assert_int_equal(a ? a - indexed->instances : -1, b ? b - plain->instances : -1);
		const struct eni *x = sem_primary_eni(indexed, id), *y = sem_primary_eni(plain, id);
		assert_int_equal(x ? x - indexed->enis : -1, y ? y - plain->enis : -1);
		snprintf(id, sizeof(id), "eni-%05d", k % 950);
		x = sem_eni(indexed, id);
		y = sem_eni(plain, id);
		assert_int_equal(x ? x - indexed->enis : -1, y ? y - plain->enis : -1);
		uint32_t ip = 0x0a000000u | (uint32_t)(k % 520);
		x = sem_eni_by_ip(indexed, ip);
		y = sem_eni_by_ip(plain, ip);
		assert_int_equal(x ? x - indexed->enis : -1, y ? y - plain->enis : -1);
	}
}

static void index_agrees_with_scan(void **state)
{
	(void)state;
	for (unsigned seed = 1; seed <= 5; seed++) {
		struct arena *a = arena_new();
		struct snapshot s, plain;
		random_snapshot(&s, a, seed);
		plain = s;
		snapshot_index_build(&s, a);
		assert_non_null(s.index);
		assert_null(plain.index);
		assert_same_answers(&s, &plain);
		arena_free(a);
	}
}

static void stale_index_is_ignored(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct snapshot s, plain;
	random_snapshot(&s, a, 7);
	snapshot_index_build(&s, a);
	/* Arrays shrunk after indexing (as a test fixture may do): the
	 * index's positions would point past the end; it must not be used. */
	s.n_enis = N_ENI / 2;
	s.n_instances = N_INST / 2;
	plain = s;
	plain.index = NULL;
	assert_same_answers(&s, &plain);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(index_agrees_with_scan),
		cmocka_unit_test(stale_index_is_ignored),
	};
	return cmocka_run_group_tests_name("snapshot_index", tests, NULL, NULL);
}
