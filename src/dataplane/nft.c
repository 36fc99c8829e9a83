// SPDX-License-Identifier: MIT
/* libnftables inside a namespace; see nft.h.  The text comes from compile/
 * (or a fixed command built here); this file never decides a rule. */
#include "dataplane/nft.h"

#include <errno.h>
#include <nftables/libnftables.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* A context of its own for a listing (it holds the netlink socket, opened
 * inside the namespace), freed after it. */
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

/* Changes go through contexts kept per namespace.  Freeing a context
 * after a change in a router of 1,000 ENIs costs 8-22 ms, against 0.2-0.5
 * ms for the change itself (measured with bench/scale.py at 1,000
 * instances, and with a loop over one context); that free was most of an
 * API call's pass.  A kept context stays right: libnftables compares the
 * ruleset's generation before each command and refetches what changed.
 * It is tied to the namespace it was opened in (device and inode of the
 * name), because its socket keeps that namespace alive. */
#define KEPT_MAX 8

struct kept {
	char name[NETNS_NAME_MAX]; /* "" = the host's namespace */
	dev_t dev;
	ino_t ino;
	struct nft_ctx *ctx;
	unsigned long long used;
};

static struct kept kept[KEPT_MAX];
static unsigned long long kept_clock;
static pthread_mutex_t kept_lock = PTHREAD_MUTEX_INITIALIZER;

static int ns_identity(const char *netns, dev_t *dev, ino_t *ino)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1];
	struct stat st;
	if (netns && strlen(netns) >= NETNS_NAME_MAX)
		return -EINVAL;
	(void)snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, netns ? netns : "");
	if (stat(netns ? path : "/proc/self/ns/net", &st) < 0)
		return -errno;
	*dev = st.st_dev;
	*ino = st.st_ino;
	return 0;
}

static void drop(struct kept *k)
{
	if (k->ctx)
		nft_ctx_free(k->ctx);
	memset(k, 0, sizeof(*k));
}

/* netns's slot: its own while it names the same namespace, else a free or
 * the least recently used one, emptied and named. */
static struct kept *slot_for(const char *name, dev_t dev, ino_t ino)
{
	struct kept *k = NULL;
	for (size_t i = 0; i < KEPT_MAX && !k; i++)
		if (kept[i].ctx && !strcmp(kept[i].name, name))
			k = &kept[i];
	if (k && k->dev == dev && k->ino == ino)
		return k;
	if (!k) {
		k = &kept[0];
		for (size_t i = 1; i < KEPT_MAX && k->ctx; i++)
			if (!kept[i].ctx || kept[i].used < k->used)
				k = &kept[i];
	}
	drop(k);
	(void)snprintf(k->name, sizeof(k->name), "%s", name);
	k->dev = dev;
	k->ino = ino;
	return k;
}

struct kept_args {
	struct kept *k;
	const char *text;
	char *err;
	size_t err_size;
};

static int run_kept(void *arg)
{
	struct kept_args *a = arg;
	struct kept *k = a->k;
	if (!k->ctx) {
		k->ctx = nft_ctx_new(NFT_CTX_DEFAULT);
		if (!k->ctx)
			return -ENOMEM;
		(void)nft_ctx_buffer_output(k->ctx);
		(void)nft_ctx_buffer_error(k->ctx);
	}
	int r = nft_run_cmd_from_buffer(k->ctx, a->text) == 0 ? 0 : -EINVAL;
	/* Reading a buffer rewinds it: both are read after every command. */
	const char *e = nft_ctx_get_error_buffer(k->ctx);
	(void)nft_ctx_get_output_buffer(k->ctx);
	if (r < 0 && a->err && a->err_size)
		(void)snprintf(a->err, a->err_size, "%s", e ? e : ""); /* truncation is fine */
	return r;
}

int nft_run(const char *netns, const char *text, char *err, size_t err_size)
{
	struct kept_args a = { .text = text, .err = err, .err_size = err_size };
	dev_t dev;
	ino_t ino;
	if (err && err_size)
		err[0] = '\0';
	int r = ns_identity(netns, &dev, &ino);
	if (r < 0)
		return r;
	pthread_mutex_lock(&kept_lock);
	a.k = slot_for(netns ? netns : "", dev, ino);
	a.k->used = ++kept_clock;
	r = netns_run(netns, run_kept, &a);
	if (!a.k->ctx)
		memset(a.k, 0, sizeof(*a.k)); /* none could be made: the slot stays free */
	pthread_mutex_unlock(&kept_lock);
	return r;
}

void nft_prune(void)
{
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < KEPT_MAX; i++) {
		struct kept *k = &kept[i];
		dev_t dev;
		ino_t ino;
		if (k->ctx && (ns_identity(k->name[0] ? k->name : NULL, &dev, &ino) < 0 ||
			       dev != k->dev || ino != k->ino))
			drop(k);
	}
	pthread_mutex_unlock(&kept_lock);
}

void nft_forget(const char *netns)
{
	pthread_mutex_lock(&kept_lock);
	for (size_t i = 0; i < KEPT_MAX; i++)
		if (kept[i].ctx && !strcmp(kept[i].name, netns ? netns : ""))
			drop(&kept[i]);
	pthread_mutex_unlock(&kept_lock);
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
