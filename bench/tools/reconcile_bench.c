// SPDX-License-Identifier: MIT
/* Where a reconcile pass spends its time before it touches the kernel:
 * the whole-state snapshot load from SQLite, the compile of every
 * namespace's desired state, and the flow-log bindings — the part of
 * sg.change_to_enforced_ms that grows with the fleet (executor.c runs
 * all three on every API call).  N rounds each, p50 and max.  Prints one
 * JSON object.  Usage: reconcile-bench STATE_DB N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "compile/compile.h"
#include "compile/desired.h"
#include "compile/flowlog.h"
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
	print_figure("flowlog_bindings", flow, n, "}\n");
	store_close(st);
	free(load);
	free(comp);
	free(flow);
	return 0;
}
