// SPDX-License-Identifier: MIT
/* Per-instance resource limits (security checklist 18): a cgroup per
 * instance with pids.max and a memory limit, so a fork bomb or a memory hog
 * inside one instance stays inside it.  cgroup v2 (one dir,
 * /sys/fs/cgroup/<parent>/<name>) or v1 (one dir per controller,
 * /sys/fs/cgroup/{pids,memory}/<parent>/<name>).  The dirs made are recorded
 * in <dir>/cgroup, the instance's state dir, so that whoever stops it later
 * (the daemon after a restart, `localvpc reset`) finds them again.
 * Fails open: without a writable cgroup file system an instance runs
 * without limits, with one warning in the log. */
#ifndef RUNTIME_CGROUP_H
#define RUNTIME_CGROUP_H
#include <stdint.h>

/* Defaults when the caller names none: AWS lists no process limit (4096 is
 * a container runtime's usual pids limit, far above what an instance's
 * services use); 1 GiB is a t3.micro's memory (the instance type is not
 * passed to the runtime yet). */
#define CGROUP_PIDS_MAX_DEFAULT 4096
#define CGROUP_MEMORY_MAX_DEFAULT ((uint64_t)1 << 30)

/* Makes the cgroups parent/name, sets their limits (0: the default) and
 * records them in <dir>/cgroup.  0 when the limits are in place, -errno
 * otherwise (then nothing is recorded, or only what applies). */
int cgroup_create(const char *dir, const char *parent, const char *name, uint64_t memory_max,
		  unsigned pids_max);
/* Moves the calling process into the cgroups recorded in <dir>/cgroup.  For
 * a freshly forked child of the (threaded) daemon: only open, read and
 * write, no allocation.  0, or -errno of the first failure. */
int cgroup_enter(const char *dir);
/* Removes the cgroups recorded in <dir>/cgroup (and their parent once
 * empty), once the instance's processes are gone; waits briefly for the
 * kernel to let the last exiting task go.  0 or -errno (e.g. -EBUSY). */
int cgroup_remove(const char *dir);

#endif
