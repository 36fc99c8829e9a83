// SPDX-License-Identifier: MIT
/* Instance sandboxes; see sandbox.h.  start: a double fork (the instance's
 * init is not the daemon's child, so it survives the daemon), new mount,
 * UTS, IPC and PID namespaces joined to the instance's network namespace,
 * an overlay root over the image (nodev), a minimal /dev, read-only /sys
 * and /proc/sys (but /proc/sys/net), a capability bounding set no wider than
 * a container runtime's default plus NET_ADMIN (over its own network
 * namespace only: the NAT instance's iptables), a seccomp deny-list
 * (sandbox_seccomp.h), and pivot_root into it.
 * Never decides an AWS rule. */
#include "runtime/sandbox.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

#include "dataplane/netns.h"
#include "runtime/cgroup.h"
#include "runtime/sandbox_seccomp.h"

#define P(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* Paths built from dir stay below PATH_MAX with room for the longest
 * suffix used here ("/upper/usr/local/sbin/localvpc-init"). */
#define DIR_LEN_MAX (PATH_MAX / 4)

#define INSTANCE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* The OCI runtime spec's default capability set, plus CAP_NET_ADMIN. */
static const int kept_caps[] = {
	CAP_CHOWN,	      CAP_DAC_OVERRIDE, CAP_FSETID,	   CAP_FOWNER,	CAP_MKNOD,
	CAP_NET_RAW,	      CAP_SETGID,	CAP_SETUID,	   CAP_SETFCAP, CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,	CAP_KILL,	   CAP_AUDIT_WRITE,
	CAP_NET_ADMIN,
};

/* What a container runtime hides in /proc and /sys (runc's defaults):
 * kernel-wide knobs made read-only, kernel-wide information masked.  A
 * kernel.core_pattern or sysrq-trigger write needs no capability, only
 * uid 0, so read-only mounts are what stops them. */
static const char *const readonly_paths[] = {
	"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger",
};
static const char *const masked_paths[] = {
	"/proc/acpi",	     "/proc/asound",	    "/proc/kcore",	   "/proc/keys",
	"/proc/latency_stats", "/proc/timer_list",  "/proc/timer_stats", "/proc/sched_debug",
	"/proc/scsi",	     "/sys/firmware",	    "/sys/devices/virtual/powercap",
};

