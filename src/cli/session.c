// SPDX-License-Identifier: MIT
/* `localvpc session [--target] INSTANCE_ID`, `--list`, `--replay SESSION_ID`,
 * `--verify SESSION_ID`: AWS Systems Manager Session Manager's shell, with no
 * inbound port.
 *
 * Why this is Session Manager's model: in AWS the SSM agent inside the
 * instance keeps an outbound channel to the control plane, and StartSession
 * rides that channel, so a private instance with no public IP, no internet
 * gateway and no ingress rule at all still gets a shell; the session's
 * output is logged to a destination (S3 / CloudWatch Logs) that the instance
 * cannot rewrite.  Here the control plane is this host: it enters the
 * instance's namespaces directly (runtime/sandbox_session.c), never through
 * eth0, so no packet crosses the VPC, its security groups or its ACLs, and
 * nothing listens inside the instance; the log goes to STATE_DIR/sessions/
 * on the host, outside the instance (cli/session_record.c):
 *   <id>.json    AWS's Session shape (SessionId, Target, Status, StartDate,
 *                EndDate, Owner) plus RunAsUser and ExitStatus
 *   <id>.log     the typescript (script(1) format, header and footer lines)
 *   <id>.timing  its timing, script's classic format: `scriptreplay -t
 *                <id>.timing <id>.log` plays it back at the speed it ran
 *   <id>.chain   the HMAC chain that --verify checks
 * all 0600, written while the session runs; the recorder holds a lock on
 * <id>.log, so a session whose recorder was killed lists as Disconnected.
 * The shell runs as ec2-user when the instance has it (AWS's default is
 * ssm-user, which its agent creates; ec2-user is the login user of the
 * AMIs people use, so the two behave alike), else as root.  AWS's idle
 * timeout (20 minutes by default, 1-60) and optional maximum duration
 * apply.  Errors as the aws CLI reports StartSession's (TargetNotConnected,
 * exit status 254). */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "cli/args.h"
#include "cli/cli.h"
#include "cli/paths.h"
#include "cli/session.h"
#include "model/session.h"
#include "runtime/sandbox_session.h"
#include "util/id.h"
#include "util/xalloc.h"

#define EXIT_AWS_SERVICE 254 /* the aws CLI's status for an error from the service */
#define EXIT_AWS_CLIENT 255  /* … and for one of its own */
#define META_SIZE_MAX 65536
#define SESSIONS_MAX 100000

/* AWS's wording and exit status for a target without a connected agent. */
static int not_connected(const char *target)
{
	fprintf(stderr,
		"\nAn error occurred (TargetNotConnected) when calling the StartSession operation: "
		"%s is not connected.\n",
		target);
	return EXIT_AWS_SERVICE;
}

static void session_path(const char *state_dir, const char *id, const char *ext, char *out,
			 size_t size)
{
	snprintf(out, size, "%s/sessions/%s.%s", state_dir, id, ext);
}

static int write_all(int fd, const char *s, size_t size)
{
	while (size) {
		ssize_t w = write(fd, s, size);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		s += w;
		size -= (size_t)w;
	}
	return 0;
}

/* "N" minutes or "Ns" seconds (tests), within [1 s, max_min minutes];
 * 0 and the milliseconds, or -EINVAL. */
static int parse_duration(const char *s, long long max_min, long long *ret_ms)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	bool is_digit = s[0] >= '0' && s[0] <= '9';
	bool has_leading_zero = s[0] == '0' && s[1] >= '0' && s[1] <= '9';
	if (errno || end == s || !is_digit || has_leading_zero)
		return -EINVAL;
	long long ms = !strcmp(end, "s") ? (long long)v * 1000 : !*end ? (long long)v * 60000 : -1;
	if (v == 0 || v > (unsigned long long)max_min * 60 || ms <= 0 || ms > max_min * 60000)
		return -EINVAL;
	*ret_ms = ms;
	return 0;
}

struct start_opts {
	long long idle_ms, max_ms;
};

static const char *const end_names[] = {
	[SESSION_END_SHELL] = NULL,
	[SESSION_END_SIGNAL] = "the client ended it",
	[SESSION_END_IDLE] = "idle timeout",
	[SESSION_END_MAX] = "maximum session duration reached",
};

