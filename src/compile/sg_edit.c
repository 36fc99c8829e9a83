// SPDX-License-Identifier: MIT
/* The router parts a rule change touches; see sg_edit.h. */
#include "compile/sg_edit.h"

#include <stdbool.h>
#include <string.h>

#include "compile/compile.h"
#include "compile/sg.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "model/vpc.h"
#include "semantics/snap.h"
#include "util/arena.h"
#include "util/buf.h"

static bool holds_one(const struct eni *e, const char *const *groups, size_t n)
{
	for (size_t i = 0; i < e->n_groups; i++)
		for (size_t k = 0; k < n; k++)
			if (!strcmp(e->group_ids[i], groups[k]))
				return true;
	return false;
}

static bool vpc_has_group(const struct snapshot *s, const char *vpc_id,
			  const char *const *groups, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct security_group *g = sem_group(s, groups[k]);
		if (g && !strcmp(g->vpc_id, vpc_id))
			return true;
	}
	return false;
}

size_t compile_sg_parts(const struct snapshot *s, const struct compile_settings *cs,
			const char *const *groups, size_t n_groups, struct arena *a,
			struct compile_sg_part **ret)
{
	struct compile_sg_part *parts = NULL;
	size_t n_parts = 0, cap = 0;
	const struct eni **enis = arena_alloc_array(a, s->n_enis + 1, sizeof(*enis));
	for (size_t v = 0; v < s->n_vpcs; v++) {
		const char *vpc_id = s->vpcs[v].head.id;
		if (!vpc_has_group(s, vpc_id, groups, n_groups))
			continue;
		/* build_router_nft's wired ENIs that hold one of the groups.
		 * Their membership does not change, so neither do sg_enis
		 * and sg_combo: only the rule sets are written. */
		size_t n = 0;
		for (size_t i = 0; i < s->n_enis; i++) {
			const struct eni *e = &s->enis[i];
			if (holds_one(e, groups, n_groups) && !strcmp(e->vpc_id, vpc_id) &&
			    sem_eni_wired(s, e))
				enis[n++] = e;
		}
		if (!n) /* no ENI holds them: nothing of this router changes */
			continue;
		struct buf t;
		buf_init(&t, 64 << 20);
		compile_sg_rule_sets(a, s, enis, n, &t);
		ARENA_RESERVE(a, parts, n_parts, cap);
		struct compile_sg_part *p = &parts[n_parts++];
		compile_ns_vpc(cs->prefix, vpc_id, p->ns);
		p->text = arena_strdup(a, buf_str(&t));
		buf_done(&t);
	}
	*ret = parts;
	return n_parts;
}
