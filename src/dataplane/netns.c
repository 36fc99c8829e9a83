// SPDX-License-Identifier: MIT
/* Named network namespaces and the one way into them; see netns.h. */
#include "dataplane/netns.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xalloc.h"

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	if (!n || n >= NETNS_NAME_MAX || name[0] == '.')
		return false;
	for (const char *p = name; *p; p++)
		if (*p == '/')
			return false;
	return true;
}

/* As iproute2's netns_add(): /run/netns is a shared mount point so that a
 * namespace bound there shows in every mount namespace, even ones made
 * after it (ours for instances). */
static int prepare_run_dir(void)
{
	if (mkdir(NETNS_RUN_DIR, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0)
		return 0;
	if (errno != EINVAL)
		return -errno;
	if (mount(NETNS_RUN_DIR, NETNS_RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0)
		return -errno;
	if (mount("", NETNS_RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0)
		return -errno;
	return 0;
}

int netns_add(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1];
	int r, fd;

	if (!name_ok(name))
		return -EINVAL;
	if ((r = prepare_run_dir()) < 0)
		return r;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	fd = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	close(fd);
	/* A child unshares and the parent binds its namespace: the daemon's
	 * own threads never leave the host's namespace. */
	pid_t pid = fork();
	if (pid < 0) {
		r = -errno;
		unlink(path);
		return r;
	}
	if (pid == 0) {
		char self[64];
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		snprintf(self, sizeof(self), "/proc/self/ns/net");
		_exit(mount(self, path, "none", MS_BIND, NULL) < 0 ? 2 : 0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			unlink(path);
			return -errno;
		}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		unlink(path);
		return -EPERM;
	}
	return 0;
}

int netns_del(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1];
	if (!name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	if (umount2(path, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	if (unlink(path) < 0)
		return -errno;
	return 0;
}

bool netns_exists(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1];
	struct stat a, b;
	if (!name_ok(name))
		return false;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	/* A file left without its bind mount is not a namespace. */
	return stat(path, &a) == 0 && stat(NETNS_RUN_DIR, &b) == 0 && a.st_dev != b.st_dev;
}

int netns_open(const char *name)
{
	char path[sizeof(NETNS_RUN_DIR) + NETNS_NAME_MAX + 1];
	if (!name_ok(name))
		return -EINVAL;
	snprintf(path, sizeof(path), NETNS_RUN_DIR "/%s", name);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int netns_list(const char *prefix, char ***ret, size_t *ret_n)
{
	DIR *d = opendir(NETNS_RUN_DIR);
	char **v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	if (!d) {
		*ret = NULL;
		*ret_n = 0;
		return errno == ENOENT ? 0 : -errno;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || strncmp(de->d_name, prefix, strlen(prefix)))
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
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int netns_run(const char *name, int (*fn)(void *arg), void *arg)
{
	if (!name)
		return fn(arg);
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		return -errno;
	int fd = netns_open(name);
	if (fd < 0) {
		close(self);
		return fd;
	}
	if (setns(fd, CLONE_NEWNET) < 0) {
		int r = -errno;
		close(fd);
		close(self);
		return r;
	}
	close(fd);
	int r = fn(arg);
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

static int open_sysctl(const char *path, int flags)
{
	char full[256];
	if (strstr(path, ".."))
		return -EINVAL;
	snprintf(full, sizeof(full), "/proc/sys/%s", path);
	int fd = open(full, flags | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

static int do_set(void *arg)
{
	const struct sysctl_args *a = arg;
	int fd = open_sysctl(a->path, O_WRONLY);
	if (fd < 0)
		return fd;
	size_t n = strlen(a->value);
	ssize_t w = write(fd, a->value, n);
	int r = w == (ssize_t)n ? 0 : -errno;
	close(fd);
	return r;
}

static int do_get(void *arg)
{
	const struct sysctl_args *a = arg;
	int fd = open_sysctl(a->path, O_RDONLY);
	if (fd < 0)
		return fd;
	ssize_t n = read(fd, a->out, a->size - 1);
	int r = n < 0 ? -errno : 0;
	close(fd);
	if (n < 0)
		return r;
	a->out[n] = '\0';
	while (n > 0 && (a->out[n - 1] == '\n' || a->out[n - 1] == ' '))
		a->out[--n] = '\0';
	return 0;
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
