// SPDX-License-Identifier: MIT
/* Where the read-only analysis commands (trace, audit) get the network
 * they reason about: the daemon's state database, or — with
 * --from-aws-json DIR — a real account's `aws ec2 describe-…` output,
 * with no daemon, store or kernel involved. */
#ifndef CLI_SNAPSHOT_SOURCE_H
#define CLI_SNAPSHOT_SOURCE_H

struct arena;
struct snapshot;

struct snapshot_source {
	const char *state_dir;     /* --state-dir, or the default */
	const char *aws_json_dir;  /* --from-aws-json, or NULL */
};

/* Removes --state-dir and --from-aws-json (either "--opt V" or
 * "--opt=V") from argv, updating *argc. */
void snapshot_source_args(int *argc, char **argv, struct snapshot_source *src);

/* Loads the snapshot onto a.  Returns 0, or a negative errno after
 * printing "localvpc CMD: …" to stderr. */
int snapshot_source_load(const struct snapshot_source *src, const char *cmd, struct arena *a,
			 struct snapshot *s);

#endif
