// SPDX-License-Identifier: MIT
/* Instance sandboxes: an instance is a PID 1 (build/localvpc-init) in its own
 * mount, UTS, IPC and PID namespaces, joined to a network namespace prepared
 * by the data plane, over an overlay root whose lower layer is the image.
 * The sandbox outlives the daemon (double fork: the instance's init is not
 * our child), so a daemon restart keeps instances and their connections;
 * the daemon finds an instance again from its pid file and start time.
 * Never decides an AWS rule: it starts, stops and enters what it is told. */
#ifndef RUNTIME_SANDBOX_H
#define RUNTIME_SANDBOX_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct sandbox_spec {
	const char *instance_id;  /* i-… */
	const char *netns;        /* name under /run/netns; eth0 already configured */
	const char *image_root;   /* the image's root file system (overlay lower dir) */
	const char *dir;          /* the instance's state dir: upper/, work/, root/,
				     console.log, init.pid live here (created as needed) */
	const char *hostname;     /* "ip-10-0-0-5" */
	const char *init_path;    /* the static build/localvpc-init binary on the host */
	const char *boot_path;    /* the boot script on the host (runtime/boot.sh) */
	/* Copied into /etc/localvpc/ of the instance at each start: */
	const char *authorized_key; /* OpenSSH public key line for ec2-user, or NULL */
	const void *user_data;      /* raw (decoded) user data, or NULL */
	size_t user_data_size;
	/* Resource limits (runtime/cgroup.h): the cgroup is
	 * <cgroup_parent>/<instance_id>; NULL: "localvpc".  0: the default. */
	const char *cgroup_parent;  /* "localvpc-lv3f2a" */
	uint64_t memory_max;        /* bytes */
	unsigned pids_max;
};

/* Starts the instance.  Returns 0 and the host PID of its init in *ret_pid;
 * the pid and the process start time are written to <dir>/init.pid.  A
 * failure before init runs (a mount, the image, the netns) is returned as
 * that step's -errno; nothing is left running then. */
int sandbox_start(const struct sandbox_spec *s, pid_t *ret_pid);
/* The running init of the instance whose state dir is dir: 0 and *ret_pid
 * when <dir>/init.pid names a live process with the recorded start time,
 * -ESRCH otherwise. */
int sandbox_find(const char *dir, pid_t *ret_pid);
/* Stops the instance: SIGTERM to its init, SIGKILL after timeout_ms; the
 * kernel then ends every process of its PID namespace.  Waits until gone.
 * -ESRCH when it is not running, -EBUSY when even SIGKILL did not end it. */
int sandbox_stop(const char *dir, int timeout_ms);
/* Runs argv as root inside the running instance (all its namespaces, its
 * root), with the caller's stdin/stdout/stderr; returns 0 and the exit status
 * (as from waitpid) in *ret_status. */
int sandbox_exec(const char *dir, char *const argv[], int *ret_status);
/* Removes the instance's state dir (upper layer, logs): terminate.
 * -EBUSY while the instance runs (stop it first). */
int sandbox_remove(const char *dir);
/* The instance dirs under base (their names: instance IDs); free each name
 * and the array with free().  A missing base is an empty list. */
int sandbox_list(const char *base, char ***ret, size_t *ret_n);

/* For a process entering a running instance (before it exec's): narrows
 * its capabilities to what the instance's own root has, as sandbox_exec()
 * does.  Needs CAP_SETPCAP; 0 or -errno. */
int sandbox_drop_caps(void);

#endif
