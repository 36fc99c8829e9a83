// SPDX-License-Identifier: MIT
/* analyze.trace_ms: the time of one analyze_path() over a loaded snapshot
 * — what `localvpc trace` and StartNetworkInsightsAnalysis spend per
 * query once the state is read — for N random ENI → ENI probes (tcp, a
 * random port), and the time to load the snapshot itself.  Beside it the
 * time of audit_run() over the same snapshot (best of 3: what `localvpc
 * audit` spends once the state is read; bench/analyze.py times the
 * command itself).  Prints one JSON object.  Usage: analyze-bench STATE_DB N */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analyze/analyze.h"
#include "analyze/audit.h"
#include "model/snapshot.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "util/arena.h"

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

int main(int argc, char **argv)
{
	if (argc != 3)
		return fprintf(stderr, "usage: analyze-bench STATE_DB N\n"), 2;
	int n = atoi(argv[2]);
	struct store *st;
	struct snapshot s;
	struct arena *a = arena_new();
	double t0 = now_ms();
	if (store_open_readonly(argv[1], &st) < 0 || store_snapshot_load(st, a, &s) < 0)
		return fprintf(stderr, "analyze-bench: cannot load %s\n", argv[1]), 1;
	double load = now_ms() - t0;
	if (!s.n_enis || n < 1)
		return fprintf(stderr, "analyze-bench: no ENIs\n"), 1;
	size_t rules = 0;
	for (size_t i = 0; i < s.n_sgs; i++)
		rules += s.sgs[i].n_rules;
	double *ms = calloc((size_t)n, sizeof(*ms));
	unsigned seed = 1;
	int reachable = 0;
	for (int i = 0; i < n; i++) {
		struct arena *q = arena_new();
		struct probe p = { .protocol = 6, .port = 1 + (int)(rand_r(&seed) % 1024) };
		p.src.kind = p.dst.kind = EP_ENI;
		snprintf(p.src.id, sizeof(p.src.id), "%s", s.enis[rand_r(&seed) % s.n_enis].head.id);
		snprintf(p.dst.id, sizeof(p.dst.id), "%s", s.enis[rand_r(&seed) % s.n_enis].head.id);
		struct analysis an;
		double t = now_ms();
		int r = analyze_path(&s, &p, q, &an);
		ms[i] = now_ms() - t;
		reachable += r == 0 && an.found;
		arena_free(q);
	}
	qsort(ms, (size_t)n, sizeof(*ms), cmp);
	double audit_ms = 0;
	size_t exposures = 0, findings = 0;
	for (int i = 0; i < 3; i++) {
		struct arena *q = arena_new();
		struct audit_report rep;
		double t = now_ms();
		if (audit_run(&s, NULL, q, &rep) < 0)
			return fprintf(stderr, "analyze-bench: audit failed\n"), 1;
		t = now_ms() - t;
		audit_ms = i == 0 || t < audit_ms ? t : audit_ms;
		exposures = rep.n_exposures;
		findings = rep.n_findings;
		arena_free(q);
	}
	printf("{\"enis\": %zu, \"groups\": %zu, \"rules\": %zu, \"probes\": %d, \"reachable\": %d, "
	       "\"load_ms\": %.1f, \"p50_ms\": %.3f, \"p99_ms\": %.3f, \"audit_ms\": %.1f, "
	       "\"exposures\": %zu, \"findings\": %zu}\n",
	       s.n_enis, s.n_sgs, rules, n, reachable, load, ms[n / 2], ms[n * 99 / 100], audit_ms,
	       exposures, findings);
	free(ms);
	store_close(st);
	arena_free(a);
	return 0;
}
