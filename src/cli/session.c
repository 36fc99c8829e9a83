// SPDX-License-Identifier: MIT
/* Placeholder while the command is written (this session). */
#include <stdio.h>

#include "cli/cli.h"

int cli_session(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "localvpc session: not built yet\n");
	return 2;
}