static int write_file(const char *path, const void *data, size_t size, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, mode);
	if (fd < 0)
		return -errno;
	const char *p = data;
	while (size) {
		ssize_t w = write(fd, p, size);
		if (w < 0) {
			int r = -errno;
			close(fd);
			return r;
		}
		p += w;
		size -= (size_t)w;
	}
	if (fchmod(fd, mode) < 0) {
		int r = -errno;
		close(fd);
		return r;
	}
	return close(fd) < 0 ? -errno : 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	int in = open(from, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	struct stat sb;
	if (fstat(in, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > 64 * 1024 * 1024) {
		close(in);
		return -EFBIG;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(in);
		return -ENOMEM;
	}
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t n = read(in, buf + got, (size_t)sb.st_size - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(in);
	int r = got == (size_t)sb.st_size ? write_file(to, buf, got, mode) : -EIO;
	free(buf);
	return r;
}

/* mkdir -p where every directory it creates gets exactly mode, whatever
 * the umask: directories in an overlay's upper layer shadow the image's, so
 * an upper /usr of 0700 would lock every user but root out of /usr. */
static int mkdirs(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	P(tmp, "%s", path);
	for (char *p = tmp + 1;; p++) {
		if (*p && *p != '/')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(tmp, mode) == 0) {
			if (chmod(tmp, mode) < 0)
				return -errno;
		} else if (errno != EEXIST) {
			return -errno;
		}
		if (!c)
			return 0;
		*p = '/';
	}
}

/* The files an instance reads at boot, written into the overlay's upper
 * layer before it is mounted. */
static int seed_upper(const struct sandbox_spec *s)
{
	char p[PATH_MAX];
	int r;
	P(p, "%s/upper/etc/localvpc", s->dir);
	if ((r = mkdirs(p, 0755)) < 0)
		return r;
	P(p, "%s/upper/usr/local/sbin", s->dir);
	if ((r = mkdirs(p, 0755)) < 0)
		return r;
	P(p, "%s/upper/usr/local/sbin/localvpc-init", s->dir);
	if ((r = copy_file(s->init_path, p, 0755)) < 0)
		return r;
	P(p, "%s/upper/etc/localvpc/boot", s->dir);
	if ((r = copy_file(s->boot_path, p, 0755)) < 0)
		return r;
	P(p, "%s/upper/etc/localvpc/hostname", s->dir);
	if ((r = write_file(p, s->hostname, strlen(s->hostname), 0644)) < 0)
		return r;
	P(p, "%s/upper/etc/localvpc/authorized_key", s->dir);
	const char *key = s->authorized_key ? s->authorized_key : "";
	if ((r = write_file(p, key, strlen(key), 0600)) < 0)
		return r;
	P(p, "%s/upper/etc/localvpc/user-data", s->dir);
	return write_file(p, s->user_data ? s->user_data : "", s->user_data ? s->user_data_size : 0,
			  0600);
}

/* Reads /proc/PID/stat: the start time (field 22) and whether the process
 * is a zombie (field 3).  Returns 0 or -ESRCH. */
static int proc_stat(pid_t pid, long long *ret_start, bool *ret_is_zombie)
{
	char path[64], buf[1024];
	P(path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -ESRCH;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -ESRCH;
	buf[n] = '\0';
	/* Fields are counted after the command name's closing parenthesis:
	 * the name itself may hold spaces and parentheses. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -ESRCH;
	bool is_zombie = p[2] == 'Z' || p[2] == 'X';
	int field = 2;
	for (p++; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	char *end;
	long long start = strtoll(p, &end, 10);
	if (field != 22 || end == p)
		return -ESRCH;
	*ret_start = start;
	*ret_is_zombie = is_zombie;
	return 0;
}

/* The start time of a live (not zombie) process, or -1. */
static long long live_start_time(pid_t pid)
{
	long long start;
	bool is_zombie;
	return proc_stat(pid, &start, &is_zombie) == 0 && !is_zombie ? start : -1;
}

/* Shrinks the bounding set to kept_caps, sets permitted and effective to
 * the same, clears inheritable and ambient: what execve() then grants root
 * is kept_caps and nothing else.  Returns 0 or an errno. */
static int drop_caps(void)
{
	/* The deny-list first, while CAP_SYS_ADMIN allows a filter without
	 * no_new_privs (which would break sudo inside the instance). */
	int r = sandbox_seccomp_install();
	if (r < 0)
		return -r;
	unsigned long long keep = 0;
	for (size_t i = 0; i < COUNT(kept_caps); i++)
		keep |= 1ULL << kept_caps[i];
	/* Up to 63, not CAP_LAST_CAP: a newer kernel may know capabilities
	 * this header does not (EINVAL marks the end). */
	for (int cap = 0; cap < 64; cap++) {
		if (keep & (1ULL << cap))
			continue;
		if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0) {
			if (errno == EINVAL)
				break;
			return errno;
		}
	}
	if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
		return errno;
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2] = {
		{ .effective = (unsigned)keep, .permitted = (unsigned)keep },
		{ .effective = (unsigned)(keep >> 32), .permitted = (unsigned)(keep >> 32) },
	};
	return syscall(SYS_capset, &hdr, data) < 0 ? errno : 0;
}

/* A clean process for the instance: default signal dispositions, nothing
 * blocked, no descriptor of the daemon's past exec (all but 0-2 close on
 * exec), umask 022. */
static void reset_process(void)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL); /* EINVAL for KILL, STOP: fine */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	/* Whatever the daemon opened without O_CLOEXEC must not reach the
	 * instance.  Linux 5.11+; ignored before (our own fds are O_CLOEXEC). */
	(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	umask(022);
}

