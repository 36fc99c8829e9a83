// SPDX-License-Identifier: MIT
/* Instance sandboxes; see sandbox.h.  start: a double fork (the instance's
 * init is not the daemon's child, so it survives the daemon), new mount,
 * UTS, IPC and PID namespaces joined to the instance's network namespace,
 * an overlay root over the image, a minimal /dev, read-only /sys, a
 * capability bounding set no wider than a container runtime's default plus
 * NET_ADMIN (over its own network namespace only: the NAT instance's
 * iptables), and pivot_root into it. */
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

#define P(buf, ...) snprintf(buf, sizeof(buf), __VA_ARGS__)

/* OCI's default capability set, plus CAP_NET_ADMIN. */
static const int kept_caps[] = {
	CAP_CHOWN,	      CAP_DAC_OVERRIDE, CAP_FSETID,	   CAP_FOWNER,	CAP_MKNOD,
	CAP_NET_RAW,	      CAP_SETGID,	CAP_SETUID,	   CAP_SETFCAP, CAP_SETPCAP,
	CAP_NET_BIND_SERVICE, CAP_SYS_CHROOT,	CAP_KILL,	   CAP_AUDIT_WRITE,
	CAP_NET_ADMIN,
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
	if (fstat(in, &sb) < 0 || sb.st_size > 64 * 1024 * 1024) {
		close(in);
		return -EFBIG;
	}
	char *buf = malloc((size_t)sb.st_size + 1);
	if (!buf) {
		close(in);
		return -ENOMEM;
	}
	ssize_t n = read(in, buf, (size_t)sb.st_size);
	close(in);
	int r = n == sb.st_size ? write_file(to, buf, (size_t)n, mode) : -EIO;
	free(buf);
	return r;
}

static int mkdirs(const char *path, mode_t mode)
{
	char tmp[PATH_MAX];
	P(tmp, "%s", path);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) < 0 && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	return mkdir(tmp, mode) < 0 && errno != EEXIST ? -errno : 0;
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

