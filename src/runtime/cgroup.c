// SPDX-License-Identifier: MIT
/* Per-instance cgroups; see cgroup.h.  Never decides an AWS rule. */
#include "runtime/cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

#define CGROUP_ROOT "/sys/fs/cgroup"
#define RECORD_MAX 2048 /* two short paths, one a line */

static bool name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;
	if (n == 0 || n > 64 || s[0] == '.')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' || *s == '.'))
			return false;
	return true;
}

/* No allocation, no stdio: also used between fork and exec. */
static int put(const char *dir, const char *file, const char *value)
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof(p), "%s/%s", dir, file) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	int fd = open(p, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t n = strlen(value);
	int r = write(fd, value, n) == (ssize_t)n ? 0 : -errno;
	close(fd);
	return r;
}

static int mkdir_ok(const char *p)
{
	return mkdir(p, 0755) < 0 && errno != EEXIST ? -errno : 0;
}

/* base/parent/name made, limit written into it; the dir in out. */
static int make_one(const char *base, const char *parent, const char *name, const char *file,
		    const char *limit, char out[PATH_MAX])
{
	char p[PATH_MAX];
	int r;
	snprintf(p, sizeof(p), "%s/%s", base, parent);
	if ((r = mkdir_ok(p)) < 0)
		return r;
	snprintf(out, PATH_MAX, "%s/%s/%s", base, parent, name);
	if ((r = mkdir_ok(out)) < 0)
		return r;
	if ((r = put(out, file, limit)) < 0) {
		(void)rmdir(out);
		return r;
	}
	return 0;
}

static int record(const char *dir, const char *text)
{
	char p[PATH_MAX];
	snprintf(p, sizeof(p), "%s/cgroup", dir);
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	size_t n = strlen(text);
	int r = write(fd, text, n) == (ssize_t)n ? 0 : -EIO;
	return close(fd) < 0 && !r ? -errno : r;
}

int cgroup_create(const char *dir, const char *parent, const char *name, uint64_t memory_max,
		  unsigned pids_max)
{
	static bool warned; /* once per process: every instance would say the same */
	char pids[24], mem[24], got[RECORD_MAX] = "", one[PATH_MAX] = "", p[PATH_MAX];
	int r = 0, n_ok = 0;

	/* A record of an earlier boot must not outlive a failure now. */
	snprintf(p, sizeof(p), "%s/cgroup", dir);
	(void)unlink(p);
	if (!name_ok(parent) || !name_ok(name))
		return -EINVAL;
	snprintf(pids, sizeof(pids), "%u", pids_max ? pids_max : CGROUP_PIDS_MAX_DEFAULT);
	snprintf(mem, sizeof(mem), "%" PRIu64, memory_max ? memory_max : CGROUP_MEMORY_MAX_DEFAULT);
	if (access(CGROUP_ROOT "/cgroup.controllers", F_OK) == 0) {
		/* v2: the controllers must be enabled for the children of
		 * the root and of our parent (an error if already on is
		 * not one: the write of a controller already enabled is a
		 * no-op). */
		(void)put(CGROUP_ROOT, "cgroup.subtree_control", "+pids");
		(void)put(CGROUP_ROOT, "cgroup.subtree_control", "+memory");
		snprintf(p, sizeof(p), CGROUP_ROOT "/%s", parent);
		if ((r = mkdir_ok(p)) == 0) {
			(void)put(p, "cgroup.subtree_control", "+pids");
			(void)put(p, "cgroup.subtree_control", "+memory");
			if ((r = make_one(CGROUP_ROOT, parent, name, "pids.max", pids, one)) == 0 &&
			    (r = put(one, "memory.max", mem)) == 0) {
				(void)put(one, "memory.swap.max", "0"); /* absent without swap */
				snprintf(got, sizeof(got), "%s\n", one);
				n_ok = 2;
			} else if (one[0]) {
				(void)rmdir(one);
			}
		}
	} else {
		/* v1: a hierarchy per controller. */
		static const char *const ctl[][2] = {
			{ "pids", "pids.max" },
			{ "memory", "memory.limit_in_bytes" },
		};
		for (size_t i = 0; i < 2; i++) {
			char base[64];
			int e;
			snprintf(base, sizeof(base), CGROUP_ROOT "/%s", ctl[i][0]);
			if ((e = make_one(base, parent, name, ctl[i][1], i ? mem : pids, one)) < 0) {
				r = r ? r : e;
				continue;
			}
			if (i) /* no swap beyond the limit either (absent without swap accounting) */
				(void)put(one, "memory.memsw.limit_in_bytes", mem);
			size_t len = strlen(got);
			snprintf(got + len, sizeof(got) - len, "%s\n", one);
			n_ok++;
		}
	}
	if (n_ok && (r = record(dir, got)) == 0 && n_ok == 2)
		return 0;
	if (!r)
		r = -ENOENT;
	if (!warned) {
		warned = true;
		log_warn("sandbox", r,
			 "op=cgroup instance=%s limits=%s: instances run without pids/memory limits",
			 name, n_ok ? "partial" : "none");
	}
	return r;
}

