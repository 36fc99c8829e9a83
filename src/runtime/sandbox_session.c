// SPDX-License-Identifier: MIT
/* Login shells on a pty inside a running instance; see sandbox_session.h.
 * openpty(3) would open the host's /dev/ptmx, whose slaves the instance
 * cannot name (ttyname, sudo and who would fail), so this opens the
 * instance's own ptmx the way openpty does (posix_openpt, unlockpt,
 * TIOCGPTPEER), through /proc/PID/root resolved inside that root.  The shell
 * enters the instance's namespaces like sandbox_exec(), then becomes the
 * login user from the instance's own /etc/passwd.  Never decides an AWS rule. */
#include "runtime/sandbox_session.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/openat2.h>

#include "runtime/sandbox.h"
#include "runtime/cgroup.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define GROUPS_MAX 64
#define TTY_GID_DEFAULT 5 /* Debian's tty group */
#define ROOT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define USER_PATH "/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games" /* Debian's login */

struct login {
	char name[SANDBOX_SESSION_USER_MAX];
	char home[256];
	char shell[256];
	uid_t uid;
	gid_t gid;
	gid_t groups[GROUPS_MAX];
	int n_groups;
	gid_t tty_gid;
};

static int copy(char *out, size_t size, const char *s)
{
	if (!s || strlen(s) >= size)
		return -ENAMETOOLONG;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

/* The first of users in /etc/passwd (read directly, not through NSS: this
 * runs inside the instance's root with the host's libc), its groups from
 * /etc/group and the tty group. */
static int find_login(const char *const *users, struct login *ret)
{
	FILE *f = fopen("/etc/passwd", "re");
	if (!f)
		return -errno;
	int r = -ENOENT;
	for (size_t i = 0; users[i] && r == -ENOENT; i++) {
		struct passwd *pw;
		rewind(f);
		while ((pw = fgetpwent(f)))
			if (!strcmp(pw->pw_name, users[i]))
				break;
		if (!pw)
			continue;
		const char *shell = pw->pw_shell[0] ? pw->pw_shell : "/bin/sh";
		if (copy(ret->name, sizeof(ret->name), pw->pw_name) ||
		    copy(ret->home, sizeof(ret->home), pw->pw_dir[0] ? pw->pw_dir : "/") ||
		    copy(ret->shell, sizeof(ret->shell), shell)) {
			r = -ENAMETOOLONG;
			break;
		}
		ret->uid = pw->pw_uid;
		ret->gid = pw->pw_gid;
		r = 0;
	}
	fclose(f);
	if (r < 0)
		return r;
	ret->groups[0] = ret->gid;
	ret->n_groups = 1;
	ret->tty_gid = TTY_GID_DEFAULT;
	if (!(f = fopen("/etc/group", "re")))
		return 0; /* no supplementary groups */
	struct group *gr;
	while ((gr = fgetgrent(f))) {
		if (!strcmp(gr->gr_name, "tty"))
			ret->tty_gid = gr->gr_gid;
		for (char **m = gr->gr_mem; m && *m; m++)
			if (!strcmp(*m, ret->name) && ret->n_groups < GROUPS_MAX &&
			    gr->gr_gid != ret->gid)
				ret->groups[ret->n_groups++] = gr->gr_gid;
	}
	fclose(f);
	return 0;
}

/* The grandchild, in every namespace of the instance: becomes the session
 * leader with the pty as its controlling terminal, then the login user, and
 * runs the login shell.  Reports "u:<name>" or "e:<errno>" on report (close
 * on exec: EOF once the shell runs). */
static void login_shell(const struct sandbox_session_spec *s, int slave, int report)
{
	struct sigaction dfl = { .sa_handler = SIG_DFL };
	sigset_t none;
	struct login l;
	char argv0[258], term[64];
	int r;

	for (int sig = 1; sig < NSIG; sig++)
		(void)sigaction(sig, &dfl, NULL); /* EINVAL for KILL, STOP: fine */
	sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = find_login(s->users, &l)) < 0)
		goto fail;
	/* As login(1) and sshd do: the terminal belongs to its user. */
	if (fchown(slave, l.uid, l.tty_gid) < 0 || fchmod(slave, 0620) < 0 ||
	    dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0) {
		r = -errno;
		goto fail;
	}
	if (slave > 2)
		close(slave);
	if ((r = sandbox_drop_caps()) < 0)
		goto fail;
	if (setgroups((size_t)l.n_groups, l.groups) < 0 || setgid(l.gid) < 0 ||
	    setuid(l.uid) < 0) {
		r = -errno;
		goto fail;
	}
	if (chdir(l.home) < 0 && chdir("/") < 0) {
		r = -errno;
		goto fail;
	}
	snprintf(term, sizeof(term), "%s", s->term && s->term[0] ? s->term : "dumb");
	const char *base = strrchr(l.shell, '/');
	snprintf(argv0, sizeof(argv0), "-%s", base ? base + 1 : l.shell);
	if (clearenv() != 0 || setenv("HOME", l.home, 1) < 0 || setenv("USER", l.name, 1) < 0 ||
	    setenv("LOGNAME", l.name, 1) < 0 || setenv("SHELL", l.shell, 1) < 0 ||
	    setenv("PATH", l.uid ? USER_PATH : ROOT_PATH, 1) < 0 || setenv("TERM", term, 1) < 0) {
		r = -ENOMEM;
		goto fail;
	}
	umask(022);
	(void)close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	dprintf(report, "u:%s", l.name);
	bool is_bash = !strcmp(base ? base + 1 : l.shell, "bash");
	char *const argv[] = { argv0, s->is_batch && is_bash ? (char *)"--noediting" : NULL, NULL };
	execv(l.shell, argv);
	fprintf(stderr, "localvpc: cannot run %s: %s\r\n", l.shell, strerror(errno));
	_exit(127);
