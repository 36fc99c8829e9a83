// SPDX-License-Identifier: MIT
/* libnftables inside a namespace; see nft.h. */
#include "dataplane/nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/netns.h"
#include "util/xalloc.h"

struct run_args {
	const char *text;
	char *err;
	size_t err_size;
	char **out;
};

static int run(void *arg)
{
	struct run_args *a = arg;
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	int r;
	if (!ctx)
		return -ENOMEM;
	nft_ctx_buffer_output(ctx);
	nft_ctx_buffer_error(ctx);
	r = nft_run_cmd_from_buffer(ctx, a->text) == 0 ? 0 : -EINVAL;
	if (r < 0 && a->err && a->err_size) {
		const char *e = nft_ctx_get_error_buffer(ctx);
		snprintf(a->err, a->err_size, "%s", e ? e : "");
	}
	if (r == 0 && a->out) {
		const char *o = nft_ctx_get_output_buffer(ctx);
		*a->out = xstrdup(o ? o : "");
	}
	nft_ctx_free(ctx);
	return r;
}

int nft_run(const char *netns, const char *text, char *err, size_t err_size)
{
	struct run_args a = { .text = text, .err = err, .err_size = err_size };
	if (err && err_size)
		err[0] = '\0';
	return netns_run(netns, run, &a);
}

int nft_list_table(const char *netns, const char *family, const char *name, char **ret)
{
	char cmd[128];
	char *out = NULL;
	snprintf(cmd, sizeof(cmd), "list table %s %s", family, name);
	struct run_args a = { .text = cmd, .out = &out };
	int r = netns_run(netns, run, &a);
	if (r < 0)
		return -ENOENT;
	*ret = out;
	return 0;
}
