// SPDX-License-Identifier: MIT
/* Named network namespaces and the one way into them; see netns.h.
 * Compatible with `ip netns`: a namespace is an nsfs bind mount on
 * /run/netns/NAME.  Never leaves a thread in a foreign namespace. */
#include "dataplane/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/xalloc.h"

/* "/run/netns/" + name + NUL */
#define NS_PATH_SIZE (sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1)
/* "/proc/sys/" + a sysctl path; the longest in the kernel are ~80 bytes
 * (net/ipv4/conf/<15-byte ifname>/…), so this bounds input, not data. */
#define SYSCTL_PATH_MAX 256

static bool name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;
	if (!n || n >= NETNS_NAME_MAX || name[0] == '.')
		return false;
	return !strchr(name, '/');
}

static void ns_path(char path[NS_PATH_SIZE], const char *name)
{
	/* name_ok() bounds name, so this never truncates. */
	(void)snprintf(path, NS_PATH_SIZE, NETNS_RUN_DIR "/%s", name);
}

/* As iproute2's netns_add(): /run/netns becomes a shared mount point, so a
 * namespace bound there shows in every mount namespace, even ones made
 * after it (ours for instances), and an unmount here unmounts it there.
 * iproute2 takes an exclusive lock on the directory first: concurrent
 * creators otherwise stack bind mounts of /run/netns on itself until the
 * system locks up (https://bugs.debian.org/949235).  Parallel tests and the
 * daemon are exactly such concurrent creators. */
static int prepare_run_dir(void)
{
	bool made_mount = false;
	int lock, r = 0;

	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	lock = open(NETNS_RUN_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (lock < 0)
		return -errno;
	while (flock(lock, LOCK_EX) < 0)
		if (errno != EINTR) {
			r = -errno;
			goto out;
		}
	/* Making a directory that is not a mount point shared fails with
	 * EINVAL: then bind it onto itself once and try again. */
	while (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) {
		if (errno != EINVAL || made_mount) {
			r = -errno;
			goto out;
		}
		if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) {
			r = -errno;
			goto out;
		}
		made_mount = true;
	}
out:
	close(lock); /* releases the flock */
	return r;
}

/* The thread that gives a new namespace its name: it unshares its own
 * network namespace and binds it onto the file.  The thread then ends; the
 * bind mount keeps the namespace alive.  Returns 0 or an errno (positive,
 * through the thread's exit value). */
static void *creator(void *arg)
{
	const char *path = arg;
	char self[64];

	if (unshare(CLONE_NEWNET) < 0)
		return (void *)(intptr_t)errno;
	/* /proc/self would name the thread-group leader's namespace. */
	(void)snprintf(self, sizeof(self), "/proc/self/task/%d/ns/net", gettid());
	if (mount(self, path, "none", MS_BIND, NULL) < 0)
		return (void *)(intptr_t)errno;
	return (void *)0;
}

