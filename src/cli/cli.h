// SPDX-License-Identifier: MIT
/* Subcommands: one file each, registered in main.c's table. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

int cli_serve(int argc, char **argv);
int cli_exec(int argc, char **argv);
int cli_internet(int argc, char **argv);
int cli_reset(int argc, char **argv);
int cli_session(int argc, char **argv);
int cli_diagram(int argc, char **argv);
int cli_trace(int argc, char **argv);
int cli_audit(int argc, char **argv);

#define STATE_DIR_DEFAULT "/var/lib/localvpc"

#endif
