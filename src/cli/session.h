// SPDX-License-Identifier: MIT
/* `localvpc session`'s parts: the recording (session_record.c), the relay
 * between the caller's terminal and the instance's pty, which records as it
 * goes (session_relay.c), and the command itself (session.c). */
#ifndef CLI_SESSION_H
#define CLI_SESSION_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "model/session.h"

/* One session's recording under STATE_DIR/sessions/, open while it runs. */
struct session_record {
	const char *state_dir;     /* borrowed for the record's life */
	struct session_meta meta;
	int log_fd, timing_fd, chain_fd;
	unsigned char key[SESSION_KEY_SIZE];
	unsigned char link[SESSION_LINK_SIZE];
	long long last_us;         /* CLOCK_MONOTONIC of the last chunk */
};

/* Creates <id>.{log,timing,chain,json} (0600, in a 0700 sessions/), takes
 * the lock that marks the session live, writes the record (Connected) and
 * the typescript's header.  0 or -errno (then nothing is left open). */
int session_record_open(struct session_record *rec, const char *state_dir,
			const struct session_meta *m, const char *term, int cols, int rows);
/* Appends one chunk of output to the typescript, its timing and its chain
 * link, each with one write.  0 or -errno. */
int session_record_output(struct session_record *rec, const void *data, size_t size);
/* Writes the footer and its link, the record as Terminated with the exit
 * status, and closes the files.  0 or the first -errno (closed either way). */
int session_record_close(struct session_record *rec, int exit_status);
/* Checks <id>'s recording against its chain; prints what it found to
 * stdout.  0 when every byte verifies (a killed session's too, up to where
 * it was killed), 1 when something was changed or is missing, -errno when
 * it cannot be read. */
int session_record_verify(const char *state_dir, const char *id);

/* Why a session ended. */
enum session_end {
	SESSION_END_SHELL,  /* the shell exited (or hung up the terminal) */
	SESSION_END_SIGNAL, /* we were told to end: SIGHUP, SIGINT, SIGTERM */
	SESSION_END_IDLE,   /* no input or output for the idle timeout */
	SESSION_END_MAX,    /* the maximum duration passed */
};

struct session_relay {
	int in, out;     /* the caller's side: a terminal or pipes */
	int master;      /* the pty master (host side); closed by session_relay_run() */
	pid_t child;     /* exits when the shell does */
	struct session_record *rec;
	long long idle_ms; /* 0: none */
	long long max_ms;  /* 0: none */
};

/* Relays until the shell ends (its output to the recording then to out,
 * input from in; the caller's terminal in raw mode meanwhile when in is
 * one, window size changes passed on), or until a timeout or a signal ends
 * it (then the pty is hung up).  At EOF of a non-terminal in, sends the
 * terminal's EOF character once, so piped commands need no "exit".
 * Expects session_relay_signals() before child was started.  Returns 0, the
 * child's wait status and why it ended; -errno on a failure of the relay
 * itself (the child is reaped either way). */
int session_relay_run(const struct session_relay *r, int *ret_status, enum session_end *ret_end);
/* Blocks the signals session_relay_run() takes through a signalfd and
 * ignores SIGPIPE (a closed stdout must end the relay, not kill it before
 * it records the end). */
void session_relay_signals(void);

#endif