static int mount_readonly(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : errno;
	if (mount(NULL, path, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return errno;
	return 0;
}

static int mount_masked(const char *path)
{
	struct stat sb;
	if (stat(path, &sb) < 0)
		return errno == ENOENT ? 0 : errno;
	int r = S_ISDIR(sb.st_mode) ?
			mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
			      "mode=555") :
			mount("/dev/null", path, NULL, MS_BIND, NULL);
	return r < 0 ? errno : 0;
}

/* /proc, /sys and a minimal /dev under root (the mounted overlay). */
static int mount_kernel_fs(const char *root)
{
	char p[PATH_MAX + 32];
	P(p, "%s/proc", root);
	(void)mkdir(p, 0555);
	if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return errno;
	P(p, "%s/sys", root);
	(void)mkdir(p, 0555);
	if (mount("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return errno;
	/* /dev is nodev: a node made in it (CAP_MKNOD is kept, as in OCI)
	 * cannot be opened.  The bind-mounted host nodes keep their own
	 * mount's flags, so they work. */
	P(p, "%s/dev", root);
	(void)mkdir(p, 0755);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755,size=1024k") < 0)
		return errno;
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	for (size_t i = 0; i < COUNT(nodes); i++) {
		char host[64];
		P(host, "/dev/%s", nodes[i]);
		P(p, "%s/dev/%s", root, nodes[i]);
		int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd < 0)
			return errno;
		close(fd);
		if (mount(host, p, NULL, MS_BIND, NULL) < 0)
			return errno;
	}
	static const char *const links[][2] = {
		{ "ptmx", "pts/ptmx" },		    { "fd", "/proc/self/fd" },
		{ "stdin", "/proc/self/fd/0" },	    { "stdout", "/proc/self/fd/1" },
		{ "stderr", "/proc/self/fd/2" },
	};
	for (size_t i = 0; i < COUNT(links); i++) {
		P(p, "%s/dev/%s", root, links[i][0]);
		if (symlink(links[i][1], p) < 0)
			return errno;
	}
	P(p, "%s/dev/pts", root);
	if (mkdir(p, 0755) < 0)
		return errno;
	/* gid 5 is Debian's tty group, which sshd gives the ptys it opens. */
	if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC,
		  "newinstance,ptmxmode=0666,mode=620,gid=5") < 0)
		return errno;
	P(p, "%s/dev/shm", root);
	if (mkdir(p, 01777) < 0 ||
	    mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k") < 0)
		return errno;
	P(p, "%s/run", root);
	(void)mkdir(p, 0755);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=65536k") < 0)
		return errno;
	return 0;
}

/* What the grandchild does, as PID 1 of the new PID namespace.  Returns
 * only on failure, with the step's errno. */
static int become_instance(const struct sandbox_spec *s, const char *root, const char *opts,
			   int console)
{
	char p[PATH_MAX + 32];
	int err;
	reset_process();
	(void)setsid();
	if (mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return errno;
	if (sethostname(s->hostname, strlen(s->hostname)) < 0)
		return errno;
	if (mount("overlay", root, "overlay", MS_NODEV, opts) < 0)
		return errno;
	if ((err = mount_kernel_fs(root)))
		return err;
	P(p, "%s/.oldroot", root);
	(void)mkdir(p, 0700);
	if (syscall(SYS_pivot_root, root, p) < 0)
		return errno;
	if (chdir("/") < 0)
		return errno;
	if (umount2("/.oldroot", MNT_DETACH) < 0)
		return errno;
	(void)rmdir("/.oldroot"); /* a leftover empty dir is harmless */
	for (size_t i = 0; i < COUNT(readonly_paths); i++)
		if ((err = mount_readonly(readonly_paths[i])))
			return err;
	/* Per-network-namespace sysctls stay writable: the boot script turns
	 * redirects off, a NAT instance turns ip_forward on. */
	if (mount("/proc/sys/net", "/proc/sys/net", NULL, MS_BIND | MS_REC, NULL) < 0 ||
	    mount(NULL, "/proc/sys/net", NULL, MS_BIND | MS_REMOUNT | MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL) < 0)
		return errno;
	for (size_t i = 0; i < COUNT(masked_paths); i++)
		if ((err = mount_masked(masked_paths[i])))
			return err;
	/* Measured: pam_loginuid (session required in Debian's sshd PAM
	 * stack) fails without CAP_AUDIT_CONTROL when the login uid is
	 * already set, as it is for a daemon started from an ssh login.
	 * Unset it, as at boot; a kernel without audit has no such file. */
	int fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		(void)!write(fd, "4294967295", 10);
		close(fd);
	}
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(console, 1) < 0 || dup2(console, 2) < 0)
		return errno;
	if (devnull > 2)
		close(devnull);
	if ((err = drop_caps()))
		return err;
	char *const argv[] = { (char *)"localvpc-init", NULL };
	char *const envp[] = { (char *)"PATH=" INSTANCE_PATH, (char *)"HOME=/root", (char *)"TERM=linux",
			       (char *)"container=localvpc", NULL };
	execve("/usr/local/sbin/localvpc-init", argv, envp);
	return errno;
}

static bool path_ok(const char *path)
{
	/* overlayfs splits its options at ',' and lower dirs at ':'. */
	return path && path[0] == '/' && strlen(path) < DIR_LEN_MAX && !strpbrk(path, ",:");
}

