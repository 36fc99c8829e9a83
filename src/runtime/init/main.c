// SPDX-License-Identifier: MIT
/* localvpc-init: PID 1 of every instance (a static binary, copied into the
 * instance's root).  Runs /etc/localvpc/boot, starts sshd, reaps every
 * child, restarts sshd if it dies, and on SIGTERM ends all processes and
 * exits (stopping the instance).  Logs one line per event to the console. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t spawn(char *const argv[])
{
	sigset_t none;
	pid_t pid = fork();
	if (pid != 0)
		return pid;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	setsid();
	execv(argv[0], argv);
	fprintf(stderr, "localvpc-init: exec %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

static void say(const char *msg)
{
	printf("localvpc-init: %s\n", msg);
	fflush(stdout);
}

int main(void)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGCHLD);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	sigprocmask(SIG_BLOCK, &set, NULL);

	char *boot[] = { (char *)"/etc/localvpc/boot", NULL };
	char *sshd[] = { (char *)"/usr/sbin/sshd", (char *)"-D", (char *)"-e", NULL };

	say("boot");
	pid_t b = spawn(boot);
	int st;
	while (b > 0 && waitpid(b, &st, 0) < 0 && errno == EINTR)
		;
	say("starting sshd");
	pid_t s = spawn(sshd);
	time_t last_start = time(NULL);
	for (;;) {
		siginfo_t info;
		if (sigwaitinfo(&set, &info) < 0)
			continue;
		if (info.si_signo == SIGTERM || info.si_signo == SIGINT)
			break;
		pid_t pid;
		while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
			if (pid != s)
				continue;
			say("sshd exited");
			/* Restart, but never faster than once a second. */
			if (time(NULL) - last_start < 1)
				sleep(1);
			s = spawn(sshd);
			last_start = time(NULL);
		}
	}
	say("stopping");
	kill(-1, SIGTERM);
	for (int i = 0; i < 20; i++) {
		while (waitpid(-1, &st, WNOHANG) > 0)
			;
		if (kill(-1, 0) < 0 && errno == ESRCH)
			break;
		struct timespec ts = { .tv_nsec = 100 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	kill(-1, SIGKILL);
	say("stopped");
	return 0;
}
