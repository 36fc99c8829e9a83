// SPDX-License-Identifier: MIT
/* A login shell on a pseudo-terminal inside a running instance, for
 * `localvpc session`: the pty comes from the instance's own devpts (so the
 * shell, sudo and who see /dev/pts/N of the instance), the shell runs in
 * every namespace of the instance, as its login user.  The caller keeps the
 * pty's master on the host and relays it.  Never decides an AWS rule. */
#ifndef RUNTIME_SANDBOX_SESSION_H
#define RUNTIME_SANDBOX_SESSION_H
#include <stdbool.h>
#include <sys/types.h>

#define SANDBOX_SESSION_USER_MAX 33

struct sandbox_session_spec {
	const char *dir;                /* the instance's state dir (as sandbox_find) */
	const char *const *users;       /* login users in order of preference, NULL-ended;
					   the first one in the instance's /etc/passwd is used */
	const char *term;               /* TERM for the shell, or NULL for "dumb" */
	unsigned short rows, cols;      /* the pty's first window size (0: 24x80) */
	bool is_batch;                  /* input is not a person at a terminal: bash
					   runs --noediting, the tty's line discipline
					   edits, so an EOF queued after the input is one
					   the shell sees (readline's raw mode would read
					   a queued EOF as a NUL) */
};

/* Starts the user's login shell on a new pty of the instance.  Returns 0,
 * the pty master (host side, O_CLOEXEC, blocking: the caller owns it), the
 * PID to wait for (it exits with the shell's status, or 128+signal; SIGTERM
 * to it kills the shell and its process group) and the login name used.  -ESRCH when the instance is not running, -ENOENT when
 * none of the users exists in it, -errno otherwise; nothing is left open or
 * running then. */
int sandbox_session_start(const struct sandbox_session_spec *s, int *ret_master, pid_t *ret_pid,
			  char ret_user[SANDBOX_SESSION_USER_MAX]);

#endif
