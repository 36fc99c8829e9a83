// SPDX-License-Identifier: MIT
/* The process model of `serve` (checklist 23, OpenBSD's privsep): the
 * privileged parent keeps the executor and everything that touches the
 * kernel; its child, the API process, parses requests with no privilege at
 * all and reaches the parent only through priv/wire.h.  These are the
 * steps that take the child's privileges away. */
#ifndef PRIV_DROP_H
#define PRIV_DROP_H
#include <stdbool.h>
#include <sys/types.h>

#define PRIV_DROP_USER "nobody" /* the API process's uid and primary gid */

/* Looks the unprivileged user up (before fork: NSS may open files). */
int priv_drop_lookup(uid_t *uid, gid_t *gid);

/* In the child, first thing: die with the parent (SIGKILL), and make sure
 * the parent did not die before that was set.  Returns 0 or -ESRCH. */
int priv_drop_child_init(pid_t parent);

/* Drops every privilege for good: the capability bounding set, the
 * supplementary groups, gid and uid (real, effective, saved), then sets
 * no_new_privs, and checks root cannot be regained and no capability is
 * left.  Returns 0, or -errno: the caller must then exit (fail closed). */
int priv_drop_to(uid_t uid, gid_t gid);

/* Sets no_new_privs and a seccomp filter for the API process (after
 * priv_drop_to: the filter refuses uid changes).  EPERM for what a request
 * parser never does and an attacker would try: exec, ptrace, mounts,
 * namespaces (unshare, setns, clone with namespace flags), modules, kexec,
 * bpf, keyrings, uid changes, netlink and packet sockets.  clone3 answers
 * ENOSYS (its flags are out of a filter's sight), so glibc makes threads
 * with clone.  Covers the calling thread and the threads it starts later.
 * Returns 0 or -errno. */
int priv_drop_syscalls(void);

#endif
