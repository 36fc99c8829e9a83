// SPDX-License-Identifier: MIT
/* The seccomp deny-list of instance sandboxes (security checklist 18).
 * The capability bounding set already stops what needs a capability
 * (mount, modules, the clock); this list closes the kernel interfaces root
 * inside an instance could still reach without one, after the example of
 * container runtimes' default profiles: user namespaces (which would hand
 * the instance a full capability set over a namespace of its own, and
 * with it the kernel code behind it), keyrings, BPF, perf, userfaultfd,
 * io_uring, open_by_handle_at, and the mount and namespace calls again. */
#ifndef LOCALVPC_RUNTIME_SANDBOX_SECCOMP_H
#define LOCALVPC_RUNTIME_SANDBOX_SECCOMP_H

/* Installs the filter on the calling thread; inherited by every child and
 * kept across execve.  Call while still privileged (CAP_SYS_ADMIN), so no
 * no_new_privs is needed: sudo and su inside the instance keep working.
 * Returns 0 or a negative errno; 0 without a filter on an architecture
 * this file does not know (with a warning). */
int sandbox_seccomp_install(void);

#endif
