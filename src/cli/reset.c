// SPDX-License-Identifier: MIT
/* `localvpc reset`: stops the daemon of a state dir (by the pid it wrote),
 * stops every instance, removes every namespace, link, route and nft table
 * it created, and deletes its state.  Leaves the machine as it found it. */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/executor.h"
#include "dataplane/reconcile.h"
#include "runtime/sandbox.h"

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

static void stop_daemon(const char *state_dir)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/daemon.pid", state_dir);
	FILE *f = fopen(path, "re");
	long pid = 0;
	if (!f)
		return;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 1 || kill((pid_t)pid, SIGTERM) < 0)
		return;
	/* Poll for its exit with a deadline; it answers SIGTERM at once. */
	for (int i = 0; i < 500 && kill((pid_t)pid, 0) == 0; i++) {
		struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int cli_reset(int argc, char **argv)
{
	const char *state_dir = args_state_dir(&argc, argv);
	char base[PATH_MAX], prefix[16], **names = NULL;
	size_t n = 0;
	int rc = 0;

	if (argc != 1) {
		fprintf(stderr, "usage: localvpc reset [--state-dir DIR]\n");
		return 2;
	}
	executor_prefix(state_dir, prefix);
	stop_daemon(state_dir);
	snprintf(base, sizeof(base), "%s/instances", state_dir);
	if (sandbox_list(base, &names, &n) == 0) {
		for (size_t i = 0; i < n; i++) {
			char dir[PATH_MAX + 64];
			snprintf(dir, sizeof(dir), "%s/%s", base, names[i]);
			int r = sandbox_stop(dir, 5000);
			if (r < 0 && r != -ESRCH)
				rc = 1;
			(void)sandbox_remove(dir);
			free(names[i]);
		}
		free(names);
	}
	if (reconcile_teardown(prefix) < 0)
		rc = 1;
	if (nftw(state_dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS) < 0 && errno != ENOENT) {
		perror("localvpc: removing the state dir");
		rc = 1;
	}
	printf("localvpc: reset %s (prefix %s)\n", state_dir, prefix);
	return rc;
}