static long long start_time(pid_t pid)
{
	char path[64], buf[1024];
	P(path, "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* Field 22, counted after the command name's closing parenthesis. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	int field = 2;
	for (p++; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	return strtoll(p, NULL, 10);
}

/* What the grandchild does, as PID 1 of the new PID namespace.  Returns
 * only on failure, with the step's errno. */
static int become_instance(const struct sandbox_spec *s, const char *root, const char *opts,
			   int console)
{
	char p[PATH_MAX + 32];
	if (mount("", "/", NULL, MS_REC | MS_PRIVATE, NULL) < 0)
		return errno;
	if (sethostname(s->hostname, strlen(s->hostname)) < 0)
		return errno;
	if (mount("overlay", root, "overlay", 0, opts) < 0)
		return errno;
	P(p, "%s/proc", root);
	(void)mkdir(p, 0555);
	if (mount("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return errno;
	P(p, "%s/sys", root);
	(void)mkdir(p, 0555);
	if (mount("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
		return errno;
	P(p, "%s/dev", root);
	(void)mkdir(p, 0755);
	if (mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=755,size=65536k") < 0)
		return errno;
	static const char *const nodes[] = { "null", "zero", "full", "random", "urandom", "tty" };
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		char host[64];
		P(host, "/dev/%s", nodes[i]);
		P(p, "%s/dev/%s", root, nodes[i]);
		int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0666);
		if (fd >= 0)
			close(fd);
		if (mount(host, p, NULL, MS_BIND, NULL) < 0)
			return errno;
	}
	P(p, "%s/dev/pts", root);
	(void)mkdir(p, 0755);
	if (mount("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=620") < 0)
		return errno;
	P(p, "%s/dev/ptmx", root);
	if (symlink("pts/ptmx", p) < 0 && errno != EEXIST)
		return errno;
	P(p, "%s/dev/shm", root);
	(void)mkdir(p, 01777);
	(void)mount("shm", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777,size=65536k");
	P(p, "%s/run", root);
	(void)mkdir(p, 0755);
	(void)mount("tmpfs", p, "tmpfs", MS_NOSUID | MS_NODEV, "mode=755,size=65536k");
	P(p, "%s/.oldroot", root);
	(void)mkdir(p, 0700);
	if (syscall(SYS_pivot_root, root, p) < 0)
		return errno;
	if (chdir("/") < 0)
		return errno;
	if (umount2("/.oldroot", MNT_DETACH) < 0)
		return errno;
	(void)rmdir("/.oldroot");
	for (int cap = 0; cap <= CAP_LAST_CAP; cap++) {
		bool keep = false;
		for (size_t i = 0; i < sizeof(kept_caps) / sizeof(kept_caps[0]); i++)
			keep |= kept_caps[i] == cap;
		if (!keep && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0 && errno != EINVAL)
			return errno;
	}
	int devnull = open("/dev/null", O_RDWR);
	if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(console, 1) < 0 || dup2(console, 2) < 0)
		return errno;
	char *const argv[] = { (char *)"localvpc-init", NULL };
	char *const envp[] = { (char *)"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			       (char *)"HOME=/root", (char *)"TERM=linux", (char *)"container=localvpc",
			       NULL };
	execve("/usr/local/sbin/localvpc-init", argv, envp);
	return errno;
}

int sandbox_start(const struct sandbox_spec *s, pid_t *ret_pid)
{
	char root[PATH_MAX], opts[3 * PATH_MAX], p[PATH_MAX + 32];
	int r, status_pipe[2] = { -1, -1 }, pid_pipe[2] = { -1, -1 }, console = -1, netfd = -1;

	static const char *const subdirs[] = { "", "/upper", "/work", "/root" };
	for (size_t i = 0; i < 4; i++) {
		P(p, "%s%s", s->dir, subdirs[i]);
		if ((r = mkdirs(p, 0700)) < 0)
			return r;
	}
	if ((r = seed_upper(s)) < 0)
		return r;
	P(root, "%s/root", s->dir);
	P(opts, "lowerdir=%s,upperdir=%s/upper,workdir=%s/work", s->image_root, s->dir, s->dir);
	P(p, "%s/console.log", s->dir);
	console = open(p, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	netfd = netns_open(s->netns);
	if (console < 0 || netfd < 0 || pipe2(status_pipe, O_CLOEXEC) < 0 ||
	    pipe2(pid_pipe, O_CLOEXEC) < 0) {
		r = console < 0 ? -errno : netfd < 0 ? netfd : -errno;
		goto out;
	}
	pid_t a = fork();
	if (a < 0) {
		r = -errno;
		goto out;
	}
	if (a == 0) {
		int err = 0;
		(void)setsid();
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
		_exit(0); /* b is reparented: it outlives the daemon */
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
	if (b <= 0) {
		r = -ECHILD;
		goto out;
	}
	char line[64];
	int len = snprintf(line, sizeof(line), "%d %lld\n", (int)b, start_time(b));
	P(p, "%s/init.pid", s->dir);
	if ((r = write_file(p, line, (size_t)len, 0600)) < 0)
		goto out;
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
	if (n != 2 || pid <= 1 || start < 0 || start_time((pid_t)pid) != start)
		return -ESRCH;
	*ret_pid = (pid_t)pid;
	return 0;
}

static bool gone(pid_t pid, long long start, int timeout_ms)
{
	for (int waited = 0; waited <= timeout_ms; waited += 10) {
		if (start_time(pid) != start)
			return true;
		struct timespec ts = { .tv_nsec = 10 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return false;
}

int sandbox_stop(const char *dir, int timeout_ms)
{
	pid_t pid;
	int r = sandbox_find(dir, &pid);
	if (r < 0)
		return r;
	long long start = start_time(pid);
	(void)kill(pid, SIGTERM);
	if (!gone(pid, start, timeout_ms)) {
		/* The kernel ends every process of the PID namespace with it. */
		(void)kill(pid, SIGKILL);
		if (!gone(pid, start, 5000))
			return -EBUSY;
	}
	return 0;
}

int sandbox_exec(const char *dir, char *const argv[], int *ret_status)
{
	static const char *const kinds[] = { "ipc", "uts", "net", "pid", "mnt" };
	static const int types[] = { CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID,
				     CLONE_NEWNS };
	int fds[5];
	pid_t pid;
	char p[64];
	int r = sandbox_find(dir, &pid);
	if (r < 0)
		return r;
	for (int i = 0; i < 5; i++) {
		P(p, "/proc/%d/ns/%s", (int)pid, kinds[i]);
		fds[i] = open(p, O_RDONLY | O_CLOEXEC);
		if (fds[i] < 0) {
			r = -errno;
			while (i--)
				close(fds[i]);
			return r;
		}
	}
	pid_t child = fork();
	if (child < 0) {
		r = -errno;
		goto out;
	}
	if (child == 0) {
		for (int i = 0; i < 5; i++)
			if (setns(fds[i], types[i]) < 0)
				_exit(125);
		/* The PID namespace applies to children: fork once more. */
		pid_t g = fork();
		if (g < 0)
			_exit(125);
		if (g == 0) {
			if (chdir("/") < 0)
				_exit(125);
			setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
			setenv("HOME", "/root", 1);
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
	for (int i = 0; i < 5; i++)
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
	P(p, "%s/root", dir);
	(void)umount2(p, MNT_DETACH); /* normally only mounted inside the instance */
	if (nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return -errno;
	return 0;
}
