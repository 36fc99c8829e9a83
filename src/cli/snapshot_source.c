// SPDX-License-Identifier: MIT
/* The analysis commands' input; see snapshot_source.h. */
#include "cli/snapshot_source.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cli/args.h"
#include "import/aws_json.h"
#include "model/snapshot.h"
#include "model/snapshot_index.h"
#include "store/snapshot.h"
#include "store/store.h"

static const char *take_option(int *argc, char **argv, const char *name)
{
	size_t n = strlen(name);
	const char *v = NULL;
	int out = 1;
	for (int i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], name) && i + 1 < *argc) {
			v = argv[++i];
		} else if (!strncmp(argv[i], name, n) && argv[i][n] == '=') {
			v = argv[i] + n + 1;
		} else {
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return v;
}

void snapshot_source_args(int *argc, char **argv, struct snapshot_source *src)
{
	src->aws_json_dir = take_option(argc, argv, "--from-aws-json");
	src->state_dir = args_state_dir(argc, argv);
}

int snapshot_source_load(const struct snapshot_source *src, const char *cmd, struct arena *a,
			 struct snapshot *s)
{
	char err[512] = "";
	if (src->aws_json_dir) {
		int r = import_aws_json(src->aws_json_dir, a, s, err, sizeof(err));
		if (r < 0)
			fprintf(stderr, "localvpc %s: --from-aws-json %s: %s\n", cmd, src->aws_json_dir,
				err[0] ? err : strerror(-r));
		else
			snapshot_index_build(s, a);
		return r;
	}
	char path[PATH_MAX];
	struct store *st = NULL;
	snprintf(path, sizeof(path), "%s/state.db", src->state_dir);
	int r = store_open_readonly(path, &st);
	/* The snapshot's strings live on the arena, so the store can close. */
	if (r >= 0)
		r = store_snapshot_load(st, a, s);
	if (r < 0)
		fprintf(stderr, "localvpc %s: cannot read %s: %s\n", cmd, path, strerror(-r));
	store_close(st);
	return r;
}
