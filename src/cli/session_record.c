// SPDX-License-Identifier: MIT
/* The recording of a `localvpc session`, on the host, outside the instance
 * (root in the instance can neither stop nor erase it): <id>.log (the
 * typescript, script(1)'s format), <id>.timing (its classic timing file),
 * <id>.chain (an HMAC-SHA256 chain over both, keyed with STATE_DIR/
 * session.key, so an edit made without the key shows) and <id>.json (the
 * record).  Everything is written while the session runs. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli/session.h"
#include "util/xalloc.h"

#define LOG_SIZE_MAX (1LL << 32) /* what --verify reads into memory, at most */

static void path_of(const char *state_dir, const char *id, const char *ext, char *out, size_t size)
{
	snprintf(out, size, "%s/sessions/%s.%s", state_dir, id, ext);
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

static long long now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Reads exactly size bytes of path; 0, or -errno (-EINVAL: another size). */
static int read_exact(const char *path, void *out, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -errno;
	ssize_t n = read(fd, out, size);
	char extra;
	int r = n == (ssize_t)size && read(fd, &extra, 1) == 0 ? 0 : n < 0 ? -errno : -EINVAL;
	close(fd);
	return r;
}

/* The state dir's session key: 32 random bytes, created at first use. */
static int load_key(const char *state_dir, bool create, unsigned char key[SESSION_KEY_SIZE])
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/session.key", state_dir);
	int r = read_exact(path, key, SESSION_KEY_SIZE);
	if (r != -ENOENT || !create)
		return r;
	if (getrandom(key, SESSION_KEY_SIZE, 0) != SESSION_KEY_SIZE)
		return -EIO;
	char tmp[PATH_MAX + 16];
	snprintf(tmp, sizeof(tmp), "%s.%d", path, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		return -errno;
	r = write_all(fd, key, SESSION_KEY_SIZE);
	if (close(fd) < 0 && !r)
		r = -errno;
	/* link(2), not rename(2): two first sessions at once keep one key. */
	if (!r && link(tmp, path) < 0 && errno != EEXIST)
		r = -errno;
	(void)unlink(tmp); /* the name only: the key stays under path */
	return r ? r : read_exact(path, key, SESSION_KEY_SIZE);
}

/* The record, replaced whole (a reader never sees half of it). */
static int write_meta(const char *state_dir, const struct session_meta *m)
{
	char path[PATH_MAX], tmp[PATH_MAX + 8];
	path_of(state_dir, m->id, "json", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	char *json = session_meta_to_json(m);
	int r = 0;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		r = -errno;
	if (!r && !(r = write_all(fd, json, strlen(json))))
		r = write_all(fd, "\n", 1);
	if (fd >= 0 && close(fd) < 0 && !r)
		r = -errno;
	if (!r && rename(tmp, path) < 0)
		r = -errno;
	if (r && fd >= 0)
		(void)unlink(tmp); /* best effort: the old record stays */
	free(json);
	return r;
}

static int open_new(const char *state_dir, const char *id, const char *ext)
{
	char path[PATH_MAX];
	path_of(state_dir, id, ext, path, sizeof(path));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
	return fd < 0 ? -errno : fd;
}

static void script_date(time_t t, char out[32])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%d %H:%M:%S+00:00", &tm))
		out[0] = '\0';
}

static int add_link(struct session_record *rec, char kind)
{
	char line[SESSION_CHAIN_LINE_MAX];
	int n = session_chain_line(kind, rec->link, line);
	return write_all(rec->chain_fd, line, (size_t)n);
}

int session_record_open(struct session_record *rec, const char *state_dir,
			const struct session_meta *m, const char *term, int cols, int rows)
{
	char path[PATH_MAX], t[32], header[512];
	int r;
	*rec = (struct session_record){ .state_dir = state_dir, .meta = *m, .log_fd = -1,
					.timing_fd = -1, .chain_fd = -1, .last_us = now_us() };
	snprintf(path, sizeof(path), "%s/sessions", state_dir);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -errno;
	if ((r = load_key(state_dir, true, rec->key)) < 0)
		return r;
	if ((rec->log_fd = open_new(state_dir, m->id, "log")) < 0 ||
	    (rec->timing_fd = open_new(state_dir, m->id, "timing")) < 0 ||
	    (rec->chain_fd = open_new(state_dir, m->id, "chain")) < 0) {
		r = rec->log_fd < 0 ? rec->log_fd : rec->timing_fd < 0 ? rec->timing_fd :
									 rec->chain_fd;
		goto fail;
	}
	/* Held until we end: --list tells a live session from a killed one. */
	if (flock(rec->log_fd, LOCK_EX | LOCK_NB) < 0) {
		r = -errno;
		goto fail;
	}
	/* script(1)'s header line, which scriptreplay(1) skips. */
	script_date(m->start, t);
	int n = snprintf(header, sizeof(header),
			 "Script started on %s [COMMAND=\"localvpc session %s\" TERM=\"%s\" "
			 "COLUMNS=\"%d\" LINES=\"%d\" SESSION=\"%s\" USER=\"%s\"]\n",
			 t, m->target, term, cols, rows, m->id, m->user);
	if (n < 0 || (size_t)n >= sizeof(header)) {
		r = -ENAMETOOLONG;
		goto fail;
	}
	session_chain_start(rec->key, m->id, header, (size_t)n, rec->link);
	if ((r = write_meta(state_dir, &rec->meta)) < 0 ||
	    (r = write_all(rec->log_fd, header, (size_t)n)) < 0 || (r = add_link(rec, 'H')) < 0)
		goto fail;
	return 0;
fail:
	if (rec->log_fd >= 0)
		close(rec->log_fd);
	if (rec->timing_fd >= 0)
		close(rec->timing_fd);
	if (rec->chain_fd >= 0)
		close(rec->chain_fd);
	rec->log_fd = rec->timing_fd = rec->chain_fd = -1;
	return r;
}

int session_record_output(struct session_record *rec, const void *data, size_t size)
{
	char line[48];
	long long t = now_us();
	int n = session_timing_line(t - rec->last_us, size, line, sizeof(line));
	rec->last_us = t;
	session_chain_next(rec->key, rec->link, data, size, rec->link);
	int r = write_all(rec->log_fd, data, size);
	if (!r)
		r = write_all(rec->timing_fd, line, (size_t)n);
	if (!r)
		r = add_link(rec, 'O');
	return r;
}

int session_record_close(struct session_record *rec, int exit_status)
{
	char t[32], footer[128];
	rec->meta.end = time(NULL);
	rec->meta.status = SESSION_TERMINATED;
	rec->meta.exit_status = exit_status;
	script_date(rec->meta.end, t);
	int n = snprintf(footer, sizeof(footer), "\nScript done on %s [COMMAND_EXIT_CODE=\"%d\"]\n",
			 t, exit_status);
	session_chain_next(rec->key, rec->link, footer, (size_t)n, rec->link);
	int r = write_all(rec->log_fd, footer, (size_t)n);
	if (!r)
		r = add_link(rec, 'F');
	int r2 = write_meta(rec->state_dir, &rec->meta);
	close(rec->log_fd);
	close(rec->timing_fd);
	close(rec->chain_fd);
	rec->log_fd = rec->timing_fd = rec->chain_fd = -1;
	return r ? r : r2;
}

/* Reads a whole file into a new buffer (free()); 0 or -errno. */
static int slurp(const char *path, char **ret, size_t *ret_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	struct stat st;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || st.st_size > LOG_SIZE_MAX) {
		int r = st.st_size > LOG_SIZE_MAX ? -EFBIG : -errno;
		close(fd);
		return r;
	}
	char *buf = xmalloc((size_t)st.st_size + 1);
	size_t n = 0;
	while (n < (size_t)st.st_size) {
		ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		n += (size_t)k;
	}
	close(fd);
	buf[n] = '\0';
	*ret = buf;
	*ret_size = n;
	return 0;
}

