// SPDX-License-Identifier: MIT
/* The relay of `localvpc session`: the caller's terminal (raw mode) or pipes
 * ⇄ the pty master of the shell in the instance, with every byte of output
 * appended to the recording at once, as script(1) -f does, so a killed
 * session still leaves its transcript.  Input is not recorded: what was
 * typed shows in the output through the terminal's echo, and what the
 * terminal did not echo (a password) stays unrecorded, as in AWS's session
 * logs.  Never decides an AWS rule. */
#include "cli/session.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>


#define CHUNK_SIZE 65536
#define INPUT_BUF_SIZE 4096
#define HANGUP_GRACE_MS 2000 /* from the hang-up to SIGKILL of a shell that stays */

static void relay_sigset(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGCHLD);
	sigaddset(set, SIGWINCH);
	sigaddset(set, SIGHUP);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
}

void session_relay_signals(void)
{
	sigset_t set;
	struct sigaction ign = { .sa_handler = SIG_IGN };
	relay_sigset(&set);
	(void)sigprocmask(SIG_BLOCK, &set, NULL); /* cannot fail with a valid set */
	(void)sigaction(SIGPIPE, &ign, NULL);
}

static int write_all(int fd, const void *data, size_t size)
{
	const char *p = data;
	while (size) {
		ssize_t w = write(fd, p, size);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w;
		size -= (size_t)w;
	}
	return 0;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

struct state {
	const struct session_relay *r;
	char in_buf[INPUT_BUF_SIZE];
	char out_buf[CHUNK_SIZE];
	size_t in_len;
	bool in_eof, eof_sent, out_closed, master_closed, child_done;
	enum session_end end;
	bool is_ending;          /* a signal or a timeout: hang up */
	long long start_ms, active_ms;
	int status;
};

static void end_with(struct state *s, enum session_end why)
{
	if (!s->is_ending)
		s->end = why;
	s->is_ending = true;
}

/* One chunk of the shell's output: to the caller and the recording. */
static int emit(struct state *s, const char *buf, size_t n)
{
	/* Recorded before shown: what the caller saw is in the record even if
	 * we are killed right after. */
	int err = session_record_output(s->r->rec, buf, n);
	s->active_ms = now_ms();
	if (!s->out_closed && write_all(s->r->out, buf, n) < 0)
		s->out_closed = true; /* the caller went away; keep recording */
	return err;
}

static int read_master(struct state *s)
{
	for (;;) {
		ssize_t n = read(s->r->master, s->out_buf, sizeof(s->out_buf));
		if (n > 0) {
			int err = emit(s, s->out_buf, (size_t)n);
			if (err)
				return err;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return 0;
		/* Measured: EIO once no process holds the slave open any more. */
		s->master_closed = true;
		return 0;
	}
}

static void write_master(struct state *s)
{
	if (s->in_len) {
		ssize_t w = write(s->r->master, s->in_buf, s->in_len);
		if (w > 0) {
			memmove(s->in_buf, s->in_buf + w, s->in_len - (size_t)w);
			s->in_len -= (size_t)w;
		}
	}
	if (!s->in_len && s->in_eof && !s->eof_sent) {
		struct termios t;
		bool has_eof = tcgetattr(s->r->master, &t) == 0 && t.c_cc[VEOF];
		char eof = has_eof ? (char)t.c_cc[VEOF] : 4; /* ^D */
		if (write(s->r->master, &eof, 1) == 1)
			s->eof_sent = true;
	}
}

static void read_input(struct state *s)
{
	ssize_t n = read(s->r->in, s->in_buf + s->in_len, sizeof(s->in_buf) - s->in_len);
	if (n > 0) {
		s->in_len += (size_t)n;
		s->active_ms = now_ms();
	}
	else if (n == 0 || (errno != EINTR && errno != EAGAIN))
		s->in_eof = true;
}

static void pass_window_size(const struct session_relay *r)
{
	struct winsize ws;
	if (ioctl(r->in, TIOCGWINSZ, &ws) == 0)
		(void)ioctl(r->master, TIOCSWINSZ, &ws); /* the kernel tells the shell */
}

static void on_signal(struct state *s, int sfd)
{
	struct signalfd_siginfo si;
	while (read(sfd, &si, sizeof(si)) == sizeof(si)) {
		if (si.ssi_signo == SIGWINCH)
			pass_window_size(s->r);
		else if (si.ssi_signo != SIGCHLD)
			end_with(s, SESSION_END_SIGNAL);
	}
	if (!s->child_done && waitpid(s->r->child, &s->status, WNOHANG) == s->r->child)
		s->child_done = true;
}

/* Milliseconds until the first timeout, -1 for none; ends the session
 * when one has passed. */
static int next_timeout(struct state *s)
{
	long long now = now_ms(), left = -1;
	if (s->r->idle_ms) {
		left = s->active_ms + s->r->idle_ms - now;
		if (left <= 0)
			end_with(s, SESSION_END_IDLE);
	}
	if (s->r->max_ms) {
		long long m = s->start_ms + s->r->max_ms - now;
		if (m <= 0)
			end_with(s, SESSION_END_MAX);
		if (left < 0 || m < left)
			left = m;
	}
	return left < 0 ? -1 : left > 60000 ? 60000 : (int)left;
}

int session_relay_run(const struct session_relay *r, int *ret_status, enum session_end *ret_end)
{
	struct state s = { .r = r, .end = SESSION_END_SHELL };
	s.start_ms = s.active_ms = now_ms();
	struct termios saved, raw;
	bool is_tty = isatty(r->in) && tcgetattr(r->in, &saved) == 0;
	sigset_t set;
	int err = 0;

	relay_sigset(&set);
	int sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0)
		err = -errno;
	int fl = fcntl(r->master, F_GETFL);
	if (!err && (fl < 0 || fcntl(r->master, F_SETFL, fl | O_NONBLOCK) < 0))
		err = -errno;
	if (!err && is_tty) {
		raw = saved;
		cfmakeraw(&raw);
		(void)tcsetattr(r->in, TCSADRAIN, &raw); /* a terminal that refuses: cooked */
		pass_window_size(r);
	}
	for (;;) {
		int timeout = next_timeout(&s);
		if (err || s.master_closed || s.child_done || s.is_ending)
			break;
		bool has_input = s.in_len || (s.in_eof && !s.eof_sent);
		struct pollfd p[3] = {
			{ .fd = sfd, .events = POLLIN },
			{ .fd = r->master, .events = POLLIN | (has_input ? POLLOUT : 0) },
			{ .fd = s.in_eof || s.in_len == sizeof(s.in_buf) ? -1 : r->in,
			  .events = POLLIN },
		};
		if (poll(p, 3, timeout) < 0) {
			if (errno != EINTR)
				err = -errno;
			continue;
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR))
			err = read_master(&s);
		if (!err && (p[1].revents & POLLOUT))
			write_master(&s);
		if (p[2].revents & (POLLIN | POLLHUP | POLLERR))
			read_input(&s);
		if (p[0].revents & POLLIN)
			on_signal(&s, sfd);
	}
	/* What the shell wrote before it ended is still to be read. */
	if (!err && !s.is_ending && !s.master_closed)
		err = read_master(&s);
	if (is_tty)
		(void)tcsetattr(r->in, TCSADRAIN, &saved);
	/* Closing the master hangs up the pty: SIGHUP ends the shell when we
	 * were told to end (or failed), and whatever it left in the background
	 * holding the terminal, as when sshd closes a session. */
	pid_t fg = s.child_done ? -1 : tcgetpgrp(r->master);
	close(r->master);
	if (!s.child_done && (s.is_ending || err)) {
		/* What ignores the hang-up is killed: the terminal's foreground
		 * job (only the pty's own session can own it: processes of the
		 * instance), then the shell and its group. */
		struct pollfd p = { .fd = sfd, .events = POLLIN };
		for (int i = 0; i < HANGUP_GRACE_MS / 100 && !s.child_done; i++) {
			(void)poll(&p, 1, 100);
			on_signal(&s, sfd);
		}
		if (!s.child_done && fg > 1)
			(void)kill(-fg, SIGKILL);
		if (!s.child_done)
			(void)kill(r->child, SIGTERM);
	}
	if (!s.child_done) {
		while (waitpid(r->child, &s.status, 0) < 0)
			if (errno != EINTR) {
				err = err ? err : -errno;
				break;
			}
	}
	if (sfd >= 0)
		close(sfd);
	*ret_status = s.status;
	*ret_end = s.end;
	return err;
}
