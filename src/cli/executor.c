// SPDX-License-Identifier: MIT
/* The privileged executor; see executor.h.  Wires store → compile →
 * dataplane/runtime; decides no AWS rule itself. */
#include "cli/executor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compile/desired.h"
#include "compile/flowlog.h"
#include "compile/sg_edit.h"
#include "dataplane/memo.h"
#include "dataplane/netns.h"
#include "dataplane/nflog.h"
#include "dataplane/reconcile.h"
#include "model/security_group.h"
#include "model/snapshot.h"
#include "runtime/imds.h"
#include "runtime/sandbox.h"
#include "semantics/snap.h"
#include "store/change.h"
#include "store/security_group.h"
#include "store/snapshot.h"
#include "store/store.h"
#include "util/arena.h"
#include "util/log.h"
#include "util/xalloc.h"

#define CONSOLE_MAX (1024 * 1024)

struct executor {
	struct executor_settings s;
	struct store *st;
	struct imds *imds;
	struct nflog *nflog; /* VPC Flow Logs */
	struct dp_memo *memo; /* what the last passes applied */
	/* The instances' desired states (instances_hash()) when the last pass
	 * stopped and started them without an error; see executor_reconcile. */
	uint64_t inst_hash;
	bool inst_hash_ok;
	/* The snapshot of the last whole pass that applied without an error,
	 * and where the store stood when it was read: a pass after a change
	 * of rules alone starts from it (rules_pass).  kept_arena owns
	 * everything kept points to, and the rules rules_pass read since;
	 * the next whole pass that keeps its own frees it. */
	struct arena *kept_arena;
	struct snapshot kept;
	struct store_mark kept_mark;
	bool kept_ok;
	long long pruned_seq; /* store_change_prune()d up to here */
	pthread_mutex_t lock;
};

void executor_prefix(const char *state_dir, char out[16])
{
	char path[PATH_MAX];
	const char *p = realpath(state_dir, path) ? path : state_dir;
	unsigned h = 2166136261u;
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	snprintf(out, 16, "lv%04x", (h ^ (h >> 16)) & 0xffff);
}

static void instance_dir(const struct executor *ex, const char *id, char out[PATH_MAX])
{
	snprintf(out, PATH_MAX, "%s/instances/%s", ex->s.state_dir, id);
}

static int read_console(const struct executor *ex, const char *id, struct priv_reply *rep)
{
	char path[PATH_MAX + 32], dir[PATH_MAX];
	instance_dir(ex, id, dir);
	snprintf(path, sizeof(path), "%s/console.log", dir);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	struct stat sb;
	if (fstat(fd, &sb) < 0) {
		close(fd);
		return -errno;
	}
	off_t off = sb.st_size > CONSOLE_MAX ? sb.st_size - CONSOLE_MAX : 0;
	size_t size = (size_t)(sb.st_size - off);
	char *data = xmalloc(size + 1);
	ssize_t n = pread(fd, data, size, off);
	close(fd);
	if (n < 0) {
		free(data);
		return -EIO;
	}
	rep->data = data;
	rep->data_size = (size_t)n;
	return 0;
}

static void handle(void *cookie, const struct priv_request *req, struct priv_reply *rep)
{
	struct executor *ex = cookie;
	switch (req->op) {
	case PRIV_RECONCILE:
		rep->status = executor_reconcile(ex, false);
		return;
	case PRIV_CONSOLE_READ:
		rep->status = read_console(ex, req->instance_id, rep);
		return;
	case PRIV_OP_COUNT:
		break;
	}
	rep->status = -EINVAL; /* fail closed */
}