int netns_add(const char *name)
{
	char path[NS_PATH_SIZE];
	pthread_t t;
	void *res;
	int r, fd;

	if (!name_ok(name))
		return -EINVAL;
	if ((r = prepare_run_dir()) < 0)
		return r;
	ns_path(path, name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	/* A short-lived thread unshares, so no thread of the caller ever
	 * leaves its namespace and nothing is forked from a threaded daemon. */
	r = pthread_create(&t, NULL, creator, path);
	if (r == 0) {
		r = pthread_join(t, &res);
		if (r == 0)
			r = (int)(intptr_t)res;
	}
	if (r) {
		(void)unlink(path); /* the name must not outlive a failed add */
		return -r;
	}
	return 0;
}

int netns_del(const char *name)
{
	char path[NS_PATH_SIZE];

	if (!name_ok(name))
		return -EINVAL;
	ns_path(path, name);
	/* EINVAL: not a mount point (a name left by an interrupted add). */
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

bool netns_exists(const char *name)
{
	char path[NS_PATH_SIZE];
	struct stat a, b;

	if (!name_ok(name))
		return false;
	ns_path(path, name);
	/* A file left without its bind mount is not a namespace. */
	return stat(path, &a) == 0 && stat(NETNS_RUN_DIR, &b) == 0 && a.st_dev != b.st_dev;
}

int netns_open(const char *name)
{
	char path[NS_PATH_SIZE];

	if (!name_ok(name))
		return -EINVAL;
	ns_path(path, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int netns_list(const char *prefix, char ***ret, size_t *ret_n)
{
	size_t n = 0, cap = 0, plen = strlen(prefix);
	char **v = NULL;
	struct dirent *de;
	DIR *d;

	d = opendir(NETNS_RUN_DIR);
	if (!d) {
		if (errno != ENOENT)
			return -errno;
		*ret = NULL; /* no directory yet: no namespaces */
		*ret_n = 0;
		return 0;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, plen))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xrealloc_array(v, cap, sizeof(*v));
		}
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp);
	*ret = v;
	*ret_n = n;
	return 0;
}

void netns_list_free(char **v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

int netns_run(const char *name, int (*fn)(void *arg), void *arg)
{
	int self, fd, r;

	if (!name)
		return fn(arg);
	/* The calling thread's own namespace, not the process leader's. */
	self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	fd = netns_open(name);
	if (fd < 0) {
		close(self);
		return fd;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		r = -errno;
		close(fd);
		close(self);
		return r;
	}
	close(fd);
	r = fn(arg);
	if (setns(self, CLONE_NEWNET) < 0)
		abort(); /* a thread left in a foreign namespace would be a bug factory */
	close(self);
	return r;
}

struct sock_args {
	int domain, type, protocol;
};

static int make_socket(void *arg)
{
	const struct sock_args *a = arg;
	int fd = socket(a->domain, a->type | SOCK_CLOEXEC, a->protocol);
	return fd < 0 ? -errno : fd;
}

int netns_socket(const char *name, int domain, int type, int protocol)
{
	struct sock_args a = { domain, type, protocol };
	return netns_run(name, make_socket, &a);
}

struct sysctl_args {
	const char *path;
	const char *value;
	char *out;
	size_t size;
};

/* Opens /proc/sys/<path>.  Measured: which namespace /proc/sys/net shows
 * is decided when the file is opened, by the opener's namespace, so the
 * open (and only the open) must happen inside netns_run(). */
static int open_sysctl(const char *path, int flags)
{
	char full[SYSCTL_PATH_MAX];
	int n, fd;

	if (!path[0] || path[0] == '/' || strstr(path, ".."))
		return -EINVAL;
	n = snprintf(full, sizeof(full), "/proc/sys/%s", path);
	if (n < 0 || (size_t)n >= sizeof(full))
		return -ENAMETOOLONG;
	fd = open(full, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int do_set(void *arg)
{
	const struct sysctl_args *a = arg;
	size_t n = strlen(a->value);
	ssize_t w;
	int fd, r;

	fd = open_sysctl(a->path, O_WRONLY);
	if (fd < 0)
		return fd;
	w = write(fd, a->value, n);
	r = w < 0 ? -errno : (size_t)w != n ? -EIO : 0;
	close(fd);
	return r;
}

/* Reads a sysctl's value from fd (and closes it) into out[size]. */
static int read_value(int fd, char *out, size_t size)
{
	ssize_t n;
	int r = 0;
	/* Measured: a sysctl is formatted whole by the first read and a read
	 * at a non-zero offset returns EOF, so a value longer than the buffer
	 * is silently cut.  Ask for the whole buffer: a value that fills it
	 * without ending in its "\n" did not fit. */
	n = read(fd, out, size);
	if (n < 0)
		r = -errno;
	close(fd);
	if (r < 0)
		return r;
	if ((size_t)n == size) {
		if (out[n - 1] != '\n') {
			out[0] = '\0'; /* no partial value */
			return -ENOBUFS;
		}
		n--;
	}
	out[n] = '\0';
	/* Values end with "\n"; vectors are separated by tabs. */
	while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '\t'))
		out[--n] = '\0';
	return 0;
}

static int do_get(void *arg)
{
	const struct sysctl_args *a = arg;
	int fd = open_sysctl(a->path, O_RDONLY);
	return fd < 0 ? fd : read_value(fd, a->out, a->size);
}

struct many_args {
	const char *const *paths;
	size_t n, size;
	char *out;
	int *rc;
};

/* The directories opened during one visit (O_PATH), each from its
 * parent's: a lookup is then one name in one directory. */
struct dir_cache {
	struct dir_fd {
		char *dir;
		int fd;
	} *v;
	size_t n, cap, last;
};

static int dir_fd(struct dir_cache *c, const char *dir, size_t len)
{
	/* Paths come grouped by directory: the last one first. */
	for (size_t k = 0; k < c->n; k++) {
		size_t i = (c->last + k) % c->n;
		if (strlen(c->v[i].dir) == len && !memcmp(c->v[i].dir, dir, len)) {
			c->last = i;
			return c->v[i].fd;
		}
	}
	const char *slash = memrchr(dir, '/', len);
	int fd;
	if (slash) {
		int pfd = dir_fd(c, dir, (size_t)(slash - dir));
		if (pfd < 0)
			return pfd;
		char name[SYSCTL_PATH_MAX];
		snprintf(name, sizeof(name), "%.*s", (int)(len - (size_t)(slash - dir) - 1),
			 slash + 1);
		fd = openat(pfd, name, O_PATH | O_DIRECTORY | O_CLOEXEC);
		fd = fd < 0 ? -errno : fd;
	} else {
		char top[SYSCTL_PATH_MAX];
		snprintf(top, sizeof(top), "%.*s", (int)len, dir);
		fd = open_sysctl(top, O_PATH | O_DIRECTORY);
	}
	if (fd < 0)
		return fd;
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 16;
		c->v = xrealloc_array(c->v, c->cap, sizeof(*c->v));
	}
	c->v[c->n] = (struct dir_fd){ .dir = xstrndup(dir, len), .fd = fd };
	c->last = c->n++;
	return fd;
}

/* Inside the namespace.  Every name on the way (net, ipv4, conf, all,
 * eth0, …) exists once per namespace, and their dentries share hash
 * chains that every lookup walks: a path opened whole compares each of
 * its names with every namespace's. */
static int do_get_many(void *arg)
{
	const struct many_args *a = arg;
	struct dir_cache c = { 0 };
	for (size_t i = 0; i < a->n; i++) {
		const char *path = a->paths[i], *slash = strrchr(path, '/');
		char *out = a->out + i * a->size;
		out[0] = '\0';
		int fd;
		if (!path[0] || path[0] == '/' || strstr(path, "..") ||
		    strlen(path) >= SYSCTL_PATH_MAX || !slash || !slash[1]) {
			fd = open_sysctl(path, O_RDONLY); /* says why it cannot */
		} else {
			int dfd = dir_fd(&c, path, (size_t)(slash - path));
			fd = dfd < 0 ? dfd : openat(dfd, slash + 1, O_RDONLY | O_CLOEXEC);
			fd = fd == -1 ? -errno : fd;
		}
		a->rc[i] = fd < 0 ? fd : read_value(fd, out, a->size);
	}
	for (size_t k = 0; k < c.n; k++) {
		close(c.v[k].fd);
		free(c.v[k].dir);
	}
	free(c.v);
	return 0;
}

int netns_sysctl_get_many(const char *name, const char *const *paths, size_t n, char *out,
			  size_t size, int *rc)
{
	struct many_args a = { .paths = paths, .n = n, .size = size, .out = out, .rc = rc };
	if (!size)
		return -EINVAL;
	return netns_run(name, do_get_many, &a);
}

int netns_sysctl_set(const char *name, const char *path, const char *value)
{
	struct sysctl_args a = { .path = path, .value = value };
	return netns_run(name, do_set, &a);
}

int netns_sysctl_get(const char *name, const char *path, char *out, size_t size)
{
	struct sysctl_args a = { .path = path, .out = out, .size = size };
	if (!size)
		return -EINVAL;
	return netns_run(name, do_get, &a);
}