int sandbox_start(const struct sandbox_spec *s, pid_t *ret_pid)
{
	char root[PATH_MAX], opts[3 * PATH_MAX], p[PATH_MAX + 32];
	int r, status_pipe[2] = { -1, -1 }, pid_pipe[2] = { -1, -1 }, console = -1, netfd = -1;

	if (!path_ok(s->dir) || !path_ok(s->image_root) || !s->hostname ||
	    strlen(s->hostname) > 64 || !s->init_path || !s->boot_path)
		return -EINVAL;
	/* The instance dir keeps host users out (0700); the upper layer's
	 * root becomes the instance's "/", which must be 0755 inside. */
	static const char *const subdirs[] = { "", "/upper", "/work", "/root" };
	for (size_t i = 0; i < COUNT(subdirs); i++) {
		P(p, "%s%s", s->dir, subdirs[i]);
		if ((r = mkdirs(p, i ? 0755 : 0700)) < 0)
			return r;
		if (chmod(p, i ? 0755 : 0700) < 0)
			return -errno;
	}
	if ((r = seed_upper(s)) < 0)
		return r;
	/* Fails open (warned once): an instance without limits still runs. */
	(void)cgroup_create(s->dir, s->cgroup_parent ? s->cgroup_parent : "localvpc",
			    s->instance_id, s->memory_max, s->pids_max);
	P(root, "%s/root", s->dir);
	P(opts, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", s->image_root, s->dir, s->dir);
	P(p, "%s/console.log", s->dir);
	console = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (console < 0) {
		r = -errno;
		goto out;
	}
	netfd = netns_open(s->netns);
	if (netfd < 0) {
		r = netfd;
		goto out;
	}
	if (pipe2(status_pipe, O_CLOEXEC) < 0 || pipe2(pid_pipe, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	pid_t a = fork();
	if (a < 0) {
		r = -errno;
		goto out;
	}
	if (a == 0) {
		/* The middle child: enters the network namespace, makes the
		 * others, forks their PID 1 and exits, so that PID 1 is
		 * reparented away from the daemon.  It joins the instance's
		 * cgroups first: PID 1 and all it forks are born in them. */
		int err = 0;
		(void)cgroup_enter(s->dir);
		if (setns(netfd, CLONE_NEWNET) < 0 ||
		    unshare(CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID) < 0)
			err = errno;
		pid_t b = err ? -1 : fork();
		if (b == 0) {
			err = become_instance(s, root, opts, console);
			(void)!write(status_pipe[1], &err, sizeof(err));
			_exit(1);
		}
		if (b < 0 && !err)
			err = errno;
		if (err)
			(void)!write(status_pipe[1], &err, sizeof(err));
		(void)!write(pid_pipe[1], &b, sizeof(b));
		_exit(0);
	}
	close(status_pipe[1]);
	close(pid_pipe[1]);
	status_pipe[1] = pid_pipe[1] = -1;
	int st;
	while (waitpid(a, &st, 0) < 0 && errno == EINTR)
		;
	pid_t b = -1;
	int err = 0;
	if (read(pid_pipe[0], &b, sizeof(b)) != sizeof(b))
		b = -1;
	/* EOF on the status pipe: init was exec'd (the pipe is close-on-exec). */
	ssize_t n;
	while ((n = read(status_pipe[0], &err, sizeof(err))) < 0 && errno == EINTR)
		;
	if (n == sizeof(err) && err) {
		r = -err;
		goto out;
	}
	if (n != 0 || b <= 0) {
		r = -ECHILD;
		goto out;
	}
	long long start = live_start_time(b);
	if (start < 0) { /* exec'd, then died at once */
		r = -ECHILD;
		goto out;
	}
	char line[64];
	int len = snprintf(line, sizeof(line), "%d %lld\n", (int)b, start);
	P(p, "%s/init.pid", s->dir);
	if ((r = write_file(p, line, (size_t)len, 0600)) < 0) {
		(void)kill(b, SIGKILL); /* an instance we could not find again */
		goto out;
	}
	*ret_pid = b;
	r = 0;
out:
	for (int i = 0; i < 2; i++) {
		if (status_pipe[i] >= 0)
			close(status_pipe[i]);
		if (pid_pipe[i] >= 0)
			close(pid_pipe[i]);
	}
	if (console >= 0)
		close(console);
	if (netfd >= 0)
		close(netfd);
	return r;
}

int sandbox_find(const char *dir, pid_t *ret_pid)
{
	char p[PATH_MAX];
	long long pid = 0, start = -1;
	P(p, "%s/init.pid", dir);
	FILE *f = fopen(p, "re");
	if (!f)
		return -ESRCH;
	int n = fscanf(f, "%lld %lld", &pid, &start);
	fclose(f);
	if (n != 2 || pid <= 1 || pid > INT_MAX || start < 0 ||
	    live_start_time((pid_t)pid) != start)
		return -ESRCH;
	*ret_pid = (pid_t)pid;
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Polls until the process that had start time start is gone or a zombie
 * (PID 1 of a namespace becomes a zombie only once the namespace is
 * empty; the zombie's reaper is not us).  Returns whether it went. */
static bool wait_gone(pid_t pid, long long start, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	for (;;) {
		if (live_start_time(pid) != start)
			return true;
		if (now_ms() >= deadline)
			return false;
		struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
}

int sandbox_stop(const char *dir, int timeout_ms)
{
	pid_t pid;
	int r = sandbox_find(dir, &pid);
	long long start = r < 0 ? -1 : live_start_time(pid);
	if (start < 0) {
		(void)cgroup_remove(dir); /* it died on its own (OOM, shutdown) */
		return -ESRCH;
	}
	(void)kill(pid, SIGTERM); /* it may have just gone: the wait decides */
	if (!wait_gone(pid, start, timeout_ms)) {
		/* The kernel ends every process of the PID namespace with its init. */
		(void)kill(pid, SIGKILL);
		if (!wait_gone(pid, start, 5000))
			return -EBUSY;
	}
	(void)cgroup_remove(dir);
	return 0;
}

int sandbox_exec(const char *dir, char *const argv[], int *ret_status)
{
	static const char *const kinds[] = { "ipc", "uts", "net", "pid", "mnt" };
	static const int types[] = { CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID,
				     CLONE_NEWNS };
	int fds[COUNT(kinds)];
	pid_t pid;
	char p[64];
	char term[64] = "";
	const char *t = getenv("TERM");
	if (!argv || !argv[0])
		return -EINVAL;
	if (t && strlen(t) < sizeof(term))
		P(term, "%s", t);
	int r = sandbox_find(dir, &pid);
	if (r < 0)
		return r;
	for (size_t i = 0; i < COUNT(kinds); i++) {
		P(p, "/proc/%d/ns/%s", (int)pid, kinds[i]);
		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			r = errno == ENOENT ? -ESRCH : -errno;
			while (i--)
				close(fds[i]);
			return r;
		}
	}
	/* The namespaces belong to the init found above only if it is still
	 * that process (its pid could have been reused in between). */
	if ((r = sandbox_find(dir, &pid)) < 0)
		goto out;
	pid_t child = fork();
	if (child < 0) {
		r = -errno;
		goto out;
	}
	if (child == 0) {
		/* Under the instance's limits too (none if it has none). */
		(void)cgroup_enter(dir);
		for (size_t i = 0; i < COUNT(kinds); i++)
			if (setns(fds[i], types[i]) < 0)
				_exit(125);
		/* The PID namespace applies to children: fork once more. */
		pid_t g = fork();
		if (g < 0)
			_exit(125);
		if (g == 0) {
			if (chdir("/") < 0 || clearenv() != 0 || setenv("PATH", INSTANCE_PATH, 1) < 0 ||
			    setenv("HOME", "/root", 1) < 0 || (term[0] && setenv("TERM", term, 1) < 0))
				_exit(125);
			umask(022);
			(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
			/* The same limits as the instance's own processes. */
			if (drop_caps())
				_exit(125);
			execvp(argv[0], argv);
			_exit(127);
		}
		int st;
		while (waitpid(g, &st, 0) < 0)
			if (errno != EINTR)
				_exit(125);
		if (WIFSIGNALED(st))
			_exit(128 + WTERMSIG(st));
		_exit(WEXITSTATUS(st));
	}
	int st;
	while (waitpid(child, &st, 0) < 0)
		if (errno != EINTR) {
			r = -errno;
			goto out;
		}
	*ret_status = st;
	r = 0;
out:
	for (size_t i = 0; i < COUNT(kinds); i++)
		close(fds[i]);
	return r;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

int sandbox_remove(const char *dir)
{
	char p[PATH_MAX];
	pid_t pid;
	if (sandbox_find(dir, &pid) == 0)
		return -EBUSY; /* its overlay still uses the upper layer */
	P(p, "%s/root", dir);
	/* Normally mounted only inside the instance's mount namespace. */
	if (umount2(p, MNT_DETACH) < 0 && errno != EINVAL && errno != ENOENT)
		return -errno;
	(void)cgroup_remove(dir); /* its record is in dir */
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}

int sandbox_drop_caps(void)
{
	return -drop_caps();
}
