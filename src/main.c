// SPDX-License-Identifier: MIT
/* localvpc: argv[1] → subcommand; nothing else lives here. */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} commands[] = {
	{ "serve", cli_serve, "run the daemon: EC2 API on --listen, state in --state-dir" },
	{ "exec", cli_exec, "run a command as root inside an instance" },
	{ "internet", cli_internet, "internet exec [--from IP] -- CMD: run on an internet host" },
	{ "reset", cli_reset, "remove everything a daemon created, and its state" },
	{ "session", cli_session, "a shell in an instance with no inbound port; --list, --replay" },
	{ "diagram", cli_diagram, "draw the live architecture as SVG: [--vpc ID] -o FILE.svg" },
	{ "trace", cli_trace, "why a packet from FROM to TO is allowed or where it is dropped" },
	{ "audit", cli_audit, "what the internet can reach, and the seed's anti-patterns" },
};

static int usage(FILE *f)
{
	fprintf(f, "usage: localvpc COMMAND [ARGS]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].help);
	return f == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage(stderr);
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help") || !strcmp(argv[1], "help"))
		return usage(stdout);
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "localvpc: unknown command '%s'\n", argv[1]);
	return usage(stderr);
}