fail:
	dprintf(report, "e:%d", -r);
	_exit(125);
}

int sandbox_session_start(const struct sandbox_session_spec *s, int *ret_master, pid_t *ret_pid,
			  char ret_user[SANDBOX_SESSION_USER_MAX])
{
	static const char *const kinds[] = { "ipc", "uts", "net", "pid", "mnt" };
	static const int types[] = { CLONE_NEWIPC, CLONE_NEWUTS, CLONE_NEWNET, CLONE_NEWPID,
				     CLONE_NEWNS };
	int fds[COUNT(kinds)], root = -1, master = -1, slave = -1, report[2] = { -1, -1 };
	char p[64], msg[64];
	pid_t pid, child = -1;
	struct stat st;
	int r;

	for (size_t i = 0; i < COUNT(fds); i++)
		fds[i] = -1;
	if ((r = sandbox_find(s->dir, &pid)) < 0)
		return r;
	for (size_t i = 0; i < COUNT(kinds); i++) {
		snprintf(p, sizeof(p), "/proc/%d/ns/%s", (int)pid, kinds[i]);
		if ((fds[i] = open(p, O_RDONLY | O_CLOEXEC)) < 0) {
			r = errno == ENOENT ? -ESRCH : -errno;
			goto out;
		}
	}
	snprintf(p, sizeof(p), "/proc/%d/root", (int)pid);
	if ((root = open(p, O_PATH | O_DIRECTORY | O_CLOEXEC)) < 0) {
		r = errno == ENOENT ? -ESRCH : -errno;
		goto out;
	}
	/* Resolved as if the instance's root were "/": a symlink its root user
	 * planted cannot lead to the host's ptmx or anywhere else. */
	struct open_how how = { .flags = O_RDWR | O_NOCTTY | O_CLOEXEC,
				.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS };
	master = (int)syscall(SYS_openat2, root, "dev/pts/ptmx", &how, sizeof(how));
	if (master < 0) {
		r = -errno;
		goto out;
	}
	if (fstat(master, &st) < 0 || !S_ISCHR(st.st_mode) || major(st.st_rdev) != 5 ||
	    minor(st.st_rdev) != 2) {
		r = fstat(master, &st) < 0 ? -errno : -ENOTTY;
		goto out;
	}
	if (unlockpt(master) < 0 ||
	    (slave = ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC)) < 0) {
		r = -errno;
		goto out;
	}
	struct winsize ws = { .ws_row = s->rows ? s->rows : 24, .ws_col = s->cols ? s->cols : 80 };
	if (ioctl(master, TIOCSWINSZ, &ws) < 0 || pipe2(report, O_CLOEXEC) < 0) {
		r = -errno;
		goto out;
	}
	/* The namespaces belong to the init found above only if it is still
	 * that process (its pid could have been reused in between). */
	if ((r = sandbox_find(s->dir, &pid)) < 0)
		goto out;
	if ((child = fork()) < 0) {
		r = -errno;
		goto out;
	}
	if (child == 0) {
		close(master);
		close(report[0]);
		/* Only the shell talks to the pty; this process just waits for it
		 * and must not keep the caller's terminal open after a hang-up. */
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0)
			_exit(125);
		(void)cgroup_enter(s->dir); /* the instance's limits apply */
		for (size_t i = 0; i < COUNT(kinds); i++)
			if (setns(fds[i], types[i]) < 0) {
				dprintf(report[1], "e:%d", errno);
				_exit(125);
			}
		/* Taken synchronously; blocked before the fork so that no
		 * SIGCHLD is lost (the shell unblocks everything). */
		sigset_t wait_set;
		sigemptyset(&wait_set);
		sigaddset(&wait_set, SIGCHLD);
		sigaddset(&wait_set, SIGTERM);
		(void)sigprocmask(SIG_BLOCK, &wait_set, NULL);
		/* The PID namespace applies to children: fork once more. */
		pid_t g = fork();
		if (g < 0) {
			dprintf(report[1], "e:%d", errno);
			_exit(125);
		}
		if (g == 0)
			login_shell(s, slave, report[1]);
		close(slave);
		close(report[1]);
		int gst;
		for (;;) {
			pid_t w = waitpid(g, &gst, WNOHANG);
			if (w == g)
				break;
			if (w < 0 && errno != EINTR)
				_exit(125);
			if (sigwaitinfo(&wait_set, NULL) == SIGTERM) {
				/* The shell's job (its process group), then the shell. */
				(void)kill(-g, SIGKILL);
				(void)kill(g, SIGKILL);
			}
		}
		_exit(WIFSIGNALED(gst) ? 128 + WTERMSIG(gst) : WEXITSTATUS(gst));
	}
	close(slave);
	slave = -1;
	close(report[1]);
	report[1] = -1;
	size_t n = 0;
	for (;;) {
		ssize_t k = read(report[0], msg + n, sizeof(msg) - 1 - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
		if (n == sizeof(msg) - 1)
			break;
	}
	msg[n] = '\0';
	if (!strncmp(msg, "u:", 2) && n > 2 && n - 2 < SANDBOX_SESSION_USER_MAX) {
		memcpy(ret_user, msg + 2, n - 1);
		*ret_master = master;
		*ret_pid = child;
		master = -1;
		child = -1;
		r = 0;
	} else {
		int e = !strncmp(msg, "e:", 2) ? (int)strtol(msg + 2, NULL, 10) : 0;
		r = e > 0 ? -e : -EIO;
	}
out:
	if (child > 0)
		while (waitpid(child, NULL, 0) < 0 && errno == EINTR)
			;
	for (size_t i = 0; i < COUNT(fds); i++)
		if (fds[i] >= 0)
			close(fds[i]);
	if (root >= 0)
		close(root);
	if (master >= 0)
		close(master);
	if (slave >= 0)
		close(slave);
	if (report[0] >= 0)
		close(report[0]);
	if (report[1] >= 0)
		close(report[1]);
	return r;
}
