// SPDX-License-Identifier: MIT
/* priv/drop: what the API process can no longer do once its privileges
 * are gone and its seccomp filter is in (checklist 23).  Each case runs in
 * a forked child, since neither step can be undone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "priv/drop.h"

/* Runs fn in a child; returns its exit status (fn's bitmask of failures). */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(fn());
	int st;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static int refused(long r)
{
	return r < 0 && errno == EPERM;
}

static void *thread_main(void *arg)
{
	return arg;
}

static int filtered(void)
{
	int bad = 0;
	if (priv_drop_syscalls() < 0)
		return 255;
	char *argv[] = { "false", NULL };
	/* Were it allowed, the child would become false(1): a failure too. */
	bad |= !refused(execve("/bin/false", argv, argv + 1)) << 0;
	bad |= !refused(unshare(CLONE_NEWUSER | CLONE_NEWNET)) << 1;
	bad |= !refused(socket(AF_NETLINK, SOCK_RAW, 0)) << 2;
	bad |= !refused(socket(AF_PACKET, SOCK_RAW, 0)) << 3;
	bad |= !refused(setuid(getuid())) << 4;
	/* What the API process does need still works: TCP sockets, threads. */
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	bad |= (fd < 0) << 5;
	if (fd >= 0)
		close(fd);
	pthread_t t;
	bad |= (pthread_create(&t, NULL, thread_main, NULL) != 0 || pthread_join(t, NULL) != 0) << 6;
	return bad;
}

static void seccomp_refuses_what_a_parser_never_needs(void **state)
{
	(void)state;
	assert_int_equal(in_child(filtered), 0);
}

static int dropped(void)
{
	if (priv_drop_to(65534, 65534) < 0)
		return 1;
	return (setuid(0) == 0 || getuid() != 65534 || geteuid() != 65534) ? 2 : 0;
}

static void drop_is_for_good(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	assert_int_equal(in_child(dropped), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seccomp_refuses_what_a_parser_never_needs),
		cmocka_unit_test(drop_is_for_good),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
