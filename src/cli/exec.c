// SPDX-License-Identifier: MIT
/* `localvpc exec INSTANCE_ID -- CMD…`: runs a command as root inside a
 * running instance (all its namespaces and its root), with no network path
 * needed.  Exits with the command's status. */
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/paths.h"
#include "runtime/sandbox.h"
#include "util/id.h"

int cli_exec(int argc, char **argv)
{
	const char *state_dir = args_state_dir(&argc, argv);
	char dir[PATH_MAX];
	int status;

	if (argc < 4 || strcmp(argv[2], "--") || !id_has_prefix(argv[1], "i") ||
	    strchr(argv[1], '/')) {
		fprintf(stderr, "usage: localvpc exec [--state-dir DIR] INSTANCE_ID -- CMD [ARG…]\n");
		return 2;
	}
	paths_instance_dir(state_dir, argv[1], dir, sizeof(dir));
	int r = sandbox_exec(dir, argv + 3, &status);
	if (r < 0) {
		fprintf(stderr, "localvpc: instance %s is not running here (%s)\n", argv[1],
			strerror(-r));
		return 125;
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}
