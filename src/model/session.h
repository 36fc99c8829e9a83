// SPDX-License-Identifier: MIT
/* Session Manager sessions (`localvpc session`): the session ID, the record
 * kept of each session (AWS's Session shape: SessionId, Target, Status,
 * StartDate, EndDate, Owner) as JSON, and the lines of its timing file.
 * Pure: no I/O, no globals, no clock. */
#ifndef MODEL_SESSION_H
#define MODEL_SESSION_H
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define SESSION_ID_MAX 64   /* "<owner>-<17 hex>" + NUL */
#define SESSION_OWNER_MAX 32 /* characters of the owner's name kept in an ID */
#define SESSION_USER_MAX 33  /* a login name (32) + NUL */

/* AWS's SessionStatus values that a local session can be in. */
enum session_status {
	SESSION_CONNECTED,    /* the shell runs */
	SESSION_TERMINATED,   /* it ended (exit, EOF, or the client was told to end) */
	SESSION_FAILED,       /* it never started */
	SESSION_DISCONNECTED, /* recorded as connected, but its recorder is gone (killed) */
	SESSION_STATUS_COUNT
};

struct session_meta {
	char id[SESSION_ID_MAX];     /* root-0123456789abcdef0 */
	char target[SESSION_ID_MAX]; /* i-… */
	char owner[SESSION_OWNER_MAX + 1]; /* who started it (AWS: the IAM principal) */
	char user[SESSION_USER_MAX]; /* the login user inside the instance (AWS: RunAs) */
	enum session_status status;
	time_t start;      /* seconds since the epoch */
	time_t end;        /* 0 while connected */
	int exit_status;   /* the shell's, when terminated; -1 when unknown */
};

/* "Connected", "Terminated", … */
const char *session_status_name(enum session_status s);
/* Writes into out (at least SESSION_OWNER_MAX + 1) the owner part of a
 * session ID made from a login name: characters outside [A-Za-z0-9_.@=,+-]
 * become '_', at most SESSION_OWNER_MAX kept; "user" when name is empty. */
void session_owner_from_name(const char *name, char *out);
/* True for "<owner>-<17 lowercase hex>" with owner as session_owner_from_name
 * makes it: an ID that is safe to use as a file name. */
bool session_id_valid(const char *id);
/* ISO 8601 in UTC with seconds, as AWS prints dates: "2026-12-02T20:18:39Z". */
void session_time_format(time_t t, char out[24]);
/* Parses what session_time_format writes; 0 or -EINVAL. */
int session_time_parse(const char *s, time_t *ret_t);
/* The record as one JSON object; returns a new string, free with free(). */
char *session_meta_to_json(const struct session_meta *m);
/* Parses what session_meta_to_json wrote; 0 and *ret, or -EINVAL for
 * anything else (a missing or ill-typed field, an invalid ID). */
int session_meta_from_json(const char *text, struct session_meta *ret);
/* One line of a script(1) timing file in its classic format, which
 * scriptreplay(1) plays: "<seconds since the previous chunk> <bytes>\n".
 * Returns the length written (out of at least 48 bytes). */
int session_timing_line(long long delay_us, size_t size, char *out, size_t out_size);
/* Parses a timing line; 0 and the delay and size, or -EINVAL. */
int session_timing_parse(const char *line, long long *ret_delay_us, size_t *ret_size);

/* The recording's hash chain (<id>.chain: one line per link), keyed with
 * the state dir's session key so that an edit made without the key shows:
 * link 0 = HMAC-SHA256(key, "localvpc-session-v1" NUL id NUL header line),
 * link i = HMAC-SHA256(key, link i-1 || chunk i), a chunk being what one
 * timing line counts or, last, the footer.  Lines: "H <hex>", "O <hex>",
 * "F <hex>". */
#define SESSION_KEY_SIZE 32
#define SESSION_LINK_SIZE 32
#define SESSION_CHAIN_LINE_MAX 68 /* "H " + 64 hex + "\n" + NUL */
void session_chain_start(const unsigned char key[SESSION_KEY_SIZE], const char *id,
			 const void *header, size_t size, unsigned char ret[SESSION_LINK_SIZE]);
void session_chain_next(const unsigned char key[SESSION_KEY_SIZE],
			const unsigned char prev[SESSION_LINK_SIZE], const void *chunk, size_t size,
			unsigned char ret[SESSION_LINK_SIZE]);
/* "<kind> <64 hex>\n" into out (SESSION_CHAIN_LINE_MAX bytes); returns its length. */
int session_chain_line(char kind, const unsigned char link[SESSION_LINK_SIZE], char *out);

#endif
