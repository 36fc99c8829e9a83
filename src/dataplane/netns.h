// SPDX-License-Identifier: MIT
/* Named network namespaces, compatible with `ip netns` (a bind mount of the
 * namespace under /run/netns/NAME), and the one place where code enters a
 * namespace (STYLE §6): netns_run() switches the calling thread in, runs one
 * operation and always switches back; no thread is left in a foreign netns. */
#ifndef DATAPLANE_NETNS_H
#define DATAPLANE_NETNS_H
#include <stdbool.h>
#include <stddef.h>

#define NETNS_RUN_DIR "/run/netns"
#define NETNS_NAME_MAX 64

/* Creates the named namespace.  Returns 0, -EEXIST if it exists, or -errno. */
int netns_add(const char *name);
/* Removes the name (unmount + unlink); the namespace itself dies with its
 * last user.  Returns 0, -ENOENT, or -errno. */
int netns_del(const char *name);
bool netns_exists(const char *name);
/* Opens the namespace: returns an O_CLOEXEC fd or -errno. */
int netns_open(const char *name);
/* Names under /run/netns starting with prefix, sorted; free with netns_list_free(). */
int netns_list(const char *prefix, char ***ret, size_t *ret_n);
void netns_list_free(char **v, size_t n);
/* Runs fn(arg) with the calling thread inside `name` (NULL: where it is) and
 * returns fn's result, or -errno when the switch fails.  The thread is
 * always returned to its original namespace; failing that aborts. */
int netns_run(const char *name, int (*fn)(void *arg), void *arg);
/* socket(2) created inside the namespace; the socket stays bound to it. */
int netns_socket(const char *name, int domain, int type, int protocol);
/* Writes value to /proc/sys/<path> as seen inside the namespace
 * (e.g. "net/ipv4/ip_forward").  Returns 0 or -errno. */
int netns_sysctl_set(const char *name, const char *path, const char *value);
int netns_sysctl_get(const char *name, const char *path, char *out, size_t size);
/* netns_sysctl_get of n paths in one visit to the namespace: out[i] gets
 * the value of paths[i] (at most size bytes each) and rc[i] 0 or -errno.
 * Each directory is looked up once, from its parent: the names on the
 * way (net, ipv4, conf, all, eth0, …) exist once per namespace and share
 * dcache chains, so with 1,000 namespaces each lookup of them walks
 * 1,000 entries (proc_sys_compare: 45 % of a periodic pass, perf).  Returns 0, or
 * -errno when the namespace cannot be entered. */
int netns_sysctl_get_many(const char *name, const char *const *paths, size_t n, char *out,
			  size_t size, int *rc);

#endif