int executor_new(const struct executor_settings *s, struct executor **ret,
		 struct priv_executor *ret_ex)
{
	/* A pass allocates and frees its snapshot and desired state (tens of
	 * MiB at 10,000 ENIs).  By default glibc maps big blocks afresh and
	 * hands freed memory back, so every pass paid page faults on first
	 * touch: compile of 1,000 instances 10.3 ms, 6.8 ms with the memory
	 * kept (bench/tools/reconcile_bench, same state).  This process is
	 * long-lived and its peak is the same every pass: keep it. */
	(void)mallopt(M_MMAP_THRESHOLD, 256 << 20);
	(void)mallopt(M_TRIM_THRESHOLD, 512 << 20);
	struct executor *ex = xcalloc(1, sizeof(*ex));
	ex->s = *s;
	pthread_mutex_init(&ex->lock, NULL);
	ex->memo = dp_memo_new();
	int r = store_open(s->db_path, &ex->st);
	struct nflog_settings fls = { .state_dir = s->state_dir, .account_id = s->cs.account_id,
				      .region = s->cs.region, .interval_s = s->flow_log_interval_s };
	if (r < 0 || (r = imds_new(&ex->imds)) < 0 || (r = nflog_new(&fls, &ex->nflog)) < 0) {
		imds_free(ex->imds);
		store_close(ex->st);
		free(ex);
		return r;
	}
	char dir[PATH_MAX];
	snprintf(dir, sizeof(dir), "%s/instances", s->state_dir);
	(void)mkdir(dir, 0700); /* exists after the first start */
	*ret = ex;
	ret_ex->handle = handle;
	ret_ex->cookie = ex;
	return 0;
}

/* Reads "<boot_gen>" recorded when the sandbox was last started. */
static long long recorded_boot(const char *dir)
{
	char path[PATH_MAX + 16], buf[32] = "";
	snprintf(path, sizeof(path), "%s/boot_gen", dir);
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return strtoll(buf, NULL, 10);
}

static void record_boot(const char *dir, long long gen)
{
	char path[PATH_MAX + 16];
	snprintf(path, sizeof(path), "%s/boot_gen", dir);
	FILE *f = fopen(path, "we");
	if (f) {
		fprintf(f, "%lld\n", gen);
		fclose(f);
	}
}

/* True when the running sandbox sits in the namespace now named ns (one
 * deleted by hand and recreated is another namespace: restart into it). */