static int start(const char *state_dir, const char *target, const struct start_opts *o)
{
	static const char *const users[] = { "ec2-user", "root", NULL };
	char dir[PATH_MAX], user[SANDBOX_SESSION_USER_MAX], owner[SESSION_OWNER_MAX + 1];
	struct session_meta m = { .exit_status = -1, .status = SESSION_CONNECTED };
	struct session_record rec;
	struct winsize ws = { 0 };
	const char *term = getenv("TERM");
	int master = -1, status = 0;
	enum session_end end = SESSION_END_SHELL;
	pid_t child;

	/* AWS answers TargetNotConnected for any target it cannot reach,
	 * malformed or unknown; a '/' must not reach a path either. */
	if (!id_has_prefix(target, "i") || strchr(target, '/') || strlen(target) >= ID_MAX)
		return not_connected(target);
	if (isatty(STDIN_FILENO))
		(void)ioctl(STDIN_FILENO, TIOCGWINSZ, &ws); /* 0x0 falls back to 24x80 */
	paths_instance_dir(state_dir, target, dir, sizeof(dir));
	session_relay_signals(); /* before the child exists: no SIGCHLD lost */
	struct sandbox_session_spec spec = {
		.dir = dir, .users = users, .term = term, .rows = ws.ws_row, .cols = ws.ws_col,
		.is_batch = !isatty(STDIN_FILENO),
	};
	int r = sandbox_session_start(&spec, &master, &child, user);
	if (r == -ESRCH)
		return not_connected(target); /* stopped, terminated or never here */
	if (r < 0) {
		fprintf(stderr, "localvpc: session to %s: %s\n", target,
			r == -ENOENT ? "no login user (ec2-user, root) in the instance" :
				       strerror(-r));
		return EXIT_AWS_CLIENT;
	}

	struct passwd *pw = getpwuid(getuid());
	session_owner_from_name(pw ? pw->pw_name : NULL, owner);
	id_new(owner, m.id);
	snprintf(m.target, sizeof(m.target), "%s", target);
	snprintf(m.owner, sizeof(m.owner), "%s", owner);
	snprintf(m.user, sizeof(m.user), "%s", user);
	m.start = time(NULL);
	r = session_record_open(&rec, state_dir, &m, term ? term : "dumb",
				ws.ws_col ? ws.ws_col : 80, ws.ws_row ? ws.ws_row : 24);
	if (r < 0) {
		/* No record, no session: hang the shell up. */
		fprintf(stderr, "localvpc: session %s: cannot record it: %s\n", m.id, strerror(-r));
		close(master);
		while (waitpid(child, &status, 0) < 0 && errno == EINTR)
			;
		return EXIT_AWS_CLIENT;
	}
	fprintf(stderr, "\nStarting session with SessionId: %s\n\n", m.id);
	struct session_relay rel = { .in = STDIN_FILENO, .out = STDOUT_FILENO, .master = master,
				     .child = child, .rec = &rec, .idle_ms = o->idle_ms,
				     .max_ms = o->max_ms };
	r = session_relay_run(&rel, &status, &end);
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	int r2 = session_record_close(&rec, code);
	if (end_names[end])
		fprintf(stderr, "\nlocalvpc: session %s ended: %s\n", m.id, end_names[end]);
	fprintf(stderr, "\n\nExiting session with sessionId: %s.\n\n", m.id);
	if (r < 0 || r2 < 0) {
		fprintf(stderr, "localvpc: session %s: recording: %s\n", m.id,
			strerror(-(r < 0 ? r : r2)));
		return EXIT_AWS_CLIENT;
	}
	return end == SESSION_END_SHELL ? code : 128 + SIGHUP;
}

/* Reads <state_dir>/sessions/<name>; 0 and a new NUL-terminated string in
 * *ret (free()), or -errno. */
static int read_small(const char *state_dir, const char *name, char **ret)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/sessions/%s", state_dir, name);
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	char *buf = xmalloc(META_SIZE_MAX + 1);
	size_t n = 0;
	ssize_t k;
	while (n < META_SIZE_MAX && (k = read(fd, buf + n, META_SIZE_MAX - n)) != 0) {
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0) {
			int r = -errno;
			close(fd);
			free(buf);
			return r;
		}
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*ret = buf;
	return 0;
}

/* A record that says Connected whose recorder no longer holds its lock
 * was killed: Disconnected. */
static void refine_status(const char *state_dir, struct session_meta *m)
{
	char path[PATH_MAX];
	if (m->status != SESSION_CONNECTED)
		return;
	session_path(state_dir, m->id, "log", path, sizeof(path));
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0 || flock(fd, LOCK_SH | LOCK_NB) == 0)
		m->status = SESSION_DISCONNECTED;
	if (fd >= 0)
		close(fd);
}

