// SPDX-License-Identifier: MIT
/* Session records and their files' formats; see session.h.  Pure: the CLI
 * does the reading and writing. */
#include "model/session.h"

#include <errno.h>
#include <json-c/json.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[SESSION_STATUS_COUNT] = {
	[SESSION_CONNECTED] = "Connected",
	[SESSION_TERMINATED] = "Terminated",
	[SESSION_FAILED] = "Failed",
	[SESSION_DISCONNECTED] = "Disconnected",
};

const char *session_status_name(enum session_status s)
{
	return (unsigned)s < SESSION_STATUS_COUNT ? status_names[s] : "Failed";
}

static bool owner_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       strchr("_.@=,+-", c);
}

void session_owner_from_name(const char *name, char *out)
{
	size_t n = 0;
	for (; name && name[n] && n < SESSION_OWNER_MAX; n++)
		out[n] = owner_char(name[n]) ? name[n] : '_';
	/* A leading '.' or '-' would make an odd file name. */
	if (n && (out[0] == '.' || out[0] == '-'))
		out[0] = '_';
	if (!n)
		n = (size_t)snprintf(out, SESSION_OWNER_MAX + 1, "user");
	out[n] = '\0';
}

bool session_id_valid(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n < 19 || n > SESSION_OWNER_MAX + 18 || id[n - 18] != '-')
		return false;
	for (size_t i = n - 17; i < n; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return false;
	if (id[0] == '.' || id[0] == '-')
		return false;
	for (size_t i = 0; i < n - 18; i++)
		if (!owner_char(id[i]))
			return false;
	return true;
}

