// SPDX-License-Identifier: MIT
/* The two processes of `serve` (priv/drop.h): what each runs after the fork. */
#ifndef CLI_SERVE_PROC_H
#define CLI_SERVE_PROC_H
#include <stdbool.h>
#include <sys/types.h>

struct api_ctx;
struct executor_settings;

/* The API process (the child): HTTP, request parsing, the store. */
struct api_proc {
	struct api_ctx *ctx;   /* configured; no store open yet */
	const char *db_path;
	int listen_fd;         /* bound, not yet listening (api_server_bind) */
	int chan;              /* its end of the socketpair */
	pid_t parent;
	bool drop;             /* run as root: drop to uid/gid */
	uid_t uid;
	gid_t gid;
};
/* Runs the API process until the parent's SIGTERM; returns its exit code
 * (0 then, 1 when a step fails: it never serves with privileges). */
int serve_api_proc(struct api_proc *a);

/* The privileged parent: the executor, the channel, the child's life. */
struct priv_proc {
	const struct executor_settings *es; /* NULL: --no-dataplane */
	int chan;
	pid_t child;
	const char *listen_host, *state_dir, *region, *prefix;
};
/* Serves the channel and reconciles every few seconds until SIGINT or
 * SIGTERM (then stops the child: 0) or the child dies on its own (1). */
int serve_priv_proc(const struct priv_proc *p);

/* api_server_bind(), retried briefly on EADDRINUSE: after a kill -9 of the
 * previous daemon on this port its API process may still be exiting. */
int serve_bind(const char *ip, unsigned port, int *ret_fd);

#endif
