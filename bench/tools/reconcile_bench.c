// SPDX-License-Identifier: MIT
/* Where a reconcile pass spends its time before it touches the kernel:
 * the whole-state snapshot load from SQLite, the compile of every
 * namespace's desired state, and the flow-log bindings — the part of
 * sg.change_to_enforced_ms that grows with the fleet (executor.c runs
 * all three on a whole pass) — and what a pass after a rule change alone
 * does instead (executor.c rules_pass): the parts of the last ENI's first
 * group before and after one more rule, and the router text edited by
 * them.  N rounds each, p50 and max.  Prints one JSON object.
 * Usage: reconcile-bench STATE_DB N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile/compile.h"
#include "compile/desired.h"
#include "compile/flowlog.h"
#include "compile/sg_edit.h"
#include "dataplane/nft_diff.h"
#include "model/instance.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/cidr.h"

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_figure(const char *name, double *v, int n, const char *sep)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("\"%s\": {\"p50_ms\": %.3f, \"max_ms\": %.3f}%s", name, v[n / 2], v[n - 1], sep);
}

int main(int argc, char **argv)
{
	if (argc != 3 || atoi(argv[2]) < 1) {
		fprintf(stderr, "usage: reconcile-bench STATE_DB N\n");
		return 2;
	}
	int n = atoi(argv[2]);
	struct store *st = NULL;
	if (store_open_readonly(argv[1], &st) < 0) {
		fprintf(stderr, "reconcile-bench: cannot open %s\n", argv[1]);
		return 1;
	}
	struct compile_settings cs = { .prefix = "lvbench", .host_ip = 0xc0000201u,
				       .inet_ip = 0xc00002feu, .host_len = 24,
				       .region = "us-east-1", .account_id = "000000000000" };
	cidr_parse("198.18.0.0/15", &cs.public_pool);
	double *load = calloc((size_t)n, sizeof(double)), *comp = calloc((size_t)n, sizeof(double));
	double *flow = calloc((size_t)n, sizeof(double));
	double *parts = calloc((size_t)n, sizeof(double)), *edit = calloc((size_t)n, sizeof(double));
	size_t n_ns = 0, n_inst = 0, n_enis = 0;
	for (int i = 0; i < n; i++) {
		struct arena *a = arena_new();
		struct snapshot s;
		struct dp_desired d;
		struct dp_flow_binding *fl;
		double t0 = now_ms();
		if (store_snapshot_load(st, a, &s) < 0) {
			fprintf(stderr, "reconcile-bench: snapshot load failed\n");
			return 1;
		}
		double t1 = now_ms();
		if (compile_build(&s, &cs, a, &d) < 0) {
			fprintf(stderr, "reconcile-bench: compile failed\n");
			return 1;
		}
		double t2 = now_ms();
		compile_flowlog_bindings(&s, &cs, a, &fl);
		double t3 = now_ms();
		/* One more rule on a group of the last ENI. */
		const struct eni *e = s.n_enis ? &s.enis[s.n_enis - 1] : NULL;
		const char *g = e && e->n_groups ? e->group_ids[0] : NULL;
		struct security_group *sg = NULL;
		for (size_t k = 0; g && k < s.n_sgs; k++)
			if (!strcmp(s.sgs[k].head.id, g))
				sg = &s.sgs[k];
		double t4 = t3, t5 = t3;
		if (sg) {
			struct compile_sg_part *old, *new;
			size_t np = compile_sg_parts(&s, &cs, &g, 1, a, &old);
			struct sg_rule *r = arena_alloc_array(a, sg->n_rules + 1, sizeof(*r));
			memcpy(r, sg->rules, sg->n_rules * sizeof(*r));
			r[sg->n_rules] = (struct sg_rule){ .protocol = 6, .from_port = 2222,
							   .to_port = 2222, .description = "" };
			cidr_parse("203.0.113.7/32", &r[sg->n_rules].cidr);
			sg->rules = r;
			sg->n_rules++;
			np = compile_sg_parts(&s, &cs, &g, 1, a, &new);
			t4 = now_ms();
			const char *text = NULL;
			for (size_t k = 0; np && k < d.n_ns; k++)
				if (!strcmp(d.ns[k].name, new[0].ns))
					text = d.ns[k].nft;
			char *edited = text ? nft_text_edit(text, old[0].text, new[0].text) : NULL;
			t5 = now_ms();
			if (!edited) {
				fprintf(stderr, "reconcile-bench: the edit failed\n");
				return 1;
			}
			free(edited);
		}
		parts[i] = t4 - t3;
		edit[i] = t5 - t4;
		load[i] = t1 - t0;
		comp[i] = t2 - t1;
		flow[i] = t3 - t2;
		n_ns = d.n_ns;
		n_inst = d.n_instances;
		n_enis = s.n_enis;
		arena_free(a);
	}
	printf("{\"rounds\": %d, \"namespaces\": %zu, \"instances\": %zu, \"enis\": %zu, ", n, n_ns,
	       n_inst, n_enis);
	print_figure("snapshot_load", load, n, ", ");
	print_figure("compile", comp, n, ", ");
	print_figure("flowlog_bindings", flow, n, ", ");
	print_figure("sg_parts_twice", parts, n, ", ");
	print_figure("text_edit", edit, n, "}\n");
	store_close(st);
	free(load);
	free(comp);
	free(flow);
	free(parts);
	free(edit);
	return 0;
}
