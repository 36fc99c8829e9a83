// SPDX-License-Identifier: MIT
/* The privileged side of priv/: reads the store, compiles the desired
 * state, reconciles the kernel, starts and stops instance sandboxes and
 * feeds the metadata service.  Lives in serve's privileged parent: one pass
 * at a time (a mutex), when the API process asks after a mutating call and
 * every few seconds to heal what was changed behind its back. */
#ifndef CLI_EXECUTOR_H
#define CLI_EXECUTOR_H
#include <stdbool.h>

#include "compile/compile.h"
#include "priv/priv.h"

struct executor;
struct store;

struct executor_settings {
	const char *state_dir;
	struct compile_settings cs; /* prefix, host link, pool, region, account */
	const char *image_root;     /* the AMI's root file system */
	const char *init_path;      /* build/localvpc-init */
	const char *boot_path;      /* the boot script written into instances */
	const char *db_path;        /* the executor opens its own connection */
	unsigned flow_log_interval_s; /* 0: each flow log's MaxAggregationInterval */
};

/* Returns 0 and a new executor in *ret (its priv_executor in ret_ex). */
int executor_new(const struct executor_settings *s, struct executor **ret,
		 struct priv_executor *ret_ex);
/* One pass now: full (the periodic pass, and at start) reads every kernel
 * object back; otherwise (after an API call) what is unchanged since the
 * last pass is trusted (dataplane/memo.h).  Returns 0 or -EAGAIN
 * (something to retry). */
int executor_reconcile(struct executor *ex, bool full);
/* Frees the executor; instances keep running (they outlive the daemon). */
void executor_free(struct executor *ex);

/* The kernel-object prefix of a state dir: "lv" + 4 hex of its path's hash. */
void executor_prefix(const char *state_dir, char out[16]);

#endif
