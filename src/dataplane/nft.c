// SPDX-License-Identifier: MIT
/* libnftables inside a namespace; see nft.h.  The text comes from compile/
 * (or a fixed command built here); this file never decides a rule. */
#include "dataplane/nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataplane/netns.h"
#include "util/xalloc.h"

/* Table names we build commands from; the kernel allows 256, ours are short. */
#define TABLE_NAME_MAX 64

struct run_args {
	const char *text;
	char *err;       /* NULL: not wanted */
	size_t err_size;
	char **out;      /* NULL: not wanted */
	bool is_enoent;  /* the failure was "No such file or directory" */
};

/* One context per call: it holds the netlink socket, which must be opened
 * inside the namespace, and libnftables' caches, which must not outlive a
 * change made by someone else. */
static int run(void *arg)
{
	struct run_args *a = arg;
	struct nft_ctx *ctx = nft_ctx_new(NFT_CTX_DEFAULT);
	const char *s;
	int r;

	if (!ctx)
		return -ENOMEM;
	/* Both return 0 or fail only on OOM, which the run then reports. */
	(void)nft_ctx_buffer_output(ctx);
	(void)nft_ctx_buffer_error(ctx);
	r = nft_run_cmd_from_buffer(ctx, a->text) == 0 ? 0 : -EINVAL;
	if (r < 0) {
		s = nft_ctx_get_error_buffer(ctx);
		s = s ? s : "";
		a->is_enoent = strstr(s, "No such file or directory") != NULL;
		if (a->err && a->err_size)
			(void)snprintf(a->err, a->err_size, "%s", s); /* truncation is fine */
	} else if (a->out) {
		s = nft_ctx_get_output_buffer(ctx);
		*a->out = xstrdup(s ? s : "");
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

/* The names go into a command line: nothing that could end it or start
 * another (";", newline, "{", quotes) may pass. */
static bool family_ok(const char *f)
{
	static const char *const families[] = { "ip", "ip6", "inet", "arp", "bridge", "netdev" };
	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++)
		if (!strcmp(f, families[i]))
			return true;
	return false;
}

static bool table_name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > TABLE_NAME_MAX)
		return false;
	for (const char *p = name; *p; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '_' && *p != '-' && *p != '.')
			return false;
	return true;
}

int nft_list_table(const char *netns, const char *family, const char *name, char **ret)
{
	char cmd[sizeof("list table netdev ") + TABLE_NAME_MAX];
	char *out = NULL;
	int r;

	if (!family_ok(family) || !table_name_ok(name))
		return -EINVAL;
	(void)snprintf(cmd, sizeof(cmd), "list table %s %s", family, name); /* bounded above */
	struct run_args a = { .text = cmd, .out = &out };
	r = netns_run(netns, run, &a);
	if (r == -EINVAL && a.is_enoent)
		return -ENOENT;
	if (r < 0)
		return r;
	*ret = out;
	return 0;
}
