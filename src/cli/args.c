// SPDX-License-Identifier: MIT
/* See args.h. */
#include "cli/args.h"

#include <string.h>

#include "cli/cli.h"

const char *args_state_dir(int *argc, char **argv)
{
	const char *dir = STATE_DIR_DEFAULT;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		int take = 0;
		if (!strcmp(argv[i], "--state-dir") && i + 1 < *argc) {
			dir = argv[i + 1];
			take = 2;
		} else if (!strncmp(argv[i], "--state-dir=", 12)) {
			dir = argv[i] + 12;
			take = 1;
		}
		if (take) {
			memmove(&argv[i], &argv[i + take], (size_t)(*argc - i - take + 1) * sizeof(char *));
			*argc -= take;
			i--;
		}
	}
	return dir;
}