int session_record_verify(const char *state_dir, const char *id)
{
	char path[PATH_MAX], want[SESSION_CHAIN_LINE_MAX];
	char *log = NULL, *timing = NULL, *chain = NULL;
	size_t log_size, timing_size, chain_size, at = 0, chunks = 0;
	unsigned char key[SESSION_KEY_SIZE], link[SESSION_LINK_SIZE];
	const char *bad = NULL;
	bool ended = false;
	int r;

	if ((r = load_key(state_dir, false, key)) < 0)
		return r;
	path_of(state_dir, id, "log", path, sizeof(path));
	if ((r = slurp(path, &log, &log_size)) < 0)
		goto out;
	path_of(state_dir, id, "timing", path, sizeof(path));
	if ((r = slurp(path, &timing, &timing_size)) < 0)
		goto out;
	path_of(state_dir, id, "chain", path, sizeof(path));
	if ((r = slurp(path, &chain, &chain_size)) < 0)
		goto out;
	r = 1;
	char *hdr_end = memchr(log, '\n', log_size);
	if (!hdr_end) {
		bad = "the header line is missing";
		goto report;
	}
	at = (size_t)(hdr_end - log) + 1;
	session_chain_start(key, id, log, at, link);
	char *c = chain, *t = timing;
	session_chain_line('H', link, want);
	if (strncmp(c, want, strlen(want))) {
		bad = "the header does not match its link";
		goto report;
	}
	c += strlen(want);
	while (*c && !ended) {
		size_t n;
		long long us;
		char *eol = strchr(t, '\n');
		if (*c == 'O') {
			if (!eol) {
				bad = "the timing file has fewer chunks than the chain";
				goto report;
			}
			*eol = '\0';
			if (session_timing_parse(t, &us, &n) || n > log_size - at) {
				bad = "a timing line is malformed or counts bytes the log lacks";
				goto report;
			}
			t = eol + 1;
		} else if (*c == 'F') {
			n = log_size - at;
			ended = true;
		} else {
			bad = "the chain is malformed";
			goto report;
		}
		session_chain_next(key, link, log + at, n, link);
		session_chain_line(*c, link, want);
		if (strncmp(c, want, strlen(want))) {
			bad = "the output differs from what was recorded";
			goto report;
		}
		c += strlen(want);
		at += n;
		chunks++;
	}
	if (*c || *t)
		bad = "the chain or the timing file has lines past the end";
	else if (at != log_size)
		bad = "the log has bytes that no link covers";
	else
		r = 0;
report:
	if (bad)
		printf("session %s: TAMPERED: %s (verified up to byte %zu)\n", id, bad, at);
	else
		printf("session %s: verified: %zu chunks, %zu bytes, %s\n", id, chunks, at,
		       ended ? "ended" : "no end recorded (the recorder was killed)");
out:
	free(log);
	free(timing);
	free(chain);
	return r;
}
