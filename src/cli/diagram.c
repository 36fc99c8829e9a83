// SPDX-License-Identifier: MIT
/* `localvpc diagram [--state-dir DIR] [--vpc ID]… [--all] -o FILE.svg`: the
 * live architecture as a picture.  Reads the state through a read-only
 * store (safe beside a running daemon: WAL gives one consistent snapshot
 * without blocking it), lays it out with draw/ and writes the SVG.  Never
 * writes the state. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "draw/diagram.h"
#include "model/snapshot.h"
#include "store/nat_gateway.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/xalloc.h"

#define SVG_SIZE_MAX (64u << 20)
#define VPC_ARGS_MAX 64

static int usage(void)
{
	fprintf(stderr, "usage: localvpc diagram [--state-dir DIR] [--vpc ID]... [--all]"
			" [--region NAME] -o FILE.svg|-\n");
	return 2;
}

/* Writes the document to path ("-": stdout) through a temporary file, so a
 * reader never sees half a picture. */
static int write_out(const char *path, const struct buf *b)
{
	if (!strcmp(path, "-"))
		return fwrite(buf_str(b), 1, b->size, stdout) == b->size && fflush(stdout) == 0
			       ? 0
			       : -EIO;
	size_t n = strlen(path) + 16;
	char *tmp = xmalloc(n);
	int r = 0;
	snprintf(tmp, n, "%s.tmp%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "w");
	if (!f) {
		r = -errno;
		goto out;
	}
	if (fwrite(buf_str(b), 1, b->size, f) != b->size)
		r = -EIO;
	if (fclose(f) != 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r)
		(void)unlink(tmp); /* best effort: the error is what we report */
out:
	free(tmp);
	return r;
}

int cli_diagram(int argc, char **argv)
{
	const char *dir = args_state_dir(&argc, argv);
	const char *out_path = NULL, *region = NULL;
	const char *vpcs[VPC_ARGS_MAX];
	size_t n_vpcs = 0;
	bool all = false;
	static const struct option opts[] = {
		{ "vpc", required_argument, NULL, 'v' }, { "all", no_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' }, { "region", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 },
	};
	int ch;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'v':
			if (n_vpcs == VPC_ARGS_MAX) {
				fprintf(stderr, "localvpc diagram: at most %d --vpc\n", VPC_ARGS_MAX);
				return 2;
			}
			vpcs[n_vpcs++] = optarg;
			break;
		case 'a': all = true; break;
		case 'o': out_path = optarg; break;
		case 'r': region = optarg; break;
		case 'h': usage(); return 0;
		default: return usage();
		}
	}
	if (optind != argc || !out_path)
		return usage();

	struct store *st = NULL;
	struct arena *a = arena_new();
	struct buf b;
	int rc = 1, r;
	buf_init(&b, SVG_SIZE_MAX);
	char *db = arena_printf(a, "%s/state.db", dir);
	if ((r = store_open_readonly(db, &st)) < 0) {
		fprintf(stderr, "localvpc diagram: cannot open the state in %s: %s\n", dir,
			strerror(-r));
		goto out;
	}
	struct snapshot s;
	struct eip *eips = NULL;
	size_t n_eips = 0;
	if ((r = store_snapshot_load(st, a, &s)) < 0 ||
	    (r = store_eip_list(st, a, &eips, &n_eips)) < 0) {
		fprintf(stderr, "localvpc diagram: cannot read the state in %s: %s\n", dir,
			strerror(-r));
		goto out;
	}
	struct diagram_opts o = { .region = region, .vpc_ids = vpcs, .n_vpc_ids = n_vpcs,
				  .all = all, .eips = eips, .n_eips = n_eips };
	struct diagram d;
	const char *missing = NULL;
	if ((r = diagram_build(&s, &o, a, &d, &missing)) < 0) {
		if (r == -ENOENT)
			fprintf(stderr, "localvpc diagram: the VPC ID '%s' does not exist\n",
				missing);
		else
			fprintf(stderr, "localvpc diagram: %s\n", strerror(-r));
		goto out;
	}
	if ((r = diagram_svg(&d, &b)) < 0 || (r = write_out(out_path, &b)) < 0) {
		fprintf(stderr, "localvpc diagram: cannot write %s: %s\n", out_path, strerror(-r));
		goto out;
	}
	rc = 0;
out:
	buf_done(&b);
	store_close(st);
	arena_free(a);
	return rc;
}