/* Reads <dir>/cgroup into buf (NUL-terminated); its length or -errno. */
static int read_record(const char *dir, char buf[RECORD_MAX])
{
	char p[PATH_MAX];
	if (snprintf(p, sizeof(p), "%s/cgroup", dir) >= (int)sizeof(p))
		return -ENAMETOOLONG;
	int fd = open(p, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, buf, RECORD_MAX - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	return (int)n;
}

/* Only dirs this file makes: below the cgroup root, in a localvpc-* parent,
 * no way back up. */
static bool recorded_ok(const char *p)
{
	return strncmp(p, CGROUP_ROOT "/", sizeof(CGROUP_ROOT)) == 0 && strstr(p, "/localvpc") &&
	       !strstr(p, "/.") && strlen(p) < PATH_MAX - 32;
}

int cgroup_enter(const char *dir)
{
	char buf[RECORD_MAX];
	int n = read_record(dir, buf);
	if (n < 0)
		return n == -ENOENT ? 0 : n; /* started without limits */
	int rc = 0;
	for (char *line = buf, *nl; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			break;
		*nl = '\0';
		/* "0": the writing process itself, in v1 and v2 alike. */
		int r = recorded_ok(line) ? put(line, "cgroup.procs", "0") : -EINVAL;
		if (r < 0 && !rc)
			rc = r;
	}
	return rc;
}

int cgroup_remove(const char *dir)
{
	char buf[RECORD_MAX], p[PATH_MAX];
	int n = read_record(dir, buf);
	if (n < 0)
		return n == -ENOENT ? 0 : n;
	int rc = 0;
	for (char *line = buf, *nl; *line; line = nl + 1) {
		if (!(nl = strchr(line, '\n')))
			break;
		*nl = '\0';
		if (!recorded_ok(line))
			continue;
		/* A task leaves its cgroup at exit, a moment after its
		 * namespace's init is seen gone: retry EBUSY for up to 2 s. */
		int r = 0;
		for (int i = 0; i < 200; i++) {
			r = rmdir(line) < 0 && errno != ENOENT ? -errno : 0;
			if (r != -EBUSY)
				break;
			struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
			nanosleep(&ts, NULL);
		}
		if (r < 0) {
			log_warn("sandbox", r, "op=cgroup-remove path=%s", line);
			if (!rc)
				rc = r;
			continue;
		}
		/* The localvpc-<prefix> parent goes with its last instance. */
		snprintf(p, sizeof(p), "%s", line);
		char *slash = strrchr(p, '/');
		if (slash) {
			*slash = '\0';
			(void)rmdir(p); /* ENOTEMPTY/EBUSY while others remain */
		}
	}
	if (!rc) {
		snprintf(p, sizeof(p), "%s/cgroup", dir);
		(void)unlink(p);
	}
	return rc;
}
