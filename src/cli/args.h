// SPDX-License-Identifier: MIT
/* The options every subcommand shares (--state-dir), parsed the same way. */
#ifndef CLI_ARGS_H
#define CLI_ARGS_H

/* Removes "--state-dir DIR" / "--state-dir=DIR" from argv (updating *argc)
 * and returns DIR, or the default. */
const char *args_state_dir(int *argc, char **argv);

#endif