void session_time_format(time_t t, char out[24])
{
	struct tm tm;
	if (!gmtime_r(&t, &tm) || !strftime(out, 24, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 24, "1970-01-01T00:00:00Z");
}

int session_time_parse(const char *s, time_t *ret_t)
{
	struct tm tm = { 0 };
	const char *end = s ? strptime(s, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
	if (!end || *end)
		return -EINVAL;
	*ret_t = timegm(&tm);
	return 0;
}

char *session_meta_to_json(const struct session_meta *m)
{
	char t[24];
	struct json_object *o = json_object_new_object();
	json_object_object_add(o, "SessionId", json_object_new_string(m->id));
	json_object_object_add(o, "Target", json_object_new_string(m->target));
	json_object_object_add(o, "Status", json_object_new_string(session_status_name(m->status)));
	session_time_format(m->start, t);
	json_object_object_add(o, "StartDate", json_object_new_string(t));
	if (m->end) {
		session_time_format(m->end, t);
		json_object_object_add(o, "EndDate", json_object_new_string(t));
	}
	json_object_object_add(o, "Owner", json_object_new_string(m->owner));
	json_object_object_add(o, "RunAsUser", json_object_new_string(m->user));
	if (m->exit_status >= 0)
		json_object_object_add(o, "ExitStatus", json_object_new_int(m->exit_status));
	int flags = JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_SPACED |
		    JSON_C_TO_STRING_NOSLASHESCAPE;
	char *s = strdup(json_object_to_json_string_ext(o, flags));
	json_object_put(o);
	if (!s)
		abort(); /* out of memory: STYLE §4 */
	return s;
}

/* Copies the string field key of o into out (size bytes); 0, or -EINVAL
 * when it is missing, not a string or too long (and not optional). */
static int get_str(struct json_object *o, const char *key, char *out, size_t size, bool optional)
{
	struct json_object *v;
	if (!json_object_object_get_ex(o, key, &v))
		return optional ? 0 : -EINVAL;
	if (!json_object_is_type(v, json_type_string))
		return -EINVAL;
	const char *s = json_object_get_string(v);
	if (strlen(s) >= size)
		return -EINVAL;
	memcpy(out, s, strlen(s) + 1);
	return 0;
}

int session_meta_from_json(const char *text, struct session_meta *ret)
{
	struct session_meta m = { .exit_status = -1 };
	char status[16] = "", start[24] = "", end[24] = "";
	int r = -EINVAL;
	struct json_object *o = json_tokener_parse(text), *v;
	if (!o || !json_object_is_type(o, json_type_object))
		goto out;
	if (get_str(o, "SessionId", m.id, sizeof(m.id), false) ||
	    get_str(o, "Target", m.target, sizeof(m.target), false) ||
	    get_str(o, "Status", status, sizeof(status), false) ||
	    get_str(o, "StartDate", start, sizeof(start), false) ||
	    get_str(o, "EndDate", end, sizeof(end), true) ||
	    get_str(o, "Owner", m.owner, sizeof(m.owner), false) ||
	    get_str(o, "RunAsUser", m.user, sizeof(m.user), false))
		goto out;
	if (!session_id_valid(m.id) || session_time_parse(start, &m.start) ||
	    (end[0] && session_time_parse(end, &m.end)))
		goto out;
	m.status = SESSION_STATUS_COUNT;
	for (int i = 0; i < SESSION_STATUS_COUNT; i++)
		if (!strcmp(status, status_names[i]))
			m.status = (enum session_status)i;
	if (m.status == SESSION_STATUS_COUNT)
		goto out;
	if (json_object_object_get_ex(o, "ExitStatus", &v)) {
		if (!json_object_is_type(v, json_type_int))
			goto out;
		int64_t x = json_object_get_int64(v);
		if (x < 0 || x > 255)
			goto out;
		m.exit_status = (int)x;
	}
	*ret = m;
	r = 0;
out:
	json_object_put(o);
	return r;
}

int session_timing_line(long long delay_us, size_t size, char *out, size_t out_size)
{
	if (delay_us < 0)
		delay_us = 0;
	return snprintf(out, out_size, "%lld.%06lld %zu\n", delay_us / 1000000, delay_us % 1000000,
			size);
}

int session_timing_parse(const char *line, long long *ret_delay_us, size_t *ret_size)
{
	unsigned long long sec, frac, size;
	int digits_start, digits_end, end = 0;
	if (sscanf(line, "%llu.%n%llu%n %llu%n", &sec, &digits_start, &frac, &digits_end, &size,
		   &end) != 3 ||
	    (line[end] && strcmp(line + end, "\n")) || sec > 1000000000ULL || size > (1U << 30))
		return -EINVAL;
	/* sscanf's %llu would take a sign or spaces; a timing line has none. */
	if (line[0] < '0' || line[0] > '9' || line[digits_start] < '0' || line[digits_start] > '9')
		return -EINVAL;
	int digits = digits_end - digits_start;
	if (digits < 1 || digits > 9)
		return -EINVAL;
	/* To microseconds, whatever the number of fraction digits. */
	for (; digits < 6; digits++)
		frac *= 10;
	for (; digits > 6; digits--)
		frac /= 10;
	*ret_delay_us = (long long)(sec * 1000000ULL + frac);
	*ret_size = (size_t)size;
	return 0;
}

static void hmac(const unsigned char key[SESSION_KEY_SIZE], const void *a, size_t a_size,
		 const void *b, size_t b_size, unsigned char ret[SESSION_LINK_SIZE])
{
	unsigned int n = SESSION_LINK_SIZE;
	/* One-shot HMAC over a || b, without copying the chunk. */
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[] = { OSSL_PARAM_construct_utf8_string("digest", (char *)"SHA256", 0),
				OSSL_PARAM_construct_end() };
	size_t out_size = 0;
	if (!ctx || !EVP_MAC_init(ctx, key, SESSION_KEY_SIZE, params) ||
	    !EVP_MAC_update(ctx, a, a_size) || !EVP_MAC_update(ctx, b, b_size) ||
	    !EVP_MAC_final(ctx, ret, &out_size, n) || out_size != n)
		abort(); /* libcrypto's HMAC-SHA256 does not fail but for OOM */
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
}

void session_chain_start(const unsigned char key[SESSION_KEY_SIZE], const char *id,
			 const void *header, size_t size, unsigned char ret[SESSION_LINK_SIZE])
{
	char label[SESSION_ID_MAX + 32];
	int n = snprintf(label, sizeof(label), "localvpc-session-v1%c%s%c", 0, id, 0);
	hmac(key, label, (size_t)n, header, size, ret);
}

void session_chain_next(const unsigned char key[SESSION_KEY_SIZE],
			const unsigned char prev[SESSION_LINK_SIZE], const void *chunk, size_t size,
			unsigned char ret[SESSION_LINK_SIZE])
{
	hmac(key, prev, SESSION_LINK_SIZE, chunk, size, ret);
}

int session_chain_line(char kind, const unsigned char link[SESSION_LINK_SIZE], char *out)
{
	static const char hex[] = "0123456789abcdef";
	int n = 0;
	out[n++] = kind;
	out[n++] = ' ';
	for (int i = 0; i < SESSION_LINK_SIZE; i++) {
		out[n++] = hex[link[i] >> 4];
		out[n++] = hex[link[i] & 0xf];
	}
	out[n++] = '\n';
	out[n] = '\0';
	return n;
}