static int by_start(const void *a, const void *b)
{
	const struct session_meta *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int list(const char *state_dir, bool is_json)
{
	char path[PATH_MAX];
	struct session_meta *v = NULL;
	size_t n = 0, cap = 0;
	snprintf(path, sizeof(path), "%s/sessions", state_dir);
	DIR *d = opendir(path);
	if (!d && errno != ENOENT) {
		fprintf(stderr, "localvpc: %s: %s\n", path, strerror(errno));
		return 1;
	}
	struct dirent *e;
	while (d && (e = readdir(d)) && n < SESSIONS_MAX) {
		size_t len = strlen(e->d_name);
		char *text = NULL;
		struct session_meta m;
		if (len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		if (read_small(state_dir, e->d_name, &text) < 0 ||
		    session_meta_from_json(text, &m) || strlen(m.id) != len - 5 ||
		    strncmp(m.id, e->d_name, len - 5)) {
			free(text);
			continue; /* not a record of ours, or not under its own name */
		}
		free(text);
		refine_status(state_dir, &m);
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			v = xrealloc_array(v, cap, sizeof(*v));
		}
		v[n++] = m;
	}
	if (d)
		closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), by_start);
	if (is_json) {
		/* DescribeSessions' shape: {"Sessions": [Session, …]}. */
		printf("{\n\"Sessions\": [");
		for (size_t i = 0; i < n; i++) {
			char *j = session_meta_to_json(&v[i]);
			printf("%s\n%s", i ? "," : "", j);
			free(j);
		}
		printf("]\n}\n");
		free(v);
		return 0;
	}
	printf("%-30s %-20s %-10s %-20s %-20s %s\n", "SESSION ID", "TARGET", "USER", "START", "END",
	       "STATUS");
	for (size_t i = 0; i < n; i++) {
		char s[24], t[24] = "-";
		session_time_format(v[i].start, s);
		if (v[i].end)
			session_time_format(v[i].end, t);
		printf("%-30s %-20s %-10s %-20s %-20s %s\n", v[i].id, v[i].target, v[i].user, s, t,
		       session_status_name(v[i].status));
	}
	free(v);
	return 0;
}

static int replay(const char *state_dir, const char *id)
{
	char path[PATH_MAX], buf[65536];
	int fd = -1;
	if (session_id_valid(id)) {
		session_path(state_dir, id, "log", path, sizeof(path));
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	}
	if (fd < 0) {
		fprintf(stderr, "localvpc: no session %s recorded here\n", id);
		return 1;
	}
	ssize_t n;
	int rc = 0;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || write_all(STDOUT_FILENO, buf, (size_t)n) < 0) {
			rc = 1;
			break;
		}
	}
	close(fd);
	return rc;
}

static int usage(void)
{
	fprintf(stderr,
		"usage: localvpc session [--state-dir DIR] [--idle-timeout MIN]\n"
		"                        [--max-duration MIN] [--target] INSTANCE_ID\n"
		"       localvpc session [--state-dir DIR] --list [--json]\n"
		"       localvpc session [--state-dir DIR] --replay SESSION_ID\n"
		"       localvpc session [--state-dir DIR] --verify SESSION_ID\n");
	return 2;
}

int cli_session(int argc, char **argv)
{
	const char *state_dir = args_state_dir(&argc, argv);
	/* AWS's preferences: idle timeout 20 minutes (1-60), no maximum
	 * duration unless set (1-1440 minutes). */
	struct start_opts o = { .idle_ms = 20 * 60000 };
	int i = 1;
	for (; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--idle-timeout")) {
			if (parse_duration(argv[i + 1], 60, &o.idle_ms))
				return usage();
		} else if (!strcmp(argv[i], "--max-duration")) {
			if (parse_duration(argv[i + 1], 1440, &o.max_ms))
				return usage();
		} else {
			break;
		}
	}
	bool has_opts = i > 1;
	argc -= i - 1;
	argv += i - 1;
	if (!has_opts && argc == 2 && !strcmp(argv[1], "--list"))
		return list(state_dir, false);
	if (!has_opts && argc == 3 && !strcmp(argv[1], "--list") && !strcmp(argv[2], "--json"))
		return list(state_dir, true);
	if (!has_opts && argc == 3 && !strcmp(argv[1], "--replay"))
		return replay(state_dir, argv[2]);
	if (!has_opts && argc == 3 && !strcmp(argv[1], "--verify")) {
		if (!session_id_valid(argv[2])) {
			fprintf(stderr, "localvpc: no session %s recorded here\n", argv[2]);
			return 1;
		}
		int r = session_record_verify(state_dir, argv[2]);
		if (r < 0)
			fprintf(stderr, "localvpc: session %s: %s\n", argv[2], strerror(-r));
		return r < 0 ? 1 : r;
	}
	if (argc == 3 && !strcmp(argv[1], "--target"))
		return start(state_dir, argv[2], &o);
	if (argc == 2 && argv[1][0] != '-')
		return start(state_dir, argv[1], &o);
	return usage();
}
