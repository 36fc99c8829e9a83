// SPDX-License-Identifier: MIT
/* Subcommands: one file each, registered in main.c's table. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

int cli_serve(int argc, char **argv);

#define STATE_DIR_DEFAULT "/var/lib/localvpc"

#endif