static bool in_netns(pid_t pid, const char *ns)
{
	char path[128];
	struct stat a, b;
	snprintf(path, sizeof(path), "/proc/%d/ns/net", (int)pid);
	if (stat(path, &a) < 0)
		return false;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", ns);
	if (stat(path, &b) < 0)
		return false;
	return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

static int start_instance(struct executor *ex, const struct dp_instance *in, const char *dir)
{
	char cgroup_parent[32]; /* one per state dir, as the namespaces' prefix */
	snprintf(cgroup_parent, sizeof(cgroup_parent), "localvpc-%s", ex->s.cs.prefix);
	struct sandbox_spec spec = {
		.instance_id = in->id,
		.netns = in->netns,
		.image_root = ex->s.image_root,
		.dir = dir,
		.hostname = in->hostname,
		.init_path = ex->s.init_path,
		.boot_path = ex->s.boot_path,
		.authorized_key = in->public_key,
		.user_data = in->user_data,
		.user_data_size = in->user_data_size,
		.cgroup_parent = cgroup_parent,
	};
	pid_t pid;
	int r = sandbox_start(&spec, &pid);
	if (r < 0) {
		log_warn("executor", r, "instance=%s op=start", in->id);
		return r;
	}
	record_boot(dir, (long long)in->boot_gen);
	log_info("executor", "instance=%s op=start pid=%d", in->id, (int)pid);
	return 0;
}

/* Instances: stop what must not run, remove what is terminated (both before
 * the namespaces go), then, after the network exists, start what must run. */
static int stop_unwanted(struct executor *ex, const struct dp_desired *d)
{
	char base[PATH_MAX];
	snprintf(base, sizeof(base), "%s/instances", ex->s.state_dir);
	int rc = 0;
	char **names = NULL;
	size_t n = 0;
	if (sandbox_list(base, &names, &n) < 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct dp_instance *want = NULL;
		char dir[PATH_MAX];
		for (size_t k = 0; k < d->n_instances && !want; k++)
			if (!strcmp(d->instances[k].id, names[i]))
				want = &d->instances[k];
		instance_dir(ex, names[i], dir);
		pid_t pid;
		bool running = sandbox_find(dir, &pid) == 0;
		bool restart = want && want->run && running &&
			       (recorded_boot(dir) != (long long)want->boot_gen ||
				!in_netns(pid, want->netns));
		if (running && (!want || !want->run || restart)) {
			int r = sandbox_stop(dir, 5000);
			if (r < 0)
				rc = r;
			log_info("executor", "instance=%s op=stop reason=%s", names[i],
				 !want ? "terminated" : restart ? "reboot" : "stopped");
		}
		if (!want) {
			int r = sandbox_remove(dir);
			if (r < 0)
				rc = r;
		}
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

static int start_wanted(struct executor *ex, const struct dp_desired *d)
{
	int rc = 0;
	for (size_t i = 0; i < d->n_instances; i++) {
		const struct dp_instance *in = &d->instances[i];
		char dir[PATH_MAX];
		pid_t pid;
		if (!in->run)
			continue;
		instance_dir(ex, in->id, dir);
		if (sandbox_find(dir, &pid) == 0)
			continue;
		int r = start_instance(ex, in, dir);
		if (r < 0)
			rc = r;
	}
	return rc;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h;
}

/* What decides whether an instance runs and in which boot and namespace. */
static uint64_t instances_hash(const struct dp_desired *d)
{
	uint64_t h = fnv(14695981039346656037ull, &d->n_instances, sizeof(d->n_instances));
	for (size_t i = 0; i < d->n_instances; i++) {
		const struct dp_instance *in = &d->instances[i];
		h = fnv(h, in->id, strlen(in->id) + 1);
		h = fnv(h, in->netns, strlen(in->netns) + 1);
		h = fnv(h, &in->run, sizeof(in->run));
		h = fnv(h, &in->boot_gen, sizeof(in->boot_gen));
	}
	return h;
}

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* The pass after a change of some groups' rules and nothing else (the
 * store's change marks say so): those groups' rules read afresh into the
 * kept snapshot, and the set elements of their ENIs edited in place
 * (compile/sg_edit.h).  At 1,000 instances the whole pass loads (4 ms),
 * compiles (7 ms) and compares every namespace (6 ms) for the same few
 * elements.  True when it did the whole job; false, and the kept snapshot
 * dropped, when a whole pass must follow. */
static bool rules_pass(struct executor *ex)
{
	struct arena *t = arena_new();
	double t0 = now_ms();
	bool other = true, done = false;
	const char **groups = NULL;
	size_t n = 0;
	struct store_mark now;
	struct security_group **fresh = NULL;
	int r = store_begin_read(ex->st);
	if (r == 0)
		r = store_change_since(ex->st, t, &ex->kept_mark, &other, &groups, &n, &now);
	if (r == 0 && !other) {
		fresh = arena_alloc_array(t, n + 1, sizeof(*fresh));
		for (size_t i = 0; i < n && r == 0; i++)
			r = store_sg_get(ex->st, ex->kept_arena, groups[i], &fresh[i]);
	}
	store_rollback(ex->st); /* read only */
	if (r < 0 || other)
		goto out;
	double t1 = now_ms();
	struct compile_sg_part *old, *new;
	size_t n_old = compile_sg_parts(&ex->kept, &ex->s.cs, groups, n, t, &old);
	for (size_t i = 0; i < n; i++) {
		const struct security_group *g = sem_group(&ex->kept, groups[i]);
		if (!g) /* made since: then more than rules changed */
			goto out;
		struct security_group *w = &ex->kept.sgs[g - ex->kept.sgs];
		w->rules = fresh[i]->rules;
		w->n_rules = fresh[i]->n_rules;
	}
	size_t n_new = compile_sg_parts(&ex->kept, &ex->s.cs, groups, n, t, &new);
	if (n_new != n_old)
		goto out;
	double t2 = now_ms();
	for (size_t k = 0; k < n_new; k++)
		if (reconcile_edit_elements(ex->memo, ex->s.cs.prefix, new[k].ns, old[k].text,
					    new[k].text) < 0)
			goto out;
	ex->kept_mark = now;
	done = true;
	log_debug("executor",
		  "op=pass kind=rules groups=%zu routers=%zu ms=%.2f read_ms=%.2f compile_ms=%.2f "
		  "apply_ms=%.2f",
		  n, n_new, now_ms() - t0, t1 - t0, t2 - t1, now_ms() - t2);
out:
	ex->kept_ok = done;
	arena_free(t);
	return done;
}

/* Keeps the snapshot of a whole pass (on a) for rules_pass. */
static void keep(struct executor *ex, struct arena *a, const struct snapshot *snap,
		 const struct store_mark *mark)
{
	arena_free(ex->kept_arena);
	ex->kept_arena = a;
	ex->kept = *snap;
	ex->kept_mark = *mark;
	ex->kept_ok = true;
}

int executor_reconcile(struct executor *ex, bool full)
{
	struct arena *a = arena_new();
	struct snapshot snap;
	struct store_mark mark;
	struct dp_desired d;
	struct reconcile_stats stats = { 0 };
	int r;

	pthread_mutex_lock(&ex->lock);
	if (!full && ex->kept_ok && rules_pass(ex)) {
		pthread_mutex_unlock(&ex->lock);
		arena_free(a);
		return 0;
	}
	/* Stage times, for -v: where a pass after one API call goes. */
	double t[6];
	t[0] = now_ms();
	/* The state and its mark in one read. */
	if ((r = store_begin_read(ex->st)) < 0)
		goto out;
	r = store_snapshot_load_in_tx(ex->st, a, &snap);
	if (r == 0)
		r = store_change_mark(ex->st, &mark);
	store_rollback(ex->st);
	if (r < 0)
		goto out;
	t[1] = now_ms();
	if ((r = compile_build(&snap, &ex->s.cs, a, &d)) < 0)
		goto out;
	t[2] = now_ms();
	/* Looking at every sandbox (its directory, pid file and /proc entry)
	 * costs a few syscalls per instance: measured at 300 instances, 17 ms
	 * of a 40 ms pass after AuthorizeSecurityGroupIngress.  A call that
	 * changes no instance's desired state skips it; the periodic full
	 * pass still looks, and so heals an init killed or a namespace
	 * replaced by hand. */
	uint64_t ih = instances_hash(&d);
	bool instances = full || !ex->inst_hash_ok || ih != ex->inst_hash;
	int r1 = instances ? stop_unwanted(ex, &d) : 0;
	t[3] = now_ms();
	r = reconcile_apply(&d, ex->memo, full, &stats);
	t[4] = now_ms();
	int r2 = instances ? start_wanted(ex, &d) : 0;
	if (instances) {
		ex->inst_hash = ih;
		ex->inst_hash_ok = !r1 && !r2 && !r;
	}
	int r3 = imds_update(ex->imds, &d);
	struct dp_flow_binding *fl;
	size_t n_fl = compile_flowlog_bindings(&snap, &ex->s.cs, a, &fl);
	int r4 = nflog_update(ex->nflog, fl, n_fl);
	r3 = r3 ? r3 : r4;
	if (!r)
		r = r1 ? r1 : r2 ? r2 : r3;
	t[5] = now_ms();
	log_debug("executor",
		  "op=pass full=%d load_ms=%.2f compile_ms=%.2f stop_ms=%.2f apply_ms=%.2f "
		  "rest_ms=%.2f",
		  full, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[5] - t[4]);
	if (stats.changes || stats.errors)
		log_info("executor", "op=reconcile changes=%u errors=%u", stats.changes,
			 stats.errors);
	if (r == 0) {
		/* The periodic pass forgets the rule changes this one has seen. */
		if (full && mark.sg_seq > ex->pruned_seq &&
		    store_change_prune(ex->st, &mark) == 0)
			ex->pruned_seq = mark.sg_seq;
		keep(ex, a, &snap, &mark);
		a = NULL;
	} else {
		ex->kept_ok = false;
	}
out:
	pthread_mutex_unlock(&ex->lock);
	arena_free(a);
	return r;
}

void executor_free(struct executor *ex)
{
	if (!ex)
		return;
	imds_free(ex->imds);
	nflog_free(ex->nflog);
	dp_memo_free(ex->memo);
	arena_free(ex->kept_arena);
	store_close(ex->st);
	pthread_mutex_destroy(&ex->lock);
	free(ex);
}
