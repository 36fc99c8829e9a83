// SPDX-License-Identifier: MIT
/* The instance sandboxes' seccomp deny-list; see sandbox_seccomp.h. */
#include "runtime/sandbox_seccomp.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#if defined(__x86_64__)
#define SECCOMP_ARCH AUDIT_ARCH_X86_64
#elif defined(__aarch64__)
#define SECCOMP_ARCH AUDIT_ARCH_AARCH64
#endif

#ifdef SECCOMP_ARCH
/* EPERM, as a container runtime answers: programs treat it as "not
 * allowed here" and carry on.  ptrace stays allowed (strace and gdb over
 * the instance's own processes; the PID namespace bounds it). */
static const int denied[] = {
	__NR_unshare,	      __NR_setns,	  __NR_mount,		 __NR_umount2,
	__NR_pivot_root,      __NR_open_tree,	  __NR_move_mount,	 __NR_fsopen,
	__NR_fsconfig,	      __NR_fsmount,	  __NR_fspick,		 __NR_mount_setattr,
	__NR_open_by_handle_at, __NR_init_module, __NR_finit_module,	 __NR_delete_module,
	__NR_kexec_load,      __NR_kexec_file_load, __NR_reboot,	 __NR_swapon,
	__NR_swapoff,	      __NR_bpf,		  __NR_perf_event_open,	 __NR_userfaultfd,
	__NR_keyctl,	      __NR_add_key,	  __NR_request_key,	 __NR_io_uring_setup,
	__NR_io_uring_enter,  __NR_io_uring_register, __NR_acct,	 __NR_quotactl,
	__NR_syslog,	      __NR_settimeofday,  __NR_clock_settime,	 __NR_clock_adjtime,
	__NR_lookup_dcookie,  __NR_vhangup,
#ifdef __x86_64__
	__NR_iopl,	      __NR_ioperm,
#endif
};

#define NS_FLAGS                                                                        \
	(CLONE_NEWNS | CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWPID | CLONE_NEWIPC |      \
	 CLONE_NEWUTS | CLONE_NEWCGROUP)
#define STMT(code, k) ((struct sock_filter)BPF_STMT((code), (k)))
#define JEQ(k, t, f) ((struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, (k), (t), (f)))
#define RET(v) STMT(BPF_RET | BPF_K, (v))
#define ERRNO(e) (SECCOMP_RET_ERRNO | ((e) & SECCOMP_RET_DATA))
#define LOAD(field) STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
/* The low 32 bits of the first argument on a little-endian machine: the
 * clone flags. */
#define LOAD_ARG0 STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args))
#endif

int sandbox_seccomp_install(void)
{
#ifdef SECCOMP_ARCH
	struct sock_filter f[2 * (sizeof(denied) / sizeof(denied[0])) + 16];
	unsigned n = 0;
	f[n++] = LOAD(arch);
	f[n++] = JEQ(SECCOMP_ARCH, 1, 0);
	/* Another ABI (i386 on x86-64) numbers syscalls differently and would
	 * pass the list unseen. */
	f[n++] = RET(SECCOMP_RET_KILL_PROCESS);
	f[n++] = LOAD(nr);
#ifdef __x86_64__
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, 0x40000000u, 0, 1);
	f[n++] = RET(ERRNO(EPERM)); /* x32 numbers */
#endif
	for (size_t i = 0; i < sizeof(denied) / sizeof(denied[0]); i++) {
		f[n++] = JEQ((unsigned)denied[i], 0, 1);
		f[n++] = RET(ERRNO(EPERM));
	}
	/* clone3 passes its flags in memory a filter cannot read: ENOSYS
	 * makes glibc fall back to clone, whose flags it can. */
	f[n++] = JEQ(__NR_clone3, 0, 1);
	f[n++] = RET(ERRNO(ENOSYS));
	f[n++] = JEQ(__NR_clone, 0, 3);
	f[n++] = LOAD_ARG0;
	f[n++] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JSET | BPF_K, NS_FLAGS, 0, 1);
	f[n++] = RET(ERRNO(EPERM));
	f[n++] = RET(SECCOMP_RET_ALLOW);
	struct sock_fprog prog = { .len = (unsigned short)n, .filter = f };
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog, 0, 0) < 0)
		return -errno;
	return 0;
#else
	fprintf(stderr, "localvpc: no seccomp filter for instances on this architecture\n");
	return 0;
#endif
}
