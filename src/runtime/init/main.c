// SPDX-License-Identifier: MIT
/* localvpc-init: PID 1 of every instance (a static binary, copied into the
 * instance's root at /usr/local/sbin/localvpc-init by sandbox_start()).
 * Runs /etc/localvpc/boot and waits for it, starts sshd, reaps every child
 * (orphans of the namespace end up here), restarts nothing, and on SIGTERM
 * ends every process of the instance and exits, which stops the instance.
 * Logs one line per event to stdout, the instance's console log. */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* How long processes get between SIGTERM and SIGKILL at shutdown; below
 * the daemon's stop timeout (5 s), which then kills init itself. */
#define GRACE_MS 2000

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("localvpc-init: ", stdout);
	vprintf(fmt, ap);
	fputc('\n', stdout);
	fflush(stdout);
	va_end(ap);
}

static void describe(int st, char *out, size_t size)
{
	if (WIFEXITED(st))
		snprintf(out, size, "status=%d", WEXITSTATUS(st));
	else if (WIFSIGNALED(st))
		snprintf(out, size, "signal=%s", strsignal(WTERMSIG(st)));
	else
		snprintf(out, size, "wait_status=%d", st);
}

/* Starts argv[0] in its own session with an empty signal mask.  Returns the
 * pid, or -1 when fork fails. */
static pid_t spawn(char *const argv[])
{
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	execv(argv[0], argv);
	say("exec %s: %s", argv[0], strerror(errno));
	_exit(127);
}

static char *const sshd[] = { (char *)"/usr/sbin/sshd", (char *)"-D", (char *)"-e", NULL };

struct children {
	pid_t boot, sshd; /* -1 when not running */
};

/* Reaps whatever has exited; logs the processes we started and starts sshd
 * once boot is done. */
static void reap(struct children *c)
{
	pid_t pid;
	int st;
	char how[64];
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid != c->boot && pid != c->sshd)
			continue;
		describe(st, how, sizeof(how));
		if (pid == c->sshd) {
			say("event=exit prog=sshd pid=%d %s (not restarted)", (int)pid, how);
			c->sshd = -1;
			continue;
		}
		say("event=exit prog=boot pid=%d %s", (int)pid, how);
		c->boot = -1;
		c->sshd = spawn(sshd);
		say("event=start prog=sshd pid=%d", (int)c->sshd);
	}
}

static void shutdown_all(void)
{
	int st;
	(void)kill(-1, SIGTERM); /* in a PID namespace: all of it but us */
	for (int waited = 0; waited < GRACE_MS; waited += 50) {
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		if (kill(-1, 0) < 0 && errno == ESRCH)
			return;
		struct timespec ts = { .tv_nsec = 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	say("event=kill reason=grace-expired");
	(void)kill(-1, SIGKILL);
}

int main(void)
{
	/* Everything arrives through sigwaitinfo(): a blocked signal reaches
	 * PID 1 even from the parent namespace, where SIG_DFL would not. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	static char *const boot[] = { (char *)"/etc/localvpc/boot", NULL };
	struct children c = { .boot = spawn(boot), .sshd = -1 };
	say("event=start prog=boot pid=%d", (int)c.boot);
	if (c.boot < 0) /* no boot script ran; sshd may still be usable */
		c.sshd = spawn(sshd);
	siginfo_t info;
	for (;;) {
		if (sigwaitinfo(&set, &info) < 0)
			continue;
		if (info.si_signo == SIGTERM || info.si_signo == SIGINT)
			break;
		reap(&c);
	}
	say("event=stopping signal=%s", strsignal(info.si_signo));
	shutdown_all();
	say("event=stopped");
	return 0;
}
