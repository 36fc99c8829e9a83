// SPDX-License-Identifier: MIT
/* The process model of `serve` (checklist 23, OpenBSD's privsep): the
 * privileged parent keeps the executor and everything that touches the
 * kernel; its child, the API process, parses requests with no privilege at
 * all and reaches the parent only through priv/wire.h. */
#ifndef CLI_PRIVSEP_H
#define CLI_PRIVSEP_H
#include <stdbool.h>
#include <sys/types.h>

#define PRIVSEP_USER "nobody" /* the API process's uid and primary gid */

/* Looks the unprivileged user up (before fork: NSS may open files). */
int privsep_lookup(uid_t *uid, gid_t *gid);

/* In the child, first thing: die with the parent (SIGKILL), and make sure
 * the parent did not die before that was set.  Returns 0 or -ESRCH. */
int privsep_child_init(pid_t parent);

/* Drops every privilege for good: the capability bounding set, the
 * supplementary groups, gid and uid (real, effective, saved), then sets
 * no_new_privs, and checks root cannot be regained and no capability is
 * left.  Returns 0, or -errno: the caller must then exit (fail closed). */
int privsep_drop(uid_t uid, gid_t gid);

#endif
